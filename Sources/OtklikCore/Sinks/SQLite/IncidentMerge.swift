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
        var seen: Set<String> = [m.openedBy]
        m.relatedPosts = (stored.relatedPosts + incoming.relatedPosts).filter { seen.insert($0).inserted }
        m.relatedCount = max(stored.relatedCount, incoming.relatedCount, m.relatedPosts.count)
        m.status = storedStatus ?? stored.status
        return m
    }
}
