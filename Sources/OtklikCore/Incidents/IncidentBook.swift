import Foundation

/// Open incidents and how to find them: by the key of any post in them, and by
/// category × municipality. Pure logic, not thread-safe (`IncidentIndex` locks it).
public final class IncidentBook {
    /// What joining compares about an incident's opening post.
    public struct Facts: Sendable, Hashable {
        public var simhash: UInt64
        public var anchor: UInt32
        /// `StreetMention.key` of its geotag's street, when the settlement is known.
        public var street: String?
        public init(simhash: UInt64, anchor: UInt32, street: String?) {
            self.simhash = simhash; self.anchor = anchor; self.street = street
        }
    }

    public private(set) var incidents: [String: Incident] = [:]
    public private(set) var facts: [String: Facts] = [:]
    private var byPost: [UInt64: String] = [:]
    private var byPlace: [String: [String]] = [:]

    /// How many incidents are kept whole. Older ones keep what joining needs (times, place,
    /// category, related posts), and their text and rule hits are read back with `loader`
    /// when a post attaches to them: a region's two weeks of incidents would otherwise hold
    /// every complaint's text in memory.
    public var wholeLimit: Int
    /// Reads an incident's stored version (the incident index's SQLite store).
    public var loader: ((String) -> Incident?)?
    /// Ids of slimmed incidents, and of whole ones oldest first (`wholeHead` is the front).
    private var slimmed: Set<String> = []
    private var wholeOrder: [String] = []
    private var wholeHead = 0

    public init(wholeLimit: Int = 20_000) { self.wholeLimit = max(1, wholeLimit) }

    /// Incidents held without their text and rule hits.
    public var slimCount: Int { slimmed.count }

    /// The incident as a whole: read back from the store when it was slimmed (the book's
    /// own fields — times, related posts, place — win; text, hits and subcategory come back).
    public func whole(_ incident: Incident) -> Incident {
        guard slimmed.contains(incident.id), let stored = loader?(incident.id) else { return incident }
        var inc = incident
        inc.text = stored.text; inc.hits = stored.hits; inc.subcategory = stored.subcategory
        return inc
    }

    /// Slims the oldest whole incidents beyond `wholeLimit`. Call only when every incident
    /// is persisted (right after a flush), so a slim version is never what gets written.
    public func slimColdIncidents() {
        while incidents.count - slimmed.count > wholeLimit, wholeHead < wholeOrder.count {
            let id = wholeOrder[wholeHead]
            wholeHead += 1
            guard var inc = incidents[id], !slimmed.contains(id) else { continue }
            inc.text = ""; inc.hits = []
            incidents[id] = inc
            slimmed.insert(id)
        }
        if wholeHead > 4096, wholeHead * 2 > wholeOrder.count {
            wholeOrder.removeFirst(wholeHead); wholeHead = 0
        }
    }

    public var count: Int { incidents.count }

    static func placeKey(_ category: String, _ geo: GeoTag?) -> String? {
        guard let geo, let m = geo.municipalityID ?? geo.municipality else { return nil }
        return category + "|" + m
    }

    public func incident(containing key: String) -> Incident? {
        byPost[StableHash.fnv1a64(key)].flatMap { incidents[$0] }
    }

    /// Ids of the open incidents of this category in this municipality, oldest first, with
    /// their facts, stopping when `body` returns false. Joining looks at facts first, so the
    /// incidents themselves are only read for the few that could match.
    public func forEachCandidate(category: String, geo: GeoTag?, _ body: (String, Facts) -> Bool) {
        guard let k = Self.placeKey(category, geo), let ids = byPlace[k] else { return }
        for id in ids {
            guard let f = facts[id] else { continue }
            if !body(id, f) { return }
        }
    }

    /// Records a new or changed incident and the posts in it.
    public func put(_ incident: Incident, facts f: Facts? = nil, posts: [String] = []) {
        if incidents[incident.id] == nil, let k = Self.placeKey(incident.category, incident.geo) {
            byPlace[k, default: []].append(incident.id)
        }
        let wasWhole = incidents[incident.id] != nil && !slimmed.contains(incident.id)
        incidents[incident.id] = incident
        if slimmed.remove(incident.id) != nil || !wasWhole { wholeOrder.append(incident.id) }
        if let f { facts[incident.id] = f }
        for p in posts + [incident.openedBy] { byPost[StableHash.fnv1a64(p)] = incident.id }
    }

    /// Maps a post key to an incident (used when restoring from disk).
    public func link(postHash: UInt64, to id: String) { byPost[postHash] = id }

    /// Forgets incidents last seen before `cutoff`; returns their ids.
    @discardableResult
    public func prune(lastSeenBefore cutoff: Date) -> [String] {
        let old = incidents.values.filter { $0.lastSeen < cutoff }.map(\.id)
        guard !old.isEmpty else { return [] }
        let gone = Set(old)
        for id in old {
            if let i = incidents[id], let k = Self.placeKey(i.category, i.geo) {
                byPlace[k]?.removeAll { $0 == id }
                if byPlace[k]?.isEmpty == true { byPlace[k] = nil }
            }
            incidents[id] = nil; facts[id] = nil; slimmed.remove(id)
        }
        byPost = byPost.filter { !gone.contains($0.value) }
        wholeOrder = wholeOrder[wholeHead...].filter { !gone.contains($0) }
        wholeHead = 0
        return old
    }
}
