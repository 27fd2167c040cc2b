import Foundation
import OtklikCore
#if canImport(Glibc)
import Glibc
#endif

enum BackfillCommand: Command {
    static let name = "backfill"
    static let summary = "walk sources' history over a date range"
    static let help = """
    otklik backfill --pipeline NAME --since WHEN [--until WHEN] [--source ID …] [--sink NAME …] [--config FILE]

    Walks the sources' history over a range through the pipeline's analysis into its sinks.
    Incidents get the same ids as in the live daemon, so running both is safe; the live
    cursors are never moved. Each source is walked first (its posts kept aside), then its
    posts are analysed oldest first, the order the daemon met them in, so related posts
    join the same incidents as live; incidents are written in that second step. Resumable:
    killed and started again with the same arguments, it continues where it stopped, in
    either step (checkpoint in <state_dir>/<pipeline>/backfill.sqlite, moved past posts only
    after their incidents are written by every sink).

    Progress goes to stderr: live per source on a terminal (date reached, posts,
    complaints, rate, ETA), a line every 5 seconds otherwise; a summary at the end.

    Options:
      --pipeline NAME   the pipeline (required)
      --since WHEN      start: 2026-11-01, 2026-11-01T10:00:00Z, or 7d, 12h, 2w ago (required)
      --until WHEN      end (default: now; a bare day includes that whole day)
      --source ID       only this source (repeatable; default: every enabled source)
      --sink NAME       only this sink (repeatable); 'stdout' prints incidents as JSON lines

    Exit codes: 0 done; 64 bad arguments; 69 a source could not be read (network, server,
    VK errors that persist) — run the same command again to resume; 78 a bad config or a
    rejected token (VK error 5) — fix it, then run the same command again to resume.

    Examples:
      otklik backfill --pipeline rostov --since 2026-10-01 --until 2026-10-31
      otklik backfill --pipeline rostov --since 7d --source bataysk_tg --sink stdout
    """
    static let options = ["pipeline", "since", "until", "source", "sink"]
    static let flags: [String] = []

    static func run(_ args: Arguments) async throws -> ExitCode {
        guard let pipelineName = args.value("pipeline") else { throw CommandError(.usage, "--pipeline NAME is required") }
        guard let sinceText = args.value("since") else { throw CommandError(.usage, "--since WHEN is required (e.g. 2026-11-01 or 7d)") }
        let now = Date()
        let untilText = args.value("until")
        let from: Date, to: Date
        do {
            from = try DateArgument.parse(sinceText, now: now, option: "since")
            to = try untilText.map { try DateArgument.parse($0, now: now, endOfDay: true, option: "until") } ?? now
        } catch let e as DateArgument.ParseError {
            throw CommandError(.usage, e.description)
        }
        if from >= to { throw CommandError(.usage, "--since must be earlier than --until") }

        let registry = makeRegistry()
        let config = try PipelineValidator.loadAndValidate(path: try CommandRunner.configPath(args), registry: registry)
        guard let pipeline = config.pipeline(named: pipelineName) else {
            throw CommandError(.usage, "no pipeline '\(pipelineName)' (have: \(config.pipelines.map(\.name).joined(separator: ", ")))")
        }
        let logger = Logger(label: "backfill")
        let sourceIDs = args.all("source")
        for id in sourceIDs where !pipeline.sources.contains(where: { $0.id == id }) {
            let have = pipeline.sources.map(\.id).joined(separator: ", ")
            let hint = suggestion(for: id, among: pipeline.sources.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
            throw CommandError(.usage, "no source '\(id)' in pipeline '\(pipeline.name)' (have: \(have))\(hint)")
        }
        let built = try PipelineBuilder.build(config: config, pipeline: pipeline, registry: registry,
                                              http: HTTPClient(configuration: config.http), logger: logger,
                                              metrics: Metrics(), sourceIDs: sourceIDs.isEmpty ? nil : Set(sourceIDs))
        let sinks = try selectSinks(args.all("sink"), built: built)
        let store: BackfillCheckpointStore
        do { store = try BackfillCheckpointStore(path: BackfillCheckpointStore.path(stateDir: built.context.stateDir)) }
        catch { throw CommandError(.cantCreate, "cannot open the backfill checkpoint: \(error)") }

        let range = BackfillRunner.Range(from: from, to: to, sinceText: sinceText, untilText: untilText)
        let display = ProgressDisplay(terminal: isatty(STDERR_FILENO) == 1, started: Date())
        if display.terminal { LogSink.shared.redirect { display.log($0) } }
        defer { LogSink.shared.redirect(nil) }
        let started = Date()
        let stats: [BackfillStats]
        do {
            stats = try await BackfillRunner(built: built, sinks: sinks, range: range, checkpoints: store)
                .run { display.update($0) }
        } catch let e as BackfillRunner.SourceError {
            display.finish()
            if e.needsFix {
                throw CommandError(.config, "backfill stopped: \(e) — fix the source's config or credentials, then run the same command again to resume")
            }
            throw CommandError(.unavailable, "backfill stopped: \(e) — run the same command again to resume")
        } catch {
            display.finish()
            throw CommandError(.unavailable, "backfill stopped: \(Redactor.redact(String(describing: error))) — run the same command again to resume")
        }
        display.finish()
        let summary = BackfillSummary(sources: stats, duration: Date().timeIntervalSince(started))
        FileHandle.standardError.write(Data(summary.render().utf8))
        return .ok
    }

    static func selectSinks(_ names: [String], built: BuiltPipeline) throws -> [BuiltSink] {
        if names.isEmpty { return built.sinks }
        return try names.map { n in
            if let s = built.sinks.first(where: { $0.config.name == n }) { return s }
            if n == "stdout" {
                return BackfillRunner.stdoutSink()
            }
            let have = (built.sinks.map(\.config.name) + ["stdout"]).joined(separator: ", ")
            throw CommandError(.usage, "no sink '\(n)' in pipeline '\(built.config.name)' (have: \(have))")
        }
    }
}

/// Progress on stderr: on a terminal one live line per source, rewritten in place (log
/// lines are printed above it); otherwise a line per source every few seconds.
final class ProgressDisplay: @unchecked Sendable {
    private let lock = NSLock()
    let terminal: Bool
    private let started: Date
    private var latest: [String: BackfillStats] = [:]
    private var order: [String] = []
    private var lastPrint = Date.distantPast
    private var printedLines = 0
    private var dirty = false

    init(terminal: Bool, started: Date) { self.terminal = terminal; self.started = started }

    func update(_ s: BackfillStats) {
        lock.withLock {
            if latest[s.source] == nil { order.append(s.source) }
            latest[s.source] = s
            dirty = true
            let now = Date()
            let every: TimeInterval = terminal ? 0.2 : 5
            if now.timeIntervalSince(lastPrint) >= every || s.done { draw(now) }
        }
    }

    func finish() { lock.withLock { if !terminal && dirty { draw(Date()) } } }

    /// A log line while the display is live: the progress lines are cleared, the line is
    /// written where they were, and they are drawn again below it.
    func log(_ text: String) {
        lock.withLock {
            var out = printedLines > 0 ? "\u{1B}[\(printedLines)A\r\u{1B}[J" : ""
            out += text
            printedLines = 0
            if !order.isEmpty { out += frame(Date()) }
            FileHandle.standardError.write(Data(out.utf8))
        }
    }

    private func draw(_ now: Date) {
        lastPrint = now
        dirty = false
        let out: String
        if terminal {
            out = frame(now)
        } else {
            out = lines(now).map { "otklik backfill: " + $0 + "\n" }.joined()
        }
        FileHandle.standardError.write(Data(out.utf8))
    }

    private func lines(_ now: Date) -> [String] {
        let elapsed = now.timeIntervalSince(started)
        return order.compactMap { latest[$0]?.progressLine(elapsed: elapsed) }
    }

    /// The terminal's progress lines, drawn over the previous ones.
    private func frame(_ now: Date) -> String {
        let lines = lines(now)
        var out = printedLines > 0 ? "\u{1B}[\(printedLines)A" : ""
        for l in lines { out += "\r\u{1B}[2K" + l + "\n" }
        printedLines = lines.count
        return out
    }
}
