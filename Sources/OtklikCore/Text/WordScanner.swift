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
        var hasLetter = false, hasDigit = false, hasCyrillic = false, hasLatin = false, hasOther = false
        var capitalized = false

        var kind: Token.Kind { hasLetter && hasDigit ? .mixed : (hasDigit ? .number : .word) }
        /// Plain Latin (what the English stemmer takes).
        var latinOnly: Bool { hasLatin && !hasCyrillic && !hasDigit && !hasOther }
        /// Cyrillic with Latin look-alikes typed in it («вoда»).
        var mixesScripts: Bool { hasCyrillic && hasLatin }
    }

    /// Scans the word that starts at `from` (a letter or digit), writing its normalised bytes
    /// to `out` (room for `maxWordBytes`). Hyphens join parts («из-за»), except between
    /// digits (phone numbers, dates); in a hashtag `_` does too.
    @inline(__always)
    static func scan(_ p: UnsafeBufferPointer<UInt8>, from: Int, hashtag: Bool, into out: UnsafeMutablePointer<UInt8>) -> Scanned {
        let n = p.count
        var w = Scanned(end: from, count: 0)
        var c = 0
        var j = from
        var lastWasDigit = false
        @inline(__always) func put(_ b: UInt8) {
            guard c < maxWordBytes else { return }
            out[c] = b; c += 1
        }
        while j < n {
            let b = p[j]
            if b < 0x80 {
                if TextScalars.isASCIIDigit(b) {
                    put(b); w.hasDigit = true; lastWasDigit = true; j += 1; continue
                }
                if TextScalars.isASCIILetter(b) {
                    if j == from, b < 0x61 { w.capitalized = true }
                    put(b | 0x20); w.hasLetter = true; w.hasLatin = true; lastWasDigit = false; j += 1; continue
                }
                if (b == 0x2D || (b == 0x5F && hashtag)), j + 1 < n, c > 0, isWordStart(p, j + 1) {
                    if lastWasDigit && TextScalars.isASCIIDigit(p[j + 1]) { break }   // phone numbers, dates: split
                    put(b); j += 1; continue
                }
                break
            }
            // Russian letters (А–я, Ё, ё: two bytes, D0 or D1 first), the bulk of the input.
            if b == 0xD0 || b == 0xD1, j + 1 < n, p[j + 1] & 0xC0 == 0x80 {
                let v = UInt32(b & 0x1F) << 6 | UInt32(p[j + 1] & 0x3F)
                if (v >= 0x410 && v <= 0x44F) || v == 0x401 || v == 0x451 {
                    if j == from { w.capitalized = v < 0x430 || v == 0x401 }
                    let l = v == 0x401 || v == 0x451 ? 0x435 : (v < 0x430 ? v + 0x20 : v)
                    if c + 2 <= maxWordBytes {
                        out[c] = UInt8(0xC0 | l >> 6); out[c + 1] = UInt8(0x80 | l & 0x3F); c += 2
                    }
                    w.hasLetter = true; w.hasCyrillic = true; lastWasDigit = false; j += 2; continue
                }
            }
            let (v, len) = TextScalars.decode(p, j)
            if TextScalars.isCyrillicLetter(v) {
                if j == from { w.capitalized = TextScalars.isUppercase(v) }
                putLowercased(v, out, &c)
                w.hasLetter = true; w.hasCyrillic = true; lastWasDigit = false; j += len; continue
            }
            if v == 0x301 || v == 0xAD { j += len; continue }   // stress mark, soft hyphen
            if TextScalars.isLetter(v) {
                if j == from { w.capitalized = TextScalars.isUppercase(v) }
                putLowercased(v, out, &c)
                w.hasLetter = true; w.hasOther = true; lastWasDigit = false; j += len; continue
            }
            break
        }
        w.end = j; w.count = c
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
            let out = UnsafeMutablePointer<UInt8>.allocate(capacity: maxWordBytes)
            defer { out.deallocate() }
            let w = scan(surface, from: 0, hashtag: token.kind == .hashtag, into: out)
            var bytes = Array(UnsafeBufferPointer(start: out, count: w.count))
            if w.mixesScripts { TextScalars.fixLookalikes(&bytes) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
