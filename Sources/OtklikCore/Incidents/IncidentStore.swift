import Foundation

/// Open incidents on disk (`<stateDir>/incidents-index.sqlite`): each incident's latest
/// version as JSON with what joining compares, and which posts belong to which incident,
/// so joins, repeats and ids survive a restart. Not thread-safe: `IncidentIndex` locks it.
final class IncidentStore {
    private let db: SQLiteDatabase

    init(path: String) throws {
        db = try SQLiteDatabase(path: path)
        // Lookups are by primary key, one incident at a time: 512 KB of page cache (SQLite's default is 2 MB).
        try db.execute("PRAGMA cache_size = -512")
        // Every batch rewrites scattered pages: checkpoint the WAL every 16 MB rather than 4 (SQLite's
        // default), so a page rewritten several times in between is copied back once.
        _ = try db.query("PRAGMA wal_autocheckpoint = 4000")
        try db.executeScript("""
            CREATE TABLE IF NOT EXISTS incidents (
                id TEXT PRIMARY KEY, last_seen REAL NOT NULL, simhash INTEGER NOT NULL, anchor INTEGER NOT NULL,
                street TEXT, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS incidents_last_seen ON incidents(last_seen);
            """)
        try Self.migratePostLinks(db)
    }

    /// `incident_posts` is a log of post links in the order they were made (the newest link of a
    /// post wins on load): each batch appends to its last pages. Keyed by the post's hash (the
    /// first layout) with an index by incident, every link went to a random page of two B-trees,
    /// and those pages were most of what a batch wrote. An old store is converted when opened;
    /// an older otklik still reads (and appends to) the log.
    static func migratePostLinks(_ db: SQLiteDatabase) throws {
        let sql = try db.query("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'incident_posts'").first?.first?.text
        try db.transaction {
            if let sql, sql.uppercased().contains("PRIMARY KEY") {
                try db.executeScript("""
                    ALTER TABLE incident_posts RENAME TO incident_posts_by_key;
                    CREATE TABLE incident_posts (key_hash INTEGER NOT NULL, incident_id TEXT NOT NULL);
                    INSERT INTO incident_posts (key_hash, incident_id) SELECT key_hash, incident_id FROM incident_posts_by_key;
                    DROP TABLE incident_posts_by_key;
                    """)
            }
            // An older otklik creates the index by incident again: it only slowed every batch down.
            try db.executeScript("""
                CREATE TABLE IF NOT EXISTS incident_posts (key_hash INTEGER NOT NULL, incident_id TEXT NOT NULL);
                DROP INDEX IF EXISTS incident_posts_incident;
                """)
        }
    }

    /// A second, read-only connection to an existing store (WAL: it reads the last committed
    /// versions while the writer's connection writes).
    init(readingFrom path: String) throws {
        db = try SQLiteDatabase(path: path, readOnly: true)
    }

    func write(incidents: [(Incident, IncidentBook.Facts?)], posts: [(UInt64, String)]) throws {
        guard !incidents.isEmpty || !posts.isEmpty else { return }
        try db.transaction {
            for (inc, f) in incidents {
                let json = SQLiteValue.utf8(IncidentJSON.encode(inc))
                if let f {
                    try db.execute("""
                        INSERT OR REPLACE INTO incidents (id, last_seen, simhash, anchor, street, json)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """, [.text(inc.id), .double(inc.lastSeen.timeIntervalSince1970), .int(Int64(bitPattern: f.simhash)),
                              .int(Int64(f.anchor)), f.street.map { .text($0) } ?? .null, json])
                } else {
                    try db.execute("UPDATE incidents SET last_seen = ?, json = ? WHERE id = ?",
                                   [.double(inc.lastSeen.timeIntervalSince1970), json, .text(inc.id)])
                }
            }
            for (h, id) in posts {
                try db.execute("INSERT INTO incident_posts (key_hash, incident_id) VALUES (?, ?)",
                               [.int(Int64(bitPattern: h)), .text(id)])
            }
        }
    }

    /// Restores incidents seen within `retention` of the newest one into `book`, oldest first
    /// (so the newest stay whole).
    func load(into book: IncidentBook, retention: Duration) throws {
        guard let newest = try db.query("SELECT MAX(last_seen) FROM incidents").first?.first?.double else { return }
        let cutoff = newest - retention.seconds
        let decoder = OtklikJSON.decoder()
        var loaded = 0
        try db.forEach("SELECT json, simhash, anchor, street FROM incidents WHERE last_seen >= ? ORDER BY last_seen", [.double(cutoff)]) { r in
            guard let json = r[0].text, let inc = try? decoder.decode(Incident.self, from: Data(json.utf8)) else { return }
            let f = IncidentBook.Facts(simhash: UInt64(bitPattern: r[1].int ?? 0), anchor: UInt32(clamping: r[2].int ?? 0),
                                       street: r[3].text)
            book.put(inc, facts: f)
            loaded += 1
            // Everything loaded is stored already: keep the peak of a restore near the running size.
            if loaded % 1024 == 0 { book.slimColdIncidents() }
        }
        // Newest first: a post linked twice (edited, or read again after a crash) keeps its newest
        // link. Posts of incidents older than the retention find no incident and are not linked.
        var seen = Set<UInt64>()
        try db.forEach("SELECT key_hash, incident_id FROM incident_posts ORDER BY rowid DESC") { r in
            guard let id = r[1].text, let h = r[0].int, seen.insert(UInt64(bitPattern: h)).inserted else { return }
            book.link(postHash: UInt64(bitPattern: h), to: id)
        }
    }

    /// What a slim incident of the book reads back from the stored version of `id`.
    func fetchPart(id: String) throws -> IncidentStoredPart? {
        guard let json = try db.query("SELECT json FROM incidents WHERE id = ?", [.text(id)]).first?.first?.text else {
            return nil
        }
        return try IncidentStoredPart.decode(json: json)
    }

    func prune(lastSeenBefore cutoff: Date) throws {
        try db.transaction {
            try db.execute("""
                DELETE FROM incident_posts WHERE incident_id IN (SELECT id FROM incidents WHERE last_seen < ?)
                """, [.double(cutoff.timeIntervalSince1970)])
            try db.execute("DELETE FROM incidents WHERE last_seen < ?", [.double(cutoff.timeIntervalSince1970)])
        }
    }
}
