import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

/// Posts appended to a followed feed come out as incidents in every sink, through
/// failures of the sinks and of the daemon itself.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct DeliveryTests {
    static func has(_ sinks: String...) -> Bool { sinks.allSatisfy { PluginRegistry.builtIn().sinks[$0] != nil } }

    static func config(sinks: String, shutdown: String = "10s") -> String {
        """
        state_dir: state
        metrics_file: metrics.prom
        metrics_interval: 100ms
        shutdown_timeout: \(shutdown)
        pipelines:
          - name: e2e
            sources:
              - {id: feed, connector: jsonl, path: feed.jsonl, poll_interval: 50ms, batch_lines: 50}
            stages:
              - keyword: {words: [яма], category: roads, make_incidents: true}
            sinks:
        \(sinks)
        """
    }

    /// The ids the keyword stage gives posts `range` of which every second is a complaint.
    static func expectedIDs(_ range: ClosedRange<Int>) -> Set<String> {
        Set(range.filter { $0 % 2 == 0 }.map {
            KeywordStage.bareIncident(for: Post(sourceKind: "test", sourceID: "feed", postID: "p\($0)",
                                                published: Date(), text: ""),
                                      verdict: Verdict(isComplaint: true, category: "roads", score: 1)).id
        })
    }

    @Test(.enabled(if: has("file", "sqlite"), "needs the file and sqlite sinks"))
    func feed_incidentsArriveInFileAndSQLite() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try Self.config(sinks: """
              - {type: file, path: out/incidents.jsonl, batch_interval: 20ms}
              - {type: sqlite, path: out/incidents.sqlite, batch_interval: 20ms}
        """).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let feed = Feed(path: dir + "/feed.jsonl")
        let p = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        try feed.append(1...20)
        let want = Self.expectedIDs(1...20)
        #expect(await eventually { Set(IncidentIDs.inFile(dir + "/out/incidents.jsonl")) == want })
        #expect(await eventually { Set(IncidentIDs.inSQLite(dir + "/out/incidents.sqlite")) == want })
        try feed.append(21...30)
        let more = Self.expectedIDs(1...30)
        #expect(await eventually { Set(IncidentIDs.inSQLite(dir + "/out/incidents.sqlite")) == more })
        p.signal(SIGTERM)
        #expect(await p.waitForExit() == 0, "stderr: \(p.stderr.suffix(2000))")
    }

    @Test(.enabled(if: has("http"), "needs the http sink"))
    func feed_incidentsArriveOverHTTP() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/incidents", .status(200))
        try Self.config(sinks: """
              - {type: http, url: "\(server.url("/incidents"))", batch_interval: 20ms}
        """).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let p = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        try Feed(path: dir + "/feed.jsonl").append(1...20)
        let want = Self.expectedIDs(1...20)
        #expect(await eventually { Set(server.requests.flatMap { IncidentIDs.inJSON($0.bodyText) }) == want })
        p.signal(SIGTERM)
        #expect(await p.waitForExit() == 0)
    }

    @Test(.enabled(if: has("http"), "needs the http sink"))
    func httpSink_through503Then429ThenReset_deliversEveryIncident() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", responses: [
            .status(503), .status(503), .status(503, headers: [("Retry-After", "1")]),
            .status(429, headers: [("Retry-After", "1")]), .reset, .reset, .status(200),
        ])
        try Self.config(sinks: """
              - {type: http, url: "\(server.url("/in"))", batch_size: 4, batch_interval: 20ms, retry_base: 20ms, retry_max: 200ms}
        """).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        try Feed(path: dir + "/feed.jsonl").append(1...40)
        let p = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        let want = Self.expectedIDs(1...40)
        // The first six requests were refused (503 ×3, 429, reset ×2); ids count only from the ones answered 200.
        #expect(await eventually(.seconds(30)) {
            Set(server.requests.sorted { $0.sequence < $1.sequence }.dropFirst(6).flatMap { IncidentIDs.inJSON($0.bodyText) }) == want
        })
        #expect(server.requests.count >= 7)
        p.signal(SIGTERM)
        #expect(await p.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/e2e/http.dead.jsonl"))
    }

    @Test(.enabled(if: has("http"), "needs the http sink"))
    func httpSink_alwaysFailing_endsInDeadLetterFile() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", .status(500))
        try Self.config(sinks: """
              - {type: http, url: "\(server.url("/in"))", batch_interval: 20ms, max_attempts: 3, retry_base: 10ms, retry_max: 50ms}
        """).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        try Feed(path: dir + "/feed.jsonl").append(1...10)
        let p = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        let dead = dir + "/state/e2e/http.dead.jsonl"
        let want = Self.expectedIDs(1...10)
        #expect(await eventually { Set(IncidentIDs.inFile(dead)) == want })
        // Dead-lettered incidents count as done: the feed's position is committed past them.
        #expect(await eventually {
            (try? CheckpointStore(path: dir + "/state/e2e/state.sqlite").cursors()["feed"]?.value.contains(#""line":10"#)) == true
        })
        p.signal(SIGTERM)
        #expect(await p.waitForExit() == 0)
    }

    @Test(.enabled(if: has("file", "sqlite"), "needs the file and sqlite sinks"))
    func sigkill_midStream_thenRestart_everyIncidentInSQLiteOnce() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try Self.config(sinks: """
              - {type: sqlite, path: out/incidents.sqlite, batch_size: 10, batch_interval: 10ms}
              - {type: file, path: out/incidents.jsonl, batch_size: 7, batch_interval: 10ms}
        """).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let feed = Feed(path: dir + "/feed.jsonl")
        try feed.append(1...600)
        let db = dir + "/out/incidents.sqlite"
        let first = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        #expect(await first.killWhen({ IncidentIDs.inSQLite(db).count >= 20 }))
        _ = await first.waitForExit()
        let before = IncidentIDs.inSQLite(db).count
        try feed.append(601...700)
        let second = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        let want = Self.expectedIDs(1...700)
        #expect(await eventually(.seconds(60)) { IncidentIDs.inSQLite(db).count >= want.count })
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)
        let rows = IncidentIDs.inSQLite(db)
        #expect(rows.count == want.count, "killed with \(before) rows")
        #expect(Set(rows) == want)
        #expect(Set(IncidentIDs.inFile(dir + "/out/incidents.jsonl")) == want)
    }
}
