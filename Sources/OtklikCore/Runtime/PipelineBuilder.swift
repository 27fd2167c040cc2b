import Foundation

/// One configured source with its connector.
public struct BuiltSource: Sendable {
    public var config: SourceConfig
    public var connector: any Connector
    public var id: String { config.id }
}

/// One configured sink with its plugin.
public struct BuiltSink: Sendable {
    public var config: SinkConfig
    public var sink: any Sink
}

/// Everything a pipeline needs to run, built from its config section and the registry.
public struct BuiltPipeline: Sendable {
    public var config: PipelineConfig
    public var context: PluginContext
    public var sources: [BuiltSource]
    /// One maker per configured stage, in order; each worker calls every maker once.
    public var stageMakers: [@Sendable () throws -> any Stage]
    public var sinks: [BuiltSink]
    public var shutdownTimeout: Duration { context.config.shutdownTimeout }
}

/// Builds connectors, stages and sinks of one pipeline through the registry.
/// Every config problem of every plugin is collected and thrown together as `ConfigErrors`.
public enum PipelineBuilder {
    /// - Parameters:
    ///   - sourceIDs: only these sources (nil: every enabled source).
    ///   - withSinks: false builds no sinks (`otklik tap`).
    public static func build(config: OtklikConfig, pipeline: PipelineConfig, registry: PluginRegistry,
                             http: HTTPClient, logger: Logger, metrics: Metrics,
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             sourceIDs: Set<String>? = nil, withSinks: Bool = true) throws -> BuiltPipeline {
        let d = ConfigDiagnostics()
        let ctx = PluginContext(config: config, pipeline: pipeline, http: http, logger: logger,
                                metrics: metrics, diagnostics: d, environment: environment)
        var sources: [BuiltSource] = []
        sources.reserveCapacity(pipeline.sources.count)
        for s in pipeline.sources where s.enabled && (sourceIDs?.contains(s.id) ?? true) {
            guard let f = registry.connectors[s.connector] else {
                d.error("source '\(s.id)': unknown connector '\(s.connector)'", at: s.node["connector"]?.mark ?? s.node.mark)
                continue
            }
            if let c = capture(d, { try f(s, ctx) }) { sources.append(BuiltSource(config: s, connector: c)) }
        }
        var makers: [@Sendable () throws -> any Stage] = []
        for st in pipeline.stages {
            guard let f = registry.stages[st.name] else {
                d.error("unknown stage '\(st.name)'", at: st.node.mark)
                continue
            }
            if let m = capture(d, { () throws -> @Sendable () throws -> any Stage in
                let m = try f(st, ctx)
                _ = try m()  // a maker that fails for the first worker fails here, with its message
                return m
            }) { makers.append(m) }
        }
        var sinks: [BuiltSink] = []
        if withSinks {
            for s in pipeline.sinks {
                guard let f = registry.sinks[s.type] else {
                    d.error("sink '\(s.name)': unknown type '\(s.type)'", at: s.node["type"]?.mark ?? s.node.mark)
                    continue
                }
                if let k = capture(d, { try f(s, ctx) }) { sinks.append(BuiltSink(config: s, sink: k)) }
            }
        }
        if let ids = sourceIDs {
            for id in ids.sorted() where !pipeline.sources.contains(where: { $0.id == id }) {
                d.error("pipeline '\(pipeline.name)' has no source '\(id)'", at: pipeline.mark)
            }
        }
        try d.throwIfAny()
        return BuiltPipeline(config: pipeline, context: ctx, sources: sources, stageMakers: makers, sinks: sinks)
    }

    private static func capture<T>(_ d: ConfigDiagnostics, _ body: () throws -> T) -> T? {
        do { return try body() }
        catch let e as ConfigErrors { d.append(e.errors.filter { !d.errors.contains($0) }); return nil }
        catch let e as ConfigError { if !d.errors.contains(e) { d.append([e]) }; return nil }
        catch { d.error(String(describing: error), at: nil); return nil }
    }
}
