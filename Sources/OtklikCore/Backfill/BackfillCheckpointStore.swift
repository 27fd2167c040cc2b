import Foundation

/// Where a backfill stands, per source, so a killed `otklik backfill` restarted with the same
/// arguments continues where it stopped. Kept in `<state_dir>/<pipeline>/backfill.sqlite`,
/// apart from the live cursors, which a backfill never moves.
public final class BackfillCheckpointStore: @unchecked Sendable {
    public struct Entry: Sendable, Equatable {
        public var from: Date
        public var to: Date
        public var cursor: Cursor?
        public var done: Bool
        public var posts: Int
        public var complaints: Int
        public var incidents: Int
        public init(from: Date, to: Date, cursor: Cursor? = nil, done: Bool = false, posts: Int = 0, complaints: Int = 0,
                    incidents: Int = 0) {
            self.from = from; self.to = to; self.cursor = cursor; self.done = done; self.posts = posts; self.complaints = complaints; self.incidents = incidents
        }
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
            """)
    }

    public func entry(_ key: String) throws -> Entry? {
        try lock.withLock {
            guard let r = try db.query("""
                SELECT cursor, done, posts, complaints, incidents, range_from, range_to FROM backfill WHERE key = ?
                """,
                                       [.text(key)]).first else { return nil }
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
            return Entry(from: date(r[5]), to: date(r[6]), cursor: cursor, done: int(r[1]) != 0, posts: int(r[2]), complaints: int(r[3]), incidents: int(r[4]))
        }
    }

    /// Commits one page; called only after every incident of the page is acknowledged by the sinks.
    public func save(_ key: String, _ e: Entry, now: Date = Date()) throws {
        try lock.withLock {
            _ = try db.execute("""
                INSERT INTO backfill(key, range_from, range_to, cursor, done, posts, complaints, incidents, updated_at)
                VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET cursor = excluded.cursor, done = excluded.done, posts = excluded.posts,
                    complaints = excluded.complaints, incidents = excluded.incidents, updated_at = excluded.updated_at
                """, [.text(key), .double(e.from.timeIntervalSince1970), .double(e.to.timeIntervalSince1970), e.cursor.map { .text($0.value) } ?? .null, .int(e.done ? 1 : 0), .int(Int64(e.posts)),
                      .int(Int64(e.complaints)), .int(Int64(e.incidents)), .double(now.timeIntervalSince1970)])
        }
    }
}
