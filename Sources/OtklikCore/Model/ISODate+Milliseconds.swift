import Foundation

extension ISODate {
    /// `2026-11-24T10:15:00.399Z` without Foundation's formatter, for a time with a fraction of
    /// a second in years 1900–9999; appends nothing and returns false otherwise. The digits are
    /// Foundation's own (`ISO8601FormatStyle(includingFractionalSeconds: true)`): the fraction of
    /// the seconds since 2001, truncated to milliseconds (`ISODateTests` compares the two).
    static func appendMilliseconds(_ date: Date, to out: inout [UInt8]) -> Bool {
        let r = date.timeIntervalSinceReferenceDate
        guard r.isFinite else { return false }
        let whole = r.rounded(.down)
        guard whole != r, appendWholeSeconds(Date(timeIntervalSinceReferenceDate: whole), to: &out) else { return false }
        let ms = min(999, Int((r - whole) * 1000))
        out.removeLast()  // the "Z"
        out.append(0x2E)
        out.append(0x30 + UInt8(ms / 100)); out.append(0x30 + UInt8(ms / 10 % 10)); out.append(0x30 + UInt8(ms % 10))
        out.append(0x5A)
        return true
    }
}
