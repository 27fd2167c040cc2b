/// The `sqlite` sink's schema: a list of migrations, the version in `PRAGMA user_version`.
///
/// `incidents` holds one row per incident id; `json` is the full `Incident` (what
/// `otklik incidents` and `otklik report` decode), the other columns mirror it for SQL
/// filtering. Times are ISO-8601 UTC text as `OtklikJSON.formatDate` writes them.
/// `incident_posts` lists every post of an incident: the opening one and the related ones.
/// `related_posts` is the JSON array of related post keys in order, so a new version merges
/// with the stored one without decoding `json` (NULL only where an old row could not be read).
/// `status` belongs to the operator once the row exists: the sink never resets it.
public enum SQLiteSchema {
    /// Migration `i` brings a database from version `i` to `i + 1`. Append only, never edit.
    public static let migrations: [String] = [
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
        """
        CREATE INDEX IF NOT EXISTS incident_posts_post ON incident_posts(post_key);
        """,
        """
        ALTER TABLE incidents ADD COLUMN related_posts TEXT;
        UPDATE incidents SET related_posts = json_extract(json, '$.related_posts') WHERE json_valid(json);
        """,
    ]

    /// The version this build writes.
    public static var version: Int { migrations.count }

    /// Brings `db` to `version` in one transaction; a newer database is refused.
    static func migrate(_ db: SQLiteDatabase) throws {
        if try db.userVersion == version { return }
        try db.transaction {
            let current = try db.userVersion
            if current > version { throw SQLiteSinkError.newerSchema(path: db.path, found: current, supported: version) }
            for script in migrations[current...] { try db.executeScript(script) }
            try db.setUserVersion(version)
        }
    }
}

/// Why the `sqlite` sink cannot use its database.
public enum SQLiteSinkError: Error, Sendable, CustomStringConvertible, Equatable {
    case newerSchema(path: String, found: Int, supported: Int)
    case notADatabase(path: String, message: String)

    public var description: String {
        switch self {
        case let .newerSchema(path, found, supported):
            return "\(path) has incidents schema version \(found), newer than this otklik supports (\(supported)); "
                + "upgrade otklik or point the sink's 'path' at another file"
        case let .notADatabase(path, message):
            return "\(path) is not a valid SQLite database (\(message)); move it aside to start a new one"
        }
    }
}
