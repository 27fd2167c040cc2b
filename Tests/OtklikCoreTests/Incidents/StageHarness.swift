import Foundation
@testable import OtklikCore
import OtklikTestSupport

/// Builds a core stage the way the daemon does: from a YAML pipeline, through the
/// built-in registry, with its own state folder.
struct StageHarness {
    let stages: [any Stage]
    let diagnostics: ConfigDiagnostics
    let stateDir: String

    /// `stagesYAML`: the `stages:` list items, one per line (indented by 6 spaces).
    static func make(stages stagesYAML: String, sources: String = "[]", region: String? = nil,
                     dir: String = TestPaths.makeTempDir("otklik-stage")) throws -> StageHarness {
        let path = dir + "/pipelines.yaml"
        let yaml = """
            state_dir: \(dir)/state
            pipelines:
              - name: test
            \(region.map { "    region: \($0)\n" } ?? "")    sources: \(sources)
                stages:
            \(stagesYAML)
                sinks: []

            """
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let d = ConfigDiagnostics()
        let config = try OtklikConfig.load(path: path, environment: [:], diagnostics: d)
        let pipeline = config.pipelines[0]
        let ctx = PluginContext(config: config, pipeline: pipeline, http: HTTPClient(), logger: Logger(label: "test"),
                                metrics: Metrics(), diagnostics: d, environment: [:])
        let registry = PluginRegistry.builtIn()
        var stages: [any Stage] = []
        for s in pipeline.stages {
            guard let f = registry.stages[s.name] else { continue }
            stages.append(try f(s, ctx)())
        }
        try d.throwIfAny()
        return StageHarness(stages: stages, diagnostics: d, stateDir: ctx.stateDir)
    }

    /// Config errors as messages.
    static func errors(stages: String, sources: String = "[]") -> [String] {
        do { _ = try make(stages: stages, sources: sources); return [] }
        catch let e as ConfigErrors { return e.errors.map(\.message) }
        catch { return ["\(error)"] }
    }

    func run(_ item: AnalysisItem) throws -> (StageOutcome, AnalysisItem) {
        var item = item
        for s in stages {
            let o = try s.process(&item)
            if o != .pass { return (o, item) }
        }
        return (.pass, item)
    }
}
