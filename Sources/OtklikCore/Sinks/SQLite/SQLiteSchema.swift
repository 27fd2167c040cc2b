/// The SQLite sink's schema and its migrations, versioned by `PRAGMA user_version`.
///
/// Other tools (`otklik incidents`, `otklik report`) read the `json` column, which holds the
/// whole `Incident`; the other columns exist for the operator's queries and indexes.
enum SQLiteSchema {
    /// One script per version; `migrations[n]` upgrades version n to n+1.
    static let migrations: [String] = [
        """
        CREATE TABLE IF NOT EXISTS incidents (
            id TEXT PRIMARY KEY,
            category TEXT NOT NULL,
            subcategory TEXT,
            severity TEXT NOT NULL,
            score REAL NOT NULL,
            municipality_id TEXT,
            municipality TEXT,
            settlement TEXT,
            street TEXT,
            lat REAL,
            lon REAL,
            geo_method TEXT,
            geo_confidence REAL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            deadline TEXT NOT NULL,
            executor TEXT,
            executor_contact TEXT,
            status TEXT NOT NULL,
            opened_by TEXT NOT NULL,
            url TEXT,
            source_id TEXT,
            text TEXT,
            related_count INTEGER NOT NULL DEFAULT 0,
            json TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS incident_posts (
            incident_id TEXT NOT NULL,
            post_key TEXT NOT NULL,
            PRIMARY KEY (incident_id, post_key)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS incidents_first_seen ON incidents(first_seen);
        CREATE INDEX IF NOT EXISTS incidents_category ON incidents(category, first_seen);
        CREATE INDEX IF NOT EXISTS incidents_municipality ON incidents(municipality_id, first_seen);
        CREATE INDEX IF NOT EXISTS incidents_status ON incidents(status, deadline);
        CREATE INDEX IF NOT EXISTS incidents_deadline ON incidents(deadline);
        """,
    ]

    static var currentVersion: Int { migrations.count }

    /// Brings `db` to the current version; a database from a newer Otklik is refused.
    static func migrate(_ db: SQLiteDatabase) throws {
        let version = try db.userVersion
        if version > currentVersion {
            throw SinkError.permanent(
                "\(db.path) has schema version \(version), newer than this otklik's \(currentVersion): upgrade otklik or point the sink elsewhere")
        }
        for v in version..<currentVersion {
            try db.transaction {
                try db.executeScript(migrations[v])
                try db.setUserVersion(v + 1)
            }
        }
    }
}
