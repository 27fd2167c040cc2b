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
    /// Keys of later posts that repeat or join it: the first `IncidentPolicy.maxRelatedPosts` of them.
    public var relatedPosts: [String]
    /// How many later posts repeat or join it, also those beyond `relatedPosts`' cap: how many people are affected.
    public var relatedCount: Int
    public var hits: [RuleHit]

    public init(id: String, category: String, subcategory: String? = nil, severity: Severity,
                score: Double, geo: GeoTag? = nil, firstSeen: Date, lastSeen: Date, deadline: Date,
                executor: Executor? = nil, status: String = "new", openedBy: String, url: String? = nil,
                sourceID: String, text: String, relatedPosts: [String] = [], relatedCount: Int? = nil, hits: [RuleHit] = []) {
        self.id = id; self.category = category; self.subcategory = subcategory
        self.severity = severity; self.score = score; self.geo = geo
        self.firstSeen = firstSeen; self.lastSeen = lastSeen; self.deadline = deadline
        self.executor = executor; self.status = status; self.openedBy = openedBy; self.url = url
        self.sourceID = sourceID; self.text = text; self.relatedPosts = relatedPosts
        self.relatedCount = max(relatedCount ?? 0, relatedPosts.count); self.hits = hits
    }

    enum CodingKeys: String, CodingKey {
        case id, category, subcategory, severity, score, geo
        case firstSeen = "first_seen", lastSeen = "last_seen", deadline, executor, status
        case openedBy = "opened_by", url, sourceID = "source_id", text
        case relatedPosts = "related_posts", relatedCount = "related_count", hits = "rules"
    }
}

extension Incident {
    /// Decodes every version written so far: `related_count` is absent before the cap on
    /// `related_posts` (then it is their number).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), category: try c.decode(String.self, forKey: .category),
                  subcategory: try c.decodeIfPresent(String.self, forKey: .subcategory),
                  severity: try c.decode(Severity.self, forKey: .severity), score: try c.decode(Double.self, forKey: .score),
                  geo: try c.decodeIfPresent(GeoTag.self, forKey: .geo), firstSeen: try c.decode(Date.self, forKey: .firstSeen),
                  lastSeen: try c.decode(Date.self, forKey: .lastSeen), deadline: try c.decode(Date.self, forKey: .deadline),
                  executor: try c.decodeIfPresent(Executor.self, forKey: .executor),
                  status: try c.decode(String.self, forKey: .status), openedBy: try c.decode(String.self, forKey: .openedBy),
                  url: try c.decodeIfPresent(String.self, forKey: .url), sourceID: try c.decode(String.self, forKey: .sourceID),
                  text: try c.decode(String.self, forKey: .text),
                  relatedPosts: try c.decode([String].self, forKey: .relatedPosts),
                  relatedCount: try c.decodeIfPresent(Int.self, forKey: .relatedCount),
                  hits: try c.decode([RuleHit].self, forKey: .hits))
    }
}
