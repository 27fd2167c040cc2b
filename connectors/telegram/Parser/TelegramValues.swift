import Foundation

/// Small value parsers for the web preview: compact counters and `<time datetime>`.
public enum TelegramValues {
    /// «4.4K» → 4400, «1.2M» → 1200000, «987» → 987, «1 234» → 1234; nil when unreadable
    /// or beyond `Int` (a hostile page must not trap the parser).
    public static func compactCount(_ s: String) -> Int? {
        var whole = 0, fraction = 0, fractionDigits = 0
        var seenDot = false, seenDigit = false
        var multiplier = 1
        for ch in s.unicodeScalars {
            switch ch {
            case "0"..."9":
                let d = Int(ch.value - 48)
                if seenDot { if fractionDigits < 6 { fraction = fraction * 10 + d; fractionDigits += 1 } }
                else {
                    let (tens, o1) = whole.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = tens.addingReportingOverflow(d)
                    if o1 || o2 { return nil }
                    whole = sum
                }
                seenDigit = true
            case ".":
                guard !seenDot else { return nil }
                seenDot = true
            case ",":
                // «1,2K» in some locales is a decimal comma; «1,234» is a thousands separator.
                continue
            case " ", "\u{A0}", "\u{202F}", "\u{2009}": continue
            case "K", "k", "К", "к": multiplier = 1_000
            case "M", "m", "М", "м": multiplier = 1_000_000
            case "B", "b": multiplier = 1_000_000_000
            default: return nil
            }
        }
        guard seenDigit else { return nil }
        var scale = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        let (total, overflow2) = scaled.addingReportingOverflow((fraction * multiplier) / scale)
        return overflow || overflow2 ? nil : total
    }

    /// `2020-04-30T17:00:04+00:00` (also `Z` and fractional seconds), without a formatter.
    public static func isoDate(_ s: String) -> Date? {
        let b = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for k in from..<(from + len) {
                let c = b[k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 19, let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
              let h = num(11, 2), let mi = num(14, 2), let se = num(17, 2),
              b[4] == 45, b[7] == 45, b[13] == 58, b[16] == 58,
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61 else { return nil }
        var i = 19
        var frac = 0.0
        if i < b.count, b[i] == 46 {
            i += 1
            var scale = 0.1
            while i < b.count, b[i] >= 48, b[i] <= 57 { frac += Double(b[i] - 48) * scale; scale /= 10; i += 1 }
        }
        var offset = 0
        if i < b.count {
            if b[i] == 90 { i += 1 }
            else if b[i] == 43 || b[i] == 45, let oh = num(i + 1, 2) {
                var om = 0
                if i + 3 < b.count, b[i + 3] == 58 { om = num(i + 4, 2) ?? 0 } else { om = num(i + 3, 2) ?? 0 }
                offset = (oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
            } else { return nil }
        }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (mo + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let seconds = days * 86400 + h * 3600 + mi * 60 + se - offset
        return Date(timeIntervalSince1970: Double(seconds) + frac)
    }
}
