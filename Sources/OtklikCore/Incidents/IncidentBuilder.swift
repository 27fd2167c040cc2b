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

    /// What `apply` does with a post, decided before anything changes: the incident index
    /// looks at it to read a slim incident back from the store before it takes its lock for the change.
    public enum Plan: Sendable, Equatable {
        case none
        /// An edited opening post refreshes its incident.
        case update(IncidentBook.Handle)
        /// A repost or near-duplicate of a post in the incident.
        case relate(IncidentBook.Handle)
        /// A complaint that repeats the incident.
        case join(IncidentBook.Handle)
        /// A complaint that opens an incident with these facts.
        case open(IncidentBook.Facts)

        /// The incident the change reads whole, if any.
        public var handle: IncidentBook.Handle? {
            switch self {
            case .update(let h), .relate(let h), .join(let h): return h
            case .none, .open: return nil
            }
        }
    }

    public func plan(_ item: AnalysisItem, fingerprint: TextFingerprint, book: IncidentBook) -> Plan {
        let key = item.post.key
        if let existing = book.handle(containing: key) {
            return item.isUpdate && book.isOpenedBy(existing, key: key) ? .update(existing) : .none
        }
        if let ref = item.duplicateOf ?? item.nearDuplicateOf, let existing = book.handle(containing: ref) {
            return .relate(existing)
        }
        guard let verdict = item.verdict, verdict.isComplaint else { return .none }
        let myFacts = facts(item, fingerprint)
        if policy.join, let target = joinTarget(item, verdict, myFacts, book) { return .join(target) }
        return .open(myFacts)
    }

    public func apply(_ item: AnalysisItem, fingerprint: TextFingerprint, book: IncidentBook) -> (Incident?, Change) {
        apply(item, fingerprint: fingerprint, plan: plan(item, fingerprint: fingerprint, book: book), book: book)
    }

    /// Carries out `plan`, made by `plan(_:fingerprint:book:)` on the book as it is now.
    public func apply(_ item: AnalysisItem, fingerprint: TextFingerprint, plan: Plan, book: IncidentBook) -> (Incident?, Change) {
        let post = item.post
        let key = post.key
        switch plan {
        case .none:
            return (nil, .none)
        case .update(let existing):
            var inc = book.whole(existing)
            inc.text = post.text
            if let v = item.verdict, v.isComplaint, v.category == inc.category {
                inc.severity = max(inc.severity, v.severity); inc.score = max(inc.score, v.score); inc.hits = v.hits
            }
            book.put(inc, facts: facts(item, fingerprint))
            return (inc, .updated)
        case .relate(let existing):
            let inc = attach(item, to: book.whole(existing))
            book.put(inc, posts: [key])
            return (inc, .related)
        case .join(let target):
            let inc = attach(item, to: book.whole(target))
            book.put(inc, posts: [key])
            return (inc, .joined)
        case .open(let myFacts):
            guard let verdict = item.verdict else { return (nil, .none) }
            let inc = Incident(
                id: Self.id(forOpeningKey: key), category: verdict.category, subcategory: verdict.subcategory,
                severity: verdict.severity, score: verdict.score, geo: item.geo, firstSeen: post.published,
                lastSeen: post.published, deadline: post.published.addingTimeInterval(policy.deadline(of: verdict.category).seconds),
                executor: policy.routing.executor(category: verdict.category, geo: item.geo), openedBy: key,
                url: post.url, sourceID: post.sourceID, text: post.text, hits: verdict.hits)
            book.put(inc, facts: myFacts)
            return (inc, .opened)
        }
    }

    func facts(_ item: AnalysisItem, _ fp: TextFingerprint) -> IncidentBook.Facts {
        let street = item.geo.flatMap { g in g.settlement != nil ? g.street.map(Tokenizer.normalize) : nil }
        return IncidentBook.Facts(simhash: fp.simhash, anchor: fp.anchor, street: street)
    }

    /// The open incident this complaint repeats, if any (the most recently seen first).
    func joinTarget(_ item: AnalysisItem, _ v: Verdict, _ f: IncidentBook.Facts, _ book: IncidentBook) -> IncidentBook.Handle? {
        guard let geo = item.geo, geo.method != .region, geo.method != .coordinates else { return nil }
        let t = item.post.published
        let window = Double(policy.joinWindow.components.seconds)
        let street = book.streetRef(f.street)
        let noStreet = IncidentBook.noStreet
        var best: (handle: IncidentBook.Handle, lastSeen: Date)?
        book.forEachCandidate(category: v.category, geo: geo) { c in
            // Facts first (no incident built): the same street, or the same anchor and a close text.
            let streetMatch = policy.joinByStreet && street != noStreet && street == c.street
            let streetsConflict = street != noStreet && c.street != noStreet && street != c.street
            let textMatch = !streetsConflict && f.anchor == c.anchor
                && TextFingerprint.distance(f.simhash, c.simhash) <= policy.joinDistance
            guard streetMatch || textMatch else { return true }
            guard abs(t.timeIntervalSince(c.lastSeen)) <= window || (c.firstSeen...c.lastSeen).contains(t) else { return true }
            // Streets within one municipality only mean the same place in the same settlement.
            if !textMatch, book.settlement(c.handle) != geo.settlement { return true }
            if best == nil || c.lastSeen > best!.lastSeen { best = (c.handle, c.lastSeen) }
            return true
        }
        return best?.handle
    }

    func attach(_ item: AnalysisItem, to existing: Incident) -> Incident {
        var inc = existing
        let key = item.post.key
        // Keys beyond the cap are only counted: a key already in the incident never gets here
        // (`apply` finds it by `handle(containing:)` first), the list check covers the rest.
        if key != inc.openedBy, !inc.relatedPosts.contains(key) {
            if inc.relatedPosts.count < policy.maxRelatedPosts { inc.relatedPosts.append(key) }
            inc.relatedCount = max(inc.relatedCount + 1, inc.relatedPosts.count)
        }
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
