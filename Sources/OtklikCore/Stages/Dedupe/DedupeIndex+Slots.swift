import CSQLite
import Glibc

extension DedupeIndex {
    /// The slots' records, in three arrays of one anonymous memory mapping sized for the
    /// whole capacity: the kernel gives a page memory only when it is first written, and the
    /// ring writes its slots in order, so an index holds memory for the slots it used (as a
    /// growing array would) without ever copying them, and the arrays never move — fixed
    /// pointers, no bounds, uniqueness or exclusivity checks on the hot path.
    ///
    /// - hot, one record per slot, 64-byte aligned: SimHash, anchor, published (16 bytes),
    ///   then one `UInt32` next link per band (32 bytes with 4 bands: two records per cache line);
    /// - cold, 32 bytes per slot: key hash, root hash, edited, inserted, the key table's next
    ///   link, and the high half of the owner's tag;
    /// - the tag's low half, 4 bytes per slot;
    /// - one bit per slot: its entry was linked into its band chains again after an update,
    ///   so it may stand before newer entries in them (`DedupeIndex.walk`).
    struct Slots {
        struct Cold {
            var keyHash: UInt64
            var rootHash: UInt64
            var edited: UInt32
            var inserted: UInt32
            var keyNext: UInt32
            var tagHigh: UInt32
        }

        struct Hot {
            var simhash: UInt64
            var anchor: UInt32
            var published: UInt32
        }

        let hotStride: Int
        private let base: UnsafeMutableRawPointer
        private let bytes: Int
        private let hotBase: UnsafeMutableRawPointer
        let cold: UnsafeMutablePointer<Cold>
        let tagLow: UnsafeMutablePointer<UInt32>
        private let relinkedBits: UnsafeMutablePointer<UInt64>

        init(capacity: Int, bands: Int) {
            hotStride = (16 + 4 * bands + 7) & ~7
            let hotBytes = (capacity * hotStride + 63) & ~63
            let coldBytes = capacity * MemoryLayout<Cold>.stride
            let tagBytes = (capacity * MemoryLayout<UInt32>.stride + 7) & ~7
            bytes = hotBytes + coldBytes + tagBytes + (capacity + 63) / 64 * 8
            let p = Self.reserve(bytes: bytes)
            base = p
            hotBase = p
            cold = (p + hotBytes).bindMemory(to: Cold.self, capacity: capacity)
            tagLow = (p + hotBytes + coldBytes).bindMemory(to: UInt32.self, capacity: capacity)
            relinkedBits = (p + hotBytes + coldBytes + tagBytes).bindMemory(to: UInt64.self, capacity: (capacity + 63) / 64)
        }

        func deallocate() { munmap(base, bytes) }

        /// Anonymous memory (zeroed, given pages as they are first written), backed by 2 MB
        /// pages where the kernel allows (`MADV_HUGEPAGE`; transparent huge pages in `madvise`
        /// mode): random reads over tens of megabytes would otherwise miss the TLB on almost
        /// every step as well as the cache, and a VM pays twice for each miss.
        static func reserve(bytes: Int) -> UnsafeMutableRawPointer {
            guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
                fatalError("dedupe index: cannot reserve \(bytes) bytes")
            }
            _ = madvise(p, bytes, MADV_HUGEPAGE)
            return p
        }

        /// Bytes of memory per slot in use.
        var bytesPerSlot: Int { hotStride + MemoryLayout<Cold>.stride + MemoryLayout<UInt32>.stride }

        @inline(__always)
        func hot(_ s: Int) -> Hot { hotBase.load(fromByteOffset: s * hotStride, as: Hot.self) }

        @inline(__always)
        func prefetchHot(_ s: Int) { otk_prefetch(hotBase + s * hotStride) }

        /// Slot `s`'s next link in band `band`'s chain.
        @inline(__always)
        func link(_ s: Int, _ band: Int) -> UnsafeMutablePointer<UInt32> {
            (hotBase + s * hotStride + MemoryLayout<Hot>.stride).assumingMemoryBound(to: UInt32.self) + band
        }

        @inline(__always)
        func relinked(_ s: Int) -> Bool { relinkedBits[s >> 6] >> UInt64(s & 63) & 1 == 1 }

        func setRelinked(_ s: Int, _ on: Bool) {
            if on { relinkedBits[s >> 6] |= 1 << UInt64(s & 63) } else { relinkedBits[s >> 6] &= ~(1 << UInt64(s & 63)) }
        }

        @inline(__always)
        func tag(_ s: Int) -> UInt64 { UInt64(cold[s].tagHigh) << 32 | UInt64(tagLow[s]) }

        @inline(__always)
        func setTag(_ s: Int, _ tag: UInt64) {
            cold[s].tagHigh = UInt32(truncatingIfNeeded: tag >> 32)
            tagLow[s] = UInt32(truncatingIfNeeded: tag)
        }

        func entry(_ s: Int) -> DedupeEntry {
            let h = hot(s), c = cold[s]
            return DedupeEntry(keyHash: c.keyHash, simhash: h.simhash, rootHash: c.rootHash, anchor: h.anchor,
                               published: h.published, edited: c.edited, inserted: c.inserted)
        }

        /// Writes the entry's fields into slot `s`, leaving its links and tag as they are.
        @inline(__always)
        func set(_ e: DedupeEntry, at s: Int) {
            hotBase.storeBytes(of: Hot(simhash: e.simhash, anchor: e.anchor, published: e.published),
                           toByteOffset: s * hotStride, as: Hot.self)
            cold[s].keyHash = e.keyHash
            cold[s].rootHash = e.rootHash
            cold[s].edited = e.edited
            cold[s].inserted = e.inserted
        }
    }
}
