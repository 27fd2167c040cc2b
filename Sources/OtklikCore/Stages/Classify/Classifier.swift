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

    /// Each category's summed topic weight and strongest rule on the post being classified
    /// (refilled per post: fresh Swift arrays cost an allocation and a generic metadata lookup each).
    private let catScore: ScratchArray<Double>, catBest: ScratchArray<Int>

    public init(rules: RuleSet, settings: ClassifierSettings = ClassifierSettings()) {
        matcher = RuleMatcher(set: rules); self.settings = settings
        catScore = ScratchArray(repeating: 0, count: rules.categories.count)
        catBest = ScratchArray(repeating: -1, count: rules.categories.count)
    }

    deinit { catScore.deallocate(); catBest.deallocate() }

    /// `explainAll`: also list the rules and words for a post that is not a complaint (what
    /// `otklik explain` and `replay --dry-run` show); false saves that work.
    public func classify(tokens: [Token], text: String, source: (id: String, kind: String) = ("", ""),
                         explainAll: Bool = true) -> Verdict {
        let fired = matcher.firingRules(tokens, text: text, source: source)
        let set = matcher.set
        let categoryCount = set.categories.count
        let catScore = self.catScore, catBest = self.catBest
        catScore.fill(0); catBest.fill(-1)
        var markers = 0.0, noise = 0.0
        set.facts.withUnsafeBufferPointer { facts in
            for r in fired {
                let f = facts[Int(r)]
                switch f.kind {
                case .topic:
                    let c = Int(f.category)
                    catScore[c] += f.weight
                    if catBest[c] < 0 || facts[catBest[c]].weight < f.weight { catBest[c] = Int(r) }
                case .marker: markers += f.weight
                case .noise: noise += abs(f.weight)
                }
            }
        }
        let weight = { (r: Int) in set.facts[r].weight }
        var best = -1
        for c in 0..<categoryCount where catScore[c] > 0 {
            if best < 0 || catScore[c] > catScore[best]
                || (catScore[c] == catScore[best] && weight(catBest[c]) > weight(catBest[best]))
                || (catScore[c] == catScore[best] && weight(catBest[c]) == weight(catBest[best])
                    && catBest[c] < catBest[best]) {
                best = c
            }
        }
        let topic = best >= 0 ? min(catScore[best], settings.topicCap) : 0
        let score = ((topic + markers - noise) * 100).rounded() / 100
        var severity: Severity = .low
        for r in fired {
            let f = set.facts[Int(r)]
            guard let s = f.severity, s > severity else { continue }
            if f.kind == .marker || s == .critical || (f.kind == .topic && Int(f.category) == best) { severity = s }
        }
        let isComplaint = score >= settings.threshold
        var hits: [RuleHit] = []
        if explainAll || isComplaint, !fired.isEmpty {
            var text = text
            hits = text.withUTF8 { bytes in
                fired.map { r -> RuleHit in
                    let words = matcher.spans(ofRule: Int(r)).map { span in
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[tokens[span.lowerBound].start..<tokens[span.upperBound].end]),
                               as: UTF8.self)
                    }
                    let label = set.hitLabels[Int(r)]
                    return RuleHit(rule: label.id, category: label.category, weight: set.facts[Int(r)].weight, matched: words)
                }
            }
        }
        return Verdict(isComplaint: isComplaint,
                       category: best >= 0 ? set.categories[best] : Taxonomy.other,
                       subcategory: best >= 0 ? set.subcategories[catBest[best]] : nil,
                       severity: severity, score: score, hits: hits)
    }
}
