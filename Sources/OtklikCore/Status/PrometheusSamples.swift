import Foundation

/// Samples read back from a Prometheus text file (the daemon's `metrics_file`), so
/// `otklik status` can show what only the running process knows (sink queues, deliveries).
public struct PrometheusSamples: Sendable, Equatable {
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public var samples: [Sample]

    /// Parses the text format; comment lines and lines it cannot read are skipped.
    public init(text: String) {
        samples = text.split(separator: "\n").compactMap { Self.parseLine(String($0)) }
    }

    /// The samples named `name` whose labels include every pair in `matching`.
    public func values(_ name: String, matching: [String: String] = [:]) -> [Sample] {
        samples.filter { s in s.name == name && matching.allSatisfy { s.labels[$0.key] == $0.value } }
    }

    static func parseLine(_ line: String) -> Sample? {
        let t = line.trimmingCharacters(in: .whitespaces)
        if t.isEmpty || t.hasPrefix("#") { return nil }
        var name = "", labels: [String: String] = [:], rest: Substring
        if let open = t.firstIndex(of: "{"), let close = t.lastIndex(of: "}"), open < close {
            name = String(t[..<open])
            labels = parseLabels(t[t.index(after: open)..<close])
            rest = t[t.index(after: close)...]
        } else {
            guard let sp = t.firstIndex(of: " ") else { return nil }
            name = String(t[..<sp]); rest = t[sp...]
        }
        guard let first = rest.split(separator: " ").first else { return nil }
        let v: Double?
        switch first {
        case "+Inf": v = .infinity
        case "-Inf": v = -.infinity
        case "NaN": v = .nan
        default: v = Double(first)
        }
        guard let value = v else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    static func parseLabels(_ s: Substring) -> [String: String] {
        var out: [String: String] = [:]
        var i = s.startIndex
        while i < s.endIndex {
            guard let eq = s[i...].firstIndex(of: "=") else { break }
            let key = s[i..<eq].trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
            var j = s.index(after: eq)
            guard j < s.endIndex, s[j] == "\"" else { break }
            j = s.index(after: j)
            var value = ""
            while j < s.endIndex, s[j] != "\"" {
                if s[j] == "\\", s.index(after: j) < s.endIndex {
                    j = s.index(after: j)
                    value.append(s[j] == "n" ? "\n" : s[j])
                } else {
                    value.append(s[j])
                }
                j = s.index(after: j)
            }
            out[key] = value
            i = j < s.endIndex ? s.index(after: j) : j
        }
        return out
    }
}
