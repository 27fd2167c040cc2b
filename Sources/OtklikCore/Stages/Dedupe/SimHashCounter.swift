/// Counts, for each of the 64 bit positions, how many added hashes have that bit set, and
/// answers the SimHash: the bits set in more than half of them (a bit's vote is +1 when
/// set, −1 when clear, and the bit is kept when the sum is positive).
///
/// Eight bits at a time instead of one: a table spreads a byte of the hash into the eight
/// 8-bit lanes of a `UInt64`, so eight such words count all 64 positions. A lane holds up
/// to 255, so the lanes are emptied into 32-bit totals every 255 hashes.
struct SimHashCounter {
    private var lanes: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// Hashes in `lanes` since they were last emptied.
    private var inLanes = 0
    /// Hashes added in all.
    private(set) var count = 0
    private var totals: SIMD64<UInt32>?
    private let spread = Self.spreadTable

    /// `spreadTable[b]`: bit `j` of `b` as the lowest bit of byte `j`. Never freed.
    nonisolated(unsafe) private static let spreadTable: UnsafePointer<UInt64> = {
        let t = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
        for b in 0..<256 {
            t[b] = (0..<8).reduce(UInt64(0)) { $0 | (UInt64(b >> $1) & 1) << UInt64(8 * $1) }
        }
        return UnsafePointer(t)
    }()

    @inline(__always)
    mutating func add(_ h: UInt64) {
        if inLanes == 255 { emptyLanes() }
        lanes.0 &+= spread[Int(truncatingIfNeeded: h & 0xff)]
        lanes.1 &+= spread[Int(truncatingIfNeeded: (h >> 8) & 0xff)]
        lanes.2 &+= spread[Int(truncatingIfNeeded: (h >> 16) & 0xff)]
        lanes.3 &+= spread[Int(truncatingIfNeeded: (h >> 24) & 0xff)]
        lanes.4 &+= spread[Int(truncatingIfNeeded: (h >> 32) & 0xff)]
        lanes.5 &+= spread[Int(truncatingIfNeeded: (h >> 40) & 0xff)]
        lanes.6 &+= spread[Int(truncatingIfNeeded: (h >> 48) & 0xff)]
        lanes.7 &+= spread[Int(truncatingIfNeeded: h >> 56)]
        inLanes += 1
        count += 1
    }

    private mutating func emptyLanes() {
        var t = totals ?? SIMD64<UInt32>(repeating: 0)
        for i in 0..<64 { t[i] &+= UInt32(lane(i)) }
        totals = t
        lanes = (0, 0, 0, 0, 0, 0, 0, 0)
        inLanes = 0
    }

    /// Lane `bit % 8` of word `bit / 8`: how many hashes in the lanes have bit `bit` set.
    @inline(__always)
    private func lane(_ bit: Int) -> UInt64 {
        let word = withUnsafeBytes(of: lanes) { $0.load(fromByteOffset: (bit >> 3) * 8, as: UInt64.self) }
        return (word >> UInt64((bit & 7) * 8)) & 0xff
    }

    /// The SimHash of the hashes added so far (0 when none).
    mutating func simhash() -> UInt64 {
        guard count > 0 else { return 0 }
        let n = UInt64(count)
        var out: UInt64 = 0
        if totals == nil {
            // All counts are in the lanes (n ≤ 255): a lane's bit is kept when its count c has
            // 2c > n, that is c ≥ t = n/2 + 1. Adding 128 − t to every lane sets a lane's top
            // bit exactly then (no lane passes 255, so none carries into the next), and a
            // multiplication gathers the eight top bits into a byte.
            let t = n / 2 + 1
            let add = 0x0101_0101_0101_0101 &* (128 - t)
            withUnsafeBytes(of: lanes) { words in
                for w in 0..<8 {
                    let top = ((words.load(fromByteOffset: w * 8, as: UInt64.self) &+ add) >> 7) & 0x0101_0101_0101_0101
                    out |= ((top &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 * w)
                }
            }
            return out
        }
        emptyLanes()
        let t = totals!
        for bit in 0..<64 where 2 * UInt64(t[bit]) > n { out |= 1 << UInt64(bit) }
        return out
    }
}
