import Foundation
import OtklikCore

enum TapCommand: Command {
    static let name = "tap"
    static let summary = "run a pipeline's sources once and print what flows"
    static let help = """
    otklik tap --pipeline NAME [--source ID] [--at posts|complaints|incidents] [--limit N] [--config FILE]

    Polls each source of the pipeline once, from its configured start, without
    reading or writing state and without touching the sinks, and prints as JSON
    lines what flows at one point:
      posts       the posts as the connector read them (default)
      complaints  posts the stages kept, with their verdict (all stages but 'incident')
      incidents   the incidents the whole chain built
    Use it to check a new source, token or rule before deploying it. Exits 0, or 69
    when a source could not be polled (its error goes to stderr).

    Example:
      otklik tap --pipeline rostov --source bataysk_vk --at complaints --limit 20
    """
    static let options = ["pipeline", "source", "at", "limit"]
    static let flags: [String] = []

    static func run(_ args: Arguments) async throws -> ExitCode {
        guard let pipelineName = args.value("pipeline") else { throw CommandError(.usage, "--pipeline NAME is required") }
        let at = args.value("at") ?? "posts"
        guard let point = TapPoint(rawValue: at) else {
            throw CommandError(.usage, "--at must be one of \(TapPoint.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var limit: Int?
        if let l = args.value("limit") {
            guard let n = Int(l), n > 0 else { throw CommandError(.usage, "--limit must be a positive number") }
            limit = n
        }
        let registry = makeRegistry()
        var config = try PipelineValidator.loadAndValidate(path: try CommandRunner.configPath(args), registry: registry)
        // Stages that keep state (the dedupe window, the incident index) get a scratch folder:
        // tap never reads or writes the pipeline's real state.
        let scratch = NSTemporaryDirectory() + "otklik-tap-\(getpid())-\(UUID().uuidString.prefix(8))"
        config.stateDir = scratch
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        guard let pipeline = config.pipeline(named: pipelineName) else {
            throw CommandError(.usage, "no pipeline '\(pipelineName)' (have: \(config.pipelines.map(\.name).joined(separator: ", ")))")
        }
        let sources = args.all("source")
        let built = try PipelineBuilder.build(config: config, pipeline: pipeline, registry: registry,
                                              http: HTTPClient(configuration: config.http), logger: Logger(label: "tap"),
                                              metrics: Metrics(), sourceIDs: sources.isEmpty ? nil : Set(sources),
                                              withSinks: false)
        let summary = await PipelineTap.run(built, at: point, limit: limit) { line in print(line) }
        for f in summary.failures {
            FileHandle.standardError.write(Data("otklik tap: \(f)\n".utf8))
        }
        return summary.failures.isEmpty ? .ok : .unavailable
    }
}
