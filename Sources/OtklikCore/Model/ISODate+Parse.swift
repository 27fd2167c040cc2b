import Foundation

extension ISODate {
    /// `2026-11-24T10:15:00Z` or `2026-11-24T10:15:00+03:00` read without Foundation's parser,
    /// for valid whole-second times in years 1900–9999; nil for anything else (a fraction, a bare
    /// date, an impossible day…), which `OtklikJSON.parseDate` then decides. Where both read a
    /// string they give the same `Date` (`ISODateParseTests`).
    static func parseWholeSeconds(_ s: UnsafeBufferPointer<UInt8>) -> Date? {
        guard s.count == 20 || s.count == 25 else { return nil }
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
        var offset = 0
        if s.count == 20 {
            guard s[19] == 0x5A else { return nil }
        } else {
            guard s[19] == 0x2B || s[19] == 0x2D, s[22] == 0x3A,
                  let oh = number(20, 2), let om = number(23, 2), oh <= 14, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (s[19] == 0x2B ? 1 : -1)
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds))
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
