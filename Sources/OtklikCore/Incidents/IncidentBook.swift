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

    public init() {}

    public var count: Int { incidents.count }

    static func placeKey(_ category: String, _ geo: GeoTag?) -> String? {
        guard let geo, let m = geo.municipalityID ?? geo.municipality else { return nil }
        return category + "|" + m
    }

    public func incident(containing key: String) -> Incident? {
        byPost[StableHash.fnv1a64(key)].flatMap { incidents[$0] }
    }

    /// Open incidents of this category in this municipality.
    public func candidates(category: String, geo: GeoTag?) -> [Incident] {
        guard let k = Self.placeKey(category, geo) else { return [] }
        return (byPlace[k] ?? []).compactMap { incidents[$0] }
    }

    /// Records a new or changed incident and the posts in it.
    public func put(_ incident: Incident, facts f: Facts? = nil, posts: [String] = []) {
        if incidents[incident.id] == nil, let k = Self.placeKey(incident.category, incident.geo) {
            byPlace[k, default: []].append(incident.id)
        }
        incidents[incident.id] = incident
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
            incidents[id] = nil; facts[id] = nil
        }
        byPost = byPost.filter { !gone.contains($0.value) }
        return old
    }
}
