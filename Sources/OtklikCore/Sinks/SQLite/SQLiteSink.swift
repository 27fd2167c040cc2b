import Foundation

/// `type: sqlite`: incidents upserted by id into an SQLite database (WAL), one
/// `BEGIN IMMEDIATE` transaction per batch, so re-running never duplicates and a
/// crash leaves either the whole batch or none of it. Schema: `SQLiteSchema`; how versions
/// merge: `IncidentMerge` and `SQLiteSink+Upsert.swift`.
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
    let decoder = OtklikJSON.decoder()

    public init(name: String, path: String) { self.name = name; self.path = path }

    /// One transaction per 1,000 versions at most: a busy sink rewrites the same pages (indexes,
    /// `incident_posts`) far less often than with 200, and a commit of 1,000 takes tens of ms.
    public nonisolated var preferredBatchSize: Int? { 1000 }

    /// Opens (creating and migrating) the database now rather than on the first write.
    public func open() throws { _ = try database() }

    public func write(_ batch: [Incident]) throws { try write(outgoing: batch.map(OutgoingIncident.init)) }

    public func write(outgoing batch: [OutgoingIncident]) throws {
        guard !batch.isEmpty else { return }
        let db = try database()
        let now = OtklikJSON.formatDate(Date())
        do {
            try db.transaction {
                // Versions of one incident in the batch are merged here first, as the database
                // would have merged them one by one; each incident is then written once.
                var index: [String: Int] = [:]
                var rows: [PendingRow] = []
                for version in batch {
                    let id = version.incident.id
                    if let k = index[id] {
                        rows[k].absorb(version, decoder: decoder)
                    } else {
                        index[id] = rows.count
                        rows.append(try load(version, db: db))
                    }
                }
                for k in rows.indices { try store(rows[k], db: db, now: now) }
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
            // most) and checkpoint the WAL less often (64 MB: a page rewritten by several batches in between is
            // copied back once).
            try opened.execute("PRAGMA cache_size = -8192")
            _ = try opened.query("PRAGMA wal_autocheckpoint = 16000")
            db = opened
            return opened
        } catch let e as SQLiteError where e.code & 0xff == 26 || e.code & 0xff == 11 {  // NOTADB, CORRUPT
            throw SQLiteSinkError.notADatabase(path: path, message: e.message)
        }
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
        columns(i, json: .text(json), now: now)
    }

    /// `json`: the incident's JSON as `.text` or `.utf8`.
    static func columns(_ i: Incident, json: SQLiteValue, now: String) -> [SQLiteValue] {
        func text(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
        func real(_ d: Double?) -> SQLiteValue { d.map { .double($0) } ?? .null }
        return [
            .text(i.id), .text(i.category), text(i.subcategory), .text(i.severity.rawValue), .double(i.score),
            text(i.geo?.municipalityID), text(i.geo?.municipality), text(i.geo?.settlement), text(i.geo?.street),
            real(i.geo?.lat), real(i.geo?.lon), text(i.geo?.method.rawValue), real(i.geo?.confidence),
            .text(OtklikJSON.formatDate(i.firstSeen)), .text(OtklikJSON.formatDate(i.lastSeen)),
            .text(OtklikJSON.formatDate(i.deadline)), text(i.executor?.name), text(i.executor?.contact),
            .text(i.status), .text(i.openedBy), text(i.url), .text(i.sourceID), .text(i.text),
            .int(Int64(i.relatedCount)), json, .text(now), .text(relatedJSON(i.relatedPosts)),
        ]
    }

    /// Keys: `path` (default `<state_dir>/<pipeline>/incidents.sqlite`).
    public static let factory: SinkFactory = { config, ctx in
        let path = try config.readKeys(ctx) { r in r.path("path") ?? ctx.stateDir + "/incidents.sqlite" }
        return SQLiteSink(name: config.name, path: path)
    }
}
