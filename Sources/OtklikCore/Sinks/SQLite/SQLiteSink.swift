import Foundation

/// `type: sqlite`: incidents upserted by id into an SQLite database (WAL), one
/// `BEGIN IMMEDIATE` transaction per batch, so re-running never duplicates and a
/// crash leaves either the whole batch or none of it. Schema: `SQLiteSchema`.
///
/// The database is opened on the first write, not by the factory (`otklik validate` builds
/// sinks without touching disk). The actor runs on its own queue: SQLite's blocking calls
/// never stall the cooperative pool.
public actor SQLiteSink: Sink {
    public nonisolated let name: String
    public nonisolated let path: String
    private nonisolated let executor = DispatchQueueExecutor(label: "otklik.sink.sqlite")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var db: SQLiteDatabase?
    private let decoder = OtklikJSON.decoder()

    public init(name: String, path: String) { self.name = name; self.path = path }

    /// Opens (creating and migrating) the database now rather than on the first write.
    public func open() throws { _ = try database() }

    public func write(_ batch: [Incident]) throws {
        guard !batch.isEmpty else { return }
        let db = try database()
        let now = OtklikJSON.formatDate(Date())
        do {
            try db.transaction {
                for incident in batch { try upsert(incident, db: db, now: now) }
            }
        } catch let e as SQLiteError where e.isBusy {
            throw SinkError.retryable("\(path) is locked by another process")
        }
    }

    public func flush() {}

    public func close() { db = nil }

    private func database() throws -> SQLiteDatabase {
        if let db { return db }
        do {
            let opened = try SQLiteDatabase(path: path)
            try SQLiteSchema.migrate(opened)
            // A busy sink rewrites the same pages batch after batch: keep them in memory (8 MB at
            // most) and checkpoint the WAL less often (16 MB).
            try opened.execute("PRAGMA cache_size = -8192")
            _ = try opened.query("PRAGMA wal_autocheckpoint = 4000")
            db = opened
            return opened
        } catch let e as SQLiteError where e.code & 0xff == 26 || e.code & 0xff == 11 {  // NOTADB, CORRUPT
            throw SQLiteSinkError.notADatabase(path: path, message: e.message)
        }
    }

    private func upsert(_ incoming: Incident, db: SQLiteDatabase, now: String) throws {
        let m: Incident
        var listed: Set<String> = []
        let existing = try db.query(Self.selectSQL, [.text(incoming.id)]).first
        if let row = existing {
            let status = row[0].text ?? incoming.status
            if let stored = Self.stored(row, status: status), let merged = IncidentMerge.merge(stored: stored, incoming: incoming) {
                m = merged
                listed = Set(stored.relatedPosts)
                listed.insert(m.openedBy)
            } else {
                // The stored version is newer (its fields win) or predates the related_posts column.
                let json = try db.query("SELECT json FROM incidents WHERE id = ?", [.text(incoming.id)]).first?[0].text
                let full = json.flatMap { try? decoder.decode(Incident.self, from: Data($0.utf8)) }
                m = IncidentMerge.merge(stored: full, storedStatus: status, incoming: incoming)
            }
        } else {
            m = incoming
        }
        let values = Self.columns(m, json: IncidentJSON.string(m), now: now)
        if let row = existing, Self.indexedColumns.allSatisfy({ values[$0.column] == row[$0.selected] }) {
            // The indexed columns keep their values: an UPDATE that leaves them out skips the indexes.
            try db.execute(Self.updateSQL, Self.updateColumns.map { values[$0] } + [.text(m.id)])
        } else {
            try db.execute(Self.upsertSQL, values)
        }
        if !listed.contains(m.openedBy) { try insertPost(m.openedBy, of: m.id, db: db) }
        for key in m.relatedPosts where !listed.contains(key) { try insertPost(key, of: m.id, db: db) }
    }

    private func insertPost(_ key: String, of id: String, db: SQLiteDatabase) throws {
        try db.execute("INSERT OR IGNORE INTO incident_posts (incident_id, post_key) VALUES (?, ?)", [.text(id), .text(key)])
    }

    static let selectSQL = "SELECT status, first_seen, last_seen, related_posts, category, municipality_id, deadline FROM incidents WHERE id = ?"

    /// The indexed columns a new version may change: where each is in `columnNames` and in `selectSQL`.
    static let indexedColumns: [(column: Int, selected: Int)] = [("first_seen", 1), ("category", 4), ("municipality_id", 5), ("deadline", 6)]
        .map { (columnNames.firstIndex(of: $0.0)!, $0.1) }

    /// Every column but `id`, `status` (the operator's) and the indexed ones, by position in `columnNames`.
    static let updateColumns: [Int] = columnNames.indices.filter { k in
        !["id", "status"].contains(columnNames[k]) && !indexedColumns.contains { $0.column == k }
    }

    static let updateSQL = "UPDATE incidents SET " + updateColumns.map { "\(columnNames[$0]) = ?" }.joined(separator: ", ")
        + " WHERE id = ?"

    /// The stored version from the columns of `selectSQL`, or nil when one cannot be read.
    static func stored(_ row: [SQLiteValue], status: String) -> IncidentMerge.Stored? {
        guard let first = row[1].text.flatMap(parseDate), let last = row[2].text.flatMap(parseDate),
              var related = row[3].text else { return nil }
        let keys: [String]? = related.withUTF8 { bytes in
            var s = JSONByteScanner(bytes)
            var keys: [String] = []
            do { try s.array { s throws(JSONByteScanner.Unusual) in keys.append(try s.string()) } } catch { return nil }
            return keys
        }
        guard let keys else { return nil }
        return IncidentMerge.Stored(firstSeen: first, lastSeen: last, relatedPosts: keys, status: status)
    }

    /// As the JSON decoder reads the same text in `json`.
    static func parseDate(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { ISODate.parse($0) } ?? OtklikJSON.parseDate(text)
    }

    /// The JSON array of the related post keys (the `related_posts` column).
    static func relatedJSON(_ keys: [String]) -> String {
        var w = JSONBytes()
        w.array(keys) { w, k in w.string(k) }
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static let columnNames = [
        "id", "category", "subcategory", "severity", "score", "municipality_id", "municipality", "settlement",
        "street", "lat", "lon", "geo_method", "geo_confidence", "first_seen", "last_seen", "deadline", "executor",
        "executor_contact", "status", "opened_by", "url", "source_id", "text", "related_count", "json", "updated_at",
        "related_posts",
    ]

    /// Insert, or update every column but `id` and `status` (the operator's).
    static let upsertSQL: String = {
        let updates = columnNames.filter { $0 != "id" && $0 != "status" }.map { "\($0) = excluded.\($0)" }
        return "INSERT INTO incidents (\(columnNames.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columnNames.count).joined(separator: ", ")
            + ") ON CONFLICT(id) DO UPDATE SET " + updates.joined(separator: ", ")
    }()

    static func columns(_ i: Incident, json: String, now: String) -> [SQLiteValue] {
        func text(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
        func real(_ d: Double?) -> SQLiteValue { d.map { .double($0) } ?? .null }
        return [
            .text(i.id), .text(i.category), text(i.subcategory), .text(i.severity.rawValue), .double(i.score),
            text(i.geo?.municipalityID), text(i.geo?.municipality), text(i.geo?.settlement), text(i.geo?.street),
            real(i.geo?.lat), real(i.geo?.lon), text(i.geo?.method.rawValue), real(i.geo?.confidence),
            .text(OtklikJSON.formatDate(i.firstSeen)), .text(OtklikJSON.formatDate(i.lastSeen)),
            .text(OtklikJSON.formatDate(i.deadline)), text(i.executor?.name), text(i.executor?.contact),
            .text(i.status), .text(i.openedBy), text(i.url), .text(i.sourceID), .text(i.text),
            .int(Int64(i.relatedPosts.count)), .text(json), .text(now), .text(relatedJSON(i.relatedPosts)),
        ]
    }

    /// Keys: `path` (default `<state_dir>/<pipeline>/incidents.sqlite`).
    public static let factory: SinkFactory = { config, ctx in
        let path = try config.readKeys(ctx) { r in r.path("path") ?? ctx.stateDir + "/incidents.sqlite" }
        return SQLiteSink(name: config.name, path: path)
    }
}
