/// Hashes that are the same in every process and on every run (unlike `Hashable.hashValue`,
/// which Swift seeds randomly): dedupe keys, SimHash features and incident ids rely on them.
public enum StableHash {
    /// 64-bit FNV-1a over the UTF-8 bytes of `s`.
    @inlinable
    /// FNV-1a over bytes (the same value as for a String of those UTF-8 bytes).
    public static func fnv1a64<C: Collection>(bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01b3
        }
        return h
    }

    public static func fnv1a64(_ s: String) -> UInt64 { fnv1a64(continuing: fnv1a64Seed, s) }

    /// FNV-1a's starting value.
    static let fnv1a64Seed: UInt64 = 0xcbf2_9ce4_8422_2325

    /// FNV-1a of `s`'s UTF-8 bytes, continuing from `h`: hashing two strings one after the
    /// other gives the hash of their concatenation.
    static func fnv1a64(continuing h: UInt64, _ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { bytes in
            var h = h
            for b in bytes {
                h ^= UInt64(b)
                h &*= 0x0000_0100_0000_01b3
            }
            return h
        }
    }

    /// A strong 64-bit finaliser (MurmurHash3 fmix64): spreads every input bit over the output.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    /// Lowercase hex, zero-padded to 16 digits.
    public static func hex(_ x: UInt64) -> String {
        let s = String(x, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
