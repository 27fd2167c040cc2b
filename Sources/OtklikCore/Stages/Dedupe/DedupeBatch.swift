import Foundation

/// The on-disk form of a batch of dedupe entries: two blobs, so that a batch of hundreds of
/// posts is one SQLite row (an append) instead of hundreds of rows inserted at random places
/// of a B-tree keyed by hash. Pure byte coding, no I/O.
///
/// `entries`: 40 bytes per entry, little-endian: key hash, SimHash, root hash (UInt64 each),
/// anchor, published, edited, inserted (UInt32 each). `keys`: `count + 1` UInt32 offsets
/// into the blob, then the keys' UTF-8 bytes; key `i` is the bytes from offset `i` to
/// offset `i + 1`.
enum DedupeBatch {
    static let entrySize = 40

    static func encode(_ batch: [(DedupeEntry, String)]) -> (entries: [UInt8], keys: [UInt8]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.count * 32)
        var ends: [UInt32] = []
        ends.reserveCapacity(batch.count)
        for (_, key) in batch {
            bytes.append(contentsOf: key.utf8)
            ends.append(UInt32(bytes.count))
        }
        return (encode(batch.map(\.0)), encodeKeys(bytes: bytes, ends: ends))
    }

    /// The entries blob.
    static func encode(_ entries: [DedupeEntry]) -> [UInt8] {
        if inMemoryLayoutMatches {
            return entries.withUnsafeBytes { Array($0) }
        }
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * entrySize)
        for e in entries {
            put(e.keyHash, &out); put(e.simhash, &out); put(e.rootHash, &out)
            put(e.anchor, &out); put(e.published, &out); put(e.edited, &out); put(e.inserted, &out)
        }
        return out
    }

    /// True when an array of `DedupeEntry` already is an entries blob (little-endian, the
    /// fields in blob order with no padding), so encoding is one copy.
    static let inMemoryLayoutMatches: Bool = {
        #if _endian(little)
        typealias E = DedupeEntry
        return MemoryLayout<E>.stride == entrySize && MemoryLayout<E>.offset(of: \E.keyHash) == 0
            && MemoryLayout<E>.offset(of: \E.simhash) == 8 && MemoryLayout<E>.offset(of: \E.rootHash) == 16
            && MemoryLayout<E>.offset(of: \E.anchor) == 24 && MemoryLayout<E>.offset(of: \E.published) == 28
            && MemoryLayout<E>.offset(of: \E.edited) == 32 && MemoryLayout<E>.offset(of: \E.inserted) == 36
        #else
        return false
        #endif
    }()

    /// The keys blob of keys stored one after the other in `bytes`, key `i` ending at `ends[i]`.
    static func encodeKeys(bytes: [UInt8], ends: [UInt32]) -> [UInt8] {
        let base = (ends.count + 1) * 4
        var out: [UInt8] = []
        out.reserveCapacity(base + bytes.count)
        put(UInt32(base), &out)
        for end in ends { put(UInt32(base) + end, &out) }
        out.append(contentsOf: bytes)
        return out
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

    /// Key `index` of a keys blob, nil when the blob has no such key or is damaged.
    static func key(at index: Int, keys: [UInt8]) -> String? { keys.withUnsafeBytes { key(at: index, keys: $0) } }

    /// `key(at:keys:)` of a blob as SQLite gives it, without copying it into an array.
    static func key(at index: Int, keys: Data) -> String? { keys.withUnsafeBytes { key(at: index, keys: $0) } }

    static func key(at index: Int, keys: UnsafeRawBufferPointer) -> String? {
        let h = index * 4
        guard index >= 0, h + 8 <= keys.count else { return nil }
        let a = Int(UInt32(littleEndian: keys.loadUnaligned(fromByteOffset: h, as: UInt32.self)))
        let b = Int(UInt32(littleEndian: keys.loadUnaligned(fromByteOffset: h + 4, as: UInt32.self)))
        guard a <= b, b <= keys.count else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: keys[a..<b]), as: UTF8.self)
    }

    private static func put(_ v: UInt64, _ out: inout [UInt8]) {
        for s in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
    }

    private static func put(_ v: UInt32, _ out: inout [UInt8]) {
        for s in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) }
    }

    private static func u64(_ b: [UInt8], _ i: Int) -> UInt64 {
        precondition(i >= 0 && i + 8 <= b.count)
        return UInt64(littleEndian: b.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i, as: UInt64.self) })
    }

    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        precondition(i >= 0 && i + 4 <= b.count)
        return UInt32(littleEndian: b.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i, as: UInt32.self) })
    }
}
