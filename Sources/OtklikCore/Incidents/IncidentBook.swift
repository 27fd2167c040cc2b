import Foundation

/// Open incidents and how to find them: by the key of any post in them, by id, and by
/// category × municipality. Pure logic, not thread-safe (`IncidentIndex` locks it).
///
/// Compact, because a region's two weeks of incidents stay open: each incident is a fixed
/// ~100-byte `Entry` (ids and post keys as 64-bit hashes, category, place, executor and
/// status as references into intern tables) in one array; a post key maps to its entry by
/// `UInt64 → UInt32`. Only the newest `wholeLimit` incidents also keep their `Whole` part
/// (text, rule hits, the opening post's key, link and source, related post keys); the
/// others read it back with `loader` when a post attaches to them. A whole incident costs
/// about 3 KB in the bench (its text, rule hits and related keys), a slim one about 150 bytes.
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

    /// An open incident's place in the book; valid until the incident is pruned.
    public typealias Handle = UInt32

    struct Entry {
        var idHash: UInt64
        var openedByHash: UInt64
        var firstSeen: Date
        var lastSeen: Date
        var deadline: Date
        var score: Double
        var simhash: UInt64
        var anchor: UInt32
        var street: UInt32
        var category: UInt32
        var geo: UInt32
        var executor: UInt32
        var status: UInt32
        var relatedCount: UInt32
        var severity: Severity
        var hasFacts: Bool
        var live: Bool
    }

    var entries: [Entry] = []
    var wholes: [Handle: Whole] = [:]
    var free: [Handle] = []
    var byID: [UInt64: Handle] = [:]
    var byPost: [UInt64: Handle] = [:]
    var byPlace: [String: [Handle]] = [:]
    /// Ids that are not `inc-` + 16 hex digits (kept as written; tests, old stores).
    var oddIDs: [Handle: String] = [:]
    var categories = InternTable<String>()
    var places = InternTable<GeoTag>()
    var streets = InternTable<String>()
    var executors = InternTable<Executor>()
    var statuses = InternTable<String>()
    /// Whole incidents, oldest first from `wholeHead` (with their id hash: a handle may be reused).
    var wholeOrder: [(handle: Handle, idHash: UInt64)] = []
    var wholeHead = 0
    public internal(set) var count = 0

    /// How many incidents keep their `Whole` part in memory.
    public var wholeLimit: Int
    /// Reads an incident's stored version (the incident index's SQLite store).
    public var loader: ((String) -> IncidentStoredPart?)?

    public init(wholeLimit: Int = IncidentPolicy().wholeIncidents) { self.wholeLimit = max(1, wholeLimit) }

    /// Incidents held without their whole part.
    public var slimCount: Int { count - wholes.count }

    /// Counts the times incidents were slimmed or pruned. Every `put` leaves its incident
    /// whole, so an incident that is slim at two moments with the same generation between
    /// them did not change in between (what the store had for it then is still its newest version).
    public internal(set) var slimGeneration: UInt64 = 0

    /// Whether the incident is held without its whole part (`whole` reads it back with `loader`).
    public func isSlim(_ h: Handle) -> Bool { wholes[h] == nil }

    /// The newest `lastSeen` of the open incidents.
    public var newestLastSeen: Date? { entries.lazy.filter(\.live).map(\.lastSeen).max() }

    /// The 64-bit number behind an id: the hash an `inc-` id spells, else FNV-1a of the id.
    static func idHash(_ id: String) -> (hash: UInt64, odd: Bool) {
        let u = id.utf8
        if u.count == 20, id.hasPrefix("inc-"), let h = UInt64(id.dropFirst(4), radix: 16),
           StableHash.hex(h) == id.dropFirst(4) {
            return (h, false)
        }
        return (StableHash.fnv1a64(id), true)
    }

    static func placeKey(_ category: String, _ geo: GeoTag?) -> String? {
        guard let geo, let m = geo.municipalityID ?? geo.municipality else { return nil }
        return category + "|" + m
    }

    // MARK: Lookup

    public func handle(id: String) -> Handle? { byID[Self.idHash(id).hash] }

    public func handle(containing key: String) -> Handle? { byPost[StableHash.fnv1a64(key)] }

    /// Whether `key` is the post that opened the incident.
    public func isOpenedBy(_ h: Handle, key: String) -> Bool { entries[Int(h)].openedByHash == StableHash.fnv1a64(key) }

    public func id(_ h: Handle) -> String { oddIDs[h] ?? "inc-" + StableHash.hex(entries[Int(h)].idHash) }

    public func facts(_ h: Handle) -> Facts? {
        let e = entries[Int(h)]
        return e.hasFacts ? Facts(simhash: e.simhash, anchor: e.anchor, street: streets[e.street]) : nil
    }

    /// The incident as held: whole, or (slimmed) without text, rule hits, subcategory, the
    /// opening post's key, link and source, and related post keys.
    public func incident(_ h: Handle) -> Incident {
        let e = entries[Int(h)]
        var inc = Incident(
            id: id(h), category: categories[e.category] ?? "", severity: e.severity, score: e.score, geo: places[e.geo],
            firstSeen: e.firstSeen, lastSeen: e.lastSeen, deadline: e.deadline, executor: executors[e.executor],
            status: statuses[e.status] ?? "new", openedBy: "", sourceID: "", text: "")
        wholes[h]?.unpack(into: &inc)
        inc.relatedCount = Int(e.relatedCount)
        return inc
    }

    public func incident(id: String) -> Incident? { handle(id: id).map(incident) }

    public func incident(containing key: String) -> Incident? { handle(containing: key).map(incident) }

    /// The incident as a whole: its slimmed part read back from the store (the book's own
    /// fields — times, place, severity, counts — win).
    public func whole(_ h: Handle) -> Incident {
        var inc = incident(h)
        guard wholes[h] == nil, let stored = loader?(inc.id) else { return inc }
        inc.text = stored.text; inc.hits = stored.hits; inc.subcategory = stored.subcategory
        inc.openedBy = stored.openedBy; inc.url = stored.url; inc.sourceID = stored.sourceID
        inc.relatedPosts = stored.relatedPosts
        inc.relatedCount = max(inc.relatedCount, stored.relatedCount)
        return inc
    }

    public func whole(_ incident: Incident) -> Incident { handle(id: incident.id).map(whole) ?? incident }

    // MARK: Joining

    /// What joining looks at first, without building the incident.
    public struct Candidate {
        public var handle: Handle
        public var simhash: UInt64
        public var anchor: UInt32
        /// `streetRef` of its street, `noStreet` when none.
        public var street: UInt32
        public var firstSeen: Date
        public var lastSeen: Date
    }

    /// The reference of no street.
    public static var noStreet: UInt32 { InternTable<String>.none }
    /// A street no open incident has.
    public static var unknownStreet: UInt32 { .max - 1 }

    /// The reference to compare with `Candidate.street`: `noStreet` for nil, `unknownStreet` when no incident has it.
    public func streetRef(_ street: String?) -> UInt32 {
        guard let street else { return Self.noStreet }
        return streets.find(street) ?? Self.unknownStreet
    }

    public func settlement(_ h: Handle) -> String? { places[entries[Int(h)].geo]?.settlement }

    /// The open incidents with facts of this category in this municipality, oldest first,
    /// stopping when `body` returns false.
    public func forEachCandidate(category: String, geo: GeoTag?, _ body: (Candidate) -> Bool) {
        guard let k = Self.placeKey(category, geo), let hs = byPlace[k] else { return }
        for h in hs {
            let e = entries[Int(h)]
            guard e.hasFacts else { continue }
            let c = Candidate(handle: h, simhash: e.simhash, anchor: e.anchor, street: e.street,
                              firstSeen: e.firstSeen, lastSeen: e.lastSeen)
            if !body(c) { return }
        }
    }

    // MARK: Changes

    /// Records a new or changed incident (whole) and the posts in it.
    public func put(_ incident: Incident, facts f: Facts? = nil, posts: [String] = []) {
        let (idHash, odd) = Self.idHash(incident.id)
        let h: Handle
        if let existing = byID[idHash] {
            h = existing
            let was = entries[Int(h)]
            entries[Int(h)] = entry(incident, idHash: idHash, facts: f, keeping: was)
        } else {
            h = allocate(entry(incident, idHash: idHash, facts: f, keeping: nil))
            byID[idHash] = h
            if odd { oddIDs[h] = incident.id }
            if let k = Self.placeKey(incident.category, incident.geo) { byPlace[k, default: []].append(h) }
            count += 1
        }
        if wholes.updateValue(Whole(incident), forKey: h) == nil { wholeOrder.append((h, idHash)) }
        for p in posts { byPost[StableHash.fnv1a64(p)] = h }
        byPost[entries[Int(h)].openedByHash] = h
    }

    /// Maps a post key to an incident (used when restoring from disk).
    public func link(postHash: UInt64, to id: String) {
        if let h = handle(id: id) { byPost[postHash] = h }
    }

    private func entry(_ i: Incident, idHash: UInt64, facts f: Facts?, keeping was: Entry?) -> Entry {
        Entry(idHash: idHash, openedByHash: i.openedBy.isEmpty ? (was?.openedByHash ?? 0) : StableHash.fnv1a64(i.openedBy),
              firstSeen: i.firstSeen, lastSeen: i.lastSeen, deadline: i.deadline, score: i.score,
              simhash: f?.simhash ?? was?.simhash ?? 0, anchor: f?.anchor ?? was?.anchor ?? 0,
              street: f.map { streets.ref($0.street, was: was?.street) } ?? was?.street ?? InternTable<String>.none,
              category: categories.ref(i.category, was: was?.category), geo: places.ref(i.geo, was: was?.geo),
              executor: executors.ref(i.executor, was: was?.executor), status: statuses.ref(i.status, was: was?.status), relatedCount: UInt32(clamping: max(i.relatedCount, i.relatedPosts.count)),
              severity: i.severity, hasFacts: f != nil || was?.hasFacts == true, live: true)
    }

    private func allocate(_ e: Entry) -> Handle {
        if let h = free.popLast() { entries[Int(h)] = e; return h }
        entries.append(e)
        return Handle(entries.count - 1)
    }
}
