/// The entries the window took in since its last flush, in the order they will be stored,
/// with their keys' bytes laid out as `DedupeBatch` stores them: a flush copies two
/// buffers instead of encoding each post, and a post costs no String and no Dictionary
/// hashing (a small open-addressed table finds a key already pending).
struct DedupePendingBatch {
    private(set) var entries: [DedupeEntry] = []
    /// The keys' UTF-8 bytes, one after the other; key `i` ends at `keyEnds[i]`.
    private var keyBytes: [UInt8] = []
    private var keyEnds: [UInt32] = []
    /// Open addressing, linear probing: `entries` index + 1 by key hash (0: empty).
    private var table: [UInt32] = Array(repeating: 0, count: 1024)

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    private func home(_ keyHash: UInt64) -> Int { Int(truncatingIfNeeded: StableHash.mix(keyHash)) & (table.count - 1) }

    /// Where the entry for this key is, if one is pending.
    func index(of keyHash: UInt64) -> Int? {
        var i = home(keyHash)
        while table[i] != 0 {
            let at = Int(table[i] - 1)
            if entries[at].keyHash == keyHash { return at }
            i = (i + 1) & (table.count - 1)
        }
        return nil
    }

    mutating func append(_ e: DedupeEntry, key: DedupeKey) {
        if (entries.count + 1) * 2 > table.count { rehash(table.count * 2) }
        var i = home(e.keyHash)
        while table[i] != 0 { i = (i + 1) & (table.count - 1) }
        entries.append(e)
        table[i] = UInt32(entries.count)
        key.append(to: &keyBytes)
        keyEnds.append(UInt32(keyBytes.count))
    }

    /// Replaces pending entry `i` (a newer version of the same key).
    mutating func replace(at i: Int, with e: DedupeEntry) { entries[i] = e }

    func key(at i: Int) -> String {
        let a = i == 0 ? 0 : Int(keyEnds[i - 1])
        return String(decoding: keyBytes[a..<Int(keyEnds[i])], as: UTF8.self)
    }

    /// The blobs `DedupeBatch.encode` would give for these entries and keys.
    func encoded() -> (entries: [UInt8], keys: [UInt8]) {
        (DedupeBatch.encode(entries), DedupeBatch.encodeKeys(bytes: keyBytes, ends: keyEnds))
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        keyBytes.removeAll(keepingCapacity: true)
        keyEnds.removeAll(keepingCapacity: true)
        table.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    private mutating func rehash(_ size: Int) {
        table = Array(repeating: 0, count: size)
        for (n, e) in entries.enumerated() {
            var i = home(e.keyHash)
            while table[i] != 0 { i = (i + 1) & (size - 1) }
            table[i] = UInt32(n + 1)
        }
    }
}
