import CSQLite
import Glibc

/// The dedupe window's in-memory index: exact keys, near-duplicate lookup by SimHash
/// banding, and eviction by age and by count. Pure logic, not thread-safe
/// (`DedupeWindow` guards it with a lock).
///
/// Entries live in a ring of slots, oldest first. Near-duplicate lookup splits the 64-bit
/// SimHash into `distance + 1` bands: two hashes within `distance` bits agree exactly on
/// at least one band (pigeonhole), so only entries sharing a band value are compared.
/// Both the key table and the band tables are chained hash tables threaded through the
/// slots (no per-bucket allocations): about 73 bytes per post in all.
///
/// Layout (`DedupeIndex+Slots.swift`): what a band walk compares — SimHash, anchor,
/// publication time — and the band links live together in one 32-byte record per slot
/// (with the default 4 bands), so each step of a walk touches one cache line; the key hash,
/// root, times and key link are a second 32-byte record. At a million entries a band chain
/// is about 15 entries long and each step is a cache miss, so the band walks advance in
/// lock step: their misses overlap instead of following one another, and a caller can ask
/// for the tables' lines before it takes its lock (`prefetch`). All of it is in memory the
/// kernel backs with 2 MB pages when it can (`Slots.reserve`): a walk's random reads then
/// miss the cache but not the TLB.
public final class DedupeIndex {
    public let capacity: Int
    public let distance: Int
    public let windowSeconds: UInt32

    static let none = UInt32.max
    /// The slots' records, in memory reserved for `capacity` slots at once (see `Slots`).
    let slots: Slots
    /// Slots used so far; the ring fills them in order, then reuses them.
    private var filled = 0
    private var start = 0
    public private(set) var count = 0
    /// Entries evicted so far: the oldest entry's sequence number (`sequence(ofSlot:)`).
    private var evictedTotal = 0
    /// Key table: head slot per bucket; each slot's next link is in its cold record.
    let keyHeads: UnsafeMutablePointer<UInt32>
    let keyBits: Int
    let bands: Int
    private let bandShifts: [UInt64]
    private let bandMasks: [UInt64]
    let bandBits: Int
    /// Band tables: `2 * bands` tables of `1 << bandBits` heads — one per band for posts
    /// without a place signature, one per band for posts with one; a slot's next links are
    /// in its hot record.
    let bandHeads: UnsafeMutablePointer<UInt32>

    public init(capacity: Int, distance: Int, window: Duration) {
        precondition(capacity > 0 && capacity < Int(UInt32.max) && (0...8).contains(distance))
        self.capacity = capacity
        self.distance = distance
        self.windowSeconds = UInt32(clamping: window.components.seconds)
        keyBits = max(4, min(22, Int.bitWidth - (capacity - 1).leadingZeroBitCount))
        keyHeads = Slots.reserve(bytes: 4 << keyBits).bindMemory(to: UInt32.self, capacity: 1 << keyBits)
        keyHeads.initialize(repeating: Self.none, count: 1 << keyBits)
        let n = distance + 1
        var shifts: [UInt64] = [], masks: [UInt64] = []
        var shift = 0
        for i in 0..<n {
            let width = 64 / n + (i < 64 % n ? 1 : 0)
            shifts.append(UInt64(shift))
            masks.append(width >= 64 ? UInt64.max : (1 << UInt64(width)) - 1)
            shift += width
        }
        bands = n
        bandShifts = shifts
        bandMasks = masks
        bandBits = min(16, 64 / n + (64 % n > 0 ? 1 : 0), keyBits)
        bandHeads = Slots.reserve(bytes: 4 * (2 * n << bandBits)).bindMemory(to: UInt32.self, capacity: 2 * n << bandBits)
        bandHeads.initialize(repeating: Self.none, count: 2 * n << bandBits)
        slots = Slots(capacity: capacity, bands: n)
    }

    deinit {
        munmap(keyHeads, 4 << keyBits)
        munmap(bandHeads, 4 * (2 * bands << bandBits))
        slots.deallocate()
    }

    /// Asks for the cache line of the key's bucket. Safe from any thread and without the
    /// owner's lock: it reads only what never changes and hints the CPU.
    @inline(__always)
    func prefetch(keyHash: UInt64) { otk_prefetch(keyHeads + keyBucket(keyHash)) }

    /// Asks for the cache lines of the bands' buckets, as `prefetch(keyHash:)`.
    func prefetch(simhash: UInt64, anchor: UInt32) {
        for band in 0..<bands { otk_prefetch(bandHeads + bandBucket(band, simhash, anchor)) }
    }

    /// Asks for the records a lookup reads first — the key chain's and each band chain's
    /// head — once the buckets' lines are in (after `prefetch`), so that they come while
    /// the caller does other work under its lock (the clock, eviction).
    func prefetchFirstEntries(keyHash: UInt64, simhash: UInt64, anchor: UInt32, findNear: Bool) {
        let k = keyHeads[keyBucket(keyHash)]
        if k != Self.none { otk_prefetch(slots.cold + Int(k)) }
        guard findNear else { return }
        for band in 0..<bands {
            let s = bandHeads[bandBucket(band, simhash, anchor)]
            if s != Self.none { slots.prefetchHot(Int(s)) }
        }
    }

    @inline(__always)
    func keyBucket(_ keyHash: UInt64) -> Int { Int(StableHash.mix(keyHash) >> UInt64(64 - keyBits)) }

    /// A band's bucket. Only entries with the same anchor (place signature) can match, so
    /// posts with one are bucketed by the band's bits together with it — templated posts (one
    /// text, many house numbers) spread over many buckets instead of one long chain — in
    /// tables of their own, and posts without one (about half) by the band's bits alone,
    /// exactly when the band fits the table: their chains then hold only entries whose band
    /// is equal, which must be compared anyway.
    @inline(__always)
    func bandBucket(_ band: Int, _ simhash: UInt64, _ anchor: UInt32) -> Int {
        let v = (simhash >> bandShifts[band]) & bandMasks[band]
        if anchor == 0 {
            if bandMasks[band] >> UInt64(bandBits) == 0 { return band << bandBits | Int(v) }
            return band << bandBits | Int((StableHash.mix(v) &* 0x9e37_79b9_7f4a_7c15) >> UInt64(64 - bandBits))
        }
        let x = v ^ (UInt64(anchor) << 32 | UInt64(anchor))
        return (bands + band) << bandBits | Int((StableHash.mix(x) &* 0x9e37_79b9_7f4a_7c15) >> UInt64(64 - bandBits))
    }

    private func slot(forKey keyHash: UInt64) -> Int? {
        var s = keyHeads[keyBucket(keyHash)]
        while s != Self.none {
            if slots.cold[Int(s)].keyHash == keyHash { return Int(s) }
            s = slots.cold[Int(s)].keyNext
        }
        return nil
    }

    /// The entry recorded for this key, if it is still in the window.
    public func entry(forKey keyHash: UInt64) -> DedupeEntry? { slot(forKey: keyHash).map { slots.entry($0) } }

    /// Entries compared per band at most: a bucket that many similar texts share (a bot's
    /// ad posted a thousand times) must not make every lookup walk all of them.
    public static let maxProbe = 128

    /// The newest entry within `distance` bits whose place signature is the same and whose
    /// publication time is within the window of `published`. Its `rootHash` names the family's
    /// first post, so the newest match answers as well as the oldest and stops the walk early
    /// (chains are newest first): each band's walk stops at its first match, and of those
    /// the one in the newest slot answers.
    public func nearest(simhash: UInt64, anchor: UInt32, published: UInt32, excluding keyHash: UInt64) -> DedupeEntry? {
        nearest(simhash: simhash, anchor: anchor, published: published, excluding: keyHash, pruning: true)
    }

    /// `nearest`, optionally without cutting walks short (the tests compare both).
    func nearest(simhash: UInt64, anchor: UInt32, published: UInt32, excluding keyHash: UInt64, pruning: Bool) -> DedupeEntry? {
        let found = walk(keyHash: keyHash, findKey: false, simhash: simhash, anchor: anchor, published: published,
                         findNear: true, pruning: pruning)
        return found.near < 0 ? nil : slots.entry(found.near)
    }

    /// What `lookup` found: the key's entry and the nearest match, with the key's slot for
    /// `insert(_:tag:keySlot:)`.
    struct Lookup {
        var entry: DedupeEntry?
        var near: DedupeEntry?
        /// The key's slot, -1 when the key is not in the window.
        var keySlot: Int
    }

    /// A caller's table with a record per family root, at `base + (mix(rootHash) & mask) * stride`
    /// (`DedupeWindow`'s root keys): a walk asks for a match's record as soon as it finds
    /// the match, so that it comes while the walk goes on.
    struct RootTable {
        let base: UnsafeRawPointer
        let mask: Int
        let stride: Int
    }

    /// `entry(forKey:)` and, when `findNear`, `nearest(…, excluding: keyHash)` in one walk.
    func lookup(keyHash: UInt64, simhash: UInt64, anchor: UInt32, published: UInt32, findNear: Bool,
                roots: RootTable? = nil) -> Lookup {
        let found = walk(keyHash: keyHash, findKey: true, simhash: simhash, anchor: anchor, published: published, findNear: findNear,
                         roots: roots)
        return Lookup(entry: found.key < 0 ? nil : slots.entry(found.key), near: found.near < 0 ? nil : slots.entry(found.near),
                      keySlot: found.key)
    }

    /// Walks the key's chain and the bands' chains in lock step, one step of each per round:
    /// every step is a cache miss at a million entries, and independent ones overlap.
    /// Answers the slots found, -1 for none. Each band looks at the first `maxProbe`
    /// entries of its chain at most.
    ///
    /// Once a band has a match, another band's walk stops at the first entry older than it
    /// (a slot's age needs no memory read): an entry linked as the newest slot has only
    /// older entries after it in its chain, so nothing after it could answer. Entries linked
    /// again after an update (`Slots.relinked`) stand before newer ones and are walked past.
    /// A run of entries with the same SimHash and anchor (`DedupeIndex+Runs`) that does not
    /// match is passed in one step to its last entry, counting the entries it passed.
    private func walk(keyHash: UInt64, findKey: Bool, simhash: UInt64, anchor: UInt32, published: UInt32,
                      findNear: Bool, pruning: Bool = true, roots: RootTable? = nil) -> (key: Int, near: Int) {
        let nb = bands
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * nb) { buffer -> (key: Int, near: Int) in
            let cursor = buffer.baseAddress!, position = cursor + nb
            var keyCursor = findKey ? keyHeads[keyBucket(keyHash)] : Self.none
            var walking = 0
            for band in 0..<nb {
                cursor[band] = findNear ? bandHeads[bandBucket(band, simhash, anchor)] : Self.none
                position[band] = 0
                if cursor[band] != Self.none { walking += 1 }
            }
            var key = -1, best = -1, bestAge = -1
            while true {
                if keyCursor != Self.none {
                    let s = Int(keyCursor)
                    if slots.cold[s].keyHash == keyHash { key = s; keyCursor = Self.none } else { keyCursor = slots.cold[s].keyNext }
                }
                guard walking > 0 else {
                    if keyCursor == Self.none { break }
                    continue
                }
                for band in 0..<nb where cursor[band] != Self.none {
                    let s = Int(cursor[band])
                    if position[band] >= Self.maxProbe || (pruning && best >= 0 && age(s) < bestAge && !slots.relinked(s)) {
                        cursor[band] = Self.none
                        walking -= 1
                        continue
                    }
                    let hot = slots.hot(s)
                    let near = hot.anchor == anchor && TextFingerprint.distance(hot.simhash, simhash) <= distance
                    if near, (hot.published > published ? hot.published - published : published - hot.published) <= windowSeconds,
                       slots.cold[s].keyHash != keyHash {
                        let age = age(s)
                        if best < 0 || age > bestAge {
                            best = s; bestAge = age
                            if let t = roots {
                                otk_prefetch(t.base + (Int(truncatingIfNeeded: StableHash.mix(slots.cold[s].rootHash)) & t.mask) * t.stride)
                            }
                        }
                        cursor[band] = Self.none
                    } else if !near, let run = runSkip(s) {
                        cursor[band] = run.last
                        position[band] &+= run.passed
                    } else {
                        cursor[band] = next(s, band)
                        position[band] &+= 1
                    }
                    if cursor[band] == Self.none { walking -= 1 }
                }
            }
            return (key, best)
        }
    }

    /// Slot `s`'s position from the oldest entry: larger is newer.
    @inline(__always)
    func age(_ s: Int) -> Int {
        let d = s - start
        return d < 0 ? d + capacity : d
    }

    /// The tag given with the entry for this key, if it is still in the window.
    public func tag(forKey keyHash: UInt64) -> UInt64? { slot(forKey: keyHash).map { slots.tag($0) } }

    /// The sequence number of the entry for this key and its tag, if it is still in the window.
    func sequenceAndTag(forKey keyHash: UInt64) -> (sequence: Int, tag: UInt64)? {
        slot(forKey: keyHash).map { (evictedTotal + age($0), slots.tag($0)) }
    }

    /// True while the entry numbered `sequence` (`sequenceAndTag(forKey:)`) is in the
    /// window: entries are numbered in the order they came in and leave oldest first, and
    /// an entry's key never changes while it stays, so this reads no memory.
    func holds(sequence: Int) -> Bool { sequence >= evictedTotal && sequence < evictedTotal + count }

    /// Adds an entry, or replaces the one with the same key; returns the entries it pushed out.
    @discardableResult
    public func insert(_ e: DedupeEntry, tag: UInt64 = 0) -> [DedupeEntry] {
        insert(e, tag: tag, keySlot: slot(forKey: e.keyHash) ?? -1)
    }

    /// `insert(_:tag:)` with the key's slot already known (`Lookup.keySlot`, with no insert
    /// or eviction since): the key table is not walked again.
    @discardableResult
    func insert(_ e: DedupeEntry, tag: UInt64, keySlot: Int) -> [DedupeEntry] {
        if keySlot >= 0 {
            let s = keySlot
            slots.setTag(s, tag)
            let old = slots.hot(s)
            if old.simhash != e.simhash || old.anchor != e.anchor {
                unlinkBands(old.simhash, old.anchor, s)
                slots.set(e, at: s)
                linkBands(e.simhash, e.anchor, s, joiningRun: false)
                slots.setRelinked(s, true)
            } else {
                slots.set(e, at: s)
            }
            return []
        }
        var evicted: [DedupeEntry] = []
        if count == capacity, let oldest = evictOldest() { evicted.append(oldest) }
        let p = (start + count) % capacity
        if p == filled { filled += 1 }
        slots.set(e, at: p)
        slots.setTag(p, tag)
        slots.setRelinked(p, false)
        count += 1
        let kb = keyBucket(e.keyHash)
        slots.cold[p].keyNext = keyHeads[kb]
        keyHeads[kb] = UInt32(p)
        linkBands(e.simhash, e.anchor, p, joiningRun: true)
        return evicted
    }

    /// Drops entries inserted before `cutoff` (Unix seconds); returns how many.
    @discardableResult
    public func evict(insertedBefore cutoff: UInt32) -> Int {
        var n = 0
        while count > 0, slots.cold[start].inserted < cutoff { _ = evictOldest(); n += 1 }
        return n
    }

    private func evictOldest() -> DedupeEntry? {
        guard count > 0 else { return nil }
        let e = slots.entry(start)
        unlinkKey(e.keyHash, start)
        unlinkBands(e.simhash, e.anchor, start)
        start = (start + 1) % capacity
        count -= 1
        evictedTotal += 1
        return e
    }

    private func unlinkKey(_ keyHash: UInt64, _ slot: Int) {
        let b = keyBucket(keyHash)
        let next = slots.cold[slot].keyNext
        if keyHeads[b] == UInt32(slot) { keyHeads[b] = next; return }
        var s = keyHeads[b]
        while s != Self.none {
            if slots.cold[Int(s)].keyNext == UInt32(slot) { slots.cold[Int(s)].keyNext = next; return }
            s = slots.cold[Int(s)].keyNext
        }
    }

    /// Entries oldest first.
    public var entries: [DedupeEntry] { (0..<count).map { slots.entry((start + $0) % capacity) } }

    /// Bytes the index holds in memory: the records of the slots used so far (the rest of
    /// the reservation is never touched) and the key and band tables. The estimate `otklik bench` reports for the window.
    public var memoryFootprint: Int {
        filled * slots.bytesPerSlot + ((1 << keyBits) + (2 * bands << bandBits)) * MemoryLayout<UInt32>.stride
    }
}
