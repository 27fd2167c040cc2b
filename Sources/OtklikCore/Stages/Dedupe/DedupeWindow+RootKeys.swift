extension DedupeWindow {
    /// A direct-mapped table of family roots' keys by hash, one 64-byte line a place: the
    /// hash, the sequence number of the root's entry in the index, the key's length and its
    /// UTF-8 bytes (at most `maxBytes`; a longer key is not kept and is looked up each time).
    /// Manually managed memory, so that a walk can ask for a place's line before the window
    /// reads it (`DedupeIndex.RootTable`).
    struct RootKeys {
        static let stride = 64
        static let maxBytes = stride - 17
        let base: UnsafeMutableRawPointer?
        let mask: Int

        init(places: Int) {
            mask = places - 1
            guard places > 0 else { base = nil; return }
            let p = UnsafeMutableRawPointer.allocate(byteCount: places * Self.stride, alignment: Self.stride)
            p.initializeMemory(as: UInt8.self, repeating: 0, count: places * Self.stride)
            base = p
        }

        func deallocate() { base?.deallocate() }

        private func place(_ hash: UInt64) -> UnsafeMutableRawPointer? {
            base.map { $0 + (Int(truncatingIfNeeded: StableHash.mix(hash)) & mask) * Self.stride }
        }

        /// The key kept for `hash`, if its entry is still in the window (`holds` its sequence number).
        func key(_ hash: UInt64, holds: (Int) -> Bool) -> String? {
            guard let p = place(hash), p.load(as: UInt64.self) == hash else { return nil }
            let n = Int(p.load(fromByteOffset: 16, as: UInt8.self))
            guard n > 0, holds(p.load(fromByteOffset: 8, as: Int.self)) else { return nil }
            return String(decoding: UnsafeRawBufferPointer(start: p + 17, count: n), as: UTF8.self)
        }

        /// Keeps `key` (whose hash is `hash`) for the entry numbered `sequence`, in place of
        /// whatever the place held.
        func keep(_ key: String, hash: UInt64, sequence: Int) {
            guard let p = place(hash) else { return }
            var key = key
            key.withUTF8 { bytes in
                guard !bytes.isEmpty, bytes.count <= Self.maxBytes else {
                    p.storeBytes(of: 0, toByteOffset: 16, as: UInt8.self)
                    return
                }
                p.storeBytes(of: hash, as: UInt64.self)
                p.storeBytes(of: sequence, toByteOffset: 8, as: Int.self)
                p.storeBytes(of: UInt8(bytes.count), toByteOffset: 16, as: UInt8.self)
                (p + 17).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            }
        }
    }
}
