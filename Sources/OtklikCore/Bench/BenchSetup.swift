import Foundation

/// Where the bench finds the analysis chain it measures, and how it builds pipelines around it.
///
/// The stages are those of a configured pipeline (`--config`/`--pipeline`, or the `demo` pipeline
/// of `./pipelines.yaml` when it has stages); without one, the default chain of the design
/// (normalize → classify → dedupe → geotag → incident) over the repository's rule pack and gazetteer.
public struct BenchSetup: Sendable {
    public var registry: PluginRegistry
    /// The folder holding `rules/` and `data/` (the repository or an install prefix).
    public var dataRoot: String?
    /// A user config whose pipeline's stages are measured instead of the default chain.
    public var configFile: String?
    public var pipelineName: String?
    /// Scratch space; every build gets its own subfolder.
    public var workDir: String
    public var environment: [String: String]

    public init(registry: PluginRegistry, dataRoot: String?, configFile: String? = nil, pipelineName: String? = nil,
                workDir: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.registry = registry; self.dataRoot = dataRoot; self.configFile = configFile
        self.pipelineName = pipelineName; self.workDir = workDir; self.environment = environment
    }

    /// The first of `candidates` (and their parents) holding both `rules/` and `data/`.
    public static func findDataRoot(from candidates: [String]) -> String? {
        let fm = FileManager.default
        for start in candidates {
            var dir = URL(fileURLWithPath: start).standardizedFileURL
            for _ in 0..<6 {
                if fm.fileExists(atPath: dir.path + "/rules"), fm.fileExists(atPath: dir.path + "/data/rostov-oblast.tsv") {
                    return dir.path
                }
                dir.deleteLastPathComponent()
            }
        }
        for p in ["/usr/share/otklik", "/usr/local/share/otklik"] where fm.fileExists(atPath: p + "/rules") { return p }
        return nil
    }

    /// The default chain's YAML, one stage a line.
    public func defaultStagesYAML(dedupeEntries: Int) throws -> String {
        guard let root = dataRoot else {
            throw BenchError("no rules and gazetteer found: run from the repository, or pass --config with a pipeline that has stages")
        }
        return """
              - normalize
              - classify: {rules: "\(root)/rules"}
              - dedupe: {window: 7d, max_entries: \(dedupeEntries)}
              - geotag: {gazetteer: ["\(root)/data/rostov-oblast.tsv", "\(root)/data/ru-cities.tsv"]}
              - incident
        """
    }

    /// `stages` with `dedupe` moved right after `normalize`, so that every post enters the dedupe
    /// window, not only those a later stage lets through (what the memory figure needs).
    static func dedupingEveryPost(_ stages: [StageConfig]) -> [StageConfig] {
        guard let d = stages.firstIndex(where: { $0.name == "dedupe" }) else { return stages }
        var out = stages
        let dedupe = out.remove(at: d)
        out.insert(dedupe, at: (out.firstIndex(where: { $0.name == "normalize" }) ?? -1) + 1)
        return out
    }

    /// Builds a pipeline named `bench` with the given sources and sinks (YAML list items, indented
    /// six spaces) around the measured stages, with its own state folder under `workDir`.
    public func build(label: String, sourcesYAML: String, sinksYAML: String = "", workers: Int = 0,
                      dedupeEntries: Int = 1_000_000, dedupeEveryPost: Bool = false,
                      logger: Logger = Logger(label: "bench"), metrics: Metrics = Metrics()) throws -> BuiltPipeline {
        let dir = workDir + "/" + label
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let user = try userPipeline()
        let stages = user == nil ? try defaultStagesYAML(dedupeEntries: dedupeEntries) : "      []"
        let yaml = """
        state_dir: "\(dir)/state"
        shutdown_timeout: 60s
        pipelines:
          - name: bench
            region: Ростовская область
            workers: \(workers)
            sources:
        \(sourcesYAML.isEmpty ? "      []" : sourcesYAML)
            stages:
        \(stages)
            sinks:
        \(sinksYAML.isEmpty ? "      []" : sinksYAML)
        """
        let file = dir + "/bench.yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        var config = try OtklikConfig.load(path: file, environment: environment)
        guard var pipeline = config.pipeline(named: "bench") else { throw BenchError("bench config has no pipeline") }
        if let user, let userFile = configFile {
            pipeline.stages = user.stages
            config.file = userFile
        }
        if dedupeEveryPost { pipeline.stages = Self.dedupingEveryPost(pipeline.stages) }
        config.pipelines = [pipeline]
        try FileManager.default.createDirectory(atPath: config.stateDir, withIntermediateDirectories: true)
        return try PipelineBuilder.build(config: config, pipeline: pipeline, registry: registry,
                                         http: HTTPClient(configuration: config.http), logger: logger,
                                         metrics: metrics, environment: environment)
    }

    /// The configured pipeline whose stages replace the default chain, if any.
    func userPipeline() throws -> PipelineConfig? {
        guard let file = configFile else { return nil }
        let config = try OtklikConfig.load(path: file, environment: environment)
        guard let p = config.pipeline(named: pipelineName ?? "demo") ?? (pipelineName == nil ? config.pipelines.first : nil) else {
            throw BenchError("\(file): no pipeline '\(pipelineName ?? "demo")'")
        }
        if p.stages.isEmpty {
            if pipelineName != nil { throw BenchError("\(file): pipeline '\(p.name)' has no stages") }
            return nil
        }
        return p
    }
}

/// A bench that cannot run, with the reason.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
