import Foundation
import Testing
@testable import OtklikCore

@Suite struct DedupeIndexTests {
    func entry(_ key: UInt64, _ simhash: UInt64, anchor: UInt32 = 0, inserted: UInt32 = 100) -> DedupeEntry {
        DedupeEntry(keyHash: key, simhash: simhash, rootHash: key, anchor: anchor, published: 100, edited: 0,
                    inserted: inserted)
    }

    @Test(arguments: [0, 1, 3, 5])
    func nearest_findsEveryHashWithinDistance_andNothingBeyond(distance: Int) {
        let index = DedupeIndex(capacity: 10_000, distance: distance, window: .seconds(86400))
        var rng = SplitMix(seed: 42)
        let base = rng.next()
        index.insert(entry(1, base))
        for _ in 0..<2000 { index.insert(entry(rng.next() | 2, rng.next())) }  // noise
        for flips in 0...(distance + 2) {
            var h = base
            var bits = Set<Int>()
            while bits.count < flips { bits.insert(Int(rng.next() % 64)) }
            for b in bits { h ^= 1 << UInt64(b) }
            let found = index.nearest(simhash: h, anchor: 0, published: 100, excluding: 999)
            if flips <= distance { #expect(found?.keyHash == 1, "flips \(flips)") }
            else { #expect(found?.keyHash != 1, "flips \(flips)") }
        }
    }

    @Test func nearest_whenAnchorsDiffer_findsNothing() {
        let index = DedupeIndex(capacity: 10, distance: 3, window: .seconds(86400))
        index.insert(entry(1, 0xabcdef, anchor: 7))
        #expect(index.nearest(simhash: 0xabcdef, anchor: 8, published: 100, excluding: 2) == nil)
        #expect(index.nearest(simhash: 0xabcdef, anchor: 7, published: 100, excluding: 2)?.keyHash == 1)
    }

    @Test func evict_removesOldEntriesFromEveryTable() {
        let index = DedupeIndex(capacity: 100, distance: 3, window: .seconds(50))
        for k in 0..<10 { index.insert(entry(UInt64(k), UInt64(k) * 0x1111, inserted: UInt32(k))) }
        #expect(index.evict(insertedBefore: 5) == 5)
        #expect(index.entry(forKey: 4) == nil)
        #expect(index.entry(forKey: 5) != nil)
        #expect(index.nearest(simhash: 4 * 0x1111, anchor: 0, published: 100, excluding: 99) == nil)
        // Slots are reused after wrap-around without losing entries.
        for k in 10..<200 { index.insert(entry(UInt64(k), UInt64(k) &* 0x9e37_79b9_7f4a_7c15, inserted: UInt32(k))) }
        #expect(index.count == 100)
        #expect(index.entry(forKey: 199) != nil && index.entry(forKey: 99) == nil && index.entry(forKey: 100) != nil)
        #expect(index.nearest(simhash: 150 &* 0x9e37_79b9_7f4a_7c15, anchor: 0, published: 100, excluding: 0)?.keyHash == 150)
    }

    @Test func holdsSequence_whileTheEntryStays_andNotAfterItsSlotIsReused() {
        let index = DedupeIndex(capacity: 4, distance: 3, window: .seconds(1000))
        for k in 1...4 { index.insert(entry(UInt64(k), UInt64(k) << 20, inserted: UInt32(k))) }
        let first = index.sequenceAndTag(forKey: 1)!, last = index.sequenceAndTag(forKey: 4)!
        #expect(index.holds(sequence: first.sequence) && index.holds(sequence: last.sequence))
        index.insert(entry(2, 3 << 20, inserted: 2))  // an update keeps its place
        #expect(index.sequenceAndTag(forKey: 2)?.sequence == first.sequence + 1)
        index.insert(entry(5, 5 << 20, inserted: 10))  // pushes key 1 out; its slot now holds key 5
        #expect(!index.holds(sequence: first.sequence) && index.holds(sequence: last.sequence))
        #expect(index.sequenceAndTag(forKey: 5)?.sequence == last.sequence + 1)
        #expect(index.evict(insertedBefore: 4) == 2)  // keys 2 and 3
        #expect(!index.holds(sequence: first.sequence + 1) && !index.holds(sequence: first.sequence + 2))
        #expect(index.holds(sequence: last.sequence) && index.holds(sequence: last.sequence + 1))
    }

    @Test func prefetch_ofAnyHash_changesNoAnswer() {
        let index = DedupeIndex(capacity: 100, distance: 3, window: .seconds(1000))
        for k in 0..<300 {
            index.prefetch(keyHash: UInt64(k) &* 0x9e37_79b9_7f4a_7c15)
            index.prefetch(simhash: UInt64(k) << 7, anchor: UInt32(k & 1))
            index.prefetchFirstEntries(keyHash: UInt64(k), simhash: UInt64(k) << 7, anchor: UInt32(k & 1), findNear: true)
            index.insert(entry(UInt64(k), UInt64(k) << 7, inserted: UInt32(k)))
        }
        #expect(index.count == 100 && index.entry(forKey: 299)?.simhash == 299 << 7 && index.entry(forKey: 199) == nil)
    }

    @Test func memoryFootprint_staysUnder100BytesPerPost() {
        let n = 200_000
        let index = DedupeIndex(capacity: n, distance: 3, window: .seconds(7 * 86400))
        var rng = SplitMix(seed: 7)
        for k in 0..<n { index.insert(entry(rng.next(), rng.next(), inserted: UInt32(k))) }
        let perPost = Double(index.memoryFootprint) / Double(n)
        #expect(perPost < 100, "\(perPost) bytes per post")
    }
}

/// A tiny deterministic generator for tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        return StableHash.mix(state)
    }
}

/// The index against a plain list: with chains shorter than `maxProbe` and no entry
/// replaced, `nearest` is the newest entry in the window that matches.
@Suite struct DedupeIndexModelTests {
    @Test(arguments: [1, 3, 4])
    func nearest_afterInsertsEvictionsAndWrapAround_isTheNewestMatch(distance: Int) {
        let capacity = 3000
        let index = DedupeIndex(capacity: capacity, distance: distance, window: .seconds(1000))
        var model: [DedupeEntry] = []  // oldest first
        var rng = SplitMix(seed: UInt64(distance))
        let families = (0..<40).map { _ in rng.next() }
        func near(_ h: UInt64, flips: Int) -> UInt64 {
            var h = h
            for _ in 0..<flips { h ^= 1 << (rng.next() % 64) }
            return h
        }
        for step in 0..<9000 {
            let now = UInt32(step / 3)
            let family = families[Int(rng.next() % UInt64(families.count))]
            let e = DedupeEntry(keyHash: rng.next() | 1, simhash: near(family, flips: Int(rng.next() % 6)), rootHash: 0,
                                anchor: UInt32(rng.next() % 3), published: now &+ UInt32(rng.next() % 50), edited: 0, inserted: now)
            if step % 7 == 0 {
                let cutoff = now > 900 ? now - 900 : 0
                let evicted = index.evict(insertedBefore: cutoff)
                let before = model.count
                model.removeAll { $0.inserted < cutoff }
                #expect(evicted == before - model.count)
            }
            let query = near(family, flips: Int(rng.next() % 5))
            let expected = model.last { m in
                m.anchor == e.anchor && TextFingerprint.distance(m.simhash, query) <= distance
                    && (m.published > e.published ? m.published - e.published : e.published - m.published) <= 1000
            }
            let found = index.nearest(simhash: query, anchor: e.anchor, published: e.published, excluding: e.keyHash)
            #expect(found == expected, "step \(step)")
            let both = index.lookup(keyHash: e.keyHash, simhash: query, anchor: e.anchor, published: e.published, findNear: true)
            #expect(both.entry == nil && both.near == expected, "step \(step)")
            index.insert(e, tag: UInt64(step))
            #expect(index.lookup(keyHash: e.keyHash, simhash: query, anchor: e.anchor, published: e.published,
                                 findNear: step % 2 == 0).entry == e)
            model.append(e)
            if model.count > capacity { model.removeFirst() }
            #expect(index.tag(forKey: e.keyHash) == UInt64(step))
        }
        #expect(index.entries == model)
    }

    /// Cutting band walks short at entries older than a match found in another band gives
    /// the same answers as walking every chain, also when updates link entries in again
    /// ahead of newer ones.
    @Test(arguments: [1, 3])
    func nearest_withUpdatesRelinkingEntries_prunedWalkAnswersAsTheFullWalk(distance: Int) {
        let index = DedupeIndex(capacity: 2000, distance: distance, window: .seconds(1000))
        var rng = SplitMix(seed: 77 + UInt64(distance))
        let families = (0..<30).map { _ in rng.next() }
        var keys: [UInt64] = []
        func near(_ h: UInt64) -> UInt64 {
            var h = h
            for _ in 0..<(rng.next() % 6) { h ^= 1 << (rng.next() % 64) }
            return h
        }
        var answered = 0
        for step in 0..<8000 {
            let now = UInt32(step / 4)
            let family = families[Int(rng.next() % UInt64(families.count))]
            let anchor = UInt32(rng.next() % 2)
            let query = near(family)
            let pruned = index.nearest(simhash: query, anchor: anchor, published: now, excluding: 1, pruning: true)
            let full = index.nearest(simhash: query, anchor: anchor, published: now, excluding: 1, pruning: false)
            #expect(pruned == full, "step \(step)")
            if full != nil { answered += 1 }
            // One post in five is an edited version of an earlier one: same key, new SimHash.
            let key = !keys.isEmpty && rng.next() % 5 == 0 ? keys[Int(rng.next() % UInt64(keys.count))] : rng.next() | 2
            if !keys.contains(key) { keys.append(key) }
            index.insert(DedupeEntry(keyHash: key, simhash: near(family), rootHash: key, anchor: anchor,
                                     published: now, edited: 0, inserted: now))
            if step % 50 == 0 {
                index.evict(insertedBefore: now > 400 ? now - 400 : 0)
                keys.removeAll { index.entry(forKey: $0) == nil }
            }
        }
        #expect(answered > 1000)
    }
}

/// The index against plain band chains (arrays, newest link first, `maxProbe` entries
/// looked at per band): runs of equal entries passed in one step, updates, evictions and
/// chains far longer than `maxProbe` give the same answers as walking every entry.
@Suite struct DedupeIndexRunTests {
    @Test(arguments: [3, 4])
    func nearest_withRunsOfEqualEntries_answersAsWalkingEveryEntry(distance: Int) {
        let capacity = 1500
        let index = DedupeIndex(capacity: capacity, distance: distance, window: .seconds(100))
        var rng = SplitMix(seed: 1234 + UInt64(distance))
        let families = (0..<6).map { _ in rng.next() }
        var chains: [Int: [UInt64]] = [:]  // bucket → keys, newest link first
        var live: [UInt64: (e: DedupeEntry, seq: Int)] = [:]
        var order: [UInt64] = []  // keys oldest first
        var seq = 0
        func buckets(_ e: DedupeEntry) -> [Int] { (0...distance).map { index.bandBucket($0, e.simhash, e.anchor) } }
        func unlink(_ e: DedupeEntry) { for b in buckets(e) { chains[b]?.removeAll { $0 == e.keyHash } } }
        func link(_ e: DedupeEntry) { for b in buckets(e) { chains[b, default: []].insert(e.keyHash, at: 0) } }
        func evictOldest() { let k = order.removeFirst(); unlink(live[k]!.e); live[k] = nil }
        func value(_ family: UInt64) -> UInt64 {
            // Mostly exact copies (runs), sometimes a few bits off.
            var h = family
            if rng.next() % 3 == 0 { for _ in 0..<(rng.next() % 6) { h ^= 1 << (rng.next() % 64) } }
            return h
        }
        var answered = 0, capped = 0
        for step in 0..<12_000 {
            let now = UInt32(step / 10)
            let family = families[Int(rng.next() % UInt64(families.count))]
            let anchor = [UInt32(0), 0, 0, 5, 7][Int(rng.next() % 5)]
            let query = value(family), published = now &+ UInt32(rng.next() % 150)
            let excluding = !order.isEmpty && rng.next() % 10 == 0 ? order[Int(rng.next() % UInt64(order.count))] : 1
            var expected: (key: UInt64, seq: Int)?
            for b in 0...distance {
                let chain = chains[index.bandBucket(b, query, anchor)] ?? []
                if chain.count > DedupeIndex.maxProbe { capped += 1 }
                for k in chain.prefix(DedupeIndex.maxProbe) {
                    let m = live[k]!
                    let e = m.e
                    if e.anchor == anchor, TextFingerprint.distance(e.simhash, query) <= distance,
                       (e.published > published ? e.published - published : published - e.published) <= 100, k != excluding {
                        if expected == nil || m.seq > expected!.seq { expected = (k, m.seq) }
                        break
                    }
                }
            }
            let found = index.nearest(simhash: query, anchor: anchor, published: published, excluding: excluding)
            #expect(found?.keyHash == expected?.key, "step \(step)")
            if expected != nil { answered += 1 }
            // One post in six is a newer version of a post in the window: the same or another SimHash.
            if !order.isEmpty, rng.next() % 6 == 0 {
                let k = order[Int(rng.next() % UInt64(order.count))]
                var e = live[k]!.e
                if rng.next() % 2 == 0 { e.simhash = value(family); e.anchor = anchor }
                e.published = now
                let old = live[k]!.e
                index.insert(e)
                if old.simhash != e.simhash || old.anchor != e.anchor { unlink(old); link(e) }
                live[k]!.e = e
                continue
            }
            let e = DedupeEntry(keyHash: rng.next() | 2, simhash: value(family), rootHash: 0, anchor: anchor,
                                published: now &+ UInt32(rng.next() % 150), edited: 0, inserted: now)
            index.insert(e)
            if order.count == capacity { evictOldest() }
            live[e.keyHash] = (e, seq)
            seq += 1
            order.append(e.keyHash)
            link(e)
            if step % 97 == 0 {
                let cutoff = now > 700 ? now - 700 : 0
                index.evict(insertedBefore: cutoff)
                while let k = order.first, live[k]!.e.inserted < cutoff { evictOldest() }
            }
        }
        #expect(index.entries.map(\.keyHash) == order)
        #expect(answered > 3000 && capped > 1000, "answered \(answered), capped \(capped)")
    }
}
