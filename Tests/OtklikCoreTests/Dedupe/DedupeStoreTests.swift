import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

@Suite struct DedupeStoreTests {
    static func entry(_ n: UInt64, inserted: UInt32 = 1_790_000_000) -> DedupeEntry {
        DedupeEntry(keyHash: StableHash.fnv1a64("vk:wall-1_\(n)"), simhash: n &* 0x9E37_79B9_7F4A_7C15, rootHash: n,
                    anchor: UInt32(truncatingIfNeeded: n), published: inserted &- 10, edited: 0, inserted: inserted)
    }

    @Test func batch_whenEncodedAndDecoded_givesTheSameEntriesAndKeys() {
        let batch = (0..<300).map { (Self.entry(UInt64($0)), "vk:wall-1_\($0)") }
            + [(Self.entry(9999), "tg:канал/42 ✓")]
        let (entries, keys) = DedupeBatch.encode(batch)
        #expect(entries.count == batch.count * DedupeBatch.entrySize)
        #expect(DedupeBatch.decodeEntries(entries) == batch.map(\.0))
        for (i, (_, k)) in batch.enumerated() { #expect(DedupeBatch.key(at: i, keys: keys) == k) }
        #expect(DedupeBatch.key(at: batch.count, keys: keys) == nil)
    }

    @Test func batch_whenBlobsAreTruncated_answersNilInsteadOfCrashing() {
        let batch = (0..<5).map { (Self.entry(UInt64($0)), "vk:wall-1_\($0)") }
        let (entries, keys) = DedupeBatch.encode(batch)
        #expect(DedupeBatch.decodeEntries(Array(entries.dropLast(3))).count == 4)
        #expect(DedupeBatch.key(at: 4, keys: Array(keys.prefix(30))) == nil)
        #expect(DedupeBatch.key(at: 0, keys: []) == nil)
    }

    @Test func store_whenBatchesWritten_loadsNewestEntriesOldestFirstWithTheirBatch() throws {
        let path = TestPaths.makeTempDir() + "/dedupe.sqlite"
        let s = try DedupeStore(path: path)
        try s.write(id: 1, (0..<10).map { (Self.entry(UInt64($0), inserted: 100), "vk:wall-1_\($0)") })
        try s.write(id: 2, (10..<20).map { (Self.entry(UInt64($0), inserted: 200), "vk:wall-1_\($0)") })
        #expect(try s.lastBatch() == 2)
        let all = try s.load(since: 0, limit: 100)
        #expect(all.map(\.0.rootHash) == (0..<20).map { UInt64($0) })
        #expect(all.map(\.place) == (0..<10).map { DedupeStore.place(batch: 1, index: $0) }
                + (0..<10).map { DedupeStore.place(batch: 2, index: $0) })
        #expect(try s.load(since: 0, limit: 5).map(\.0.rootHash) == (15..<20).map { UInt64($0) })
        #expect(try s.load(since: 150, limit: 100).count == 10)
        let keys2 = try #require(try s.keys(batch: 2))
        #expect(DedupeBatch.key(at: 3, keys: keys2) == "vk:wall-1_13")
        // A missing batch, a position past the end: no key.
        #expect(try s.keys(batch: 9) == nil)
        #expect(DedupeBatch.key(at: 10, keys: keys2) == nil)
        #expect(try s.prune(insertedBefore: 150) == 1)
        #expect(try s.load(since: 0, limit: 100).count == 10)
    }

    @Test func store_whenOpeningTheOneRowPerPostLayout_migratesItIntoBatches() throws {
        let path = TestPaths.makeTempDir() + "/dedupe.sqlite"
        do {
            let db = try SQLiteDatabase(path: path)
            try db.executeScript("""
                CREATE TABLE dedupe_posts (
                    key_hash INTEGER PRIMARY KEY, key TEXT NOT NULL, simhash INTEGER NOT NULL,
                    root_hash INTEGER NOT NULL, anchor INTEGER NOT NULL, published INTEGER NOT NULL,
                    edited INTEGER NOT NULL, inserted INTEGER NOT NULL);
                CREATE INDEX dedupe_posts_inserted ON dedupe_posts(inserted);
                """)
            for n in 0..<700 {
                let e = Self.entry(UInt64(n), inserted: 1000 + UInt32(n))
                _ = try db.execute("INSERT INTO dedupe_posts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                    .int(Int64(bitPattern: e.keyHash)), .text("vk:wall-1_\(n)"), .int(Int64(bitPattern: e.simhash)),
                    .int(Int64(bitPattern: e.rootHash)), .int(Int64(e.anchor)), .int(Int64(e.published)),
                    .int(Int64(e.edited)), .int(Int64(e.inserted))])
            }
        }
        let s = try DedupeStore(path: path)
        let loaded = try s.load(since: 0, limit: 1_000_000)
        #expect(loaded.map(\.0) == (0..<700).map { Self.entry(UInt64($0), inserted: 1000 + UInt32($0)) })
        #expect(try s.lastBatch() == 2)
        let place = loaded[650].place
        #expect(place == DedupeStore.place(batch: 2, index: 650 - 512))
        #expect(DedupeBatch.key(at: Int(place & 0xFFFF_FFFF), keys: try #require(try s.keys(batch: UInt32(place >> 32))))
                == "vk:wall-1_650")
        let db = try SQLiteDatabase(path: path, readOnly: true)
        #expect(try db.query("SELECT 1 FROM sqlite_master WHERE name = 'dedupe_posts'").isEmpty)
    }
}
