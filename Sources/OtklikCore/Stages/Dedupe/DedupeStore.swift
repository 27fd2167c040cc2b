import Foundation

/// The dedupe window on disk: `<stateDir>/dedupe.sqlite`. Each flush of the window is one
/// row of `dedupe_batches` holding its entries and their keys as blobs (`DedupeBatch`): an
/// append per few hundred posts, not a B-tree insert per post, which at tens of thousands
/// of posts a second was most of the window's cost. Batches are numbered; the in-memory
/// index remembers each entry's batch and position (`place`), so a key is read back with
/// one row.
/// Not thread-safe: `DedupeWindow` serialises calls through its writer queue.
final class DedupeStore {
    private let db: SQLiteDatabase

    /// `path` may be `:memory:` (nothing survives the process).
    init(path: String) throws {
        db = try SQLiteDatabase(path: path)
        try db.executeScript("""
            CREATE TABLE IF NOT EXISTS dedupe_batches (
                id INTEGER PRIMARY KEY, newest INTEGER NOT NULL, entries BLOB NOT NULL, keys BLOB NOT NULL);
            """)
        try migrateRowsTable()
    }

    /// A second, read-only connection to an existing store: in WAL mode it reads the last
    /// committed rows while the writer's connection writes.
    init(readingFrom path: String) throws {
        db = try SQLiteDatabase(path: path, readOnly: true)
    }

    /// The highest batch number stored, 0 for an empty store.
    func lastBatch() throws -> UInt32 {
        UInt32(clamping: try db.query("SELECT MAX(id) FROM dedupe_batches").first?.first?.int ?? 0)
    }

    /// Writes a batch as row `id` (replacing a row of that number).
    func write(id: UInt32, _ batch: [(DedupeEntry, String)]) throws {
        guard !batch.isEmpty else { return }
        let (entries, keys) = DedupeBatch.encode(batch)
        try write(id: id, entries: entries, keys: keys, newest: batch.map(\.0.inserted).max() ?? 0)
    }

    /// Writes an encoded batch (`DedupeBatch.encode`); `newest` is its latest `inserted`.
    func write(id: UInt32, entries: [UInt8], keys: [UInt8], newest: UInt32) throws {
        guard !entries.isEmpty else { return }
        _ = try db.execute("INSERT OR REPLACE INTO dedupe_batches (id, newest, entries, keys) VALUES (?, ?, ?, ?)",
                           [.int(Int64(id)), .int(Int64(newest)), .blob(Data(entries)), .blob(Data(keys))])
    }

    /// Where an entry's key is on disk: batch number and position in the batch, in one number
    /// (`DedupeIndex` keeps it as the entry's tag).
    static func place(batch: UInt32, index: Int) -> UInt64 { UInt64(batch) << 32 | UInt64(UInt32(clamping: index)) }

    /// The newest `limit` entries inserted at or after `since`, oldest first, each with its
    /// `place`.
    func load(since: UInt32, limit: Int) throws -> [(DedupeEntry, place: UInt64)] {
        var newestFirst: [[(DedupeEntry, place: UInt64)]] = []
        var total = 0
        try db.forEach("SELECT id, entries FROM dedupe_batches WHERE newest >= ? ORDER BY id DESC", [.int(Int64(since))]) { r in
            guard total < limit, let id = r[0].int, let blob = r[1].blob else { return }
            let batch = UInt32(clamping: id)
            let rows = DedupeBatch.decodeEntries(Array(blob)).enumerated()
                .filter { $0.element.inserted >= since }
                .map { ($0.element, place: Self.place(batch: batch, index: $0.offset)) }
            newestFirst.append(rows)
            total += rows.count
        }
        var out = Array(newestFirst.reversed().joined())
        if out.count > limit { out.removeFirst(out.count - limit) }
        return out
    }

    /// The keys blob of batch `batch` (`DedupeBatch`), nil when there is no such batch.
    func keys(batch: UInt32) throws -> Data? {
        try db.query("SELECT keys FROM dedupe_batches WHERE id = ?", [.int(Int64(batch))]).first?.first?.blob
    }

    /// Deletes batches whose every entry is older than the window; returns how many.
    @discardableResult
    func prune(insertedBefore cutoff: UInt32) throws -> Int {
        try db.execute("DELETE FROM dedupe_batches WHERE newest < ?", [.int(Int64(cutoff))])
    }

    /// Stores written before batches kept one row per post in `dedupe_posts`: they are
    /// copied into batches, oldest first, and the old table dropped, in one transaction.
    private func migrateRowsTable() throws {
        let exists = try db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dedupe_posts'").first != nil
        guard exists else { return }
        try db.transaction {
            var next = try lastBatch() + 1
            var batch: [(DedupeEntry, String)] = []
            func put() throws {
                try write(id: next, batch)
                next += 1
                batch.removeAll(keepingCapacity: true)
            }
            try db.forEach("""
                SELECT key_hash, key, simhash, root_hash, anchor, published, edited, inserted
                FROM dedupe_posts ORDER BY inserted, rowid
                """) { r in
                func u64(_ i: Int) -> UInt64 { UInt64(bitPattern: r[i].int ?? 0) }
                func u32(_ i: Int) -> UInt32 { UInt32(clamping: r[i].int ?? 0) }
                guard let key = r[1].text else { return }
                batch.append((DedupeEntry(keyHash: u64(0), simhash: u64(2), rootHash: u64(3), anchor: u32(4),
                                          published: u32(5), edited: u32(6), inserted: u32(7)), key))
                if batch.count >= 512 { try put() }
            }
            if !batch.isEmpty { try put() }
            _ = try db.execute("DROP TABLE dedupe_posts")
        }
    }
}
