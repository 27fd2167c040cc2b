import Foundation

/// `type: sqlite`: incidents and their posts in an SQLite file (WAL), upserted by id.
///
/// Re-running a feed or a backfill never duplicates a row: the same id updates the row.
/// A later version of an incident refreshes what analysis knows (last seen, related posts,
/// severity, place) but never resets a `status` an operator changed. Runs on its own queue,
/// so disk and lock waits never block the cooperative pool.
public actor SQLiteSink: Sink {
    public nonisolated let name: String
    public nonisolated let path: String
    private nonisolated let executor = DispatchQueueExecutor(label: "otklik.sink.sqlite")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var db: SQLiteDatabase?

    public init(name: String, path: String) {
        self.name = name; self.path = path
    }

    private func open() throws -> SQLiteDatabase {
        if let db { return db }
        let d: SQLiteDatabase
        do {
            d = try SQLiteDatabase(path: path)
            try SQLiteSchema.migrate(d)
        } catch let e as SQLiteError {
            if e.code & 0xff == 26 || e.code & 0xff == 11 {  // SQLITE_NOTADB, SQLITE_CORRUPT
                throw SinkError.permanent("\(path) is not a valid SQLite database (\(e.message)); move it aside to start a new one")
            }
            throw SinkError.retryable("cannot open \(path): \(e)")
        }
        db = d
        return d
    }

    public func write(_ batch: [Incident]) throws {
        guard !batch.isEmpty else { return }
        let db = try open()
        let encoder = OtklikJSON.encoder()
        let now = OtklikJSON.formatDate(Date())
        do {
            try db.transaction {
                for i in batch {
                    let json = String(decoding: try encoder.encode(i), as: UTF8.self)
                    try db.execute(Self.upsert, Self.values(i, json: json, updatedAt: now))
                    try db.execute("INSERT OR IGNORE INTO incident_posts(incident_id, post_key) VALUES (?, ?)",
                                   [.text(i.id), .text(i.openedBy)])
                    for key in i.relatedPosts {
                        try db.execute("INSERT OR IGNORE INTO incident_posts(incident_id, post_key) VALUES (?, ?)",
                                       [.text(i.id), .text(key)])
                    }
                }
            }
        } catch let e as SQLiteError {
            if e.isBusy { throw SinkError.retryable("\(path) is locked by another process") }
            throw SinkError.retryable("\(path): \(e)")
        }
    }

    /// Commits happen per batch; WAL with `synchronous=NORMAL` makes them durable against
    /// process crashes. Nothing more to do.
    public func flush() throws {}

    public func close() { db = nil }

    static let upsert = """
        INSERT INTO incidents (id, category, subcategory, severity, score, municipality_id, municipality,
            settlement, street, lat, lon, geo_method, geo_confidence, first_seen, last_seen, deadline,
            executor, executor_contact, status, opened_by, url, source_id, text, related_count, json, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            category = excluded.category, subcategory = excluded.subcategory, severity = excluded.severity,
            score = excluded.score, municipality_id = excluded.municipality_id,
            municipality = excluded.municipality, settlement = excluded.settlement, street = excluded.street,
            lat = excluded.lat, lon = excluded.lon, geo_method = excluded.geo_method,
            geo_confidence = excluded.geo_confidence,
            first_seen = min(incidents.first_seen, excluded.first_seen),
            last_seen = max(incidents.last_seen, excluded.last_seen),
            deadline = excluded.deadline, executor = excluded.executor,
            executor_contact = excluded.executor_contact,
            opened_by = excluded.opened_by, url = excluded.url, source_id = excluded.source_id,
            text = excluded.text,
            related_count = max(incidents.related_count, excluded.related_count),
            json = CASE WHEN incidents.status = 'new' THEN excluded.json
                        ELSE json_set(excluded.json, '$.status', incidents.status) END,
            updated_at = excluded.updated_at
        """

    static func values(_ i: Incident, json: String, updatedAt: String) -> [SQLiteValue] {
        func t(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
        func d(_ v: Double?) -> SQLiteValue { v.map { .double($0) } ?? .null }
        return [
            .text(i.id), .text(i.category), t(i.subcategory), .text(i.severity.rawValue), .double(i.score),
            t(i.geo?.municipalityID), t(i.geo?.municipality), t(i.geo?.settlement), t(i.geo?.street),
            d(i.geo?.lat), d(i.geo?.lon), t(i.geo?.method.rawValue), d(i.geo?.confidence),
            .text(OtklikJSON.formatDate(i.firstSeen)), .text(OtklikJSON.formatDate(i.lastSeen)),
            .text(OtklikJSON.formatDate(i.deadline)), t(i.executor?.name), t(i.executor?.contact),
            .text(i.status), .text(i.openedBy), t(i.url), .text(i.sourceID), .text(i.text),
            .int(Int64(i.relatedPosts.count)), .text(json), .text(updatedAt),
        ]
    }
}

extension SQLiteSink {
    /// Keys: `path` (default `<state_dir>/<pipeline>/incidents.sqlite`).
    public static let factory: SinkFactory = { config, ctx in
        let path = try config.readKeys(ctx) { r in r.path("path") ?? ctx.stateDir + "/incidents.sqlite" }
        return SQLiteSink(name: config.name, path: path)
    }
}
