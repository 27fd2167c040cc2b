import Foundation

/// Resident memory of this process, from `/proc/self/status` (Linux).
public enum ProcessMemory {
    /// Peak resident set size (`VmHWM`) in bytes; nil where /proc is missing.
    public static var peakResident: Int? { field("VmHWM:") }
    /// Current resident set size (`VmRSS`) in bytes.
    public static var resident: Int? { field("VmRSS:") }

    /// A `kB` line of a `/proc/<pid>/status` text, in bytes.
    public static func field(_ name: String, in status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let parts = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let n = parts.first.flatMap({ Int($0) }) else { return nil }
            return parts.count > 1 && parts[1] == "kB" ? n * 1024 : n
        }
        return nil
    }

    static func field(_ name: String) -> Int? {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return field(name, in: s)
    }
}

/// Order statistics of measured samples.
public enum Percentiles {
    /// The nearest-rank `p`-th percentile (0…100) of `samples`; nil when empty.
    public static func of(_ samples: [Double], _ p: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
