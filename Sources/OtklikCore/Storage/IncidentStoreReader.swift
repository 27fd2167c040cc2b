import Foundation

/// Why the incidents database could not be read; each message says what to do.
public enum IncidentStoreError: Error, CustomStringConvertible, Sendable {
    case missing(String)
    case notADatabase(String, String)
    case noIncidentsTable(String)

    public var description: String {
        switch self {
        case .missing(let p):
            return "no incidents database at \(p) (has the pipeline's sqlite sink written anything yet? pass --db FILE to read another)"
        case .notADatabase(let p, let why):
            return "\(p) is not a readable SQLite database: \(why)"
        case .noIncidentsTable(let p):
            return "\(p) has no 'incidents' table: is it the database of an Otklik sqlite sink?"
        }
    }
}

/// How listed incidents are ordered.
public enum IncidentOrder: String, Sendable {
    /// Newest `first_seen` first.
    case newestFirst
    /// Earliest deadline first: the most overdue lead.
    case deadline
}

/// What a query found, and the rows it could not decode (reported, never silently dropped).
public struct IncidentQueryResult: Sendable {
    public var incidents: [Incident]
    /// Ids of rows whose `json` is not a valid incident, with the reason.
    public var undecodable: [(id: String, reason: String)]
}

/// A read-only view of the SQLite sink's database (`incidents` + `incident_posts`).
///
/// Opens the file read-only so that it is safe while the daemon writes (WAL readers see
/// the last committed snapshot). Columns beyond `id` and `json` are used for SQL
/// pre-filtering when present; the decoded `json` is the truth, except for `status`, which an
/// operator may change in the column.
public final class IncidentStoreReader {
    public let path: String
    let db: SQLiteDatabase
    let columns: Set<String>
    let hasPostsTable: Bool

    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw IncidentStoreError.missing(path) }
        self.path = path
        do {
            db = try SQLiteDatabase(path: path, readOnly: true)
            let tables = Set(try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.text })
            guard tables.contains("incidents") else { throw IncidentStoreError.noIncidentsTable(path) }
            columns = Set(try db.query("SELECT name FROM pragma_table_info('incidents')").compactMap { $0.first?.text })
            hasPostsTable = tables.contains("incident_posts")
        } catch let e as SQLiteError {
            throw IncidentStoreError.notADatabase(path, e.message)
        }
        guard columns.contains("id"), columns.contains("json") else { throw IncidentStoreError.noIncidentsTable(path) }
    }

    /// Incidents matching `filter`, ordered, at most `limit`.
    ///
    /// Related posts recorded in `incident_posts` are merged into `relatedPosts`.
    public func incidents(_ filter: IncidentFilter = IncidentFilter(), order: IncidentOrder = .newestFirst,
                          limit: Int? = nil, now: Date = Date()) throws -> IncidentQueryResult {
        let (sql, params) = selectSQL(filter, now: now)
        let decoder = OtklikJSON.decoder()
        var found: [Incident] = [], bad: [(id: String, reason: String)] = []
        do {
            try db.forEach(sql, params) { row in
                let id = row[0].text ?? row[0].int.map(String.init) ?? "?"
                guard let json = row[1].text ?? row[1].blob.map({ String(decoding: $0, as: UTF8.self) }) else {
                    bad.append((id, "no json")); return
                }
                do {
                    var incident = try decoder.decode(Incident.self, from: Data(json.utf8))
                    // An operator changes the status column; the JSON keeps the status it was written with.
                    if row.count > 2, let status = row[2].text, !status.isEmpty { incident.status = status }
                    if filter.matches(incident, now: now) { found.append(incident) }
                } catch {
                    bad.append((id, Self.describe(error)))
                }
            }
            if hasPostsTable, !found.isEmpty { try mergeRelatedPosts(into: &found) }
        } catch let e as SQLiteError {
            throw IncidentStoreError.notADatabase(path, e.message)
        }
        Self.sort(&found, order)
        if let limit, found.count > limit { found.removeSubrange(limit...) }
        return IncidentQueryResult(incidents: found, undecodable: bad)
    }

    /// Municipality names present in the database, for "did you mean" hints.
    public func municipalityNames() throws -> [String] {
        guard columns.contains("municipality") else { return [] }
        return try db.query("SELECT DISTINCT municipality FROM incidents WHERE municipality IS NOT NULL ORDER BY 1")
            .compactMap { $0.first?.text }
    }

    /// SQL over the columns this database has; the Swift filter re-checks every row.
    ///
    /// Times are compared as ISO-8601 text (so the sink's indexes serve), widened by a day:
    /// that covers any UTC offset and fractional-second spelling, and the exact bound is
    /// applied to the decoded incident.
    func selectSQL(_ f: IncidentFilter, now: Date) -> (String, [SQLiteValue]) {
        var conds: [String] = [], params: [SQLiteValue] = []
        func time(_ d: Date, _ shift: TimeInterval) -> SQLiteValue { .text(OtklikJSON.formatDate(d.addingTimeInterval(shift))) }
        if let since = f.since, columns.contains("first_seen") {
            conds.append("first_seen >= ?"); params.append(time(since, -86400))
        }
        if let until = f.until, columns.contains("first_seen") {
            conds.append("first_seen < ?"); params.append(time(until, 86400))
        }
        if let c = f.category, columns.contains("category") {
            conds.append("(category = ? OR substr(category, 1, ?) = ?)")
            params += [.text(c), .int(Int64(c.utf8.count + 1)), .text(c + ".")]
        }
        if let s = f.status, columns.contains("status") {
            conds.append("status = ?"); params.append(.text(s))
        }
        if f.overdue, columns.contains("deadline") {
            conds.append("deadline < ?"); params.append(time(now, 86400))
        }
        let whereClause = conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")
        let status = columns.contains("status") ? ", status" : ""
        return ("SELECT id, json\(status) FROM incidents" + whereClause, params)
    }

    private func mergeRelatedPosts(into incidents: inout [Incident]) throws {
        var keys: [String: [String]] = [:]
        try db.forEach("SELECT incident_id, post_key FROM incident_posts") { row in
            if let id = row[0].text, let key = row[1].text { keys[id, default: []].append(key) }
        }
        for i in incidents.indices {
            guard let extra = keys[incidents[i].id] else { continue }
            var seen = Set(incidents[i].relatedPosts)
            seen.insert(incidents[i].openedBy)
            for k in extra where !seen.contains(k) { incidents[i].relatedPosts.append(k); seen.insert(k) }
        }
    }

    static func sort(_ list: inout [Incident], _ order: IncidentOrder) {
        switch order {
        case .newestFirst:
            list.sort { ($0.firstSeen, $0.id) > ($1.firstSeen, $1.id) }
        case .deadline:
            list.sort { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return String(describing: error) }
        switch e {
        case .keyNotFound(let k, _): return "missing key '\(k.stringValue)'"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "'\(path)': ") + c.debugDescription
        @unknown default: return String(describing: e)
        }
    }
}
