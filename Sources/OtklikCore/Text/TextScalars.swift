/// Byte- and scalar-level helpers for the tokenizer: UTF-8 decoding, letter classes,
/// lowercasing with `ё`→`е`, Latin look-alikes in Cyrillic words.
enum TextScalars {
    /// Decodes the scalar starting at `i` (a lead byte ≥ 0x80). Invalid sequences decode
    /// as U+FFFD of length 1, so scanning always advances.
    @inline(__always)
    static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (value: UInt32, length: Int) {
        let b0 = UInt32(p[i]), n = p.count
        if b0 & 0xE0 == 0xC0, i + 1 < n {
            return (((b0 & 0x1F) << 6) | (UInt32(p[i + 1]) & 0x3F), 2)
        }
        if b0 & 0xF0 == 0xE0, i + 2 < n {
            return (((b0 & 0x0F) << 12) | ((UInt32(p[i + 1]) & 0x3F) << 6) | (UInt32(p[i + 2]) & 0x3F), 3)
        }
        if b0 & 0xF8 == 0xF0, i + 3 < n {
            return (((b0 & 0x07) << 18) | ((UInt32(p[i + 1]) & 0x3F) << 12)
                    | ((UInt32(p[i + 2]) & 0x3F) << 6) | (UInt32(p[i + 3]) & 0x3F), 4)
        }
        return (0xFFFD, 1)
    }

    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isASCIIDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isASCIIAlnum(_ b: UInt8) -> Bool { isASCIILetter(b) || isASCIIDigit(b) }
    @inline(__always) static func isCyrillicLetter(_ v: UInt32) -> Bool {
        (v >= 0x400 && v <= 0x481) || (v >= 0x48A && v <= 0x52F)
    }

    /// A letter outside ASCII: Cyrillic fast, everything else through Unicode properties.
    @inline(__always)
    static func isLetter(_ v: UInt32) -> Bool {
        if isCyrillicLetter(v) { return true }
        if v < 0xC0 || v == 0xFFFD { return false }
        return isLetterByProperties(v)
    }

    /// Out of line on purpose: inlined, the stdlib's property types are resilient, and every
    /// caller set up their metadata on entry (three runtime calls per word scanned).
    @inline(never)
    static func isLetterByProperties(_ v: UInt32) -> Bool {
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.isAlphabetic || s.properties.numericType == .decimal
    }

    @inline(__always)
    static func isUppercase(_ v: UInt32) -> Bool {
        if v >= 0x410 && v <= 0x42F { return true }
        if v >= 0x400 && v <= 0x40F { return true }
        if v >= 0x430 && v <= 0x45F { return false }
        if v < 0x80 { return v >= 0x41 && v <= 0x5A }
        return isUppercaseByProperties(v)
    }

    @inline(never)
    static func isUppercaseByProperties(_ v: UInt32) -> Bool {
        guard let s = Unicode.Scalar(v) else { return false }
        return s.properties.isUppercase
    }

    /// The lowercase of a Cyrillic (or Latin-1 range) letter with `ё`→`е`, or 0 when the
    /// letter needs Unicode's lowercase mapping (`lowercaseMapping`).
    @inline(__always)
    static func lowercasedCyrillic(_ v: UInt32) -> UInt32 {
        if v >= 0x410 && v <= 0x42F { return v + 0x20 }
        if v == 0x401 || v == 0x451 { return 0x435 }
        if v >= 0x430 && v <= 0x45F { return v }
        if v >= 0x400 && v <= 0x40F { return v + 0x50 }
        if v >= 0x460 && v <= 0x52F { return v | 1 }
        return 0
    }

    /// Unicode's lowercase mapping of a letter, as scalar values.
    static func lowercaseMapping(_ v: UInt32) -> [UInt32] {
        guard let s = Unicode.Scalar(v) else { return [v] }
        return s.properties.lowercaseMapping.unicodeScalars.map(\.value)
    }

    /// Bytes of `v` in UTF-8.
    @inline(__always)
    static func utf8Length(_ v: UInt32) -> Int { v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4 }

    /// Hands the UTF-8 bytes of `v` to `emit`, in order.
    @inline(__always)
    static func encodeUTF8(_ v: UInt32, _ emit: (UInt8) -> Void) {
        if v < 0x80 { emit(UInt8(v)) }
        else if v < 0x800 { emit(UInt8(0xC0 | (v >> 6))); emit(UInt8(0x80 | (v & 0x3F))) }
        else if v < 0x10000 {
            emit(UInt8(0xE0 | (v >> 12))); emit(UInt8(0x80 | ((v >> 6) & 0x3F))); emit(UInt8(0x80 | (v & 0x3F)))
        } else {
            emit(UInt8(0xF0 | (v >> 18))); emit(UInt8(0x80 | ((v >> 12) & 0x3F)))
            emit(UInt8(0x80 | ((v >> 6) & 0x3F))); emit(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Cyrillic letters that Latin ones are typed for in mixed words («вoда» with a Latin o).
    static let lookalikes: [UInt8: UInt32] = [
        0x61: 0x430, 0x63: 0x441, 0x65: 0x435, 0x6F: 0x43E, 0x70: 0x440, 0x78: 0x445,
        0x79: 0x443, 0x6B: 0x43A, 0x6D: 0x43C, 0x74: 0x442, 0x62: 0x432, 0x68: 0x43D,
    ]

    /// Rewrites Latin look-alikes to Cyrillic in a lowercased word that mixes both.
    static func fixLookalikes(_ word: inout [UInt8]) {
        var out: [UInt8] = []
        out.reserveCapacity(word.count + 8)
        for b in word {
            if b < 0x80, let c = lookalikes[b] { encodeUTF8(c) { out.append($0) } } else { out.append(b) }
        }
        word = out
    }
}
