/// Scoring settings of the `classify` stage.
public struct ClassifierSettings: Sendable {
    /// A post is a complaint when its score reaches this.
    public var threshold: Double = 2.5
    /// The most the best category's topic evidence adds to the complaint score, so a long
    /// news text full of topic words does not look like a complaint by volume alone.
    public var topicCap: Double = 4
    public init(threshold: Double = 2.5, topicCap: Double = 4) { self.threshold = threshold; self.topicCap = topicCap }
}

/// Turns the rules that fired on a post into a `Verdict`: category, subcategory,
/// severity, complaint score and the explanation. Per worker (owns a `RuleMatcher`).
///
/// Score = min(best category's topic weight, `topicCap`) + marker weights − noise weights.
/// The category is the topic with the highest summed weight (ties: the stronger single
/// rule, then rule order); the subcategory comes from its strongest rule; the severity is
/// the highest among that category's rules and the markers that fired, or `critical` when
/// any critical rule fired (a gas smell matters whatever the topic).
public final class Classifier {
    public let matcher: RuleMatcher
    public let settings: ClassifierSettings

    public init(rules: RuleSet, settings: ClassifierSettings = ClassifierSettings()) {
        matcher = RuleMatcher(set: rules); self.settings = settings
    }

    /// `explainAll`: also list the rules and words for a post that is not a complaint (what
    /// `otklik explain` and `replay --dry-run` show); false saves that work.
    public func classify(tokens: [Token], text: String, source: (id: String, kind: String) = ("", ""),
                         explainAll: Bool = true) -> Verdict {
        let fired = matcher.match(tokens, text: text, source: source)
        let set = matcher.set
        let categoryCount = set.categories.count
        var catScore = [Double](repeating: 0, count: categoryCount)
        var catBest = [Int](repeating: -1, count: categoryCount)
        var markers = 0.0, noise = 0.0
        for f in fired {
            let weight = set.rules[f.rule].weight
            switch set.rules[f.rule].kind {
            case .topic:
                let c = Int(set.compiled[f.rule].category)
                catScore[c] += weight
                if catBest[c] < 0 || set.rules[catBest[c]].weight < weight { catBest[c] = f.rule }
            case .marker: markers += weight
            case .noise: noise += abs(weight)
            }
        }
        var best = -1
        for c in 0..<categoryCount where catScore[c] > 0 {
            if best < 0 || catScore[c] > catScore[best]
                || (catScore[c] == catScore[best] && set.rules[catBest[c]].weight > set.rules[catBest[best]].weight)
                || (catScore[c] == catScore[best] && set.rules[catBest[c]].weight == set.rules[catBest[best]].weight
                    && catBest[c] < catBest[best]) {
                best = c
            }
        }
        let topic = best >= 0 ? min(catScore[best], settings.topicCap) : 0
        let score = ((topic + markers - noise) * 100).rounded() / 100
        var severity: Severity = .low
        for f in fired {
            guard let s = set.rules[f.rule].severity, s > severity else { continue }
            let kind = set.rules[f.rule].kind
            if kind == .marker || s == .critical
                || (kind == .topic && Int(set.compiled[f.rule].category) == best) { severity = s }
        }
        let isComplaint = score >= settings.threshold
        let explained = explainAll || isComplaint ? fired : []
        let bytes = explained.isEmpty ? [] : Array(text.utf8)
        let hits = explained.map { f -> RuleHit in
            let rule = set.rules[f.rule]
            let words = f.spans.map { span in
                String(decoding: bytes[tokens[span.lowerBound].start..<tokens[span.upperBound].end], as: UTF8.self)
            }
            return RuleHit(rule: rule.id, category: rule.kind == .topic ? (rule.category ?? "") : rule.kind.rawValue,
                           weight: rule.weight, matched: words)
        }
        return Verdict(isComplaint: isComplaint,
                       category: best >= 0 ? set.categories[best] : Taxonomy.other,
                       subcategory: best >= 0 ? set.rules[catBest[best]].subcategory : nil,
                       severity: severity, score: score, hits: hits)
    }
}
