import Foundation

/// The bench's figures, as a table for people and as one JSON object for tools.
public struct BenchReport: Sendable {
    /// How a figure compares with its target.
    public enum Goal: Sendable {
        case atLeast(Double)
        case atMost(Double)
    }

    public struct Figure: Sendable {
        public var key: String
        public var title: String
        public var value: Double
        public var unit: String
        public var goal: Goal?
        /// A short remark shown after the figure (what was measured, counts).
        public var note: String

        public init(key: String, title: String, value: Double, unit: String, goal: Goal? = nil, note: String = "") {
            self.key = key; self.title = title; self.value = value; self.unit = unit; self.goal = goal; self.note = note
        }

        public var met: Bool? {
            switch goal {
            case .atLeast(let t): return value >= t
            case .atMost(let t): return value <= t
            case nil: return nil
            }
        }

        var goalText: String {
            switch goal {
            case .atLeast(let t): return "≥ " + BenchReport.format(t)
            case .atMost(let t): return "≤ " + BenchReport.format(t)
            case nil: return ""
            }
        }
    }

    /// Facts about the run: commit, build, cores, posts, seed.
    public var context: [(String, String)]
    public var figures: [Figure] = []

    public init(context: [(String, String)]) { self.context = context }

    public mutating func add(_ f: Figure) { figures.append(f) }

    public var allMet: Bool { figures.allSatisfy { $0.met != false } }

    public func table() -> String {
        var lines = [context.map { "\($0.0): \($0.1)" }.joined(separator: "  ")]
        let w0 = max(6, figures.map { $0.title.count }.max() ?? 0)
        let values = figures.map { Self.format($0.value) + " " + $0.unit }
        let w1 = max(5, values.map(\.count).max() ?? 0)
        let goals = figures.map(\.goalText)
        let w2 = max(6, goals.map(\.count).max() ?? 0)
        lines.append(Self.pad("figure", w0) + "  " + Self.pad("value", w1, left: true) + "  " + Self.pad("target", w2) + "  ok  note")
        lines.append(String(repeating: "-", count: w0 + w1 + w2 + 12))
        for (i, f) in figures.enumerated() {
            let ok = f.met.map { $0 ? "yes" : "NO " } ?? "   "
            lines.append(Self.pad(f.title, w0) + "  " + Self.pad(values[i], w1, left: true) + "  "
                         + Self.pad(goals[i], w2) + "  " + ok + " " + f.note)
        }
        return lines.joined(separator: "\n")
    }

    public func json() -> String {
        var obj: [String: Any] = [:]
        for (k, v) in context { obj[k] = v }
        obj["figures"] = figures.map { f -> [String: Any] in
            var d: [String: Any] = ["key": f.key, "title": f.title, "value": (f.value * 1000).rounded() / 1000, "unit": f.unit]
            switch f.goal {
            case .atLeast(let t): d["target_min"] = t
            case .atMost(let t): d["target_max"] = t
            case nil: break
            }
            if let m = f.met { d["met"] = m }
            if !f.note.isEmpty { d["note"] = f.note }
            return d
        }
        obj["all_met"] = allMet
        let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// 123456 → "123,456"; 12.345 → "12.3"; 0.5 → "0.50".
    static func format(_ v: Double) -> String {
        if v >= 1000 {
            let digits = String(Int(v.rounded()))
            var out = ""
            for (i, c) in digits.reversed().enumerated() {
                if i > 0, i % 3 == 0 { out.append(",") }
                out.append(c)
            }
            return String(out.reversed())
        }
        return String(format: v >= 10 ? "%.1f" : "%.2f", v)
    }

    static func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, w - s.count))
        return left ? fill + s : s + fill
    }
}
