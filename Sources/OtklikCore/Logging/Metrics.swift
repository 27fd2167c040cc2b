import Foundation
import Synchronization

/// Counters and gauges with labels, rendered in Prometheus text format.
public final class Metrics: Sendable {
    fileprivate struct Key: Hashable { var name: String; var labels: String }
    private struct State {
        /// Each counter series is a cell added to without the lock (by name or by `Counter`).
        var counters: [Key: CounterCell] = [:]
        var gauges: [Key: Double] = [:]
        var help: [String: String] = [:]
        /// Every label set once: a source's counters and gauges share one string.
        var labelSets: Set<String> = []

        /// `k` with its labels' storage shared with the same labels already held.
        mutating func interned(_ k: Key) -> Key {
            Key(name: k.name, labels: labelSets.insert(k.labels).memberAfterInsert)
        }

        mutating func cell(_ k: Key) -> CounterCell {
            if let cell = counters[k] { return cell }
            let cell = CounterCell()
            counters[interned(k)] = cell
            return cell
        }
    }
    private let state = Mutex(State())
    public init() {}

    private static func labelString(_ labels: KeyValuePairs<String, String>) -> String {
        labels.map { "\($0.key)=\"\(escape($0.value))\"" }.joined(separator: ",")
    }
    private static func escape(_ v: String) -> String {
        guard v.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return v }
        return v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    public func describe(_ name: String, _ help: String) { state.withLock { $0.help[name] = help } }

    public func increment(_ name: String, by v: Double = 1, _ labels: KeyValuePairs<String, String> = [:]) {
        let k = Key(name: name, labels: Self.labelString(labels))
        state.withLock { $0.cell(k) }.add(v)
    }

    /// A counter with its labels rendered once, for paths that count every post: its
    /// increments are an atomic add, so workers counting at once do not wait for each other
    /// (they took the metrics lock once per complaint, and slept on it now and then).
    public struct Counter: Sendable {
        fileprivate let cell: CounterCell
    }

    public func counter(_ name: String, _ labels: KeyValuePairs<String, String> = [:]) -> Counter {
        let k = Key(name: name, labels: Self.labelString(labels))
        return Counter(cell: state.withLock { $0.cell(k) })
    }

    public func increment(_ c: Counter, by v: Double = 1) { c.cell.add(v) }

    public func set(_ name: String, _ v: Double, _ labels: KeyValuePairs<String, String> = [:]) {
        let k = Key(name: name, labels: Self.labelString(labels))
        state.withLock { s in
            if s.gauges[k] != nil { s.gauges[k] = v } else { s.gauges[s.interned(k)] = v }
        }
    }

    /// The current value of a counter or gauge (tests, status).
    public func value(_ name: String, _ labels: KeyValuePairs<String, String> = [:]) -> Double? {
        let k = Key(name: name, labels: Self.labelString(labels))
        return state.withLock { $0.counters[k]?.value ?? $0.gauges[k] }
    }

    /// Prometheus text exposition format.
    public func render() -> String {
        let s = state.withLock { $0 }
        var out = ""
        func emit(_ dict: [Key: Double], type: String) {
            for name in Set(dict.keys.map(\.name)).sorted() {
                if let h = s.help[name] { out += "# HELP \(name) \(h)\n" }
                out += "# TYPE \(name) \(type)\n"
                for (k, v) in dict.filter({ $0.key.name == name }).sorted(by: { $0.key.labels < $1.key.labels }) {
                    let value = v.isNaN ? "NaN" : v.isInfinite ? (v > 0 ? "+Inf" : "-Inf")
                        : v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
                    out += k.labels.isEmpty ? "\(name) \(value)\n" : "\(name){\(k.labels)} \(value)\n"
                }
            }
        }
        emit(s.counters.compactMapValues(\.value), type: "counter")
        emit(s.gauges, type: "gauge")
        return out
    }

    /// Writes `render()` to `path` atomically (temp file + rename).
    public func write(to path: String) throws {
        let tmp = path + ".tmp"
        try Data(render().utf8).write(to: URL(fileURLWithPath: tmp))
        if rename(tmp, path) != 0 { throw POSIXError(.EIO) }
    }
}

/// One counter series' value as the bits of a `Double`, added to with compare-and-swap.
final class CounterCell: Sendable {
    /// No increment yet (a NaN pattern no addition makes): the series is not rendered.
    private static let unset = UInt64.max
    private let bits = Atomic<UInt64>(CounterCell.unset)

    func add(_ v: Double) {
        var old = bits.load(ordering: .relaxed)
        while true {
            let new = old == Self.unset ? v.bitPattern : (Double(bitPattern: old) + v).bitPattern
            let (done, seen) = bits.compareExchange(expected: old, desired: new, ordering: .relaxed)
            if done { return }
            old = seen
        }
    }

    var value: Double? {
        let b = bits.load(ordering: .relaxed)
        return b == Self.unset ? nil : Double(bitPattern: b)
    }
}
