import Foundation

/// Turns an analysed post into a new version of an incident, or nothing: a complaint
/// opens an incident or joins an open one; a repost or near-duplicate of a post in an
/// incident is attached to it as a related post; an edited opening post refreshes the text.
/// Pure logic over an `IncidentBook`.
public struct IncidentBuilder {
    public var policy: IncidentPolicy

    public init(policy: IncidentPolicy) { self.policy = policy }

    /// `inc-` and 16 hex digits of FNV-1a of the opening post's key: the same on every run.
    public static func id(forOpeningKey key: String) -> String { "inc-" + StableHash.hex(StableHash.fnv1a64(key)) }

    /// What happened to the post.
    public enum Change: Sendable, Equatable {
        case opened, joined, related, updated, none
    }

    public func apply(_ item: AnalysisItem, fingerprint: TextFingerprint, book: IncidentBook) -> (Incident?, Change) {
        let post = item.post
        let key = post.key
        if let existing = book.incident(containing: key) {
            guard item.isUpdate, existing.openedBy == key else { return (nil, .none) }
            var inc = book.whole(existing)
            inc.text = post.text
            if let v = item.verdict, v.isComplaint, v.category == inc.category {
                inc.severity = max(inc.severity, v.severity); inc.score = max(inc.score, v.score); inc.hits = v.hits
            }
            book.put(inc, facts: facts(item, fingerprint))
            return (inc, .updated)
        }
        if let ref = item.duplicateOf ?? item.nearDuplicateOf, let existing = book.incident(containing: ref) {
            let inc = attach(item, to: book.whole(existing))
            book.put(inc, posts: [key])
            return (inc, .related)
        }
        guard let verdict = item.verdict, verdict.isComplaint else { return (nil, .none) }
        let myFacts = facts(item, fingerprint)
        if policy.join, let target = joinTarget(item, verdict, myFacts, book) {
            let inc = attach(item, to: book.whole(target))
            book.put(inc, posts: [key])
            return (inc, .joined)
        }
        let inc = Incident(
            id: Self.id(forOpeningKey: key), category: verdict.category, subcategory: verdict.subcategory,
            severity: verdict.severity, score: verdict.score, geo: item.geo, firstSeen: post.published,
            lastSeen: post.published, deadline: post.published.addingTimeInterval(policy.deadline(of: verdict.category).seconds),
            executor: policy.routing.executor(category: verdict.category, geo: item.geo), openedBy: key,
            url: post.url, sourceID: post.sourceID, text: post.text, hits: verdict.hits)
        book.put(inc, facts: myFacts)
        return (inc, .opened)
    }

    func facts(_ item: AnalysisItem, _ fp: TextFingerprint) -> IncidentBook.Facts {
        let street = item.geo.flatMap { g in g.settlement != nil ? g.street.map(Tokenizer.normalize) : nil }
        return IncidentBook.Facts(simhash: fp.simhash, anchor: fp.anchor, street: street)
    }

    /// The open incident this complaint repeats, if any (the most recently seen first).
    func joinTarget(_ item: AnalysisItem, _ v: Verdict, _ f: IncidentBook.Facts, _ book: IncidentBook) -> Incident? {
        guard let geo = item.geo, geo.method != .region, geo.method != .coordinates else { return nil }
        let t = item.post.published
        let window = Double(policy.joinWindow.components.seconds)
        var best: Incident?
        book.forEachCandidate(category: v.category, geo: geo) { id, other in
            // Facts first (no incident copied): the same street, or the same anchor and a close text.
            let streetMatch = policy.joinByStreet && f.street != nil && f.street == other.street
            let streetsConflict = f.street != nil && other.street != nil && f.street != other.street
            let textMatch = !streetsConflict && f.anchor == other.anchor
                && TextFingerprint.distance(f.simhash, other.simhash) <= policy.joinDistance
            guard streetMatch || textMatch, let inc = book.incidents[id] else { return true }
            guard abs(t.timeIntervalSince(inc.lastSeen)) <= window || (inc.firstSeen...inc.lastSeen).contains(t) else { return true }
            // Streets within one municipality only mean the same place in the same settlement.
            if !textMatch, inc.geo?.settlement != geo.settlement { return true }
            if best == nil || inc.lastSeen > best!.lastSeen { best = inc }
            return true
        }
        return best
    }

    func attach(_ item: AnalysisItem, to existing: Incident) -> Incident {
        var inc = existing
        let key = item.post.key
        if key != inc.openedBy, !inc.relatedPosts.contains(key) { inc.relatedPosts.append(key) }
        inc.lastSeen = max(inc.lastSeen, item.post.published)
        if let v = item.verdict, v.isComplaint {
            inc.severity = max(inc.severity, v.severity); inc.score = max(inc.score, v.score)
        }
        if let g = item.geo, g.confidence > (inc.geo?.confidence ?? 0),
           g.municipalityID == inc.geo?.municipalityID || inc.geo == nil {
            inc.geo = g
        }
        return inc
    }
}
