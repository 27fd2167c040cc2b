import Foundation
import Synchronization
import Testing
import OtklikCore
import OtklikTestSupport

/// An HTTP sink that is down for a long time (500s and resets), then comes back: the pipeline
/// slows to it (bounded queues: the feed is not read ahead), resident memory stays bounded,
/// nothing is lost and every incident is accepted exactly once after the outage.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct SinkOutageTests {
    /// The daemon's resident set in kB (`VmRSS` of /proc/<pid>/status).
    static func residentKB(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    @Test func httpSinkDownForLong_pipelineWaitsWithBoundedMemory_thenEverythingArrivesOnce() async throws {
        let dir = TestPaths.makeTempDir("otklik-faults")
        let down = Atomic<Bool>(true)
        let accepted = Mutex<[String]>([])
        let refused = Atomic<Int>(0)
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in") { req in
            if down.load(ordering: .relaxed) {
                let n = refused.wrappingAdd(1, ordering: .relaxed).oldValue
                return n % 3 == 2 ? .reset : .status(500, body: "down for maintenance")
            }
            accepted.withLock { $0 += IncidentIDs.inJSON(req.bodyText) }
            return .status(200)
        }
        let total = 3000
        try FaultConfig.write(dir, source: "{id: feed, connector: jsonl, path: feed.jsonl, poll_interval: 50ms, batch_lines: 50}",
                              sink: "{type: http, url: \"\(server.url("/in"))\", queue: 32, batch_size: 16, batch_interval: 20ms, retry_base: 20ms, retry_max: 200ms}",
                              shutdown: "10s", top: ["metrics_file: metrics.prom", "metrics_interval: 100ms"], pipeline: ["channel_capacity: 16"])
        try Feed(path: dir + "/feed.jsonl").append(1...total, complaintEvery: 1)
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        let metrics = dir + "/metrics.prom"
        let readSeries = #"otklik_posts_read_total{pipeline="e2e",source="feed"}"#
        let depthSeries = #"otklik_sink_queue_depth{sink="http"}"#

        // A long outage: many refused attempts while the daemon keeps running.
        var peakKB = 0, peakDepth = 0.0, peakRead = 0.0
        #expect(await eventually(.seconds(60)) {
            peakKB = max(peakKB, Self.residentKB(daemon.pid) ?? 0)
            peakDepth = max(peakDepth, PromFile.value(metrics, depthSeries) ?? 0)
            peakRead = max(peakRead, PromFile.value(metrics, readSeries) ?? 0)
            return refused.load(ordering: .relaxed) >= 60
        })
        #expect(daemon.isRunning)
        print("sink outage: \(refused.load(ordering: .relaxed)) refused attempts, peak VmRSS \(peakKB) kB, "
              + "peak queue depth \(Int(peakDepth)), posts read \(Int(peakRead)) of \(total)")
        // Backpressure: the queue holds at most `queue` + one batch, and the feed is not read ahead.
        #expect(peakDepth <= 32 + 16, "sink queue depth \(peakDepth)")
        #expect(peakRead > 0 && peakRead <= 400, "posts read while the sink was down: \(peakRead)")
        #expect(accepted.withLock { $0.isEmpty })
        #expect(peakKB > 0 && peakKB < 250_000, "VmRSS \(peakKB) kB while the sink was down")
        #expect(await eventually { daemon.stderr.contains("batch not delivered, will retry") })

        down.store(false, ordering: .relaxed)
        #expect(await eventually(.seconds(120)) { Set(accepted.withLock { $0 }).count == total })
        peakKB = max(peakKB, Self.residentKB(daemon.pid) ?? 0)
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let ids = accepted.withLock { $0 }
        #expect(ids.count == total, "accepted \(ids.count) incidents, \(Set(ids).count) distinct")
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/e2e/http.dead.jsonl"))
        #expect(peakKB < 250_000, "VmRSS \(peakKB) kB")
    }

    @Test func httpSinkRefusingConnections_thenListening_deliversEverythingOnce() async throws {
        let dir = TestPaths.makeTempDir("otklik-faults")
        // A port nobody listens on, which no client socket takes before the server comes up.
        let port = try TestHTTPServer.unusedPort()
        try FaultConfig.write(dir, source: "{id: feed, connector: jsonl, path: feed.jsonl, poll_interval: 50ms, batch_lines: 50}",
                              sink: "{type: http, url: \"http://127.0.0.1:\(port)/in\", queue: 32, batch_size: 16, batch_interval: 20ms, retry_base: 20ms, retry_max: 300ms}",
                              shutdown: "10s", pipeline: ["channel_capacity: 16"])
        let total = 300
        try Feed(path: dir + "/feed.jsonl").append(1...total, complaintEvery: 1)
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        #expect(await eventually(.seconds(30)) {
            daemon.stderr.contains("batch not delivered, will retry") && daemon.stderr.lowercased().contains("connect")
        }, "\(daemon.stderr.suffix(2000))")
        try await Task.sleep(for: .seconds(1))
        #expect(daemon.isRunning)

        let accepted = Mutex<[String]>([])
        let server = TestHTTPServer()
        defer { server.stop() }
        server.route("POST", "/in") { req in
            accepted.withLock { $0 += IncidentIDs.inJSON(req.bodyText) }
            return .status(200)
        }
        try server.start(port: port)
        #expect(await eventually(.seconds(60)) { Set(accepted.withLock { $0 }).count == total })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        #expect(accepted.withLock { $0 }.count == total)
    }

    @Test func httpSinkAcceptingAndNeverAnswering_timesOutRetriesAndDeliversOnce() async throws {
        let dir = TestPaths.makeTempDir("otklik-faults")
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", responses: [.stall, .stall, .status(200)])
        try FaultConfig.write(dir, sink: "{type: http, url: \"\(server.url("/in"))\", timeout: 1s, batch_size: 50, batch_interval: 20ms, retry_base: 20ms, retry_max: 200ms}",
                              shutdown: "10s")
        try Feed(path: dir + "/feed.jsonl").append(1...20, complaintEvery: 1)
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        // The first two requests were never answered; ids count only from the answered ones.
        func accepted() -> [String] {
            server.requests.sorted { $0.sequence < $1.sequence }.dropFirst(2).flatMap { IncidentIDs.inJSON($0.bodyText) }
        }
        #expect(await eventually(.seconds(60)) { Set(accepted()).count == 20 }, "\(daemon.stderr.suffix(2000))")
        #expect(await eventually { daemon.stderr.contains("batch not delivered, will retry") && daemon.stderr.contains("timed out") })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        #expect(accepted().count == 20)
    }
}
