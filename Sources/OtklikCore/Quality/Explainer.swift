import Foundation

/// Runs a pipeline's analysis stages over texts for `otklik explain` and the quality
/// bench: every configured stage except `dedupe` and `incident`, with `classify` keeping
/// non-complaints so each post gets a verdict. Per thread (owns stage instances).
public final class Explainer {
    private var stages: [any Stage]
    /// Where the rules came from, for messages.
    public let rulesDescription: String

    init(stages: [any Stage], rulesDescription: String) {
        self.stages = stages; self.rulesDescription = rulesDescription
    }

    /// Stages `explain` never runs: they need state across posts and write nothing useful here.
    public static let skippedStages: Set<String> = ["dedupe", "incident"]

    /// Builds from a config's pipeline. `rulesOverride` replaces the classify stage's rules.
    public static func make(config: OtklikConfig, pipeline: PipelineConfig, registry: PluginRegistry,
                            rulesOverride: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Explainer {
        let d = ConfigDiagnostics()
        let ctx = PluginContext(config: config, pipeline: pipeline, http: HTTPClient(configuration: config.http),
                                logger: Logger(label: "explain"), metrics: Metrics(), diagnostics: d,
                                environment: environment)
        var stages: [any Stage] = []
        var names = pipeline.stages.map(\.name)
        var configs = pipeline.stages
        if !names.contains("classify") { configs.append(StageConfig(name: "classify", node: .emptyMapping(at: pipeline.mark))); names.append("classify") }
        if !names.contains("normalize") { configs.insert(StageConfig(name: "normalize", node: .emptyMapping(at: pipeline.mark)), at: 0) }
        var description = ""
        for st in configs where !skippedStages.contains(st.name) {
            if st.name == "classify" {
                var o = try ClassifyStage.options(st, configFile: config.file, diagnostics: d, environment: environment,
                                                  rulesOverride: rulesOverride)
                o.keepNonComplaints = true
                description = o.source
                stages.append(ClassifyStage(rules: o.rules, settings: o.settings, keepNonComplaints: true))
                continue
            }
            guard let f = registry.stages[st.name] else {
                throw ConfigErrors([ConfigError("unknown stage '\(st.name)'", at: st.node.mark)])
            }
            stages.append(try f(st, ctx)())
        }
        try d.throwIfAny()
        return Explainer(stages: stages, rulesDescription: description)
    }

    /// Without a config: `normalize` and `classify` over the rule packs at `rules` (a
    /// directory, file or glob) or the default rules directory.
    public static func standalone(rules: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Explainer {
        let d = ConfigDiagnostics()
        let mark = SourceMark(file: "<explain>", line: 1, column: 1)
        let o = try ClassifyStage.options(StageConfig(name: "classify", node: .emptyMapping(at: mark)), configFile: nil,
                                          diagnostics: d, environment: environment, rulesOverride: rules)
        return Explainer(rules: o)
    }

    /// `normalize` and `classify` over already compiled rules.
    public convenience init(rules o: ClassifyStage.Options) {
        self.init(stages: [NormalizeStage(), ClassifyStage(rules: o.rules, settings: o.settings, keepNonComplaints: true)],
                  rulesDescription: o.source)
    }

    /// Runs the stages over one post. Returns the item and the drop reason, if a stage dropped it.
    public func run(_ post: Post) throws -> (item: AnalysisItem, dropped: String?) {
        var item = AnalysisItem(post: post)
        for s in stages {
            if case .drop(let reason) = try s.process(&item), reason != "not_complaint" { return (item, reason) }
        }
        return (item, nil)
    }

    /// A bare post for a text, as `explain` and the bench make them.
    public static func post(id: String, text: String, sourceID: String = "explain", sourceKind: String = "explain") -> Post {
        Post(sourceKind: sourceKind, sourceID: sourceID, postID: id, published: Date(timeIntervalSince1970: 0), text: text)
    }

    /// One JSON object per post, keys in a fixed order: id, is_complaint, category,
    /// subcategory, severity, score, rules, matched (+ geo fields, + dropped). `matched` holds
    /// the words of every rule that fired, noise included, as written in the text.
    public static func jsonLine(id: String, item: AnalysisItem, dropped: String?) -> String {
        var f = JSONLine()
        f.add("id", .string(id))
        let v = item.verdict
        f.add("is_complaint", .bool(v?.isComplaint ?? false))
        f.add("category", v.map { .string($0.category) } ?? .null)
        f.add("subcategory", v?.subcategory.map { .string($0) } ?? .null)
        f.add("severity", v.map { .string($0.severity.rawValue) } ?? .null)
        f.add("score", .number(v?.score ?? 0))
        f.add("rules", .strings(v?.hits.map(\.rule) ?? []))
        var matched: [String] = []
        for h in v?.hits ?? [] {
            for w in h.matched where !matched.contains(w) { matched.append(w) }
        }
        f.add("matched", .strings(matched))
        if let g = item.geo {
            f.add("municipality", g.municipality.map { .string($0) } ?? .null)
            f.add("settlement", g.settlement.map { .string($0) } ?? .null)
            f.add("street", g.street.map { .string($0) } ?? .null)
            f.add("lat", g.lat.map { .number($0) } ?? .null)
            f.add("lon", g.lon.map { .number($0) } ?? .null)
            f.add("geo_method", .string(g.method.rawValue))
            f.add("geo_confidence", .number(g.confidence))
        }
        if let dropped { f.add("dropped", .string(dropped)) }
        return f.text
    }
}

/// A JSON object written key by key, in order (JSONEncoder sorts or shuffles keys).
struct JSONLine {
    enum Value { case string(String), bool(Bool), number(Double), strings([String]), null }
    private var parts: [String] = []

    mutating func add(_ key: String, _ value: Value) { parts.append(Self.quote(key) + ":" + Self.render(value)) }
    var text: String { "{" + parts.joined(separator: ",") + "}" }

    static func render(_ v: Value) -> String {
        switch v {
        case .string(let s): return quote(s)
        case .bool(let b): return b ? "true" : "false"
        case .number(let d):
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        case .strings(let a): return "[" + a.map(quote).joined(separator: ",") + "]"
        case .null: return "null"
        }
    }

    /// A JSON string literal, escaped as every other JSON Otklik writes (`JSONBytes`).
    static func quote(_ s: String) -> String {
        var w = JSONBytes()
        w.string(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
