import OtklikCore

/// One wall post as VK returns it, reduced to what Otklik keeps.
public struct VKPost: Sendable, Hashable {
    public var ownerID: Int64
    public var id: Int64
    public var fromID: Int64?
    public var signerID: Int64?
    /// Unix seconds.
    public var date: Int64
    public var edited: Int64?
    public var text: String
    public var isPinned: Bool
    public var markedAsAds: Bool
    public var postType: String?
    /// The repost chain: the reposted post first, its own origin next, …
    public var copyHistory: [VKPost]
    public var coordinates: Coordinates?
    public var counters: PostCounters
    public var attachments: [String]
    public var source: String?

    public init(ownerID: Int64, id: Int64, fromID: Int64? = nil, signerID: Int64? = nil, date: Int64,
                edited: Int64? = nil, text: String = "", isPinned: Bool = false, markedAsAds: Bool = false,
                postType: String? = nil, copyHistory: [VKPost] = [], coordinates: Coordinates? = nil,
                counters: PostCounters = PostCounters(), attachments: [String] = [], source: String? = nil) {
        self.ownerID = ownerID; self.id = id; self.fromID = fromID; self.signerID = signerID
        self.date = date; self.edited = edited; self.text = text; self.isPinned = isPinned
        self.markedAsAds = markedAsAds; self.postType = postType; self.copyHistory = copyHistory
        self.coordinates = coordinates; self.counters = counters; self.attachments = attachments
        self.source = source
    }

    /// `wall<owner>_<id>`, the stable id VK itself uses in links.
    public var wallID: String { "wall\(ownerID)_\(id)" }
}

/// One comment under a wall post (a thread reply included).
public struct VKComment: Sendable, Hashable {
    public var id: Int64
    public var fromID: Int64?
    public var date: Int64
    public var text: String
    public var deleted: Bool
    /// The comment this one is a thread reply to, if any.
    public var threadParent: Int64?
    public var replyToComment: Int64?
    public var attachments: [String]
    public var likes: Int?
    /// Replies already included inline (`thread_items_count`).
    public var thread: [VKComment]
    public var threadCount: Int
}

/// A community as `groups.getById` / `extended=1` describe it.
public struct VKGroup: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var screenName: String?
    public var isClosed: Bool
    public var deactivated: String?
}

/// Author names from the `profiles` and `groups` of an extended response.
public struct VKNames: Sendable, Hashable {
    public var profiles: [Int64: String] = [:]
    public var groups: [Int64: VKGroup] = [:]
    public init() {}

    /// The display name of a VK id: positive for people, negative for communities.
    public func name(of id: Int64) -> String? {
        id >= 0 ? profiles[id] : groups[-id]?.name
    }

    public mutating func merge(_ other: VKNames) {
        profiles.merge(other.profiles) { _, new in new }
        groups.merge(other.groups) { _, new in new }
    }
}

/// An item that could not be decoded: skipped, logged and counted, never fatal.
public struct VKSkip: Sendable, Hashable {
    public var index: Int
    public var reason: String
}

/// One page of `wall.get` (or `wall.getById`).
public struct VKWallPage: Sendable {
    public var count: Int
    public var items: [VKPost]
    public var names: VKNames
    public var skipped: [VKSkip]
}

/// One page of `wall.getComments`.
public struct VKCommentsPage: Sendable {
    public var count: Int
    public var items: [VKComment]
    public var names: VKNames
    public var skipped: [VKSkip]
}

/// One page of `newsfeed.search`.
public struct VKSearchPage: Sendable {
    public var items: [VKPost]
    public var names: VKNames
    /// The cursor of the next page; nil or empty at the end.
    public var nextFrom: String?
    public var totalCount: Int?
    public var skipped: [VKSkip]
}
