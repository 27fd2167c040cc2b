/// The on-disk form of a batch of dedupe entries: two blobs, so that a batch of hundreds of
/// posts is one SQLite row (an append) instead of hundreds of rows inserted at random places
/// of a B-tree keyed by hash. Pure byte coding, no I/O.
///
/// `entries`: 40 bytes per entry, little-endian: key hash, SimHash, root hash (UInt64 each),
/// anchor, published, edited, inserted (UInt32 each). `keys`: per entry, in the same order,
/// a UInt32 byte length and the key's UTF-8 bytes.
enum DedupeBatch {
    static let entrySize = 40

    static func encode(_ batch: [(DedupeEntry, String)]) -> (entries: [UInt8], keys: [UInt8]) {
        var entries: [UInt8] = []
        entries.reserveCapacity(batch.count * entrySize)
        var keys: [UInt8] = []
        keys.reserveCapacity(batch.count * 32)
        for (e, key) in batch {
            put(e.keyHash, &entries); put(e.simhash, &entries); put(e.rootHash, &entries)
            put(e.anchor, &entries); put(e.published, &entries); put(e.edited, &entries); put(e.inserted, &entries)
            put(UInt32(key.utf8.count), &keys)
            keys.append(contentsOf: key.utf8)
        }
        return (entries, keys)
    }

    /// The entries of a blob, in order; a truncated tail is ignored.
    static func decodeEntries(_ blob: [UInt8]) -> [DedupeEntry] {
        var out: [DedupeEntry] = []
        out.reserveCapacity(blob.count / entrySize)
        var i = 0
        while i + entrySize <= blob.count {
            out.append(DedupeEntry(keyHash: u64(blob, i), simhash: u64(blob, i + 8), rootHash: u64(blob, i + 16),
                                   anchor: u32(blob, i + 24), published: u32(blob, i + 28),
                                   edited: u32(blob, i + 32), inserted: u32(blob, i + 36)))
            i += entrySize
        }
        return out
    }

    /// The key of the last entry with `keyHash` in the batch, nil when it is not there or the
    /// blobs are damaged.
    static func key(_ keyHash: UInt64, entries: [UInt8], keys: [UInt8]) -> String? {
        var index: Int?
        var i = 0, n = 0
        while i + entrySize <= entries.count {
            if u64(entries, i) == keyHash { index = n }
            i += entrySize; n += 1
        }
        guard let index else { return nil }
        var p = 0
        for k in 0...index {
            guard p + 4 <= keys.count else { return nil }
            let len = Int(u32(keys, p))
            p += 4
            guard p + len <= keys.count else { return nil }
            if k == index { return String(decoding: keys[p..<(p + len)], as: UTF8.self) }
            p += len
        }
        return nil
    }

    private static func put(_ v: UInt64, _ out: inout [UInt8]) {
        for s in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
    }

    private static func put(_ v: UInt32, _ out: inout [UInt8]) {
        for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) }
    }

    private static func u64(_ b: [UInt8], _ i: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(b[i + k]) << UInt64(8 * k) }
        return v
    }

    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(b[i + k]) << UInt32(8 * k) }
        return v
    }
}
