/// The byte-level scan of one word: where it ends, its lowercased `ё`→`е` UTF-8 bytes, and
/// what it is made of. The tokenizer runs it over a post; `word(of:in:)` runs it again over
/// one token's surface form, which gives the same bytes (a word never spans markup).
enum WordScanner {
    /// Bytes a word keeps (longer runs of letters, base64 and the like, are cut here).
    static let maxWordBytes = 1024

    struct Scanned {
        /// Index after the word in the scanned bytes.
        var end: Int
        /// Bytes written.
        var count: Int
        var hasDigit = false, hasCyrillic = false, hasLatin = false, hasOther = false
        var capitalized = false

        @inline(__always) var hasLetter: Bool { hasCyrillic || hasLatin || hasOther }
        @inline(__always) var kind: Token.Kind { hasLetter && hasDigit ? .mixed : (hasDigit ? .number : .word) }
        /// Plain Latin (what the English stemmer takes).
        @inline(__always) var latinOnly: Bool { hasLatin && !hasCyrillic && !hasDigit && !hasOther }
        /// Cyrillic with Latin look-alikes typed in it («вoда»).
        @inline(__always) var mixesScripts: Bool { hasCyrillic && hasLatin }
    }

    /// Scans the word that starts at `from` (a letter or digit), writing its normalised bytes
    /// to `out` (room for `maxWordBytes`). Hyphens join parts («из-за»), except between
    /// digits (phone numbers, dates); in a hashtag `_` does too.
    ///
    /// Flags are locals and А–я (but not ё) are lowercased by arithmetic on their two bytes:
    /// the word loop is the tokenizer's hottest, a few instructions a byte.
    @inline(__always)
    static func scan(_ p: UnsafeBufferPointer<UInt8>, from: Int, hashtag: Bool, into out: UnsafeMutablePointer<UInt8>) -> Scanned {
        let n = p.count
        var c = 0
        var j = from
        var hasDigit = false, hasCyrillic = false, hasLatin = false, hasOther = false
        var lastWasDigit = false
        while j < n {
            let b = p[j]
            if b & 0xFE == 0xD0, j + 1 < n {
                // А–Я and а–я in UTF-8 (D0 90 … D1 8F) are the 64 values 0x10…0x4F of the lead's
                // low bit and the continuation's six bits; the lowercase is 0x20 up in the first half.
                let b1 = p[j + 1]
                let letter = Int(b & 1) << 6 | Int(b1 & 0x3F)
                if b1 & 0xC0 == 0x80, UInt(bitPattern: letter &- 0x10) < 0x40 {
                    let lower = letter < 0x30 ? letter + 0x20 : letter
                    if c + 2 <= maxWordBytes {
                        out[c] = UInt8(truncatingIfNeeded: 0xD0 | lower >> 6)
                        out[c + 1] = UInt8(truncatingIfNeeded: 0x80 | lower & 0x3F)
                        c += 2
                    }
                    hasCyrillic = true; lastWasDigit = false; j += 2; continue
                }
            }
            if b < 0x80 {
                if TextScalars.isASCIIDigit(b) {
                    if c < maxWordBytes { out[c] = b; c += 1 }
                    hasDigit = true; lastWasDigit = true; j += 1; continue
                }
                if TextScalars.isASCIILetter(b) {
                    if c < maxWordBytes { out[c] = b | 0x20; c += 1 }
                    hasLatin = true; lastWasDigit = false; j += 1; continue
                }
                if (b == 0x2D || (b == 0x5F && hashtag)), j + 1 < n, c > 0, isWordStart(p, j + 1) {
                    if lastWasDigit && TextScalars.isASCIIDigit(p[j + 1]) { break }   // phone numbers, dates: split
                    if c < maxWordBytes { out[c] = b; c += 1 }
                    j += 1; continue
                }
                break
            }
            let (v, len) = TextScalars.decode(p, j)
            if TextScalars.isCyrillicLetter(v) {
                putLowercased(v, out, &c)
                hasCyrillic = true; lastWasDigit = false; j += len; continue
            }
            if v == 0x301 || v == 0xAD { j += len; continue }   // stress mark, soft hyphen
            if TextScalars.isLetter(v) {
                putLowercased(v, out, &c)
                hasOther = true; lastWasDigit = false; j += len; continue
            }
            break
        }
        var w = Scanned(end: j, count: c)
        w.hasDigit = hasDigit; w.hasCyrillic = hasCyrillic; w.hasLatin = hasLatin; w.hasOther = hasOther
        if j > from {
            let first = p[from] < 0x80 ? UInt32(p[from]) : TextScalars.decode(p, from).value
            w.capitalized = TextScalars.isUppercase(first)
        }
        return w
    }

    static func isWordStart(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = p[i]
        if b < 0x80 { return TextScalars.isASCIIAlnum(b) }
        return TextScalars.isLetter(TextScalars.decode(p, i).value)
    }

    /// The lowercased, `ё`→`е` UTF-8 form of a non-ASCII letter; whole sequences only, so a
    /// word cut at `maxWordBytes` stays valid UTF-8.
    private static func putLowercased(_ v: UInt32, _ out: UnsafeMutablePointer<UInt8>, _ c: inout Int) {
        func put(_ u: UInt32) {
            guard c + TextScalars.utf8Length(u) <= maxWordBytes else { return }
            TextScalars.encodeUTF8(u) { out[c] = $0; c += 1 }
        }
        let l = TextScalars.lowercasedCyrillic(v)
        if l != 0 { put(l); return }
        for u in TextScalars.lowercaseMapping(v) { put(u) }
    }

    /// The normalised word of `token`, scanned again from its surface form in `text`.
    static func word(of token: Token, in text: String) -> String {
        var text = text
        return text.withUTF8 { p in
            let from = token.kind == .hashtag ? token.start + 1 : token.start
            guard from >= 0, from < token.end, token.end <= p.count else { return "" }
            let surface = UnsafeBufferPointer(rebasing: p[from..<token.end])
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxWordBytes) { buffer in
                let out = buffer.baseAddress!
                let w = scan(surface, from: 0, hashtag: token.kind == .hashtag, into: out)
                guard w.mixesScripts else { return String(decoding: UnsafeBufferPointer(start: out, count: w.count), as: UTF8.self) }
                var bytes = Array(UnsafeBufferPointer(start: out, count: w.count))
                TextScalars.fixLookalikes(&bytes)
                return String(decoding: bytes, as: UTF8.self)
            }
        }
    }
}
