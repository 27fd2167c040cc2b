/// An open-addressing hash table keyed by 64-bit word hashes (`StableHash.fnv1a64` of a
/// normalised word, as `Token.wordHash`/`stemHash` carry it).
///
/// Why: the hot paths look every token up in several vocabularies (street markers, place
/// names, rule symbols). A `Set<String>` hashes and compares Cyrillic strings through
/// Unicode normalisation on every lookup; here a lookup is one multiply and a probe or two.
/// Two different words with the same 64-bit hash would be confused: among a million
/// distinct words the chance is about 3·10⁻⁸.
public struct WordTable<Value> {
    /// Key and value side by side: a probe touches one cache line, not two arrays.
    fileprivate struct Slot { var key: UInt64; var value: Value? }
    private var slots: [Slot]
    private var mask: Int
    public private(set) var count = 0

    public init(minimumCapacity: Int = 8) {
        var n = 8
        while n < minimumCapacity * 2 { n <<= 1 }
        slots = Array(repeating: Slot(key: 0, value: nil), count: n)
        mask = n - 1
    }

    /// 0 marks an empty slot, so the (astronomically rare) zero hash is stored as 1.
    @inline(__always) private static func stored(_ h: UInt64) -> UInt64 { h == 0 ? 1 : h }

    @inline(__always) private func slot(_ h: UInt64) -> Int {
        Int(truncatingIfNeeded: ((h ^ (h >> 29)) &* 0x9e37_79b9_7f4a_7c15) >> 32) & mask
    }

    @inline(__always)
    public subscript(hash: UInt64) -> Value? {
        get {
            let k = Self.stored(hash)
            return slots.withUnsafeBufferPointer { p in
                var i = slot(k)
                while true {
                    let s = p[i].key
                    if s == k { return p[i].value }
                    if s == 0 { return nil }
                    i = (i + 1) & mask
                }
            }
        }
        set {
            guard let newValue else { return }   // removal is not needed by any user
            let k = Self.stored(hash)
            var i = slot(k)
            while slots[i].key != 0 && slots[i].key != k { i = (i + 1) & mask }
            if slots[i].key == 0 {
                if (count + 1) * 2 > slots.count { grow(); self[hash] = newValue; return }
                slots[i].key = k; count += 1
            }
            slots[i].value = newValue
        }
    }

    @inline(__always) public subscript(word: String) -> Value? {
        get { self[StableHash.fnv1a64(word)] }
        set { self[StableHash.fnv1a64(word)] = newValue }
    }

    public func contains(_ hash: UInt64) -> Bool { self[hash] != nil }

    public mutating func removeAll() {
        for i in slots.indices { slots[i] = Slot(key: 0, value: nil) }
        count = 0
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: 0, value: nil), count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for s in old where s.key != 0 {
            var j = slot(s.key)
            while slots[j].key != 0 { j = (j + 1) & mask }
            slots[j] = s; count += 1
        }
    }
}

extension WordTable: Sendable where Value: Sendable {}
extension WordTable.Slot: Sendable where Value: Sendable {}

/// A set of words looked up by their 64-bit hash (see `WordTable`).
public struct WordSet: Sendable {
    private var table = WordTable<Bool>()

    public init() {}

    /// `words` as they appear in tokens: lowercase, `ё`→`е`.
    public init<S: Sequence>(_ words: S) where S.Element == String {
        for w in words { insert(StableHash.fnv1a64(w)) }
    }

    public init<S: Sequence>(hashes: S) where S.Element == UInt64 {
        for h in hashes { insert(h) }
    }

    public mutating func insert(_ hash: UInt64) { table[hash] = true }

    @inline(__always) public func contains(_ hash: UInt64) -> Bool { table[hash] != nil }
    public func contains(_ word: String) -> Bool { contains(StableHash.fnv1a64(word)) }
    public var count: Int { table.count }
    public var isEmpty: Bool { table.count == 0 }
}
