import Foundation
import OtklikCore

enum StatusCommand: Command {
    static let name = "status"
    static let summary = "show sources' and sinks' health from the state"
    static let help = """
    otklik status [--config FILE] [--pipeline NAME] [--max-failing 15m] [--json]

    Shows, while the daemon runs, per source the last successful poll, the newest post
    time, the error streak and the last error (from the state database, opened read-only),
    the connector's own status (e.g. VK token budgets and community freshness), and per
    sink the queue depth and last delivery (from the metrics file, `metrics_file:`).

    Exits 69 (unavailable) when a source has been failing for longer than --max-failing,
    or when a state database exists but cannot be read (corrupt, locked, newer version),
    so it can be used as a monitoring check; 0 otherwise.

    Options:
      --config FILE        the config (default: ./pipelines.yaml or /etc/otklik/pipelines.yaml)
      --pipeline NAME      only this pipeline (default: all)
      --max-failing DUR    how long a source may fail before the check fails (default 15m)
      --json               one JSON object per pipeline instead of text

    Examples:
      otklik status --config /etc/otklik/pipelines.yaml
      otklik status --pipeline rostov --max-failing 30m --json | jq '.sources[] | select(.failing)'
    """
    static let options = ["config", "pipeline", "max-failing"]
    static let flags = ["json"]

    static func run(_ args: Arguments) async throws -> ExitCode {
        let now = Date()
        let maxFailing = try args.value("max-failing").map { v -> TimeInterval in
            guard let d = ConfigValues.duration(v) else {
                throw CommandError(.usage, "--max-failing must be a duration like 15m or 1h, found '\(v)'")
            }
            return TimeInterval(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        } ?? 15 * 60
        let config = try loadConfig(CommandRunner.configPath(args))
        var pipelines = config.pipelines
        if let want = args.value("pipeline") {
            pipelines = pipelines.filter { $0.name == want }
            if pipelines.isEmpty {
                let names = config.pipelines.map(\.name)
                throw CommandError(.usage, "no pipeline '\(want)' (pipelines: \(names.joined(separator: ", ")))")
            }
        }
        let reports = pipelines.map { StatusReport.load(config: config, pipeline: $0, maxFailing: maxFailing, now: now) }
        var out = ""
        if args.flag("json") {
            let e = JSONEncoder()
            e.dateEncodingStrategy = .iso8601
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for r in reports { out += String(decoding: try e.encode(r), as: UTF8.self) + "\n" }
        } else {
            out = reports.map { $0.renderText(now: now) }.joined(separator: "\n")
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        let unreadable = reports.filter(\.stateUnreadable).map(\.pipeline)
        if !unreadable.isEmpty {
            FileHandle.standardError.write(Data("otklik status: state database unreadable: \(unreadable.joined(separator: ", ")) (see the notes)\n".utf8))
            return .unavailable
        }
        if reports.contains(where: \.hasFailingSource) {
            let ids = reports.flatMap { r in r.sources.filter(\.failing).map { "\(r.pipeline)/\($0.id)" } }
            FileHandle.standardError.write(Data("otklik status: failing for longer than \(args.value("max-failing") ?? "15m"): \(ids.joined(separator: ", "))\n".utf8))
            return .unavailable
        }
        return .ok
    }

    /// Reading the state needs no secrets: a config that only fails on an unset variable is still used.
    static func loadConfig(_ file: String) throws -> OtklikConfig {
        do { return try OtklikConfig.load(path: file) }
        catch let e as ConfigErrors {
            let loader = ConfigLoader(environment: ProcessInfo.processInfo.environment, diagnostics: ConfigDiagnostics())
            guard let root = try? loader.loadFile(file),
                  let partial = OtklikConfig.parse(root, file: file, diagnostics: ConfigDiagnostics()) else {
                throw CommandError(.config, e.description)
            }
            return partial
        }
    }
}
