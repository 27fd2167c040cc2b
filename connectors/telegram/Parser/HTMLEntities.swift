/// HTML character references: numeric (`&#1093;`, `&#x1F600;`) and the named ones a
/// Telegram page can carry. Unknown names are kept as written, so nothing is lost.
enum HTMLEntities {
    /// Decodes the reference starting at `i` (the `&`) in `bytes` up to `end`, appending the
    /// character's UTF-8 to `out`. Returns the index after the reference, or nil when
    /// there is no valid reference there (the caller copies the `&` literally).
    static func decode(_ bytes: HTMLBytes, at i: Int, end: Int, into out: inout [UInt8]) -> Int? {
        var j = i + 1
        guard j < end else { return nil }
        if bytes[j] == UInt8(ascii: "#") {
            j += 1
            var hex = false
            if j < end, bytes[j] == UInt8(ascii: "x") || bytes[j] == UInt8(ascii: "X") { hex = true; j += 1 }
            var value: UInt32 = 0
            let digitsStart = j
            while j < end, j - digitsStart < 8, let d = digit(bytes[j], hex: hex) {
                value = value * (hex ? 16 : 10) + d
                j += 1
            }
            guard j > digitsStart else { return nil }
            if j < end, bytes[j] == UInt8(ascii: ";") { j += 1 }
            appendScalar(value, to: &out)
            return j
        }
        let nameStart = j
        while j < end, j - nameStart < 10, HTMLBytes.isNameByte(bytes[j]) { j += 1 }
        guard j < end, bytes[j] == UInt8(ascii: ";"), j > nameStart,
              let value = named[bytes.string(nameStart..<j)] else { return nil }
        if value != 0 { appendScalar(value, to: &out) }
        return j + 1
    }

    private static func digit(_ b: UInt8, hex: Bool) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Appends a scalar as UTF-8; invalid scalars (surrogates, NUL, too large) become U+FFFD.
    static func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        guard v != 0, let s = Unicode.Scalar(v) else { out.append(contentsOf: [0xEF, 0xBF, 0xBD]); return }
        out.append(contentsOf: UTF8.encode(s)!)
    }

    /// Named references. `&nbsp;` and the thin/en/em spaces become a plain space so that
    /// words stay apart for the tokenizer; `&shy;` (0) is dropped.
    static let named: [String: UInt32] = [
        "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27,
        "nbsp": 0x20, "ensp": 0x20, "emsp": 0x20, "thinsp": 0x20, "shy": 0,
        "laquo": 0xAB, "raquo": 0xBB, "lsquo": 0x2018, "rsquo": 0x2019, "sbquo": 0x201A,
        "ldquo": 0x201C, "rdquo": 0x201D, "bdquo": 0x201E, "ndash": 0x2013, "mdash": 0x2014,
        "minus": 0x2212, "hellip": 0x2026, "middot": 0xB7, "bull": 0x2022, "deg": 0xB0,
        "times": 0xD7, "divide": 0xF7, "plusmn": 0xB1, "copy": 0xA9, "reg": 0xAE,
        "trade": 0x2122, "euro": 0x20AC, "pound": 0xA3, "cent": 0xA2, "yen": 0xA5,
        "sect": 0xA7, "para": 0xB6, "numero": 0x2116, "frac12": 0xBD, "frac14": 0xBC,
        "frac34": 0xBE, "sup2": 0xB2, "sup3": 0xB3, "larr": 0x2190, "rarr": 0x2192,
        "uarr": 0x2191, "darr": 0x2193, "harr": 0x2194, "zwj": 0x200D, "zwnj": 0x200C,
        "lrm": 0x200E, "rlm": 0x200F, "iexcl": 0xA1, "iquest": 0xBF, "prime": 0x2032,
        "Prime": 0x2033, "quest": 0x3F, "excl": 0x21, "num": 0x23,
        "dollar": 0x24, "percnt": 0x25, "lpar": 0x28, "rpar": 0x29, "ast": 0x2A,
        "plus": 0x2B, "comma": 0x2C, "period": 0x2E, "sol": 0x2F, "colon": 0x3A,
        "semi": 0x3B, "equals": 0x3D, "commat": 0x40, "lsqb": 0x5B, "rsqb": 0x5D,
        "bsol": 0x5C, "lowbar": 0x5F, "grave": 0x60, "lcub": 0x7B, "rcub": 0x7D,
        "verbar": 0x7C, "tilde": 0x2DC, "circ": 0x2C6, "NewLine": 0x0A, "Tab": 0x09,
    ]
}
