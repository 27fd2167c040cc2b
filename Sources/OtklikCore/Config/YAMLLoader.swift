import CYAML
import Foundation

/// Reads YAML text into `YAMLNode`s through libyaml's event parser.
///
/// Why not libyaml's document API: we need the mark of every node, duplicate-key
/// detection (libyaml allows them), and a cap on alias expansion (alias bombs).
public enum YAMLLoader {
    /// Upper bound on nodes produced by one file, aliases expanded.
    public static let maxNodes = 200_000
    /// Upper bound on nesting, so hostile input cannot overflow the stack of the recursive builder.
    public static let maxDepth = 200

    /// Parses one YAML document. Syntax errors are thrown as `ConfigErrors` with marks;
    /// duplicate keys are reported to `diagnostics` and the first value is kept.
    public static func load(_ text: String, file: String, diagnostics: ConfigDiagnostics) throws -> YAMLNode {
        var bytes = Array(text.utf8)
        if let nul = bytes.firstIndex(of: 0) {
            throw ConfigErrors([ConfigError("NUL byte in YAML text", at: position(of: nul, in: bytes, file: file))])
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ConfigErrors([ConfigError("cannot initialise the YAML parser", at: nil)])
        }
        defer { yaml_parser_delete(&parser) }
        return try bytes.withUnsafeMutableBufferPointer { buf -> YAMLNode in
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            var builder = Builder(file: file, diagnostics: diagnostics)
            return try builder.run(&parser)
        }
    }

    /// The 1-based line and column (in Unicode scalars) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8], file: String) -> SourceMark {
        let before = bytes[..<offset]
        let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return SourceMark(file: file, line: line, column: column)
    }

    private struct Builder {
        let file: String
        let diagnostics: ConfigDiagnostics
        var anchors: [String: YAMLNode] = [:]
        var nodeCount = 0
        var depth = 0

        init(file: String, diagnostics: ConfigDiagnostics) {
            self.file = file; self.diagnostics = diagnostics
        }

        /// libyaml's marks are 0-based and count characters (not bytes), as our columns do.
        func mark(_ m: yaml_mark_t) -> SourceMark {
            SourceMark(file: file, line: Int(m.line) + 1, column: Int(m.column) + 1)
        }

        func syntaxError(_ p: yaml_parser_t) -> ConfigErrors {
            let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
            let context = p.context.map { String(cString: $0) + ": " } ?? ""
            return ConfigErrors([ConfigError("YAML syntax: \(context)\(problem)", at: mark(p.problem_mark))])
        }

        mutating func next(_ p: inout yaml_parser_t) throws -> Event {
            var ev = yaml_event_t()
            guard yaml_parser_parse(&p, &ev) == 1 else { throw syntaxError(p) }
            return Event(ev)
        }

        mutating func run(_ p: inout yaml_parser_t) throws -> YAMLNode {
            var root: YAMLNode?
            while true {
                let ev = try next(&p)
                switch ev.type {
                case YAML_STREAM_END_EVENT:
                    return root ?? YAMLNode(.mapping([]), mark: SourceMark(file: file, line: 1, column: 1))
                case YAML_DOCUMENT_START_EVENT:
                    if root != nil {
                        throw ConfigErrors([ConfigError("only one YAML document per file is supported",
                                                        at: mark(ev.raw.start_mark))])
                    }
                    let first = try next(&p)
                    if first.type == YAML_DOCUMENT_END_EVENT {
                        root = YAMLNode(.mapping([]), mark: mark(first.raw.start_mark))
                    } else {
                        root = try node(first, &p)
                        _ = try next(&p) // DOCUMENT_END
                    }
                default: continue
                }
            }
        }

        mutating func node(_ ev: Event, _ p: inout yaml_parser_t) throws -> YAMLNode {
            nodeCount += 1
            depth += 1
            defer { depth -= 1 }
            if depth > YAMLLoader.maxDepth {
                throw ConfigErrors([ConfigError("YAML nested deeper than \(YAMLLoader.maxDepth) levels",
                                                at: mark(ev.raw.start_mark))])
            }
            if nodeCount > YAMLLoader.maxNodes {
                throw ConfigErrors([ConfigError("too many YAML nodes (over \(YAMLLoader.maxNodes)); alias bomb?",
                                                at: mark(ev.raw.start_mark))])
            }
            let m = mark(ev.raw.start_mark)
            var result: YAMLNode
            var anchor: String?
            switch ev.type {
            case YAML_ALIAS_EVENT:
                let name = String(cString: ev.raw.data.alias.anchor)
                guard let target = anchors[name] else {
                    throw ConfigErrors([ConfigError("unknown alias *\(name)", at: m)])
                }
                nodeCount += Self.size(target)
                if nodeCount > YAMLLoader.maxNodes {
                    throw ConfigErrors([ConfigError("alias expansion exceeds \(YAMLLoader.maxNodes) nodes", at: m)])
                }
                return target
            case YAML_SCALAR_EVENT:
                let s = ev.raw.data.scalar
                let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
                let quoted = s.style == YAML_SINGLE_QUOTED_SCALAR_STYLE || s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
                    || s.style == YAML_LITERAL_SCALAR_STYLE || s.style == YAML_FOLDED_SCALAR_STYLE
                anchor = s.anchor.map { String(cString: $0) }
                result = YAMLNode(.scalar(value, quoted: quoted), mark: m)
            case YAML_SEQUENCE_START_EVENT:
                anchor = ev.raw.data.sequence_start.anchor.map { String(cString: $0) }
                var items: [YAMLNode] = []
                while true {
                    let child = try next(&p)
                    if child.type == YAML_SEQUENCE_END_EVENT { break }
                    items.append(try node(child, &p))
                }
                result = YAMLNode(.sequence(items), mark: m)
            case YAML_MAPPING_START_EVENT:
                anchor = ev.raw.data.mapping_start.anchor.map { String(cString: $0) }
                var pairs: [(key: YAMLNode, value: YAMLNode)] = []
                var seen: [String: SourceMark] = [:]
                var merged: Set<String> = []
                while true {
                    let kev = try next(&p)
                    if kev.type == YAML_MAPPING_END_EVENT { break }
                    let key = try node(kev, &p)
                    let value = try node(try next(&p), &p)
                    if let k = key.scalar {
                        if k == "<<", let sources = value.mapping.map({ [$0] }) ?? value.sequence?.compactMap(\.mapping) {
                            // Merge keys: earlier sources win; keys written in this mapping win over all.
                            for pair in sources.joined() where !pairs.contains(where: { $0.key.scalar == pair.key.scalar }) {
                                pairs.append(pair)
                                merged.insert(pair.key.scalar ?? "")
                            }
                            continue
                        }
                        if merged.contains(k), let i = pairs.firstIndex(where: { $0.key.scalar == k }) {
                            merged.remove(k)
                            pairs[i] = (key, value)
                            seen[k] = key.mark
                            continue
                        }
                        if let first = seen[k] {
                            diagnostics.error("duplicate key '\(k)' (first defined at \(first.line):\(first.column))",
                                              at: key.mark)
                            continue
                        }
                        seen[k] = key.mark
                    }
                    pairs.append((key, value))
                }
                result = YAMLNode(.mapping(pairs), mark: m)
            default:
                throw ConfigErrors([ConfigError("unexpected YAML event", at: m)])
            }
            if let anchor { anchors[anchor] = result }
            return result
        }

        static func size(_ n: YAMLNode) -> Int {
            switch n.kind {
            case .scalar: return 1
            case .sequence(let a): return a.reduce(1) { $0 + size($1) }
            case .mapping(let m): return m.reduce(1) { $0 + size($1.key) + size($1.value) }
            }
        }
    }

    /// Owns one libyaml event and frees it.
    private final class Event {
        var raw: yaml_event_t
        init(_ raw: yaml_event_t) { self.raw = raw }
        var type: yaml_event_type_t { raw.type }
        deinit { yaml_event_delete(&raw) }
    }
}
