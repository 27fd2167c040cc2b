import Foundation

/// A geographic point in WGS 84 degrees.
public struct Coordinates: Sendable, Codable, Hashable {
    public var lat: Double
    public var lon: Double
    public init(lat: Double, lon: Double) { self.lat = lat; self.lon = lon }
}

/// Where a repost, forward or reply comes from.
///
/// `key` is the origin's `Post.key` when the platform tells us enough to build
/// it; dedupe uses it to recognise a repost of an already-seen post.
public struct PostOrigin: Sendable, Codable, Hashable {
    public var key: String?
    public var name: String?
    public var url: String?
    public init(key: String? = nil, name: String? = nil, url: String? = nil) {
        self.key = key; self.name = name; self.url = url
    }
}

/// Engagement counters as the platform reports them.
public struct PostCounters: Sendable, Codable, Hashable {
    public var views: Int?
    public var likes: Int?
    public var reposts: Int?
    public var comments: Int?
    public init(views: Int? = nil, likes: Int? = nil, reposts: Int? = nil, comments: Int? = nil) {
        self.views = views; self.likes = likes; self.reposts = reposts; self.comments = comments
    }
}

/// One piece of text a resident published: a wall post, a comment, a channel message.
///
/// Connectors build it; every later stage reads it. Its JSON form (snake_case keys,
/// ISO-8601 times, absent optionals omitted) is the line format of the `jsonl`
/// connector, `otklik replay` and the sinks' `posts` output.
public struct Post: Sendable, Codable, Hashable {
    /// Platform of origin: `vk`, `telegram`, `jsonl`, …
    public var sourceKind: String
    /// The configured source (`sources[].id`) that read it.
    public var sourceID: String
    /// Platform-stable id, e.g. `wall-1_23` (VK) or `bataysk_news/1234` (Telegram).
    public var postID: String
    public var url: String?
    public var authorID: String?
    public var authorName: String?
    public var published: Date
    public var edited: Date?
    public var text: String
    public var coordinates: Coordinates?
    /// The post this one answers (a comment's wall post, a Telegram reply).
    public var replyTo: PostOrigin?
    /// Forward (Telegram) or repost (VK `copy_history`) origin.
    public var repostOf: PostOrigin?
    public var counters: PostCounters?
    /// Short summaries of attachments: `photo`, `video: title`, `link: url`, `poll`.
    public var attachments: [String]
    /// A few raw fields worth keeping (small; never tokens).
    public var extra: [String: String]

    /// Identity across sources and runs: `<source_kind>:<post_id>`.
    public var key: String { "\(sourceKind):\(postID)" }

    public init(sourceKind: String, sourceID: String, postID: String, url: String? = nil,
                authorID: String? = nil, authorName: String? = nil, published: Date,
                edited: Date? = nil, text: String, coordinates: Coordinates? = nil,
                replyTo: PostOrigin? = nil, repostOf: PostOrigin? = nil,
                counters: PostCounters? = nil, attachments: [String] = [],
                extra: [String: String] = [:]) {
        self.sourceKind = sourceKind; self.sourceID = sourceID; self.postID = postID
        self.url = url; self.authorID = authorID; self.authorName = authorName
        self.published = published; self.edited = edited; self.text = text
        self.coordinates = coordinates; self.replyTo = replyTo; self.repostOf = repostOf
        self.counters = counters; self.attachments = attachments; self.extra = extra
    }

    enum CodingKeys: String, CodingKey {
        case sourceKind = "source_kind", sourceID = "source_id", postID = "post_id", url
        case authorID = "author_id", authorName = "author_name", published, edited, text
        case coordinates, replyTo = "reply_to", repostOf = "repost_of", counters
        case attachments, extra
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sourceKind = try c.decodeIfPresent(String.self, forKey: .sourceKind) ?? "jsonl"
        sourceID = try c.decodeIfPresent(String.self, forKey: .sourceID) ?? ""
        if let s = try? c.decode(String.self, forKey: .postID) { postID = s }
        else { postID = String(try c.decode(Int64.self, forKey: .postID)) }
        url = try c.decodeIfPresent(String.self, forKey: .url)
        authorID = try c.decodeIfPresent(String.self, forKey: .authorID)
        authorName = try c.decodeIfPresent(String.self, forKey: .authorName)
        published = try c.decode(Date.self, forKey: .published)
        edited = try c.decodeIfPresent(Date.self, forKey: .edited)
        text = try c.decodeIfPresent(String.self, forKey: .text) ?? ""
        coordinates = try c.decodeIfPresent(Coordinates.self, forKey: .coordinates)
        replyTo = try c.decodeIfPresent(PostOrigin.self, forKey: .replyTo)
        repostOf = try c.decodeIfPresent(PostOrigin.self, forKey: .repostOf)
        counters = try c.decodeIfPresent(PostCounters.self, forKey: .counters)
        attachments = try c.decodeIfPresent([String].self, forKey: .attachments) ?? []
        extra = try c.decodeIfPresent([String: String].self, forKey: .extra) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sourceKind, forKey: .sourceKind)
        try c.encode(sourceID, forKey: .sourceID)
        try c.encode(postID, forKey: .postID)
        try c.encodeIfPresent(url, forKey: .url)
        try c.encodeIfPresent(authorID, forKey: .authorID)
        try c.encodeIfPresent(authorName, forKey: .authorName)
        try c.encode(published, forKey: .published)
        try c.encodeIfPresent(edited, forKey: .edited)
        try c.encode(text, forKey: .text)
        try c.encodeIfPresent(coordinates, forKey: .coordinates)
        try c.encodeIfPresent(replyTo, forKey: .replyTo)
        try c.encodeIfPresent(repostOf, forKey: .repostOf)
        try c.encodeIfPresent(counters, forKey: .counters)
        if !attachments.isEmpty { try c.encode(attachments, forKey: .attachments) }
        if !extra.isEmpty { try c.encode(extra, forKey: .extra) }
    }
}
