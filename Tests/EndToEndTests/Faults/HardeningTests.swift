import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// TLS verification is never off silently, and everything otklik writes that may hold
/// posts, incidents or state is private to its user (files 0600, folders 0700).
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct HardeningTests {
    static let tlsWarning = "TLS certificate verification is OFF"

    static func write(_ dir: String, http: String = "", sinks: String) throws {
        try """
        state_dir: state
        metrics_file: metrics.prom
        metrics_interval: 100ms
        shutdown_timeout: 5s
        \(http)
        pipelines:
          - name: e2e
            sources:
              - {id: feed, connector: jsonl, path: feed.jsonl, poll_interval: 50ms}
            stages:
              - dedupe
              - keyword: {words: [яма], category: roads, make_incidents: true}
            sinks:
        \(sinks)
        """.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
    }

    static func warnings(_ log: String) -> Int {
        log.split(separator: "\n").filter { $0.contains("level=warning") && $0.contains(tlsWarning) }.count
    }

    @Test func insecureSkipTLSVerify_logsAWarningAtEveryStartAndReload() async throws {
        let dir = TestPaths.makeTempDir("otklik-faults")
        try Self.write(dir, http: "http: {insecure_skip_tls_verify: true}",
                       sinks: "      - {type: file, path: out/incidents.jsonl, batch_interval: 20ms}")
        _ = Feed(path: dir + "/feed.jsonl")
        for _ in 0..<2 {
            let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
            #expect(await eventually { daemon.stderr.contains("otklik started") && daemon.stderr.contains("sink started") })
            #expect(Self.warnings(daemon.stderr) == 1, "\(daemon.stderr)")
            // The signal sources arm asynchronously; a SIGHUP in the first instants could be missed.
            try await Task.sleep(for: .milliseconds(300))
            daemon.signal(SIGHUP)
            #expect(await eventually { daemon.stderr.contains("config reloaded") }, "\(daemon.stderr)")
            #expect(Self.warnings(daemon.stderr) == 2, "a reload builds a new HTTP client: \(daemon.stderr)")
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit() == 0)
        }
        let validate = try await OtklikProcess.run(["validate", "--config", "p.yaml"], dir: dir)
        #expect(validate.status == 0)
    }

    @Test func tlsVerification_isOnByDefault_andTheOptionMustBeABoolean() async throws {
        let dir = TestPaths.makeTempDir("otklik-faults")
        try Self.write(dir, sinks: "      - {type: file, path: out/incidents.jsonl, batch_interval: 20ms}")
        _ = Feed(path: dir + "/feed.jsonl")
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        #expect(await eventually { daemon.stderr.contains("otklik started") })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        #expect(Self.warnings(daemon.stderr) == 0)

        try Self.write(dir, http: "http: {insecure_skip_tls_verify: sometimes}",
                       sinks: "      - {type: file, path: out/incidents.jsonl}")
        let r = try await OtklikProcess.run(["validate", "--config", "p.yaml"], dir: dir)
        #expect(r.status == 78, "\(r.err)")
        #expect(r.err.contains("insecure_skip_tls_verify"))
    }

    @Test func stateDeadLetterAndOutputFiles_areCreated0600InFolders0700() async throws {
        let dir = TestPaths.makeTempDir("otklik-faults")
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", .status(500))
        try Self.write(dir, sinks: """
              - {type: file, path: out/jsonl/incidents.jsonl, batch_interval: 20ms}
              - {type: sqlite, path: out/db/incidents.sqlite, batch_interval: 20ms}
              - {type: http, url: "\(server.url("/in"))", batch_interval: 20ms, max_attempts: 1}
        """)
        try Feed(path: dir + "/feed.jsonl").append(1...10)
        // The test process's umask (usually 022) would leave 0644/0755: the modes below are otklik's own.
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        #expect(await eventually(.seconds(30)) {
            IncidentIDs.inFile(dir + "/state/e2e/http.dead.jsonl").count == 5
                && IncidentIDs.inSQLite(dir + "/out/db/incidents.sqlite").count == 5
                && IncidentIDs.inFile(dir + "/out/jsonl/incidents.jsonl").count == 5
        })
        let live = Self.modes(under: dir, in: ["state", "out"])
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let after = Self.modes(under: dir, in: ["state", "out"])
        for (path, mode) in live.merging(after, uniquingKeysWith: { a, _ in a }).sorted(by: { $0.key < $1.key }) {
            let isDir = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + path)[.type] as? FileAttributeType) == .typeDirectory
            let want = isDir ? 0o700 : 0o600
            #expect(mode == want, "\(path): \(String(mode, radix: 8)), want \(String(want, radix: 8))")
        }
        #expect(live.keys.contains("state/e2e/state.sqlite"))
        #expect(live.keys.contains("state/e2e/dedupe.sqlite"))
        #expect(live.keys.contains("state/e2e/http.dead.jsonl"))
        #expect(live.keys.contains("out/db/incidents.sqlite"))
    }

    /// Permission bits of every file and folder under `dir/<roots>`, by path relative to `dir`.
    static func modes(under dir: String, in roots: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for root in roots {
            var items = [root]
            items += (FileManager.default.enumerator(atPath: dir + "/" + root)?.compactMap { $0 as? String } ?? []).map { root + "/" + $0 }
            for rel in items {
                if let p = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + rel))?[.posixPermissions] as? Int {
                    out[rel] = p & 0o777
                }
            }
        }
        return out
    }
}
