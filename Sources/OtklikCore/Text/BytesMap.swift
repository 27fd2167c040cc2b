/// A hash map keyed by UTF-8 bytes, bounded in size.
///
/// Why not `[String: Value]`: hashing a non-ASCII `String` normalises it (Unicode
/// canonical equivalence), which dominated tokenizing and matching Russian text. Keys
/// here are already normalised (lowercased, `ё`→`е`), so plain bytes are exact. Cleared
/// when `limit` keys are held, so memory does not grow with the number of posts.
final class BytesMap<Value> {
    private struct Key { var hash: UInt64; var offset: Int32; var length: Int32 }
    /// One array of key records: a probe reads one record, not three arrays.
    private var keys: [Key] = []
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
            let k = keys[e]
            if k.hash == hash, Int(k.length) == bytes.count, equal(Int(k.offset), bytes) { return e }
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
        if values.count >= limit || arena.count + bytes.count >= Int(Int32.max) { clear() }
        if (values.count + 1) * 2 > slots.count { grow() }
        keys.append(Key(hash: hash, offset: Int32(truncatingIfNeeded: arena.count), length: Int32(bytes.count)))
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
        for e in 0..<keys.count { place(e, hash: keys[e].hash) }
    }

    func clear() {
        keys.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = -1 }
    }
}
