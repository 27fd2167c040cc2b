/// One post in the dedupe window: 40 bytes, hashes and times only (no strings), so a
/// window of 1,000,000 posts fits in well under 100 MB.
public struct DedupeEntry: Sendable, Hashable {
    /// `StableHash.fnv1a64(post.key)`.
    public var keyHash: UInt64
    public var simhash: UInt64
    /// Key hash of the first post of its near-duplicate family (its own for a first post).
    public var rootHash: UInt64
    public var anchor: UInt32
    /// Unix seconds.
    public var published: UInt32
    /// Unix seconds of the last edit seen, 0 when never edited.
    public var edited: UInt32
    /// Unix seconds when the window took it in; eviction follows this clock.
    public var inserted: UInt32

    public init(keyHash: UInt64, simhash: UInt64, rootHash: UInt64, anchor: UInt32,
                published: UInt32, edited: UInt32, inserted: UInt32) {
        self.keyHash = keyHash; self.simhash = simhash; self.rootHash = rootHash; self.anchor = anchor
        self.published = published; self.edited = edited; self.inserted = inserted
    }

    /// Seconds since 1970 clamped into 32 bits (good until 2106).
    public static func seconds(_ t: Double) -> UInt32 { UInt32(clamping: Int64(t.rounded(.down))) }
}
