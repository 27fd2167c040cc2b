import Foundation
import OtklikCore
import OtklikTestSupport
import Synchronization
import Testing
@testable import VKConnector

/// A `vk` source wired to a `FakeVKAPI`, with its own budget registry, clock, logs and state dir.
struct VKHarness {
    let api: FakeVKAPI
    let source: VKSource
    let clock: VKTestClock
    let logs: LogSink
    let metrics: Metrics
    let registry: VKBudgetRegistry
    let token: String
    let stateDir: String

    /// `yaml` holds the source's own keys (one per line, no indentation); `base_url` is added.
    static func make(_ yaml: String, api existing: FakeVKAPI? = nil, token: String? = nil,
                     registry: VKBudgetRegistry = VKBudgetRegistry(), stateDir: String? = nil) throws -> VKHarness {
        let token = token ?? existing?.token ?? "tok-\(UUID().uuidString)"
        let api = try existing ?? FakeVKAPI(token: token)
        let text = "id: test\nconnector: vk\nbase_url: \(api.baseURL)\n" + yaml
        let d = ConfigDiagnostics()
        let node = try YAMLLoader.load(text, file: "test.yaml", diagnostics: d)
        let settings = VKSettings(SourceConfig(id: "test", connector: "vk", node: node), diagnostics: d)
        try d.throwIfAny()
        let logs = LogSink(level: .debug, capturing: true)
        let metrics = Metrics()
        let clock = api.clock
        let dir = stateDir ?? TestPaths.makeTempDir("vk-source")
        let source = VKSource(sourceID: "test", settings: settings, tokens: [token], http: HTTPClient(),
                              logger: Logger(label: "test", sink: logs), metrics: metrics, stateDir: dir,
                              registry: registry, clock: clock)
        return VKHarness(api: api, source: source, clock: clock, logs: logs, metrics: metrics,
                         registry: registry, token: token, stateDir: dir)
    }

    /// Polls after moving the clock past any planned interval.
    func poll(_ cursor: Cursor?, advance: Double = 7 * 3600) async throws -> PollResult {
        clock.advance(advance)
        return try await source.poll(after: cursor)
    }
}

/// Collects values from `@Sendable` callbacks.
final class VKBox<T: Sendable>: Sendable {
    private let m: Mutex<T>
    init(_ v: T) { m = Mutex(v) }
    var value: T { m.withLock { $0 } }
    func update(_ f: (inout T) -> Void) { m.withLock { f(&$0) } }
}
