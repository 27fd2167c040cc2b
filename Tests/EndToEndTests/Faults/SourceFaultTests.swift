import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// A source whose server misbehaves — 429 for many polls, a 5xx storm, half-sent pages, an
/// accepted request never answered — through the real binary and the real `telegram_bot`
/// connector: the daemon keeps running, says what is wrong, and once the server recovers every
/// post arrives exactly once.
///
/// The runtime backs off exponentially from 1 s between failed polls (at least the server's
/// `Retry-After`), so each test keeps a fault streak short (a few polls) instead of minutes.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct SourceFaultTests {
    struct Run {
        let dir: String
        let api: FakeBotAPI
        let daemon: OtklikProcess
        var output: String { dir + "/out/incidents.jsonl" }
        /// Incident ids in the file sink, with repeats.
        var delivered: [String] { IncidentIDs.inFile(output) }
        var log: String { daemon.stderr }
    }

    static func start(pageSize: Int = 5, published: Int) throws -> Run {
        let dir = TestPaths.makeTempDir("otklik-faults")
        let api = try FakeBotAPI(pageSize: pageSize)
        api.publish(published)
        try FaultConfig.write(dir, source: "{id: bot, connector: telegram_bot, base_url: \"\(api.baseURL)\", long_poll: 1s, retry_base: 100ms, retry_max: 1s}",
                              sink: "{type: file, path: out/incidents.jsonl, batch_interval: 20ms}",
                              top: ["metrics_file: metrics.prom", "metrics_interval: 100ms"])
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir,
                                       environment: ["TELEGRAM_BOT_TOKEN": api.token])
        return Run(dir: dir, api: api, daemon: daemon)
    }

    /// Stops the daemon and checks that it ran throughout and that `n` posts gave `n` distinct incidents, each once.
    static func finish(_ run: Run, expecting n: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
        #expect(run.daemon.isRunning, "the daemon died: \(run.log.suffix(2000))", sourceLocation: sourceLocation)
        run.daemon.signal(SIGTERM)
        #expect(await run.daemon.waitForExit() == 0, sourceLocation: sourceLocation)
        run.api.stop()
        let ids = run.delivered
        #expect(ids.count == n, "incident lines: \(ids.count), distinct: \(Set(ids).count)", sourceLocation: sourceLocation)
        #expect(Set(ids).count == n, sourceLocation: sourceLocation)
        #expect(!run.log.contains("Fatal error"), sourceLocation: sourceLocation)
    }

    /// Lines of the daemon's log at `warning` or `error` that mention `text`.
    static func problemLines(_ log: String, _ text: String) -> [Substring] {
        log.split(separator: "\n").filter {
            ($0.contains("level=warning") || $0.contains("level=error")) && $0.contains(text)
        }
    }

    @Test func botSource_when429ForManyPolls_waitsRetryAfterAndDeliversEveryPostOnce() async throws {
        let run = try Self.start(published: 10)
        #expect(await eventually(.seconds(30)) { run.delivered.count == 10 })
        run.api.inject(Array(repeating: .status(429, retryAfter: 1), count: 4))
        run.api.publish(10)
        #expect(await eventually(.seconds(90)) { run.api.faultsLeft == 0 && run.delivered.count == 20 })
        // One line names the refusal; the repeats of the same fault do not flood the log.
        #expect(Self.problemLines(run.log, "status=429").count == 1, "\(run.log.suffix(3000))")
        #expect(Self.problemLines(run.log, "poll failed").count == 1, "\(run.log.suffix(3000))")
        #expect(await eventually { run.log.contains("msg=\"source recovered\" source=bot failed_polls=4") })
        await Self.finish(run, expecting: 20)
    }

    @Test func botSource_through5xxStorm_keepsRunningAndDeliversEveryPostOnce() async throws {
        let run = try Self.start(published: 7)
        run.api.inject([.status(500), .status(500), .status(503, retryAfter: 1), .status(502), .status(502)])
        #expect(await eventually(.seconds(90)) { run.api.faultsLeft == 0 && run.delivered.count == 7 })
        run.api.publish(8)
        #expect(await eventually(.seconds(30)) { run.delivered.count == 15 })
        for status in [500, 503, 502] {
            #expect(Self.problemLines(run.log, "status=\(status)").count == 1, "HTTP \(status): \(run.log.suffix(3000))")
        }
        #expect(Self.problemLines(run.log, "poll failed").count == 1)
        await Self.finish(run, expecting: 15)
    }

    @Test func botSource_halfSentPagesAndResets_rereadsThePageAndDeliversEveryPostOnce() async throws {
        let run = try Self.start(pageSize: 4, published: 4)
        #expect(await eventually(.seconds(30)) { run.delivered.count == 4 })
        // The next pages are cut mid-body (Content-Length says more) or reset by the server.
        run.api.inject([.truncated(sending: 40), .truncated(sending: 40), .reset, .truncated(sending: 200)])
        run.api.publish(12)
        #expect(await eventually(.seconds(90)) { run.api.faultsLeft == 0 && run.delivered.count == 16 })
        let failures = Self.problemLines(run.log, "poll failed")
        #expect(failures.contains { $0.lowercased().contains("transfer closed") || $0.lowercased().contains("partial") },
                "no clear line for a half-sent page: \(run.log.suffix(3000))")
        #expect(failures.contains { $0.lowercased().contains("reset") }, "no clear line for a reset: \(run.log.suffix(3000))")
        await Self.finish(run, expecting: 16)
    }

    @Test func botSource_whenServerAcceptsAndNeverAnswers_timesOutAndRecovers() async throws {
        let run = try Self.start(published: 3)
        #expect(await eventually(.seconds(30)) { run.delivered.count == 3 })
        // The request timeout of getUpdates is long_poll (1 s) + 15 s.
        run.api.inject([.stall])
        run.api.publish(5)
        #expect(await eventually(.seconds(90)) { run.delivered.count == 8 })
        #expect(run.api.faultsServed == 1)
        #expect(Self.problemLines(run.log, "poll failed").contains { $0.lowercased().contains("timed out") },
                "no clear line for a timeout: \(run.log.suffix(3000))")
        await Self.finish(run, expecting: 8)
    }
}
