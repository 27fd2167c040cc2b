import Foundation

/// The dedupe window on disk: `<stateDir>/dedupe.sqlite`, one row per post (its key kept as
/// text, which the in-memory index does not hold), written in batches. Not thread-safe:
/// `DedupeWindow` calls it under its lock.
final class DedupeStore {
    private let db: SQLiteDatabase

    /// `path` may be `:memory:` (nothing survives the process).
    init(path: String) throws {
        db = try SQLiteDatabase(path: path)
        try db.executeScript("""
            CREATE TABLE IF NOT EXISTS dedupe_posts (
                key_hash INTEGER PRIMARY KEY, key TEXT NOT NULL, simhash INTEGER NOT NULL,
                root_hash INTEGER NOT NULL, anchor INTEGER NOT NULL, published INTEGER NOT NULL,
                edited INTEGER NOT NULL, inserted INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS dedupe_posts_inserted ON dedupe_posts(inserted);
            """)
    }

    /// A second, read-only connection to an existing store: in WAL mode it reads the last
    /// committed rows while the writer's connection writes.
    init(readingFrom path: String) throws {
        db = try SQLiteDatabase(path: path, readOnly: true)
    }

    /// Writes (or overwrites) a batch of entries in one transaction.
    func write(_ batch: [(DedupeEntry, String)]) throws {
        guard !batch.isEmpty else { return }
        try db.transaction {
            for (e, key) in batch {
                try db.execute("""
                    INSERT OR REPLACE INTO dedupe_posts
                    (key_hash, key, simhash, root_hash, anchor, published, edited, inserted)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.int(Int64(bitPattern: e.keyHash)), .text(key), .int(Int64(bitPattern: e.simhash)),
                          .int(Int64(bitPattern: e.rootHash)), .int(Int64(e.anchor)), .int(Int64(e.published)),
                          .int(Int64(e.edited)), .int(Int64(e.inserted))])
            }
        }
    }

    /// The newest `limit` entries inserted at or after `since`, oldest first.
    func load(since: UInt32, limit: Int) throws -> [DedupeEntry] {
        var out: [DedupeEntry] = []
        try db.forEach("""
            SELECT key_hash, simhash, root_hash, anchor, published, edited, inserted FROM (
              SELECT * FROM dedupe_posts WHERE inserted >= ? ORDER BY inserted DESC, rowid DESC LIMIT ?)
            ORDER BY inserted, rowid
            """, [.int(Int64(since)), .int(Int64(limit))]) { r in
            func u64(_ i: Int) -> UInt64 { UInt64(bitPattern: r[i].int ?? 0) }
            func u32(_ i: Int) -> UInt32 { UInt32(clamping: r[i].int ?? 0) }
            out.append(DedupeEntry(keyHash: u64(0), simhash: u64(1), rootHash: u64(2), anchor: u32(3),
                                   published: u32(4), edited: u32(5), inserted: u32(6)))
        }
        return out
    }

    func key(forHash h: UInt64) throws -> String? {
        try db.query("SELECT key FROM dedupe_posts WHERE key_hash = ?", [.int(Int64(bitPattern: h))]).first?.first?.text
    }

    /// Deletes rows older than the window; returns how many.
    @discardableResult
    func prune(insertedBefore cutoff: UInt32) throws -> Int {
        try db.execute("DELETE FROM dedupe_posts WHERE inserted < ?", [.int(Int64(cutoff))])
    }
}
