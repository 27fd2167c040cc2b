import Foundation

/// A minimal classifier for plumbing, demos and tests: a post is a complaint when its
/// text contains one of the configured words (case-insensitive, ё = е); others are
/// dropped as `not_complaint`.
///
/// ```yaml
/// stages:
///   - keyword: {words: [яма, "нет воды"], category: roads, severity: medium, make_incidents: true}
/// ```
/// `make_incidents: true` also opens a bare incident per complaint (id from the post
/// key), for pipelines that run without the full `incident` stage.
public final class KeywordStage: Stage {
    public let name = "keyword"
    let words: [String]
    let category: String
    let severity: Severity
    let makeIncidents: Bool

    public init(words: [String], category: String = Taxonomy.other, severity: Severity = .medium,
                makeIncidents: Bool = false) {
        self.words = words.map(Self.fold).filter { !$0.isEmpty }
        self.category = category; self.severity = severity; self.makeIncidents = makeIncidents
    }

    static func fold(_ s: String) -> String { s.lowercased().replacingOccurrences(of: "ё", with: "е") }

    public func process(_ item: inout AnalysisItem) throws -> StageOutcome {
        let text = Self.fold(item.post.text)
        let matched = words.filter { text.contains($0) }
        guard !matched.isEmpty else { return .drop(reason: "not_complaint") }
        let hit = RuleHit(rule: "keyword", category: category, weight: 1, matched: matched)
        let verdict = Verdict(isComplaint: true, category: category, severity: severity, score: 1, hits: [hit])
        item.verdict = verdict
        if makeIncidents && item.incident == nil {
            item.incident = Self.bareIncident(for: item.post, verdict: verdict)
        }
        return .pass
    }

    /// An incident with a deterministic id (`kw-` + FNV-1a of the post key).
    static func bareIncident(for post: Post, verdict: Verdict) -> Incident {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in post.key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let id = "kw-" + String(h, radix: 16)
        return Incident(id: id, category: verdict.category, severity: verdict.severity, score: verdict.score,
                        firstSeen: post.published, lastSeen: post.published,
                        deadline: post.published.addingTimeInterval(Double(Taxonomy.deadline(of: verdict.category).components.seconds)),
                        openedBy: post.key, url: post.url, sourceID: post.sourceID, text: post.text, hits: verdict.hits)
    }

    public static let factory: StageFactory = { config, ctx in
        let r = config.reader(ctx.diagnostics)
        let words = r?.strings("words", required: true) ?? []
        let category = r?.string("category") ?? Taxonomy.other
        let severity = r?.choice("severity", Severity.allCases.map(\.rawValue)).flatMap(Severity.init) ?? .medium
        let make = r?.bool("make_incidents") ?? false
        r?.finish()
        if let r, words.isEmpty, r.keys.contains("words") {
            ctx.diagnostics.error("stage 'keyword': 'words' must name at least one word", at: r.mark)
        }
        return { KeywordStage(words: words, category: category, severity: severity, makeIncidents: make) }
    }
}
