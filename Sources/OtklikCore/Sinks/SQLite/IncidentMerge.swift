import Foundation

/// How a new version of an incident combines with the one already stored. Pure, so the
/// `sqlite` sink's upsert rules are tested without a database.
public enum IncidentMerge {
    /// - the newer version (by `last_seen`) provides the fields; an older one arriving late
    ///   (a retried batch, a replayed dead letter) changes nothing but adds its posts;
    /// - `first_seen` is the earliest and `last_seen` the latest of both;
    /// - related posts are the union, in first-seen order, without the opening post, and
    ///   `related_count` the larger count (the lists are capped, the counts are not);
    /// - `status` stays what is stored (an operator may have changed it).
    public static func merge(stored: Incident?, storedStatus: String?, incoming: Incident) -> Incident {
        guard let stored else {
            var m = incoming
            if let storedStatus { m.status = storedStatus }
            return m
        }
        var m = incoming.lastSeen >= stored.lastSeen ? incoming : stored
        m.firstSeen = min(stored.firstSeen, incoming.firstSeen)
        m.lastSeen = max(stored.lastSeen, incoming.lastSeen)
        m.relatedPosts = union(stored.relatedPosts, incoming.relatedPosts, without: m.openedBy)
        m.relatedCount = max(stored.relatedCount, incoming.relatedCount, m.relatedPosts.count)
        m.status = storedStatus ?? stored.status
        return m
    }

    /// What the `sqlite` sink keeps of a stored version in its own columns: enough to merge a
    /// newer version without decoding the stored JSON.
    public struct Stored: Sendable, Equatable {
        public var firstSeen: Date
        public var lastSeen: Date
        public var relatedPosts: [String]
        public var status: String
        /// `related_count` as stored (0 when unknown).
        public var relatedCount: Int
        public init(firstSeen: Date, lastSeen: Date, relatedPosts: [String], status: String, relatedCount: Int = 0) {
            self.firstSeen = firstSeen; self.lastSeen = lastSeen; self.relatedPosts = relatedPosts; self.status = status
            self.relatedCount = relatedCount
        }
    }

    /// `merge(stored:storedStatus:incoming:)` when the stored version is known by its columns;
    /// nil when that version is the newer one (its fields win, so its full JSON is needed).
    public static func merge(stored: Stored, incoming: Incident) -> Incident? {
        guard incoming.lastSeen >= stored.lastSeen else { return nil }
        var m = incoming
        m.firstSeen = min(stored.firstSeen, incoming.firstSeen)
        m.relatedPosts = union(stored.relatedPosts, incoming.relatedPosts, without: m.openedBy)
        m.relatedCount = max(stored.relatedCount, incoming.relatedCount, m.relatedPosts.count)
        m.status = stored.status
        return m
    }

    /// `a` then `b`, each key once, in first-seen order, without `opening`.
    static func union(_ a: [String], _ b: [String], without opening: String) -> [String] {
        if KeySet.isUnion(of: a, b, without: opening) { return a }
        var seen = KeySet(capacity: a.count + b.count + 1)
        seen.insert(opening)
        for k in a { seen.insert(k) }
        for k in b { seen.insert(k) }
        return Array(seen.keys.dropFirst())
    }
}
