import Foundation

/// Which incidents a reader wants: a time window on `first_seen`, a category or a whole
/// block, a municipality, a status, or only the overdue ones.
///
/// The same filter runs as SQL (a pre-filter on indexed columns) and in Swift over the
/// decoded incident, so the answer does not depend on how the sink formatted its columns.
public struct IncidentFilter: Sendable, Hashable {
    /// Incidents first seen at or after this time.
    public var since: Date?
    /// Incidents first seen before this time (exclusive).
    public var until: Date?
    /// A category id, or a block: `housing` matches `housing` and `housing.water`.
    public var category: String?
    /// A municipality id, or its name (case and ё/е do not matter).
    public var municipality: String?
    public var status: String?
    /// Only incidents past their deadline that are not closed.
    public var overdue: Bool

    public init(since: Date? = nil, until: Date? = nil, category: String? = nil, municipality: String? = nil,
                status: String? = nil, overdue: Bool = false) {
        self.since = since; self.until = until; self.category = category
        self.municipality = municipality; self.status = status; self.overdue = overdue
    }

    public func matches(_ incident: Incident, now: Date) -> Bool {
        if let since, incident.firstSeen < since { return false }
        if let until, incident.firstSeen >= until { return false }
        if let category, !Self.category(incident.category, isIn: category) { return false }
        if let municipality, !Self.municipality(incident.geo, is: municipality) { return false }
        if let status, incident.status != status { return false }
        if overdue, !incident.isOverdue(at: now) { return false }
        return true
    }

    /// `housing.water` is in `housing` and in `housing.water`, not in `housing.w`.
    public static func category(_ id: String, isIn wanted: String) -> Bool {
        id == wanted || (id.hasPrefix(wanted) && id.dropFirst(wanted.count).first == ".")
    }

    static func municipality(_ geo: GeoTag?, is wanted: String) -> Bool {
        guard let geo else { return false }
        if let id = geo.municipalityID, id == wanted { return true }
        if let name = geo.municipality, foldName(name) == foldName(wanted) { return true }
        return false
    }

    /// Lowercased, ё→е, trimmed: how names are compared.
    public static func foldName(_ s: String) -> String {
        s.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "ё", with: "е")
    }
}

/// Statuses that end an incident's clock; anything else is open.
public enum IncidentStatus {
    public static let closed: Set<String> = ["closed", "resolved", "rejected", "duplicate"]
    public static func isClosed(_ status: String) -> Bool { closed.contains(status.lowercased()) }
}

extension Incident {
    /// Past its deadline at `now` and not closed.
    public func isOverdue(at now: Date) -> Bool { deadline < now && !IncidentStatus.isClosed(status) }
}
