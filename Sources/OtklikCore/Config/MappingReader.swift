import Foundation

/// Reads one config mapping into typed values, reporting every problem to `diagnostics`
/// with its mark instead of stopping at the first.
///
/// Each reader remembers which keys were read; `finish()` reports the rest as unknown,
/// with a "did you mean …?" for likely typos. Plugins (connectors, stages, sinks) read
/// their own sections with it, so their keys are validated like the core's.
public final class MappingReader {
    public let node: YAMLNode
    public let diagnostics: ConfigDiagnostics
    /// What this mapping is, for messages: `source 'bataysk'`, `sink 'db'`.
    public let context: String
    private var known: Set<String> = []
    private let pairs: [(key: YAMLNode, value: YAMLNode)]

    /// Nil (and an error) when `node` is not a mapping. A null node reads as an empty mapping.
    public init?(_ node: YAMLNode, diagnostics: ConfigDiagnostics, context: String) {
        self.node = node; self.diagnostics = diagnostics; self.context = context
        if node.isNull { pairs = []; return }
        guard let m = node.mapping else {
            diagnostics.error("\(context) must be a mapping, found \(node.kindName)", at: node.mark)
            return nil
        }
        pairs = m
    }

    public var keys: [String] { pairs.compactMap { $0.key.scalar } }
    public var mark: SourceMark { node.mark }

    /// The raw node under `key`, marking the key as known.
    public func node(_ key: String) -> YAMLNode? {
        known.insert(key)
        guard let v = pairs.first(where: { $0.key.scalar == key })?.value, !v.isNull else { return nil }
        return v
    }

    /// Marks keys as known without reading them (read elsewhere).
    public func allow(_ keys: String...) { known.formUnion(keys) }

    private func missing(_ key: String) {
        diagnostics.error("\(context): missing required key '\(key)'", at: node.mark)
    }

    private func scalar(_ key: String, required: Bool, expected: String) -> (String, YAMLNode)? {
        guard let v = node(key) else { if required { missing(key) }; return nil }
        guard let s = v.scalar else {
            diagnostics.error("'\(key)' must be \(expected), found \(v.kindName)", at: v.mark)
            return nil
        }
        return (s, v)
    }

    public func string(_ key: String, required: Bool = false) -> String? {
        scalar(key, required: required, expected: "a string")?.0
    }

    public func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let (s, v) = scalar(key, required: required, expected: "an integer") else { return nil }
        guard let n = Int(s.replacingOccurrences(of: "_", with: "")) else {
            diagnostics.error("'\(key)' must be an integer, found '\(s)'", at: v.mark); return nil
        }
        if let range, !range.contains(n) {
            diagnostics.error("'\(key)' must be between \(range.lowerBound) and \(range.upperBound), found \(n)", at: v.mark)
            return nil
        }
        return n
    }

    public func double(_ key: String, required: Bool = false, range: ClosedRange<Double>? = nil) -> Double? {
        guard let (s, v) = scalar(key, required: required, expected: "a number") else { return nil }
        guard let n = Double(s), n.isFinite else {
            diagnostics.error("'\(key)' must be a number, found '\(s)'", at: v.mark); return nil
        }
        if let range, !range.contains(n) {
            diagnostics.error("'\(key)' must be between \(range.lowerBound) and \(range.upperBound), found \(s)", at: v.mark)
            return nil
        }
        return n
    }

    /// YAML 1.2 booleans only: `true` / `false` (so `no` stays a string elsewhere).
    public func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let (s, v) = scalar(key, required: required, expected: "true or false") else { return nil }
        switch s.lowercased() {
        case "true": return true
        case "false": return false
        default: diagnostics.error("'\(key)' must be true or false, found '\(s)'", at: v.mark); return nil
        }
    }

    public func duration(_ key: String, required: Bool = false) -> Duration? {
        guard let (s, v) = scalar(key, required: required, expected: "a duration") else { return nil }
        guard let d = ConfigValues.duration(s) else {
            diagnostics.error("'\(key)': bad duration '\(s)' (use e.g. 500ms, 90s, 5m, 2h, 7d)", at: v.mark)
            return nil
        }
        return d
    }

    public func size(_ key: String, required: Bool = false) -> Int? {
        guard let (s, v) = scalar(key, required: required, expected: "a size") else { return nil }
        guard let n = ConfigValues.size(s) else {
            diagnostics.error("'\(key)': bad size '\(s)' (use e.g. 512KB, 100MB, 1GB)", at: v.mark)
            return nil
        }
        return n
    }

    /// A path, resolved against the directory of the file the value was written in.
    public func path(_ key: String, required: Bool = false) -> String? {
        guard let (s, v) = scalar(key, required: required, expected: "a path") else { return nil }
        return Self.resolve(s, relativeTo: v.mark.file)
    }

    /// One of `allowed` (case-sensitive).
    public func choice(_ key: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let (s, v) = scalar(key, required: required, expected: "a string") else { return nil }
        guard allowed.contains(s) else {
            let hint = suggestion(for: s, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
            diagnostics.error("'\(key)' must be one of \(allowed.joined(separator: ", ")), found '\(s)'\(hint)", at: v.mark)
            return nil
        }
        return s
    }

    /// A string or a list of strings.
    public func strings(_ key: String, required: Bool = false) -> [String]? {
        guard let v = node(key) else { if required { missing(key) }; return nil }
        if let s = v.scalar { return [s] }
        guard let items = v.sequence else {
            diagnostics.error("'\(key)' must be a string or a list of strings", at: v.mark); return nil
        }
        var out: [String] = []
        for item in items {
            guard let s = item.scalar else {
                diagnostics.error("'\(key)': each item must be a string, found \(item.kindName)", at: item.mark)
                continue
            }
            out.append(s)
        }
        return out
    }

    public func list(_ key: String, required: Bool = false) -> [YAMLNode]? {
        guard let v = node(key) else { if required { missing(key) }; return nil }
        guard let items = v.sequence else {
            diagnostics.error("'\(key)' must be a list, found \(v.kindName)", at: v.mark); return nil
        }
        return items
    }

    public func mapping(_ key: String, required: Bool = false, context: String? = nil) -> MappingReader? {
        guard let v = node(key) else { if required { missing(key) }; return nil }
        return MappingReader(v, diagnostics: diagnostics, context: context ?? "'\(key)'")
    }

    /// Reports every key that no one read, with a suggestion when one is close.
    public func finish() {
        let candidates = Array(known).sorted()
        for (k, _) in pairs {
            guard let name = k.scalar else {
                diagnostics.error("\(context): keys must be strings", at: k.mark); continue
            }
            if known.contains(name) { continue }
            var message = "\(context): unknown key '\(name)'"
            if let s = suggestion(for: name, among: candidates) { message += "; did you mean '\(s)'?" }
            diagnostics.error(message, at: k.mark)
        }
    }

    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") || path == "-" { return path }
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            return home + path.dropFirst(1)
        }
        let dir = (file as NSString).deletingLastPathComponent
        let joined = dir.isEmpty ? path : dir + "/" + path
        return (joined as NSString).standardizingPath
    }
}
