import Foundation

/// When the `file` sink starts a new file, what the old one is called, and which old ones
/// to delete. Pure: every decision takes the time and the names as arguments.
///
/// A rotated file is named `<file>.<yyyyMMdd-HHmmss>` (UTC, the time of rotation), with
/// `-001`, `-002`… when several rotations fall in one second, so names sort by age.
public struct FileRotation: Sendable, Equatable {
    /// Start a new file before a batch would push the current one past this many bytes.
    public var maxBytes: Int?
    /// Start a new file when the UTC day changes.
    public var daily: Bool
    /// Rotated files kept; older ones are deleted.
    public var keep: Int

    public init(maxBytes: Int? = nil, daily: Bool = false, keep: Int = 7) {
        self.maxBytes = maxBytes; self.daily = daily; self.keep = keep
    }

    /// Days since 1970-01-01 in UTC.
    public static func day(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 / 86400).rounded(.down))
    }

    /// Whether to rotate before appending `incoming` bytes to a file of `size` bytes whose
    /// contents started on `segmentDay`. An empty file is never rotated.
    public func shouldRotate(size: Int, incoming: Int, segmentDay: Int, now: Date) -> Bool {
        guard size > 0 else { return false }
        if let maxBytes, size + incoming > maxBytes { return true }
        if daily, Self.day(now) != segmentDay { return true }
        return false
    }

    /// The name for the current file `base` (a file name, not a path) rotated at `now`,
    /// avoiding names in `existing`.
    public func rotatedName(base: String, now: Date, existing: Set<String>) -> String {
        let stamp = base + "." + Self.stamp(now)
        if !existing.contains(stamp) { return stamp }
        var n = 1
        while existing.contains(stamp + String(format: "-%03d", n)) { n += 1 }
        return stamp + String(format: "-%03d", n)
    }

    /// Of the names in a folder, the rotated files of `base` to delete (all but the newest `keep`).
    public func expired(base: String, names: [String]) -> [String] {
        let rotated = names.filter { Self.isRotated($0, base: base) }.sorted()
        return Array(rotated.dropLast(keep))
    }

    static func isRotated(_ name: String, base: String) -> Bool {
        guard name.hasPrefix(base + ".") else { return false }
        let rest = Array(name.dropFirst(base.count + 1))
        func digits(_ r: Range<Int>) -> Bool { rest[r].allSatisfy(\.isASCII) && rest[r].allSatisfy(\.isNumber) }
        guard rest.count == 15 || rest.count >= 19, digits(0..<8), rest[8] == "-", digits(9..<15) else { return false }
        return rest.count == 15 || (rest[15] == "-" && digits(16..<rest.count))
    }

    static func stamp(_ date: Date) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d-%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
