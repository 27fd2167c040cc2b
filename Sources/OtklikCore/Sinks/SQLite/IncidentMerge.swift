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
    ///
    /// The usual lists are an incident's stored keys and a newer version's: equal (at the
    /// `related_posts` cap) or the stored ones and a few more. When `a` has each key once and
    /// not `opening`, one table of hashes and indices into `a` and `b` answers, copying no key:
    /// the result is `a` itself, or `b` itself when it is `a` followed by new keys, or `a` and
    /// the keys of `b` it lacks. Otherwise a `KeySet`.
    static func union(_ a: [String], _ b: [String], without opening: String) -> [String] {
        guard a.count + b.count < Int(Int32.max) else { return unionBySet(a, b, without: opening) }
        let size = KeySet.tableSize(for: a.count + b.count)
        var slots = [Int32](repeating: -1, count: size)
        var hashes = [UInt64](repeating: 0, count: a.count + b.count)
        var extra: [Int] = []
        var bIsResult = true   // b[k] is a[k] below a.count, and a new key from there on
        let clean: Bool = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                slots.withUnsafeMutableBufferPointer { slots in
                    hashes.withUnsafeMutableBufferPointer { hashes in
                        let mask = size - 1
                        // Index `r` is a[r] below a.count, else b[r - a.count].
                        func find(_ key: String, _ h: UInt64) -> (found: Int?, slot: Int) {
                            var i = Int(truncatingIfNeeded: h) & mask
                            while slots[i] >= 0 {
                                let r = Int(slots[i])
                                if hashes[r] == h, (r < a.count ? a[r] : b[r - a.count]) == key { return (r, i) }
                                i = (i + 1) & mask
                            }
                            return (nil, i)
                        }
                        for r in a.indices {
                            let h = KeySet.hash(a[r])
                            let (found, slot) = find(a[r], h)
                            if found != nil || a[r] == opening { return false }
                            slots[slot] = Int32(r)
                            hashes[r] = h
                        }
                        for k in b.indices {
                            guard b[k] != opening else { bIsResult = false; continue }
                            let h = KeySet.hash(b[k])
                            let (found, slot) = find(b[k], h)
                            if let found {
                                if found != k || k >= a.count { bIsResult = false }
                                continue
                            }
                            if k < a.count { bIsResult = false }
                            slots[slot] = Int32(a.count + k)
                            hashes[a.count + k] = h
                            extra.append(k)
                        }
                        return true
                    }
                }
            }
        }
        guard clean else { return unionBySet(a, b, without: opening) }
        if extra.isEmpty { return a }
        if bIsResult { return b }
        var out = a
        out.reserveCapacity(a.count + extra.count)
        for k in extra { out.append(b[k]) }
        return out
    }

    static func unionBySet(_ a: [String], _ b: [String], without opening: String) -> [String] {
        var seen = KeySet(capacity: a.count + b.count + 1)
        seen.insert(opening)
        for k in a { seen.insert(k) }
        for k in b { seen.insert(k) }
        return Array(seen.keys.dropFirst())
    }
}
