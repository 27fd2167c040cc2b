import Foundation

/// Parsers for the scalar forms a config uses: durations and sizes.
public enum ConfigValues {
    /// `500ms`, `90s`, `5m`, `2h`, `7d`, `1w`; combinations like `1h30m`. A bare number is an error
    /// (ambiguous unit).
    public static func duration(_ s: String) -> Duration? {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        guard !t.isEmpty else { return nil }
        var total = 0.0, number = "", i = t.startIndex, sawUnit = false
        while i < t.endIndex {
            let c = t[i]
            if c.isNumber || c == "." { number.append(c); i = t.index(after: i); continue }
            var unit = String(c); i = t.index(after: i)
            while i < t.endIndex, t[i].isLetter { unit.append(t[i]); i = t.index(after: i) }
            guard let n = Double(number) else { return nil }
            let scale: Double
            switch unit {
            case "ms": scale = 0.001
            case "s", "sec": scale = 1
            case "m", "min": scale = 60
            case "h": scale = 3600
            case "d": scale = 86400
            case "w": scale = 604800
            default: return nil
            }
            total += n * scale; number = ""; sawUnit = true
        }
        guard number.isEmpty, sawUnit, total.isFinite, total <= 10 * 365 * 86400 else { return nil }
        return .milliseconds(Int64((total * 1000).rounded()))
    }

    /// `512`, `64KB`, `100MB`, `1GB` (powers of 1024; `KiB`/`MiB` accepted too).
    public static func size(_ s: String) -> Int? {
        let t = s.trimmingCharacters(in: .whitespaces).uppercased()
        let digits = t.prefix { $0.isNumber || $0 == "." }
        guard let n = Double(digits), n >= 0 else { return nil }
        let unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let scale: Double
        switch unit {
        case "", "B": scale = 1
        case "K", "KB", "KIB": scale = 1024
        case "M", "MB", "MIB": scale = 1024 * 1024
        case "G", "GB", "GIB": scale = 1024 * 1024 * 1024
        default: return nil
        }
        let v = n * scale
        guard v < Double(Int.max / 2) else { return nil }
        return Int(v)
    }
}

extension Duration {
    /// Seconds as a `Double`.
    public var seconds: Double {
        let (s, a) = components
        return Double(s) + Double(a) / 1e18
    }
    /// The inverse of `seconds`.
    public static func seconds(double v: Double) -> Duration { .milliseconds(Int64((v * 1000).rounded())) }
}
