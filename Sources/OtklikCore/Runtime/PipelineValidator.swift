import Foundation

/// Loads a config and builds every plugin of every pipeline once, without I/O, so
/// that each plugin's own keys are checked. All errors are reported together.
public enum PipelineValidator {
    public static func loadAndValidate(path: String, registry: PluginRegistry,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OtklikConfig {
        let d = ConfigDiagnostics()
        let config: OtklikConfig
        do {
            config = try OtklikConfig.load(path: path, environment: environment, diagnostics: d)
        } catch let e as ConfigErrors {
            // Still check the plugins of what did parse, to report everything at once.
            _ = e
            let loader = ConfigLoader(environment: environment, diagnostics: ConfigDiagnostics())
            if let root = try? loader.loadFile(path), let partial = OtklikConfig.parse(root, file: path, diagnostics: ConfigDiagnostics()) {
                validatePlugins(partial, registry: registry, diagnostics: d, environment: environment)
            }
            try d.throwIfAny()
            throw e
        }
        validatePlugins(config, registry: registry, diagnostics: d, environment: environment)
        try d.throwIfAny()
        return config
    }

    /// Runs every factory once; their config errors land in `diagnostics`.
    public static func validatePlugins(_ config: OtklikConfig, registry: PluginRegistry, diagnostics d: ConfigDiagnostics,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) {
        let http = HTTPClient(configuration: config.http, announceInsecure: false)
        for p in config.pipelines {
            let ctx = PluginContext(config: config, pipeline: p, http: http, logger: Logger(label: "validate"),
                                    metrics: Metrics(), diagnostics: d, environment: environment)
            for s in p.sources {
                guard let f = registry.connectors[s.connector] else {
                    let hint = suggestion(for: s.connector, among: registry.connectors.keys.sorted()).map { "; did you mean '\($0)'?" } ?? ""
                    d.error("source '\(s.id)': unknown connector '\(s.connector)'\(hint)", at: s.node["connector"]?.mark ?? s.node.mark)
                    continue
                }
                record(d) { _ = try f(s, ctx) }
            }
            for st in p.stages {
                guard let f = registry.stages[st.name] else {
                    let hint = suggestion(for: st.name, among: registry.stages.keys.sorted()).map { "; did you mean '\($0)'?" } ?? ""
                    d.error("unknown stage '\(st.name)'\(hint)", at: st.node.mark)
                    continue
                }
                record(d) { _ = try f(st, ctx)() }
            }
            for s in p.sinks {
                guard let f = registry.sinks[s.type] else {
                    let hint = suggestion(for: s.type, among: registry.sinks.keys.sorted()).map { "; did you mean '\($0)'?" } ?? ""
                    d.error("sink '\(s.name)': unknown type '\(s.type)'\(hint)", at: s.node["type"]?.mark ?? s.node.mark)
                    continue
                }
                record(d) { _ = try f(s, ctx) }
            }
        }
    }

    private static func record(_ d: ConfigDiagnostics, _ body: () throws -> Void) {
        do { try body() }
        catch let e as ConfigErrors {
            for err in e.errors where !d.errors.contains(err) { d.append([err]) }
        } catch let e as ConfigError {
            if !d.errors.contains(e) { d.append([e]) }
        } catch {
            d.error(String(describing: error), at: nil)
        }
    }
}
