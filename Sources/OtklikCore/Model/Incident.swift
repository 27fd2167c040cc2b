import Foundation

/// Who must act on an incident, from `routing:` in the config.
public struct Executor: Sendable, Codable, Hashable {
    public var name: String
    public var contact: String?
    public init(name: String, contact: String? = nil) { self.name = name; self.contact = contact }
}

/// A resident's problem an official can act on: what, where, by when, by whom, and the evidence.
///
/// `id` is deterministic (derived from the opening post's key), so re-runs and
/// backfills produce the same id and sinks upsert.
public struct Incident: Sendable, Codable, Hashable {
    public var id: String
    public var category: String
    public var subcategory: String?
    public var severity: Severity
    public var score: Double
    public var geo: GeoTag?
    public var firstSeen: Date
    public var lastSeen: Date
    public var deadline: Date
    public var executor: Executor?
    public var status: String
    /// `Post.key` of the post that opened it.
    public var openedBy: String
    public var url: String?
    public var sourceID: String
    /// The opening post's text (the evidence), kept as written.
    public var text: String
    /// Keys of later posts that repeat or join it.
    public var relatedPosts: [String]
    public var hits: [RuleHit]

    public init(id: String, category: String, subcategory: String? = nil, severity: Severity,
                score: Double, geo: GeoTag? = nil, firstSeen: Date, lastSeen: Date, deadline: Date,
                executor: Executor? = nil, status: String = "new", openedBy: String, url: String? = nil,
                sourceID: String, text: String, relatedPosts: [String] = [], hits: [RuleHit] = []) {
        self.id = id; self.category = category; self.subcategory = subcategory
        self.severity = severity; self.score = score; self.geo = geo
        self.firstSeen = firstSeen; self.lastSeen = lastSeen; self.deadline = deadline
        self.executor = executor; self.status = status; self.openedBy = openedBy; self.url = url
        self.sourceID = sourceID; self.text = text; self.relatedPosts = relatedPosts; self.hits = hits
    }

    enum CodingKeys: String, CodingKey {
        case id, category, subcategory, severity, score, geo
        case firstSeen = "first_seen", lastSeen = "last_seen", deadline, executor, status
        case openedBy = "opened_by", url, sourceID = "source_id", text
        case relatedPosts = "related_posts", hits = "rules"
    }
}
