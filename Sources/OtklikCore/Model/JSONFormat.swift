import Foundation

/// The one JSON dialect of Otklik: sorted keys, ISO-8601 times, one object per line.
public enum OtklikJSON {
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(formatDate(date))
        }
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { dec in
            let c = try dec.singleValueContainer()
            if let n = try? c.decode(Double.self) { return Date(timeIntervalSince1970: n) }
            let s = try c.decode(String.self)
            guard let date = parseDate(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO-8601 time: \(s)")
            }
            return date
        }
        return d
    }

    /// One JSON line (no trailing newline).
    public static func line<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// `2026-11-24T10:15:00Z`, or with fractional seconds when there are any.
    public static func formatDate(_ date: Date) -> String {
        var fast: [UInt8] = []
        fast.reserveCapacity(24)
        if ISODate.appendWholeSeconds(date, to: &fast) || ISODate.appendMilliseconds(date, to: &fast) {
            return String(decoding: fast, as: UTF8.self)
        }
        let t = date.timeIntervalSince1970
        if t == t.rounded() {
            return date.formatted(.iso8601)
        }
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Accepts `2026-11-01`, `2026-11-01T10:00:00Z`, `…+03:00` and fractional seconds.
    public static func parseDate(_ s: String) -> Date? {
        if let d = try? Date(s, strategy: .iso8601) { return d }
        if let d = try? Date(s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        if s.count == 10, let d = try? Date(s + "T00:00:00Z", strategy: .iso8601) { return d }
        return nil
    }
}
