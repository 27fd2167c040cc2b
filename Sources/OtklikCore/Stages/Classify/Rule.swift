import Foundation

/// What a rule contributes to a verdict.
public enum RuleKind: String, Sendable, CaseIterable, BitwiseCopyable {
    /// Evidence for a category (`category` is required); the best category's score counts
    /// towards the complaint score.
    case topic
    /// A complaint marker without a topic: outrage, demands, durations, problem words.
    case marker
    /// Evidence against a complaint: ads, news, thanks, announcements (weight is subtracted).
    case noise
}

/// One matcher of a single token, as written in a term.
public enum TermElement: Sendable, Hashable, CustomStringConvertible {
    /// A word matched by its Snowball stem: `вода` matches «воды», «водой».
    case stem(String)
    /// An exact lowercased word form: `=нет`.
    case exact(String)
    /// Words starting with a prefix: `отключ*` matches «отключили», «отключение».
    case prefix(String)
    /// Any number: `<num>`.
    case number

    public var description: String {
        switch self {
        case .stem(let s): return s
        case .exact(let s): return "=" + s
        case .prefix(let s): return s + "*"
        case .number: return "<num>"
        }
    }
}

/// A term of a rule, compiled from its YAML form.
public enum RuleTerm: Sendable, Hashable {
    /// One word (a sequence of one) or a phrase of consecutive words: «нет воды».
    case sequence([TermElement])
    /// Any sequence of `a` and any of `b` in one sentence, at most `distance` words apart.
    case near(a: [[TermElement]], b: [[TermElement]], distance: Int)
    /// The escape hatch: a regular expression over the original text (case-insensitive).
    case regex(String)
}

/// A rule as written in a rule pack, with where it was written (for errors and explain).
public struct Rule: Sendable {
    public var id: String
    public var kind: RuleKind
    public var category: String?
    public var subcategory: String?
    /// At least one must match (when not empty).
    public var any: [RuleTerm]
    /// Every group must match; a group matches when one of its terms does.
    public var all: [[RuleTerm]]
    /// None may match.
    public var none: [RuleTerm]
    public var weight: Double
    public var severity: Severity?
    /// Source ids or kinds (`vk`, `telegram`) the rule applies to; nil for all.
    public var sources: Set<String>?
    /// Ignore matches preceded by a negation («не жалуюсь», «воду не отключали»).
    public var negation: Bool
    public var mark: SourceMark?

    public init(id: String, kind: RuleKind = .topic, category: String? = nil, subcategory: String? = nil,
                any: [RuleTerm] = [], all: [[RuleTerm]] = [], none: [RuleTerm] = [], weight: Double = 1,
                severity: Severity? = nil, sources: Set<String>? = nil, negation: Bool = true, mark: SourceMark? = nil) {
        self.id = id; self.kind = kind; self.category = category; self.subcategory = subcategory
        self.any = any; self.all = all; self.none = none; self.weight = weight; self.severity = severity
        self.sources = sources; self.negation = negation; self.mark = mark
    }
}
