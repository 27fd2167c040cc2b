/// The dedupe window's in-memory index: exact keys, near-duplicate lookup by SimHash
/// banding, and eviction by age and by count. Pure logic, not thread-safe
/// (`DedupeWindow` guards it with a lock).
///
/// Entries live in a ring buffer, oldest first. Near-duplicate lookup splits the 64-bit
/// SimHash into `distance + 1` bands: two hashes within `distance` bits agree exactly on
/// at least one band (pigeonhole), so only entries sharing a band value are compared.
/// Both the key table and the band tables are chained hash tables threaded through flat
/// `UInt32` arrays (no per-bucket allocations): about 75 bytes per post in all.
public final class DedupeIndex {
    public let capacity: Int
    public let distance: Int
    public let windowSeconds: UInt32

    private static let none = UInt32.max
    private var ring: [DedupeEntry] = []
    /// A number the owner keeps with each entry (the window: the disk batch holding its key).
    private var tags: [UInt64] = []
    private var start = 0
    public private(set) var count = 0
    /// Key table: head slot per bucket, and the next slot of each slot's chain.
    private var keyHeads: [UInt32]
    private var keyNext: [UInt32] = []
    private let keyBits: Int
    private let bands: [(shift: UInt64, mask: UInt64)]
    private let bandBits: Int
    /// Band tables: `bands.count` tables of `1 << bandBits` heads; `bandNext[slot * bands + band]`.
    private var bandHeads: [UInt32]
    private var bandNext: [UInt32] = []

    public init(capacity: Int, distance: Int, window: Duration) {
        precondition(capacity > 0 && capacity < Int(UInt32.max) && (0...8).contains(distance))
        self.capacity = capacity
        self.distance = distance
        self.windowSeconds = UInt32(clamping: window.components.seconds)
        keyBits = max(4, min(22, Int.bitWidth - (capacity - 1).leadingZeroBitCount))
        keyHeads = Array(repeating: Self.none, count: 1 << keyBits)
        let n = distance + 1
        var b: [(UInt64, UInt64)] = []
        var shift = 0
        for i in 0..<n {
            let width = 64 / n + (i < 64 % n ? 1 : 0)
            b.append((UInt64(shift), width >= 64 ? UInt64.max : (1 << UInt64(width)) - 1))
            shift += width
        }
        bands = b
        bandBits = min(16, 64 / n + (64 % n > 0 ? 1 : 0), keyBits)
        bandHeads = Array(repeating: Self.none, count: n << bandBits)
    }

    private func keyBucket(_ keyHash: UInt64) -> Int { Int(StableHash.mix(keyHash) >> UInt64(64 - keyBits)) }

    /// A band's bucket: the band's bits of the SimHash together with the place signature, since
    /// only entries with the same anchor can match. Templated posts (one text, many house
    /// numbers) then spread over many buckets instead of one long chain.
    private func bandBucket(_ band: Int, _ simhash: UInt64, _ anchor: UInt32) -> Int {
        let (shift, mask) = bands[band]
        let v = ((simhash >> shift) & mask) ^ (UInt64(anchor) << 32 | UInt64(anchor))
        return band << bandBits | Int((StableHash.mix(v) &* 0x9e37_79b9_7f4a_7c15) >> UInt64(64 - bandBits))
    }

    private func slot(forKey keyHash: UInt64) -> Int? {
        var s = keyHeads[keyBucket(keyHash)]
        while s != Self.none {
            if ring[Int(s)].keyHash == keyHash { return Int(s) }
            s = keyNext[Int(s)]
        }
        return nil
    }

    /// The entry recorded for this key, if it is still in the window.
    public func entry(forKey keyHash: UInt64) -> DedupeEntry? { slot(forKey: keyHash).map { ring[$0] } }

    /// Entries compared per band at most: a bucket that many similar texts share (a bot's
    /// ad posted a thousand times) must not make every lookup walk all of them.
    public static let maxProbe = 128

    /// The newest entry within `distance` bits whose place signature is the same and whose
    /// publication time is within the window of `published`. Its `rootHash` names the family's
    /// first post, so the newest match answers as well as the oldest and stops the walk early
    /// (chains are newest first).
    public func nearest(simhash: UInt64, anchor: UInt32, published: UInt32, excluding keyHash: UInt64) -> DedupeEntry? {
        var best: (slot: Int, age: Int)?
        let nb = bands.count
        for band in 0..<nb {
            var s = bandHeads[bandBucket(band, simhash, anchor)]
            var probes = 0
            while s != Self.none, probes < Self.maxProbe {
                probes += 1
                let e = ring[Int(s)]
                if e.keyHash != keyHash, e.anchor == anchor,
                   TextFingerprint.distance(e.simhash, simhash) <= distance,
                   (e.published > published ? e.published - published : published - e.published) <= windowSeconds {
                    let age = (Int(s) - start + capacity) % capacity
                    if best == nil || age > best!.age { best = (Int(s), age) }
                    break
                }
                s = bandNext[Int(s) * nb + band]
            }
        }
        return best.map { ring[$0.slot] }
    }

    /// The tag given with the entry for this key, if it is still in the window.
    public func tag(forKey keyHash: UInt64) -> UInt64? { slot(forKey: keyHash).map { tags[$0] } }

    /// Adds an entry, or replaces the one with the same key; returns the entries it pushed out.
    @discardableResult
    public func insert(_ e: DedupeEntry, tag: UInt64 = 0) -> [DedupeEntry] {
        if let s = slot(forKey: e.keyHash) {
            tags[s] = tag
            if ring[s].simhash != e.simhash || ring[s].anchor != e.anchor {
                unlinkBands(ring[s].simhash, ring[s].anchor, s)
                ring[s] = e
                linkBands(e.simhash, e.anchor, s)
            } else {
                ring[s] = e
            }
            return []
        }
        var evicted: [DedupeEntry] = []
        if count == capacity, let oldest = evictOldest() { evicted.append(oldest) }
        let p = (start + count) % capacity
        if p == ring.count {
            if ring.count == ring.capacity { grow() }
            ring.append(e)
            tags.append(tag)
            keyNext.append(Self.none)
            bandNext.append(contentsOf: repeatElement(Self.none, count: bands.count))
        } else {
            ring[p] = e
            tags[p] = tag
        }
        count += 1
        let kb = keyBucket(e.keyHash)
        keyNext[p] = keyHeads[kb]
        keyHeads[kb] = UInt32(p)
        linkBands(e.simhash, e.anchor, p)
        return evicted
    }

    /// Doubles the arrays' room, but never past `capacity` entries: the last doubling of a
    /// 1,000,000-entry window would otherwise hold room for 1,048,576.
    private func grow() {
        let room = min(capacity, max(1024, ring.count * 2))
        ring.reserveCapacity(room)
        tags.reserveCapacity(room)
        keyNext.reserveCapacity(room)
        bandNext.reserveCapacity(room * bands.count)
    }

    /// Drops entries inserted before `cutoff` (Unix seconds); returns how many.
    @discardableResult
    public func evict(insertedBefore cutoff: UInt32) -> Int {
        var n = 0
        while count > 0, ring[start].inserted < cutoff { _ = evictOldest(); n += 1 }
        return n
    }

    private func evictOldest() -> DedupeEntry? {
        guard count > 0 else { return nil }
        let e = ring[start]
        unlinkKey(e.keyHash, start)
        unlinkBands(e.simhash, e.anchor, start)
        start = (start + 1) % capacity
        count -= 1
        return e
    }

    private func unlinkKey(_ keyHash: UInt64, _ slot: Int) {
        let b = keyBucket(keyHash)
        if keyHeads[b] == UInt32(slot) { keyHeads[b] = keyNext[slot]; return }
        var s = keyHeads[b]
        while s != Self.none {
            if keyNext[Int(s)] == UInt32(slot) { keyNext[Int(s)] = keyNext[slot]; return }
            s = keyNext[Int(s)]
        }
    }

    private func linkBands(_ simhash: UInt64, _ anchor: UInt32, _ slot: Int) {
        let nb = bands.count
        for band in 0..<nb {
            let b = bandBucket(band, simhash, anchor)
            bandNext[slot * nb + band] = bandHeads[b]
            bandHeads[b] = UInt32(slot)
        }
    }

    private func unlinkBands(_ simhash: UInt64, _ anchor: UInt32, _ slot: Int) {
        let nb = bands.count
        for band in 0..<nb {
            let b = bandBucket(band, simhash, anchor)
            if bandHeads[b] == UInt32(slot) { bandHeads[b] = bandNext[slot * nb + band]; continue }
            var s = bandHeads[b]
            while s != Self.none {
                let link = Int(s) * nb + band
                if bandNext[link] == UInt32(slot) { bandNext[link] = bandNext[slot * nb + band]; break }
                s = bandNext[link]
            }
        }
    }

    /// Entries oldest first.
    public var entries: [DedupeEntry] { (0..<count).map { ring[(start + $0) % capacity] } }

    /// Bytes held by the index's arrays (their allocated capacity): the ring, the key
    /// table and the band tables. The estimate `otklik bench` reports for the window.
    public var memoryFootprint: Int {
        ring.capacity * MemoryLayout<DedupeEntry>.stride
            + tags.capacity * MemoryLayout<UInt64>.stride
            + (keyHeads.capacity + keyNext.capacity + bandHeads.capacity + bandNext.capacity) * MemoryLayout<UInt32>.stride
    }
}
