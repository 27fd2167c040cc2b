import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// The checkpoint store's spool: posts of a history walk, kept once, read back oldest first.
struct BackfillSpoolTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func post(_ id: String, minute: Double) -> Post {
        Post(sourceKind: "vk", sourceID: "s", postID: id, published: t0.addingTimeInterval(minute * 60 + 0.123456), text: "текст \(id)")
    }

    @Test func spool_pagesNewestFirst_areReadBackOldestFirstInBatches() throws {
        let store = try BackfillCheckpointStore(path: TestPaths.makeTempDir() + "/backfill.sqlite")
        let key = BackfillCheckpointStore.key(pipeline: "p", source: "s", since: "7d", until: nil)
        let entry = BackfillCheckpointStore.Entry(from: t0, to: t0.addingTimeInterval(86400))
        #expect(try store.spool(key, [post("c", minute: 3), post("d", minute: 4)], entry: entry) == 2)
        // The next page overlaps the first by one post.
        var e = try #require(try store.entry(key))
        e.cursor = Cursor("page2")
        #expect(try store.spool(key, [post("a", minute: 1), post("b", minute: 2), post("c", minute: 3)], entry: e) == 2)
        #expect(try store.entry(key)?.posts == 4)
        #expect(try store.entry(key)?.cursor == Cursor("page2"))

        let first = try store.spooled(key, after: nil, limit: 3)
        #expect(first.map(\.post.postID) == ["a", "b", "c"])
        #expect(first[0].post.text == "текст a")
        let rest = try store.spooled(key, after: first.last?.position, limit: 3)
        #expect(rest.map(\.post.postID) == ["d"])
        #expect(try store.spooled(key, after: rest.last?.position, limit: 3).isEmpty)

        try store.dropSpool(key)
        #expect(try store.spooled(key, after: nil, limit: 10).isEmpty)
    }

    @Test func entry_walkedAndThrough_areReadBack() throws {
        let store = try BackfillCheckpointStore(path: TestPaths.makeTempDir() + "/backfill.sqlite")
        let e = BackfillCheckpointStore.Entry(from: t0, to: t0.addingTimeInterval(60), posts: 9, complaints: 3, incidents: 2,
                                              walked: true, through: .init(published: 1_790_000_100.25, key: "vk:wall-1_5"))
        try store.save("k", e)
        #expect(try store.entry("k") == e)
    }

    @Test func store_fromBeforeTheSpool_isUpgradedAndKeepsItsEntry() throws {
        let path = TestPaths.makeTempDir() + "/backfill.sqlite"
        let old = try SQLiteDatabase(path: path)
        try old.executeScript("""
            CREATE TABLE backfill(
                key TEXT PRIMARY KEY, range_from REAL NOT NULL, range_to REAL NOT NULL, cursor TEXT, done INTEGER NOT NULL DEFAULT 0,
                posts INTEGER NOT NULL DEFAULT 0, complaints INTEGER NOT NULL DEFAULT 0,
                incidents INTEGER NOT NULL DEFAULT 0, updated_at REAL NOT NULL);
            INSERT INTO backfill VALUES ('k', 1790000000, 1790086400, 'c7', 0, 40, 10, 8, 1790000500);
            """)
        let store = try BackfillCheckpointStore(path: path)
        let e = try #require(try store.entry("k"))
        #expect(e.cursor == Cursor("c7") && e.posts == 40 && e.incidents == 8)
        #expect(!e.walked && e.through == nil)
    }
}
