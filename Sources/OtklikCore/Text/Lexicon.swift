/// The tokenizer's word cache: lowercased UTF-8 bytes → the word and its stem as strings.
///
/// Why: stemming and building `String`s dominate tokenization; a post mostly repeats
/// words seen before, so a hit costs one hash and one byte compare, and tokens share
/// the cached strings' storage. Bounded: cleared when `limit` words are held, so memory
/// does not grow with the number of posts.
final class Lexicon {
    struct Entry {
        var hash: UInt64
        var offset: Int
        var length: Int
        var word: String
        var stem: String
    }

    private(set) var entries: [Entry] = []
    private var slots: [Int32]
    private var arena: [UInt8] = []
    private var mask: Int
    let limit: Int

    init(limit: Int = 300_000) {
        self.limit = limit
        slots = [Int32](repeating: -1, count: 1 << 12)
        mask = (1 << 12) - 1
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    /// The entry index for `bytes`, or nil.
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let e = Int(slots[i])
            if e < 0 { return nil }
            let entry = entries[e]
            if entry.hash == hash, entry.length == bytes.count, equal(entry.offset, bytes) { return e }
            i = (i + 1) & mask
        }
    }

    private func equal(_ offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        arena.withUnsafeBufferPointer { a in
            for k in 0..<bytes.count where a[offset + k] != bytes[k] { return false }
            return true
        }
    }

    /// Adds a word (its bytes must not be present) and returns its index.
    func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, word: String, stem: String) -> Int {
        if entries.count >= limit { clear() }
        if (entries.count + 1) * 2 > slots.count { grow() }
        let offset = arena.count
        arena.append(contentsOf: bytes)
        entries.append(Entry(hash: hash, offset: offset, length: bytes.count, word: word, stem: stem))
        place(entries.count - 1, hash: hash)
        return entries.count - 1
    }

    private func place(_ e: Int, hash: UInt64) {
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(e)
    }

    private func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        mask = slots.count - 1
        for (i, e) in entries.enumerated() { place(i, hash: e.hash) }
    }

    func clear() {
        entries.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        for i in slots.indices { slots[i] = -1 }
    }

    var count: Int { entries.count }
}
