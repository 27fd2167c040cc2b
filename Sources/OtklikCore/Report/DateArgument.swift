import Foundation

/// A point in time given on the command line: `2026-11-01`, a full ISO-8601 time
/// (`2026-11-01T10:00:00Z`, `…+03:00`), or a span back from now (`7d`, `12h`, `1h30m`, `2w`).
///
/// Shared by `incidents`, `report` and `backfill`, so every command reads dates the same way.
public enum DateArgument {
    /// Why a date argument was refused; the message names the option and shows valid forms.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var option: String
        public var value: String
        public var description: String {
            "--\(option): cannot read '\(value)' as a date; use 2026-11-01, 2026-11-01T10:00:00Z or a span back from now such as 7d, 12h, 2w"
        }
    }

    /// Parses `text` relative to `now`.
    ///
    /// A bare day is midnight UTC at its start; with `endOfDay` it is midnight at its end, so
    /// `--until 2026-11-10` includes the whole 10th (bounds are exclusive).
    public static func parse(_ text: String, now: Date, endOfDay: Bool = false, option: String = "since") throws -> Date {
        let s = text.trimmingCharacters(in: .whitespaces)
        if let span = relativeSpan(s) { return now.addingTimeInterval(-span) }
        if isBareDay(s), let day = OtklikJSON.parseDate(s) {
            return endOfDay ? day.addingTimeInterval(86400) : day
        }
        if !isBareDay(s), let d = OtklikJSON.parseDate(s) { return d }
        throw ParseError(option: option, value: text)
    }

    /// Seconds back from now for `7d`, `12h`, `30m`, `2w`, `1h30m`; nil for anything else.
    static func relativeSpan(_ s: String) -> TimeInterval? {
        guard s.last?.isLetter == true, s.first?.isNumber == true, let d = ConfigValues.duration(s) else { return nil }
        return d.seconds
    }

    static func isBareDay(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return false }
        return u.enumerated().allSatisfy { i, c in i == 4 || i == 7 || (c >= 48 && c <= 57) }
    }
}
