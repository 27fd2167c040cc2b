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
        // Features and anchors (at most one of each per token) go into one temporary buffer,
        // on the stack for usual posts: features from the front, anchors from the back.
        let fp = tokens.withUnsafeBufferPointer { t in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(2, 2 * t.count)) { buf in
                Self.fingerprint(t, shingle: max(1, shingle), buffer: buf)
            }
        }
        self.init(simhash: fp.simhash, anchor: fp.anchor, words: fp.words)
    }

    private static func fingerprint(_ t: UnsafeBufferPointer<Token>, shingle: Int,
                                    buffer: UnsafeMutableBufferPointer<UInt64>) -> (simhash: UInt64, anchor: UInt32, words: Int) {
        let buf = buffer.baseAddress!
        var words = 0
        var anchors = buffer.count
        var counter = SimHashCounter()
        for i in 0..<t.count {
            let kind = t[i].kind
            if kind == .number || kind == .mixed {
                anchors -= 1; buf[anchors] = t[i].wordHash
            } else if t[i].capitalized, i > 0, t[i - 1].sentence == t[i].sentence || t[i - 1].length <= 3,
                      placeMarkers.contains(t[i - 1].wordHash) {
                anchors -= 1; buf[anchors] = t[i].stemHash
            }
            if kind == .word && t[i].length <= 2 { continue }
            if shingle == 1 {
                counter.add(shingleHash(t[i].stemHash))
            } else {
                buf[words] = t[i].stemHash
            }
            words += 1
        }
        let simhash: UInt64
        if shingle == 1 {
            simhash = counter.simhash()
        } else {
            simhash = Self.simhash(features: UnsafeBufferPointer(start: buf, count: words), shingle: shingle)
        }
        var anchor: UInt32 = 0
        if anchors < buffer.count {
            var a = UnsafeMutableBufferPointer(rebasing: buffer[anchors...])
            a.sort()
            var h: UInt64 = 0x9e37_79b9_7f4a_7c15
            var last: UInt64?
            for x in a where x != last { h = StableHash.mix(h ^ x); last = x }
            anchor = UInt32(truncatingIfNeeded: h >> 32) | 1
        }
        return (simhash, anchor, words)
    }

    /// The hash of a one-word shingle (`shingleHash` of a k-word one chains the words).
    @inline(__always)
    static func shingleHash(_ feature: UInt64) -> UInt64 { StableHash.mix(0x243f_6a88_85a3_08d3 ^ feature) }

    /// SimHash of the shingles of `features` (each a stable hash of one word).
    static func simhash(features: [UInt64], shingle: Int) -> UInt64 {
        features.withUnsafeBufferPointer { simhash(features: $0, shingle: shingle) }
    }

    static func simhash(features: UnsafeBufferPointer<UInt64>, shingle: Int) -> UInt64 {
        guard !features.isEmpty else { return 0 }
        let k = min(max(1, shingle), features.count)
        var counter = SimHashCounter()
        for i in 0..<(features.count - k + 1) {
            var h: UInt64 = 0x243f_6a88_85a3_08d3
            for j in 0..<k { h = StableHash.mix(h ^ (features[i + j] &+ UInt64(j))) }
            counter.add(h)
        }
        return counter.simhash()
    }
}
