import Foundation

/// What every plugin factory (connector, stage, sink) receives: shared services and
/// where its pipeline lives. Factories must not do network I/O: `otklik validate`
/// builds every plugin to check its config.
public struct PluginContext: Sendable {
    public var config: OtklikConfig
    public var pipeline: PipelineConfig
    public var http: HTTPClient
    public var logger: Logger
    public var metrics: Metrics
    public var diagnostics: ConfigDiagnostics
    public var environment: [String: String]
    /// The pipeline's own state folder: `<state_dir>/<pipeline>`.
    public var stateDir: String { config.stateDir + "/" + pipeline.name }

    public init(config: OtklikConfig, pipeline: PipelineConfig, http: HTTPClient, logger: Logger,
                metrics: Metrics, diagnostics: ConfigDiagnostics,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.config = config; self.pipeline = pipeline; self.http = http; self.logger = logger
        self.metrics = metrics; self.diagnostics = diagnostics; self.environment = environment
    }

    /// A secret from `name` in the environment, or from the file named by `name_FILE`.
    /// Registered with the redactor so it never reaches a log.
    public func secret(_ name: String) -> String? {
        var value = environment[name]
        if value == nil || value!.isEmpty, let file = environment[name + "_FILE"],
           let s = try? String(contentsOfFile: file, encoding: .utf8) {
            value = s.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let value, !value.isEmpty { Redactor.register(secret: value); return value }
        return nil
    }
}
