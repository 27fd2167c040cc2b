import Foundation

extension ISODate {
    /// `2026-11-24T10:15:00Z`, `…10:15:00.399Z` or `…10:15:00+03:00` read without Foundation's
    /// parser, for valid times in years 1900–9999 with at most 6 fraction digits; nil for anything
    /// else (a bare date, an impossible day…), which `OtklikJSON.parseDate` then decides. Where
    /// both read a string they give the same `Date`, to the bit (`PostJSONDecoderTests`).
    static func parse(_ s: UnsafeBufferPointer<UInt8>) -> Date? {
        guard s.count >= 20, s.count <= 32 else { return nil }
        func number(_ from: Int, _ n: Int) -> Int? {
            var v = 0
            for k in from..<(from + n) {
                let d = Int(s[k]) - 0x30
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard s[4] == 0x2D, s[7] == 0x2D, s[10] == 0x54, s[13] == 0x3A, s[16] == 0x3A,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              year >= 1900, month >= 1, month <= 12, day >= 1, day <= daysIn(month, year),
              hour < 24, minute < 60, second < 60 else { return nil }
        var at = 19
        var fraction = 0, scale = 1
        if s[at] == 0x2E {
            at += 1
            while at < s.count, s[at] >= 0x30, s[at] <= 0x39 {
                guard scale < 1_000_000 else { return nil }
                fraction = fraction * 10 + Int(s[at] - 0x30)
                scale *= 10
                at += 1
            }
            guard scale > 1 else { return nil }
        }
        var offset = 0
        if s.count == at + 1 {
            guard s[at] == 0x5A else { return nil }
        } else {
            guard s.count == at + 6, s[at] == 0x2B || s[at] == 0x2D, s[at + 3] == 0x3A,
                  let oh = number(at + 1, 2), let om = number(at + 4, 2), oh <= 14, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (s[at] == 0x2B ? 1 : -1)
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
        // Foundation's own arithmetic: whole seconds since 2001, then the fraction added.
        return Date(timeIntervalSinceReferenceDate: Double(seconds - 978_307_200) + Double(fraction) / Double(scale))
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
