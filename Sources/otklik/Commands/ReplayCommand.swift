import Foundation
import OtklikCore

enum ReplayCommand: Command {
    static let name = "replay"
    static let summary = "run stored posts (JSONL) through a pipeline"
    static let help = """
    otklik replay --pipeline NAME FILE.jsonl [--dry-run] [--config FILE]

    Runs stored posts (one Post JSON object per line, or a minimal {"id", "text"})
    through the pipeline's whole analysis — normalize, dedupe, geotag, classify,
    incident — and delivers the incidents to its sinks (same ids as the daemon:
    sinks upsert). FILE may be - for standard input.

    --dry-run  prints one JSON verdict per post instead (complaint or not, category,
               severity, rules, place, duplicate/near-duplicate, incident id or the
               reason it was dropped) and touches neither the state nor the sinks.
               This is how rules are tuned on past data.

    Example:
      otklik replay --pipeline demo samples/posts.jsonl --dry-run | grep '"is_complaint":false'
    """
    static let options = ["pipeline"]
    static let flags = ["dry-run"]

    static func run(_ args: Arguments) async throws -> ExitCode {
        guard let file = args.positionals.first else { throw CommandError(.usage, "give the JSONL file to replay (or -)") }
        let registry = makeRegistry()
        var config = try PipelineValidator.loadAndValidate(path: try CommandRunner.configPath(args), registry: registry)
        guard let pipeline = config.pipeline(named: args.value("pipeline")) else {
            throw CommandError(.usage, "no pipeline '\(args.value("pipeline") ?? "")' (have: \(config.pipelines.map(\.name).joined(separator: ", ")))")
        }
        let dryRun = args.flag("dry-run")
        var scratch: String?
        if dryRun {
            scratch = NSTemporaryDirectory() + "otklik-replay-\(UUID().uuidString)"
            config.stateDir = scratch!
        }
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        let text: String
        if file == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandError(.noInput, "cannot read \(file)")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        let built = try PipelineBuilder.build(config: config, pipeline: pipeline, registry: registry,
                                              http: HTTPClient(configuration: config.http),
                                              logger: Logger(label: "replay"), metrics: Metrics(),
                                              sourceIDs: [], withSinks: !dryRun)
        let started = ContinuousClock.now
        let summary = try await PostReplay.run(built, lines: text.split(separator: "\n"), dryRun: dryRun) { print($0) }
        let dropped = summary.dropped.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        FileHandle.standardError.write(Data(
            "otklik replay: posts=\(summary.read) incidents=\(summary.incidents) malformed=\(summary.malformed) \(dropped) duration=\(started.duration(to: .now))\n".utf8))
        return summary.malformed > 0 && summary.read == 0 ? .dataError : .ok
    }
}
