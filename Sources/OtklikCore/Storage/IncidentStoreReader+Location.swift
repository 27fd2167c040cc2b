import Foundation

extension IncidentStoreReader {
    /// Where a pipeline's sqlite sink keeps its incidents: the first `type: sqlite` sink's
    /// `path` (relative to the file that sets it), else `<state_dir>/<pipeline>/incidents.sqlite`.
    public static func databasePath(config: OtklikConfig, pipeline: PipelineConfig) -> String {
        for sink in pipeline.sinks where sink.type == "sqlite" {
            if let node = sink.node["path"], let p = node.scalar, !p.isEmpty {
                return MappingReader.resolve(p, relativeTo: node.mark.file)
            }
            break
        }
        return config.stateDir + "/" + pipeline.name + "/incidents.sqlite"
    }
}

/// The pipeline a read-only command looks at, and where its incidents are.
public struct IncidentDatabaseLocation: Sendable {
    public var path: String
    public var pipeline: PipelineConfig?
    /// Config problems that did not stop us (e.g. an unset `${TOKEN}` a reader does not need).
    public var warnings: [String]

    /// `--db` wins; otherwise the config's pipeline (the first when `pipeline` is nil).
    ///
    /// Reading incidents needs no secrets, so a config that only fails on something like an
    /// unset environment variable is still used, with the problems returned as warnings.
    public static func resolve(db: String?, configPath: (() throws -> String)?, pipeline name: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> IncidentDatabaseLocation {
        if let db, name == nil || configPath == nil { return IncidentDatabaseLocation(path: db, pipeline: nil, warnings: []) }
        guard let configPath else { throw CommandError(.usage, "pass --db FILE, or --config FILE with --pipeline NAME") }
        if let db {
            // The config only adds the pipeline's region to the report; --db alone is enough.
            do { return try resolve(db: nil, configPath: configPath, pipeline: name, environment: environment).with(path: db) }
            catch { return IncidentDatabaseLocation(path: db, pipeline: nil, warnings: ["\(error)"]) }
        }
        let file = try configPath()
        var warnings: [String] = []
        let config: OtklikConfig
        do {
            config = try OtklikConfig.load(path: file, environment: environment)
        } catch let e as ConfigErrors {
            let loader = ConfigLoader(environment: environment, diagnostics: ConfigDiagnostics())
            guard let root = try? loader.loadFile(file),
                  let partial = OtklikConfig.parse(root, file: file, diagnostics: ConfigDiagnostics()) else { throw e }
            config = partial
            warnings = e.errors.map(\.description)
        }
        guard let pipeline = config.pipeline(named: name) else {
            let names = config.pipelines.map(\.name)
            let hint = name.flatMap { suggestion(for: $0, among: names) }.map { "; did you mean '\($0)'?" } ?? ""
            throw CommandError(.usage, "no pipeline '\(name ?? "")' in \(file)\(hint) (pipelines: \(names.joined(separator: ", ")))")
        }
        return IncidentDatabaseLocation(path: db ?? IncidentStoreReader.databasePath(config: config, pipeline: pipeline),
                                        pipeline: pipeline, warnings: warnings)
    }

    func with(path: String) -> IncidentDatabaseLocation {
        var c = self
        c.path = path
        return c
    }
}
