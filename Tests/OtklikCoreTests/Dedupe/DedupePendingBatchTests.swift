import Foundation
import Testing
@testable import OtklikCore

/// The pending batch, the post key kept as parts, and the window's memory of family roots.
@Suite struct DedupePendingBatchTests {
    static let keys = (0..<700).map { "vk:wall-1_\($0)" } + ["telegram:канал/42 ✓", "jsonl:", "x"]

    @Test func pendingBatch_encodesExactlyAsTheBatchFormat() {
        var pending = DedupePendingBatch()
        var tuples: [(DedupeEntry, String)] = []
        for (n, key) in Self.keys.enumerated() {
            let e = DedupeStoreTests.entry(UInt64(n))
            let k = DedupeEntry(keyHash: StableHash.fnv1a64(key), simhash: e.simhash, rootHash: e.rootHash, anchor: e.anchor,
                                published: e.published, edited: UInt32(n), inserted: e.inserted)
            let parts = key.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            pending.append(k, key: parts.count == 2 ? DedupeKey(kind: String(parts[0]), id: String(parts[1])) : DedupeKey(key))
            tuples.append((k, key))
        }
        let (entries, keys) = pending.encoded()
        let reference = DedupeBatch.encode(tuples)
        #expect(entries == reference.entries && keys == reference.keys)
        for (n, key) in Self.keys.enumerated() {
            #expect(pending.index(of: StableHash.fnv1a64(key)) == n)
            #expect(pending.key(at: n) == key)
        }
        #expect(pending.index(of: 12345) == nil)
        pending.removeAll()
        #expect(pending.isEmpty && pending.index(of: StableHash.fnv1a64(Self.keys[0])) == nil)
    }

    @Test func entriesBlob_equalsTheFieldByFieldLittleEndianEncoding() {
        let entries = (0..<50).map { DedupeStoreTests.entry(UInt64($0) &* 0x0123_4567_89AB_CDEF) }
        var expected: [UInt8] = []
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { expected.append(contentsOf: $0) } }
        for e in entries {
            put(e.keyHash); put(e.simhash); put(e.rootHash); put(e.anchor); put(e.published); put(e.edited); put(e.inserted)
        }
        #expect(DedupeBatch.encode(entries) == expected)
        #expect(DedupeBatch.decodeEntries(expected) == entries)
    }

    @Test func dedupeKey_hashesAndSpellsLikePostKey() {
        let post = DedupeHarness.post("bataysk_news/1234", "текст", source: "telegram")
        let key = DedupeKey(kind: post.sourceKind, id: post.postID)
        #expect(key.hash == StableHash.fnv1a64(post.key))
        #expect(key.string == post.key)
        #expect(DedupeKey("vk:wall-1_2").hash == StableHash.fnv1a64("vk:wall-1_2"))
    }

    /// A family's root named once is remembered; once the root has left the window (and
    /// its batch went to the store), its near-duplicates name the newest match instead, as
    /// without the memory. While its batch is pending, the root is still named.
    @Test(arguments: [1, 512])
    func dedupe_whenTheRootLeavesTheWindow_namesTheMatchThatIsLeft(batchSize: Int) throws {
        let water = "Третий день нет воды в Батайске на ул. Ленина 15. В водоканале трубку не берут, сколько можно терпеть?"
        let h = DedupeHarness { $0.maxEntries = 2; $0.batchSize = batchSize }
        try h.run(DedupeHarness.post("root", water))
        #expect(try h.run(DedupeHarness.post("copy", water + "!")).1.nearDuplicateOf == "vk:root")
        #expect(try h.run(DedupeHarness.post("copy2", water + "!!")).1.nearDuplicateOf == "vk:root")
        // "copy2" took the root's slot: the root is gone, so the newest match (copy2) is named.
        let expected = batchSize == 1 ? "vk:copy2" : "vk:root"
        #expect(try h.run(DedupeHarness.post("copy3", water + "!!!")).1.nearDuplicateOf == expected)
    }
}
