/// How urgent a complaint is; drives ordering and, with the category, the deadline.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable, BitwiseCopyable {
    case low, medium, high, critical
    public var rank: Int {
        switch self { case .low: 0; case .medium: 1; case .high: 2; case .critical: 3 }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One rule that fired, and the words of the post that made it fire.
public struct RuleHit: Sendable, Codable, Hashable {
    public var rule: String
    public var category: String
    public var weight: Double
    /// Words as they appear in the text.
    public var matched: [String]
    public init(rule: String, category: String, weight: Double, matched: [String]) {
        self.rule = rule; self.category = category; self.weight = weight; self.matched = matched
    }
}

/// The classifier's answer for one post, with its explanation.
public struct Verdict: Sendable, Codable, Hashable {
    public var isComplaint: Bool
    /// Latin slug, e.g. `housing.water`; `other` when nothing specific fired.
    public var category: String
    public var subcategory: String?
    public var severity: Severity
    /// Complaint score; `isComplaint` is `score >= threshold`.
    public var score: Double
    public var hits: [RuleHit]

    public init(isComplaint: Bool, category: String, subcategory: String? = nil,
                severity: Severity = .low, score: Double, hits: [RuleHit] = []) {
        self.isComplaint = isComplaint; self.category = category; self.subcategory = subcategory
        self.severity = severity; self.score = score; self.hits = hits
    }

    enum CodingKeys: String, CodingKey {
        case isComplaint = "is_complaint", category, subcategory, severity, score, hits = "rules"
    }
}
