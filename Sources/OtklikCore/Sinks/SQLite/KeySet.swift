/// An exact set of post keys for the SQLite sink's merges, in insertion order. A key is
/// hashed eight bytes at a time (no `Hasher`, no per-process seed) into an open-addressed
/// table, and a matching hash is confirmed by comparing the strings. Merging an incident at
/// the `related_posts` cap meant hashing a few hundred keys with `Set<String>`; at a million
/// posts that was a tenth of the sink's time.
struct KeySet {
    private var slots: [Int32]   // index into `keys`, -1 for an empty slot
    private var hashes: [UInt64]
    private(set) var keys: [String] = []

    init(capacity: Int = 8) {
        slots = Array(repeating: -1, count: Self.tableSize(for: capacity))
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
        let (slot, found) = probe(key, hash: h)
        if found { return false }
        slots[slot] = Int32(keys.count)
        hashes.append(h)
        keys.append(key)
        if keys.count * 2 > slots.count { grow() }
        return true
    }

    func contains(_ key: String) -> Bool { probe(key, hash: Self.hash(key)).found }

    /// The slot holding `key`, or the empty slot where it would go.
    private func probe(_ key: String, hash h: UInt64) -> (slot: Int, found: Bool) {
        var i = Int(truncatingIfNeeded: h) & (slots.count - 1)
        while slots[i] >= 0 {
            let k = Int(slots[i])
            if hashes[k] == h, keys[k] == key { return (i, true) }
            i = (i + 1) & (slots.count - 1)
        }
        return (i, false)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for (k, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & (slots.count - 1)
            while slots[i] >= 0 { i = (i + 1) & (slots.count - 1) }
            slots[i] = Int32(k)
        }
    }

    static func tableSize(for capacity: Int) -> Int {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        return size
    }

    static func hash(_ key: String) -> UInt64 {
        if let h = key.utf8.withContiguousStorageIfAvailable({ hash($0) }) { return h }
        var copy = key
        return copy.withUTF8 { hash($0) }
    }

    /// Eight bytes per multiply, then a final mix so that the low bits (the slot) depend on
    /// every byte.
    static func hash(_ u: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(u.count)
        guard let base = u.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= u.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0, shift: UInt64 = 0
        while i < u.count { tail |= UInt64(u[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }
}
