import Foundation

/// `incident`: opens, joins and extends incidents from complaint posts, and emits the new
/// incident version in `item.incident` (sinks upsert it by id).
///
/// Config: `join` (true), `join_window` (3d), `join_distance` (10), `join_by_street` (true),
/// `retention` (14d), `max_related_posts` (100: the related post keys kept; the rest are counted),
/// `whole_incidents` (4096: open incidents kept whole in memory), `deadlines` (`{housing.water: 12h}`), `routing` (a list of
/// `{category, municipality, executor, contact}`), `persist` (true:
/// `<stateDir>/incidents-index.sqlite`).
public final class IncidentStage: Stage {
    public let name = "incident"
    private let index: IncidentIndex
    private let tokenizer: Tokenizer

    public init(index: IncidentIndex, tokenizer: Tokenizer = Tokenizer()) {
        self.index = index; self.tokenizer = tokenizer
    }

    public func process(_ item: inout AnalysisItem) throws -> StageOutcome {
        let interesting = item.verdict?.isComplaint == true || item.duplicateOf != nil || item.nearDuplicateOf != nil
            || item.isUpdate
        guard interesting else { return .pass }
        if item.tokens.isEmpty, !item.post.text.isEmpty { item.tokens = tokenizer.tokenize(item.post.text) }
        let fp = item.fingerprint(shingle: index.policy.shingle)
        item.incident = try index.apply(item, fingerprint: fp).0
        return .pass
    }

    static func known(_ category: String) -> Bool { Taxonomy.categories.contains { $0.id == category } }

    /// Reads the stage's policy from config, reporting problems to `ctx.diagnostics`.
    public static func policy(_ config: StageConfig, _ ctx: PluginContext) -> (IncidentPolicy, persist: Bool) {
        var p = IncidentPolicy()
        var persist = true
        guard let r = config.reader(ctx.diagnostics) else { return (p, persist) }
        if let b = r.bool("join") { p.join = b }
        if let d = r.duration("join_window") { p.joinWindow = d }
        if let n = r.int("join_distance", range: 0...16) { p.joinDistance = n }
        if let b = r.bool("join_by_street") { p.joinByStreet = b }
        if let d = r.duration("retention") { p.retention = d }
        if let n = r.int("max_related_posts", range: 0...100_000) { p.maxRelatedPosts = n }
        if let n = r.int("whole_incidents", range: 1...10_000_000) { p.wholeIncidents = n }
        if let b = r.bool("persist") { persist = b }
        if let m = r.mapping("deadlines") {
            for key in m.keys {
                guard let d = m.duration(key) else { continue }
                if !known(key) {
                    ctx.diagnostics.error("'deadlines': unknown category '\(key)' (known: \(Taxonomy.categories.map(\.id).joined(separator: ", ")))",
                                          at: m.mark)
                }
                p.deadlines[key] = d
            }
        }
        if let list = r.list("routing") {
            for node in list {
                guard let rule = MappingReader(node, diagnostics: ctx.diagnostics, context: "routing rule") else { continue }
                let category = rule.string("category") ?? "*"
                let municipality = rule.string("municipality") ?? "*"
                let executor = rule.string("executor", required: true)
                let contact = rule.string("contact")
                rule.finish()
                if category != "*", !known(category.hasSuffix(".*") ? String(category.dropLast(2)) : category) {
                    ctx.diagnostics.error("routing rule: unknown category '\(category)'", at: node.mark)
                }
                if let executor {
                    p.routing.rules.append(.init(category: category, municipality: municipality,
                                                 executor: Executor(name: executor, contact: contact)))
                }
            }
        }
        r.finish()
        return (p, persist)
    }

    public static let factory: StageFactory = { config, ctx in
        let (policy, persist) = policy(config, ctx)
        let index = IncidentIndex(policy: policy, path: persist ? ctx.stateDir + "/incidents-index.sqlite" : nil)
        return { IncidentStage(index: index) }
    }
}
