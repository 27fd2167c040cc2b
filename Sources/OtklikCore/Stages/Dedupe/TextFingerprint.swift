/// What dedupe and incident joining compare between two texts.
///
/// `simhash` is a 64-bit SimHash over word shingles of the stems (words of one or two
/// letters — prepositions, conjunctions — are left out), so inflection and punctuation
/// edits barely move it. `anchor` hashes the post's "place signature": numbers (house,
/// route, bus numbers) and capitalised words right after a place preposition or marker
/// («в Батайске», «ул. Ленина», «на Садовой»). Two posts from the same template about
/// different places have close SimHashes but different anchors, so they never merge.
public struct TextFingerprint: Sendable, Hashable {
    public var simhash: UInt64
    public var anchor: UInt32
    /// How many words went into `simhash`; very short texts are not compared for near-duplicates.
    public var words: Int

    public init(simhash: UInt64, anchor: UInt32, words: Int = 8) {
        self.simhash = simhash; self.anchor = anchor; self.words = words
    }

    /// Hamming distance between two SimHashes.
    @inlinable
    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }

    /// Words after which a capitalised word names a place.
    static let placeMarkers = WordSet([
        "в", "во", "на", "по", "из", "у", "около", "возле", "под", "до", "от", "за",
        "ул", "улица", "улице", "улицы", "пр", "пр-т", "проспект", "проспекте", "пер", "переулок", "переулке",
        "г", "город", "городе", "х", "хутор", "хуторе", "с", "село", "селе", "п", "пос", "поселок", "поселке",
        "ст", "станица", "станице", "сл", "слобода", "мкр", "микрорайон", "микрорайоне", "бульвар", "пл", "площадь",
        "д", "дом",
    ])

    public init(tokens: [Token], shingle: Int) {
        var feature: [UInt64] = []
        feature.reserveCapacity(tokens.count)
        var anchors: [UInt64] = []
        for i in tokens.indices {
            let kind = tokens[i].kind
            if kind == .number || kind == .mixed {
                anchors.append(tokens[i].wordHash)
            } else if tokens[i].capitalized, i > 0, tokens[i - 1].sentence == tokens[i].sentence || tokens[i - 1].length <= 3,
                      Self.placeMarkers.contains(tokens[i - 1].wordHash) {
                anchors.append(tokens[i].stemHash)
            }
            if kind == .word && tokens[i].length <= 2 { continue }
            feature.append(tokens[i].stemHash)
        }
        self.simhash = Self.simhash(features: feature, shingle: max(1, shingle))
        self.words = feature.count
        if anchors.isEmpty {
            self.anchor = 0
        } else {
            anchors.sort()
            var h: UInt64 = 0x9e37_79b9_7f4a_7c15
            var last: UInt64?
            for a in anchors where a != last { h = StableHash.mix(h ^ a); last = a }
            self.anchor = UInt32(truncatingIfNeeded: h >> 32) | 1
        }
    }

    /// SimHash of the shingles of `features` (each a stable hash of one word).
    static func simhash(features: [UInt64], shingle: Int) -> UInt64 {
        guard !features.isEmpty else { return 0 }
        var counts = [Int32](repeating: 0, count: 64)
        let k = min(shingle, features.count)
        let n = features.count - k + 1
        counts.withUnsafeMutableBufferPointer { c in
            for i in 0..<n {
                var h: UInt64 = 0x243f_6a88_85a3_08d3
                for j in 0..<k { h = StableHash.mix(h ^ (features[i + j] &+ UInt64(j))) }
                for bit in 0..<64 {
                    c[bit] &+= (h >> UInt64(bit)) & 1 == 1 ? 1 : -1
                }
            }
        }
        var out: UInt64 = 0
        for bit in 0..<64 where counts[bit] > 0 { out |= 1 << UInt64(bit) }
        return out
    }
}
