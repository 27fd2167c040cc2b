import Glibc

/// Blanks HTML tags and entities in place, keeping every byte offset: a tag or entity
/// becomes spaces of the same length (a `<br>` or `</p>` a line break), so token offsets
/// still point into the post's original text. Some sources (portal appeals) carry markup.
enum MarkupStripper {
    /// True when `bytes` may hold markup worth blanking.
    static func mayHaveMarkup(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = p.baseAddress, !p.isEmpty else { return false }
        // libc's memchr compares 32 bytes a step; a byte loop was 4% of the analysis.
        return memchr(base, 0x3C, p.count) != nil || memchr(base, 0x26, p.count) != nil
    }

    static func blank(_ buf: inout [UInt8]) {
        let n = buf.count
        var i = 0
        while i < n {
            let b = buf[i]
            if b == 0x3C, i + 1 < n, isTagStart(buf[i + 1]) {   // '<'
                var j = i + 1
                while j < n, buf[j] != 0x3E, j - i < 4096 { j += 1 }  // '>'
                guard j < n, buf[j] == 0x3E else { i += 1; continue }
                let breaks = isBreakTag(buf, i + 1, j)
                for k in i...j { buf[k] = 0x20 }
                if breaks { buf[i] = 0x0A }
                i = j + 1
                continue
            }
            if b == 0x26 {   // '&'
                var j = i + 1
                while j < n, j - i <= 10, buf[j] != 0x3B, isEntityChar(buf[j]) { j += 1 }
                if j < n, buf[j] == 0x3B, j > i + 1 {
                    for k in i...j { buf[k] = 0x20 }
                    i = j + 1
                    continue
                }
            }
            i += 1
        }
    }

    private static func isTagStart(_ b: UInt8) -> Bool { TextScalars.isASCIILetter(b) || b == 0x2F || b == 0x21 }
    private static func isEntityChar(_ b: UInt8) -> Bool { TextScalars.isASCIIAlnum(b) || b == 0x23 }

    /// `<br>`, `<p>`, `</p>`, `<div>`, `</li>`…: tags that end a line of text.
    private static func isBreakTag(_ buf: [UInt8], _ from: Int, _ to: Int) -> Bool {
        var i = from
        if i < to, buf[i] == 0x2F { i += 1 }
        var name: [UInt8] = []
        while i < to, TextScalars.isASCIIAlnum(buf[i]), name.count < 8 { name.append(buf[i] | 0x20); i += 1 }
        switch String(decoding: name, as: UTF8.self) {
        case "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "ul", "ol": return true
        default: return false
        }
    }
}
