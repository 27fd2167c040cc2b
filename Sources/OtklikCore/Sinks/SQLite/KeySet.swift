/// An exact set of post keys for the SQLite sink's merges, in insertion order. A key is
/// hashed with FNV-1a over its bytes (no `Hasher`, no per-process seed) into an open-addressed
/// table, and a matching hash is confirmed by comparing the strings. Merging an incident at
/// the `related_posts` cap meant hashing a few hundred keys with `Set<String>`; at a million
/// posts that was a tenth of the sink's time.
struct KeySet {
    private var slots: [Int32]   // index into `keys`, -1 for an empty slot
    private var hashes: [UInt64]
    private(set) var keys: [String] = []

    init(capacity: Int = 8) {
        let size = Self.tableSize(for: capacity)
        slots = Array(repeating: -1, count: size)
        hashes = []
        hashes.reserveCapacity(capacity)
        keys.reserveCapacity(capacity)
    }

    init<S: Sequence>(_ keys: S) where S.Element == String {
        self.init(capacity: keys.underestimatedCount)
        for k in keys { insert(k) }
    }

    var count: Int { keys.count }

    /// Inserts `key`; false when it was there already.
    @discardableResult
    mutating func insert(_ key: String) -> Bool {
        let h = Self.hash(key)
        var i = Int(truncatingIfNeeded: h) & (slots.count - 1)
        while slots[i] >= 0 {
            let k = Int(slots[i])
            if hashes[k] == h, keys[k] == key { return false }
            i = (i + 1) & (slots.count - 1)
        }
        slots[i] = Int32(keys.count)
        hashes.append(h)
        keys.append(key)
        if keys.count * 2 > slots.count { grow() }
        return true
    }

    func contains(_ key: String) -> Bool {
        let h = Self.hash(key)
        var i = Int(truncatingIfNeeded: h) & (slots.count - 1)
        while slots[i] >= 0 {
            let k = Int(slots[i])
            if hashes[k] == h, keys[k] == key { return true }
            i = (i + 1) & (slots.count - 1)
        }
        return false
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for (k, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & (slots.count - 1)
            while slots[i] >= 0 { i = (i + 1) & (slots.count - 1) }
            slots[i] = Int32(k)
        }
    }

    private static func tableSize(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        return size
    }

    /// FNV-1a of the UTF-8 bytes, mixed so that the low bits (the slot) depend on every byte.
    private static func hash(_ key: String) -> UInt64 {
        let h = key.utf8.withContiguousStorageIfAvailable { StableHash.fnv1a64(bytes: $0) } ?? StableHash.fnv1a64(key)
        return (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
    }

    /// Whether `a` is already `IncidentMerge.union(a, b, without: opening)`: each key once,
    /// without `opening`, and every key of `b` in it (or `opening`). The usual case for a
    /// version of an incident at the `related_posts` cap (both lists are its first keys),
    /// answered from hashes and indices into `a`, without copying a key.
    static func isUnion(of a: [String], _ b: [String], without opening: String) -> Bool {
        guard a.count <= Int(Int32.max) else { return false }
        let size = tableSize(for: a.count)
        var slots = [Int32](repeating: -1, count: size)
        var hashes = [UInt64](repeating: 0, count: a.count)
        return slots.withUnsafeMutableBufferPointer { slots in
            hashes.withUnsafeMutableBufferPointer { hashes in
                let mask = size - 1
                func find(_ key: String, _ h: UInt64) -> (found: Bool, slot: Int) {
                    var i = Int(truncatingIfNeeded: h) & mask
                    while slots[i] >= 0 {
                        let k = Int(slots[i])
                        if hashes[k] == h, a[k] == key { return (true, i) }
                        i = (i + 1) & mask
                    }
                    return (false, i)
                }
                for k in a.indices {
                    let h = hash(a[k])
                    let (found, slot) = find(a[k], h)
                    if found || a[k] == opening { return false }
                    slots[slot] = Int32(k)
                    hashes[k] = h
                }
                for key in b where key != opening {
                    if !find(key, hash(key)).found { return false }
                }
                return true
            }
        }
    }
}
