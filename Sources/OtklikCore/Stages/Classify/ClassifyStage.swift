import Foundation

/// The `classify` stage: runs the rule packs over `item.tokens` and sets `item.verdict`.
/// Non-complaints are dropped (`not_complaint`) unless `keep_non_complaints: true`
/// (what `explain` and dry runs use).
///
/// Config (every key optional):
/// ```yaml
/// - classify:
///     rules: {include: ../rules/*.yaml}   # or a path/glob/directory string; default: see RulePack
///     threshold: 2.5                      # complaint score needed
///     topic_cap: 4                        # most topic weight counted towards the score
///     keep_non_complaints: false
/// ```
public final class ClassifyStage: Stage {
    public let name = "classify"
    public let classifier: Classifier
    public let keepNonComplaints: Bool
    private let metrics: Metrics?
    /// `otklik_complaints_total` by category, labels rendered once per worker.
    private var complaintCounters: [String: Metrics.Counter] = [:]

    public init(rules: RuleSet, settings: ClassifierSettings = ClassifierSettings(), keepNonComplaints: Bool = false,
                metrics: Metrics? = nil) {
        classifier = Classifier(rules: rules, settings: settings)
        self.keepNonComplaints = keepNonComplaints; self.metrics = metrics
    }

    public func process(_ item: inout AnalysisItem) throws -> StageOutcome {
        let verdict = classifier.classify(tokens: item.tokens, text: item.post.text,
                                          source: (item.post.sourceID, item.post.sourceKind),
                                          explainAll: keepNonComplaints || item.explain)
        item.verdict = verdict
        if verdict.isComplaint {
            if let metrics { metrics.increment(complaintCounter(verdict.category, metrics)) }
            return .pass
        }
        return keepNonComplaints ? .pass : .drop(reason: "not_complaint")
    }

    private func complaintCounter(_ category: String, _ metrics: Metrics) -> Metrics.Counter {
        if let c = complaintCounters[category] { return c }
        let c = metrics.counter("otklik_complaints_total", ["category": category])
        complaintCounters[category] = c
        return c
    }

    /// What the stage's config says, typed.
    public struct Options: Sendable {
        public var rules: RuleSet
        public var settings: ClassifierSettings
        public var keepNonComplaints: Bool
        /// Where the rules came from: a path, or "inline".
        public var source: String
    }

    /// Reads the stage's section and compiles its rules; errors go to `diagnostics` and are thrown.
    /// `rulesOverride` (a directory, file or glob) replaces whatever the section says about rules.
    public static func options(_ config: StageConfig, configFile: String?, diagnostics d: ConfigDiagnostics,
                               environment: [String: String], rulesOverride: String? = nil) throws -> Options {
        let before = d.errors.count
        var rules: [Rule] = []
        var settings = ClassifierSettings()
        var keep = false
        var source = "inline"
        if let r = config.reader(d) {
            let node = r.node("rules")
            if let rulesOverride {
                rules = RulePack.load(path: rulesOverride, diagnostics: d, environment: environment)
                source = rulesOverride
            } else if let node {
                if let path = node.scalar {
                    source = MappingReader.resolve(path, relativeTo: node.mark.file)
                    rules = RulePack.load(path: source, diagnostics: d, environment: environment)
                } else {
                    rules = RuleParser(diagnostics: d).parse(node)
                }
            } else if let dir = RulePack.defaultDirectory(configFile: configFile, environment: environment) {
                rules = RulePack.load(path: dir, diagnostics: d, environment: environment)
                source = dir
            } else {
                d.error("stage 'classify': no rules: set 'rules:' or put rule packs in ./rules or /usr/share/otklik/rules",
                        at: config.node.mark)
            }
            settings.threshold = r.double("threshold", range: -100...100) ?? settings.threshold
            settings.topicCap = r.double("topic_cap", range: 0...100) ?? settings.topicCap
            keep = r.bool("keep_non_complaints") ?? false
            r.finish()
        }
        let errors = Array(d.errors.dropFirst(before))
        if !errors.isEmpty { throw ConfigErrors(errors) }
        return Options(rules: RuleSet.compile(rules), settings: settings, keepNonComplaints: keep, source: source)
    }

    public static let factory: StageFactory = { config, ctx in
        let o = try options(config, configFile: ctx.config.file, diagnostics: ctx.diagnostics,
                            environment: ctx.environment)
        let metrics = ctx.metrics
        metrics.describe("otklik_complaints_total", "Posts classified as complaints, by category.")
        return { ClassifyStage(rules: o.rules, settings: o.settings, keepNonComplaints: o.keepNonComplaints,
                               metrics: metrics) }
    }
}
