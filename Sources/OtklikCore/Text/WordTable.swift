/// An open-addressing hash table keyed by 64-bit word hashes (`StableHash.fnv1a64` of a
/// normalised word, as `Token.wordHash`/`stemHash` carry it).
///
/// Why: the hot paths look every token up in several vocabularies (street markers, place
/// names, rule symbols). A `Set<String>` hashes and compares Cyrillic strings through
/// Unicode normalisation on every lookup; here a lookup is one multiply and a probe or two.
/// Two different words with the same 64-bit hash would be confused: among a million
/// distinct words the chance is about 3·10⁻⁸.
public struct WordTable<Value> {
    private var keys: [UInt64]
    private var values: [Value?]
    private var mask: Int
    public private(set) var count = 0

    public init(minimumCapacity: Int = 8) {
        var n = 8
        while n < minimumCapacity * 2 { n <<= 1 }
        keys = Array(repeating: 0, count: n)
        values = Array(repeating: nil, count: n)
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
            var i = slot(k)
            while true {
                let s = keys[i]
                if s == k { return values[i] }
                if s == 0 { return nil }
                i = (i + 1) & mask
            }
        }
        set {
            guard let newValue else { return }   // removal is not needed by any user
            let k = Self.stored(hash)
            var i = slot(k)
            while keys[i] != 0 && keys[i] != k { i = (i + 1) & mask }
            if keys[i] == 0 {
                if (count + 1) * 2 > keys.count { grow(); self[hash] = newValue; return }
                keys[i] = k; count += 1
            }
            values[i] = newValue
        }
    }

    @inline(__always) public subscript(word: String) -> Value? {
        get { self[StableHash.fnv1a64(word)] }
        set { self[StableHash.fnv1a64(word)] = newValue }
    }

    public func contains(_ hash: UInt64) -> Bool { self[hash] != nil }

    /// Every value, in no particular order.
    public var allValues: [Value] { values.compactMap { $0 } }

    public mutating func removeAll() {
        for i in keys.indices { keys[i] = 0; values[i] = nil }
        count = 0
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: nil, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for i in oldKeys.indices where oldKeys[i] != 0 {
            var j = slot(oldKeys[i])
            while keys[j] != 0 { j = (j + 1) & mask }
            keys[j] = oldKeys[i]; values[j] = oldValues[i]; count += 1
        }
    }
}

extension WordTable: Sendable where Value: Sendable {}

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
