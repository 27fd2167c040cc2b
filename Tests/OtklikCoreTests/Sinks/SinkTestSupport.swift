import Foundation
import Synchronization
import OtklikTestSupport
@testable import OtklikCore

/// Small builders shared by the sink tests: incidents, configs from YAML, a scripted sink.
enum SinkFixtures {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    static func incident(_ id: String, category: String = "roads.pothole", related: [String] = [],
                         status: String = "new", seen: Date = t0, text: String = "Яма на дороге у школы") -> Incident {
        Incident(id: id, category: category, subcategory: "pothole", severity: .medium, score: 0.8,
                 geo: GeoTag(municipalityID: "m-1", municipality: "Город N", settlement: "N", street: "ул. Ленина",
                             lat: 47.2, lon: 39.7, method: .text, confidence: 0.7),
                 firstSeen: seen, lastSeen: seen, deadline: seen.addingTimeInterval(3 * 86400),
                 executor: Executor(name: "Дорожная служба", contact: "roads@example.org"), status: status,
                 openedBy: "jsonl:" + id, url: "https://example.org/\(id)", sourceID: "src",
                 text: text, relatedPosts: related)
    }

    /// Parses one sink entry (YAML lines of a mapping) inside a minimal config, and the
    /// plugin context its factory receives.
    static func load(_ sinkYAML: String, stateDir: String, environment: [String: String] = [:],
                     diagnostics: ConfigDiagnostics = ConfigDiagnostics()) throws -> (SinkConfig, PluginContext) {
        let lines = sinkYAML.split(separator: "\n", omittingEmptySubsequences: true)
        let entry = lines.enumerated().map { ($0.offset == 0 ? "      - " : "        ") + $0.element }
            .joined(separator: "\n")
        let text = """
        state_dir: \(stateDir)
        pipelines:
          - name: test
            sources: [{id: s, connector: jsonl}]
            sinks:
        \(entry)

        """
        let file = stateDir + "/pipelines.yaml"
        let root = try ConfigLoader(environment: environment, diagnostics: diagnostics).load(text, file: file)
        let config = OtklikConfig.parse(root, file: file, diagnostics: diagnostics)!
        try diagnostics.throwIfAny()
        let pipeline = config.pipelines[0]
        let ctx = PluginContext(config: config, pipeline: pipeline, http: HTTPClient(),
                                logger: Logger(label: "test", sink: LogSink(capturing: true)),
                                metrics: Metrics(), diagnostics: diagnostics, environment: environment)
        return (pipeline.sinks[0], ctx)
    }

    static func capturingLogger() -> (Logger, LogSink) {
        let sink = LogSink(level: .debug, capturing: true)
        return (Logger(label: "test", sink: sink), sink)
    }

    static func lines(_ path: String) -> [String] {
        guard let s = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return s.split(separator: "\n").map(String.init)
    }

    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }
}

/// Counts acks per incident id, to prove each fires exactly once.
final class AckCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func ack(_ id: String) -> @Sendable () -> Void { { self.counts.withLock { $0[id, default: 0] += 1 } } }
    var snapshot: [String: Int] { counts.withLock { $0 } }
    var total: Int { snapshot.values.reduce(0, +) }
}

/// A sink that fails as scripted (one entry per `write`; then `otherwise`), records what it
/// wrote, and can be held shut to test backpressure.
actor ScriptedSink: Sink {
    nonisolated let name: String
    private var script: [(any Error)?]
    private let otherwise: (any Error)?
    private(set) var batches: [[Incident]] = []
    private(set) var attempts = 0
    private(set) var flushes = 0
    private(set) var closed = false
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(name: String = "scripted", script: [(any Error)?] = [], otherwise: (any Error)? = nil, held: Bool = false) {
        self.name = name; self.script = script; self.otherwise = otherwise; self.held = held
    }

    func write(_ batch: [Incident]) async throws {
        while held { await withCheckedContinuation { waiters.append($0) } }
        attempts += 1
        let outcome = script.isEmpty ? otherwise : script.removeFirst()
        if let outcome { throw outcome }
        batches.append(batch)
    }
    func flush() { flushes += 1 }
    func close() { closed = true }

    func release() {
        held = false
        let w = waiters; waiters = []
        for c in w { c.resume() }
    }

    var ids: [String] { batches.flatMap { $0.map(\.id) } }
}
