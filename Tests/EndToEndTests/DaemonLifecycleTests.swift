import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// The real binary as systemd runs it: readiness, signals, reloads.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct DaemonLifecycleTests {
    static func config(words: String = "[яма]", sinks: String = "[]", extra: String = "") -> String {
        """
        state_dir: state
        metrics_file: metrics.prom
        metrics_interval: 100ms
        shutdown_timeout: 5s
        \(extra)
        pipelines:
          - name: e2e
            sources:
              - {id: feed, connector: jsonl, path: feed.jsonl, poll_interval: 50ms}
            stages:
              - keyword: {words: \(words), category: roads, make_incidents: true}
            sinks: \(sinks)
        """
    }

    @Test func run_sigterm_drainsCommitsAndExitsZero() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try Self.config().write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let feed = Feed(path: dir + "/feed.jsonl")
        try feed.append(1...40)
        let p = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        let read = #"otklik_posts_read_total{pipeline="e2e",source="feed"}"#
        #expect(await eventually { PromFile.value(dir + "/metrics.prom", read) == 40 })
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: .seconds(10)) == 0)
        #expect(p.stderr.contains("otklik stopped"))
        let store = try CheckpointStore(path: dir + "/state/e2e/state.sqlite")
        let cursor = try #require(try store.cursors()["feed"])
        #expect(cursor.value.contains(#""line":40"#))
        #expect(try store.health()["feed"]?.postsRead == 40)
    }

    @Test func run_notifiesReadyAndWatchdog_overNotifySocket() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try Self.config().write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        _ = Feed(path: dir + "/feed.jsonl")
        let listener = try DatagramListener(path: dir + "/notify.sock")
        let p = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir,
                                  environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "200000"])
        var messages: [String] = []
        let gotAll = await eventually(.seconds(20)) {
            messages += await Self.drain(listener)
            return messages.contains { $0.hasPrefix("READY=1") } && messages.contains("WATCHDOG=1")
        }
        #expect(gotAll, "messages: \(messages)")
        #expect(messages.contains { $0.contains("STATUS=running e2e") })
        p.signal(SIGTERM)
        // Keep reading while it stops, as systemd does: an unread queue drops watchdog pings.
        let deadline = ContinuousClock.now + .seconds(30)
        while p.isRunning && ContinuousClock.now < deadline {
            messages += await Self.drain(listener, max: 1_000)
            try? await Task.sleep(for: .milliseconds(10))
        }
        #expect(await p.waitForExit(timeout: .seconds(1)) == 0)
        messages += await Self.drain(listener, max: 100_000)  // the process is gone: read the whole backlog
        #expect(messages.contains { $0.hasPrefix("STOPPING=1") })
    }

    /// Reads what arrived, off the cooperative pool (the receive blocks briefly).
    static func drain(_ l: DatagramListener, max: Int = 5) async -> [String] {
        await withCheckedContinuation { c in
            DispatchQueue.global().async {
                var out: [String] = []
                while out.count < max, let m = l.receive() { out.append(m) }
                c.resume(returning: out)
            }
        }
    }

    @Test func sighup_withBrokenConfig_keepsOldPipeline_thenValidReloadApplies() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        let cfg = dir + "/p.yaml"
        try Self.config().write(toFile: cfg, atomically: true, encoding: .utf8)
        let feed = Feed(path: dir + "/feed.jsonl")
        try feed.append(1...10)
        let p = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        let metrics = dir + "/metrics.prom"
        let read = #"otklik_posts_read_total{pipeline="e2e",source="feed"}"#
        #expect(await eventually { PromFile.value(metrics, read) == 10 })

        try (Self.config() + "\n    bogus_key: 1\n").replacingOccurrences(of: "5s", with: "5 parsecs")
            .write(toFile: cfg, atomically: true, encoding: .utf8)
        p.signal(SIGHUP)
        #expect(await eventually { p.stderr.contains("config reload failed") })
        #expect(p.stderr.contains("5 parsecs"))
        #expect(p.stderr.contains("bogus_key"))
        try feed.append(11...20)
        #expect(await eventually { PromFile.value(metrics, read) == 20 })
        #expect(p.isRunning)

        try Self.config(words: "[спасибо]").write(toFile: cfg, atomically: true, encoding: .utf8)
        p.signal(SIGHUP)
        #expect(await eventually { p.stderr.contains("config reloaded") })
        try feed.append(21...30)
        #expect(await eventually { PromFile.value(metrics, read) == 30 })
        #expect(PromFile.value(metrics, #"otklik_config_reloads_total{result="failed"}"#) == 1)
        p.signal(SIGTERM)
        #expect(await p.waitForExit() == 0)
    }

    @Test func run_withInvalidConfig_exits78_withFileLineColumn() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try Self.config().replacingOccurrences(of: "connector: jsonl", with: "connector: jsnol")
            .write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let r = try await OtklikProcess.run(["run", "--config", "p.yaml"], dir: dir)
        #expect(r.status == 78)
        #expect(r.err.contains("p.yaml:"))
        #expect(r.err.contains("did you mean 'jsonl'"))
    }

    @Test func run_unknownPipeline_isUsageError() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try Self.config().write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let r = try await OtklikProcess.run(["run", "--config", "p.yaml", "--pipeline", "e2f"], dir: dir)
        #expect(r.status == 64)
        #expect(r.err.contains("did you mean 'e2e'"))
    }
}
