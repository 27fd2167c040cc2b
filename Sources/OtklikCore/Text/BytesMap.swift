/// A hash map keyed by UTF-8 bytes, bounded in size.
///
/// Why not `[String: Value]`: hashing a non-ASCII `String` normalises it (Unicode
/// canonical equivalence), which dominated tokenizing and matching Russian text. Keys
/// here are already normalised (lowercased, `ё`→`е`), so plain bytes are exact. Cleared
/// when `limit` keys are held, so memory does not grow with the number of posts.
final class BytesMap<Value> {
    private var keysHash: [UInt64] = []
    private var keysOffset: [Int] = []
    private var keysLength: [Int] = []
    private(set) var values: [Value] = []
    private var slots: [Int32]
    private var arena: [UInt8] = []
    private var mask: Int
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        slots = [Int32](repeating: -1, count: 1 << 12)
        mask = (1 << 12) - 1
    }

    var count: Int { values.count }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h ^ (h >> 29)
    }

    /// The index of `bytes`' value, or nil.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return nil }
            if keysHash[e] == hash, keysLength[e] == bytes.count, equal(keysOffset[e], bytes) { return e }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func equal(_ offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { a in
            for k in 0..<bytes.count where a[offset + k] != bytes[k] { return false }
            return true
        }
    }

    /// Adds a key that is not present and returns its index.
    func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, value: Value) -> Int {
        if values.count >= limit { clear() }
        if (values.count + 1) * 2 > slots.count { grow() }
        keysHash.append(hash); keysOffset.append(arena.count); keysLength.append(bytes.count)
        arena.append(contentsOf: bytes)
        values.append(value)
        place(values.count - 1, hash: hash)
        return values.count - 1
    }

    private func place(_ e: Int, hash: UInt64) {
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(e)
    }

    private func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for e in 0..<keysHash.count { place(e, hash: keysHash[e]) }
    }

    func clear() {
        keysHash.removeAll(keepingCapacity: true); keysOffset.removeAll(keepingCapacity: true)
        keysLength.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = -1 }
    }
}
