import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// A connector serving fixed pages, one per poll; the cursor is the page count.
actor PagedConnector: Connector {
    nonisolated let sourceID: String
    nonisolated let rateLimits = RateLimits(minPollInterval: .zero)
    let pages: [[Post]]
    private(set) var seenCursors: [Cursor?] = []

    init(sourceID: String, pages: [[Post]]) { self.sourceID = sourceID; self.pages = pages }

    func poll(after cursor: Cursor?) async throws -> PollResult {
        seenCursors.append(cursor)
        let i = Int(cursor?.value ?? "0") ?? 0
        guard i < pages.count else { return PollResult(posts: [], cursor: cursor, nextPollAfter: .milliseconds(5)) }
        return PollResult(posts: pages[i], cursor: Cursor(String(i + 1)), nextPollAfter: .zero)
    }

    func backfill(from: Date, to: Date, resume: Cursor?,
                  emit: @Sendable ([Post], Cursor, BackfillProgress) async throws -> Void) async throws {}
}

/// A sink keeping what it was given; fails its first `failures` writes.
actor CollectingSink: Sink {
    nonisolated let name: String
    private(set) var incidents: [Incident] = []
    private(set) var closed = false
    var failures: Int

    init(name: String = "collect", failures: Int = 0) { self.name = name; self.failures = failures }

    func write(_ batch: [Incident]) async throws {
        if failures != 0 { failures -= 1; throw POSIXError(.EIO) }
        incidents += batch
    }
    func flush() async throws {}
    func close() async { closed = true }
}

enum RuntimeFixture {
    static func post(_ source: String, _ n: Int, _ text: String) -> Post {
        Post(sourceKind: "test", sourceID: source, postID: "\(source)-\(n)",
             published: Date(timeIntervalSince1970: 1_790_000_000 + Double(n)), text: text)
    }

    /// Writes a config with the given YAML body under a temp dir and loads it.
    static func config(_ yaml: String, dir: String) throws -> OtklikConfig {
        let path = dir + "/pipelines.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try OtklikConfig.load(path: path, environment: [:])
    }

    static func registry(connectors: [String: any Connector], sink: CollectingSink) -> PluginRegistry {
        var r = PluginRegistry.builtIn()
        r.register(connector: "paged") { s, ctx in
            s.reader(ctx.diagnostics)?.finish()
            return connectors[s.id]!
        }
        r.register(sink: "collect") { s, ctx in
            s.reader(ctx.diagnostics)?.finish()
            return sink
        }
        return r
    }

    /// Waits (polling) until `condition` holds or `timeout` passes.
    static func eventually(_ timeout: Duration = .seconds(30), _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }
}
