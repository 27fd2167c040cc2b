import Foundation

/// Where a backfill stands, per source, so a killed `otklik backfill` restarted with the same
/// arguments continues where it stopped. Kept in `<state_dir>/<pipeline>/backfill.sqlite`,
/// apart from the live cursors, which a backfill never moves.
///
/// A walk has two phases. The history walk spools every post in range here (a page and the
/// cursor after it in one transaction; a post met twice is kept once); then the spooled posts
/// are analysed oldest first, as the live daemon met them, so related posts open and join
/// the same incidents as live, whatever order the platform pages in. `through` marks the last
/// post whose incidents every sink has acknowledged.
public final class BackfillCheckpointStore: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public var from: Date
        public var to: Date
        public var cursor: Cursor?
        public var done: Bool
        public var posts: Int
        public var complaints: Int
        public var incidents: Int
        /// The history walk is over; every post in range is spooled.
        public var walked: Bool
        /// The last spooled post analysed (and its incidents written), in analysis order.
        public var through: Position?
        public init(from: Date, to: Date, cursor: Cursor? = nil, done: Bool = false, posts: Int = 0, complaints: Int = 0,
                    incidents: Int = 0, walked: Bool = false, through: Position? = nil) {
            self.from = from; self.to = to; self.cursor = cursor; self.done = done; self.posts = posts; self.complaints = complaints; self.incidents = incidents
            self.walked = walked; self.through = through
        }
    }

    /// A place in the analysis order: publication time, then post key.
    public struct Position: Sendable, Equatable {
        public var published: Double
        public var key: String
        public init(published: Double, key: String) { self.published = published; self.key = key }
    }

    public let path: String
    private let lock = NSLock()
    private let db: SQLiteDatabase

    public static func path(stateDir: String) -> String { stateDir + "/backfill.sqlite" }

    /// The key of one source's walk: the same pipeline, source and range arguments as written
    /// (`7d`, `2026-11-01`, none) resume each other; the range they resolved to is kept in the entry,
    /// so a relative `--since 7d` restarted later still walks the same range.
    public static func key(pipeline: String, source: String, since: String, until: String?) -> String {
        "\(pipeline)|\(source)|\(since)|\(until ?? "now")"
    }

    public init(path: String) throws {
        self.path = path
        db = try SQLiteDatabase(path: path)
        try db.executeScript("""
            CREATE TABLE IF NOT EXISTS backfill(
                key TEXT PRIMARY KEY, range_from REAL NOT NULL, range_to REAL NOT NULL, cursor TEXT, done INTEGER NOT NULL DEFAULT 0,
                posts INTEGER NOT NULL DEFAULT 0, complaints INTEGER NOT NULL DEFAULT 0,
                incidents INTEGER NOT NULL DEFAULT 0, updated_at REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS backfill_posts(
                key TEXT NOT NULL, post_key TEXT NOT NULL, published REAL NOT NULL, json TEXT NOT NULL,
                PRIMARY KEY(key, post_key)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS backfill_posts_order ON backfill_posts(key, published, post_key);
            """)
        // Files written before the two phases: add their columns (an old walk resumes into the spool).
        let columns = Set(try db.query("SELECT name FROM pragma_table_info('backfill')").compactMap { $0.first?.text })
        if !columns.contains("walked") {
            try db.executeScript("""
                ALTER TABLE backfill ADD COLUMN walked INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE backfill ADD COLUMN through_published REAL;
                ALTER TABLE backfill ADD COLUMN through_key TEXT;
                """)
        }
    }

    public func entry(_ key: String) throws -> Entry? {
        try lock.withLock {
            guard let r = try db.query("""
                SELECT cursor, done, posts, complaints, incidents, range_from, range_to, walked, through_published, through_key
                FROM backfill WHERE key = ?
                """, [.text(key)]).first else { return nil }
            func int(_ v: SQLiteValue) -> Int { if case .int(let n) = v { Int(n) } else { 0 } }
            var cursor: Cursor?
            if case .text(let c) = r[0] { cursor = Cursor(c) }
            func date(_ v: SQLiteValue) -> Date {
                switch v {
                case .double(let d): Date(timeIntervalSince1970: d)
                case .int(let n): Date(timeIntervalSince1970: Double(n))
                default: Date(timeIntervalSince1970: 0)
                }
            }
            var through: Position?
            if case .text(let k) = r[9] { through = Position(published: date(r[8]).timeIntervalSince1970, key: k) }
            return Entry(from: date(r[5]), to: date(r[6]), cursor: cursor, done: int(r[1]) != 0, posts: int(r[2]), complaints: int(r[3]),
                         incidents: int(r[4]), walked: int(r[7]) != 0, through: through)
        }
    }

    /// Spools one page of the history walk and saves `e` (its cursor) in one transaction; `e.posts`
    /// grows by the posts not spooled before, which is what it returns.
    @discardableResult
    public func spool(_ key: String, _ posts: [Post], entry e: Entry, now: Date = Date()) throws -> Int {
        let encoder = OtklikJSON.encoder()
        let rows = try posts.map { p in (p, String(decoding: try encoder.encode(p), as: UTF8.self)) }
        return try lock.withLock {
            try db.transaction {
                var added = 0
                for (p, json) in rows {
                    added += try db.execute("INSERT OR IGNORE INTO backfill_posts(key, post_key, published, json) VALUES(?, ?, ?, ?)",
                                            [.text(key), .text(p.key), .double(p.published.timeIntervalSince1970), .text(json)])
                }
                var saved = e
                saved.posts += added
                try write(key, saved, now: now)
                return added
            }
        }
    }

    /// Up to `limit` spooled posts after `position`, oldest first, each with its own position.
    public func spooled(_ key: String, after position: Position?, limit: Int) throws -> [(post: Post, position: Position)] {
        let decoder = OtklikJSON.decoder()
        let rows = try lock.withLock { () throws -> [[SQLiteValue]] in
            if let position {
                return try db.query("""
                    SELECT published, post_key, json FROM backfill_posts WHERE key = ? AND (published, post_key) > (?, ?)
                    ORDER BY published, post_key LIMIT ?
                    """, [.text(key), .double(position.published), .text(position.key), .int(Int64(limit))])
            }
            return try db.query("SELECT published, post_key, json FROM backfill_posts WHERE key = ? ORDER BY published, post_key LIMIT ?",
                                [.text(key), .int(Int64(limit))])
        }
        return try rows.map { r in
            let published: Double
            switch r[0] {
            case .double(let d): published = d
            case .int(let n): published = Double(n)
            default: published = .nan
            }
            guard !published.isNaN, let postKey = r[1].text, let json = r[2].text else {
                throw SQLiteError(code: 0, message: "a spooled post row of an unexpected shape in \(path)", sql: nil)
            }
            return (try decoder.decode(Post.self, from: Data(json.utf8)), Position(published: published, key: postKey))
        }
    }

    /// Forgets a finished walk's spooled posts.
    public func dropSpool(_ key: String) throws {
        try lock.withLock { _ = try db.execute("DELETE FROM backfill_posts WHERE key = ?", [.text(key)]) }
    }

    /// Commits one page; called only after every incident of the page is acknowledged by the sinks.
    public func save(_ key: String, _ e: Entry, now: Date = Date()) throws {
        try lock.withLock { try write(key, e, now: now) }
    }

    private func write(_ key: String, _ e: Entry, now: Date) throws {
        _ = try db.execute("""
            INSERT INTO backfill(key, range_from, range_to, cursor, done, posts, complaints, incidents, updated_at,
                                 walked, through_published, through_key)
            VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(key) DO UPDATE SET cursor = excluded.cursor, done = excluded.done, posts = excluded.posts,
                complaints = excluded.complaints, incidents = excluded.incidents, updated_at = excluded.updated_at,
                walked = excluded.walked, through_published = excluded.through_published, through_key = excluded.through_key
            """, [.text(key), .double(e.from.timeIntervalSince1970), .double(e.to.timeIntervalSince1970), e.cursor.map { .text($0.value) } ?? .null,
                  .int(e.done ? 1 : 0), .int(Int64(e.posts)), .int(Int64(e.complaints)), .int(Int64(e.incidents)),
                  .double(now.timeIntervalSince1970), .int(e.walked ? 1 : 0),
                  e.through.map { .double($0.published) } ?? .null, e.through.map { .text($0.key) } ?? .null])
    }
}
