import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loads a config file into a `YAMLNode` tree: YAML parsing, `${VAR}` interpolation
/// and `include:` expansion. Typing happens later, in `OtklikConfig` and the plugins.
public struct ConfigLoader {
    public var environment: [String: String]
    public let diagnostics: ConfigDiagnostics

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                diagnostics: ConfigDiagnostics = ConfigDiagnostics()) {
        self.environment = environment; self.diagnostics = diagnostics
    }

    /// Reads, parses, interpolates and expands includes. Syntax errors throw; every other
    /// problem is collected in `diagnostics`.
    public func loadFile(_ path: String, including: [String] = []) throws -> YAMLNode {
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let s = String(data: data, encoding: .utf8) else {
                throw ConfigErrors([ConfigError("not valid UTF-8", at: SourceMark(file: path, line: 1, column: 1))])
            }
            text = s
        } catch let e as ConfigErrors {
            throw e
        } catch {
            throw ConfigErrors([ConfigError("cannot read config: \(error.localizedDescription)",
                                            at: SourceMark(file: path, line: 1, column: 1))])
        }
        return try load(text, file: path, including: including + [Self.canonical(path)])
    }

    public func load(_ text: String, file: String, including: [String] = []) throws -> YAMLNode {
        let raw = try YAMLLoader.load(text, file: file, diagnostics: diagnostics)
        return try expand(raw, including: including.isEmpty ? [Self.canonical(file)] : including)
    }

    private func expand(_ node: YAMLNode, including: [String]) throws -> YAMLNode {
        switch node.kind {
        case .scalar(let s, let quoted):
            guard s.contains("${") else { return node }
            return YAMLNode(.scalar(interpolate(s, at: node.mark), quoted: quoted), mark: node.mark)
        case .sequence(let items):
            // `- include: pack.yaml` inside a list splices the included list in place.
            var out: [YAMLNode] = []
            for item in items {
                let expanded = try expand(item, including: including)
                let onlyInclude = item.mapping.map { $0.count == 1 && $0[0].key.scalar == "include" } ?? false
                if onlyInclude, let spliced = expanded.sequence { out += spliced } else { out.append(expanded) }
            }
            return YAMLNode(.sequence(out), mark: node.mark)
        case .mapping(let pairs):
            var out: [(key: YAMLNode, value: YAMLNode)] = []
            var includedSequence: [YAMLNode]?
            for pair in pairs {
                if pair.key.scalar == "include" {
                    for inc in try includes(pair.value, including: including) {
                        if let seq = inc.sequence {
                            includedSequence = (includedSequence ?? []) + seq
                        } else if let m = inc.mapping {
                            for p in m {
                                if let k = p.key.scalar, out.contains(where: { $0.key.scalar == k }) || pairs.contains(where: { $0.key.scalar == k }) {
                                    diagnostics.error("included key '\(k)' is already defined", at: p.key.mark)
                                    continue
                                }
                                out.append(p)
                            }
                        } else if !inc.isNull {
                            diagnostics.error("an included file must hold a mapping or a list", at: inc.mark)
                        }
                    }
                    continue
                }
                out.append((pair.key, try expand(pair.value, including: including)))
            }
            if let seq = includedSequence {
                if !out.isEmpty {
                    diagnostics.error("a mapping that includes lists may hold nothing but 'include'", at: node.mark)
                }
                return YAMLNode(.sequence(seq), mark: node.mark)
            }
            return YAMLNode(.mapping(out), mark: node.mark)
        }
    }

    private func includes(_ value: YAMLNode, including: [String]) throws -> [YAMLNode] {
        let items: [YAMLNode] = value.sequence ?? [value]
        var out: [YAMLNode] = []
        for item in items {
            guard let pattern = item.scalar else {
                diagnostics.error("'include' takes a path or a list of paths", at: item.mark); continue
            }
            let resolved = MappingReader.resolve(interpolate(pattern, at: item.mark), relativeTo: item.mark.file)
            let files = Self.glob(resolved)
            if files.isEmpty {
                diagnostics.error("include: no file matches '\(pattern)'", at: item.mark); continue
            }
            for f in files {
                if including.contains(Self.canonical(f)) {
                    diagnostics.error("include cycle: '\(f)' includes itself", at: item.mark); continue
                }
                do { out.append(try loadFile(f, including: including)) }
                catch let e as ConfigErrors { diagnostics.append(e.errors) }
            }
        }
        return out
    }

    /// `${VAR}`, `${VAR:-default}`; `$${` stays literal `${`.
    func interpolate(_ s: String, at mark: SourceMark) -> String {
        var out = "", rest = Substring(s)
        while let r = rest.range(of: "${") {
            if r.lowerBound > rest.startIndex, rest[rest.index(before: r.lowerBound)] == "$" {
                out += rest[..<rest.index(before: r.lowerBound)] + "${"
                rest = rest[r.upperBound...]; continue
            }
            out += rest[..<r.lowerBound]
            guard let close = rest[r.upperBound...].firstIndex(of: "}") else {
                diagnostics.error("unterminated '${' in '\(s)'", at: mark)
                return out + rest[r.lowerBound...]
            }
            let expr = rest[r.upperBound..<close]
            let (name, fallback): (Substring, Substring?) = {
                if let d = expr.range(of: ":-") { return (expr[..<d.lowerBound], expr[d.upperBound...]) }
                return (expr, nil)
            }()
            if let v = environment[String(name)], !v.isEmpty {
                if Self.looksSecret(name) { Redactor.register(secret: v) }
                out += v
            } else if let fallback {
                out += fallback
            } else {
                let state = environment[String(name)] == nil ? "not set" : "empty"
                diagnostics.error("environment variable '\(name)' is \(state) (use ${\(name):-default})", at: mark)
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// Variables named like credentials (`VK_TOKEN`, `DB_PASSWORD`, `API_KEY`…): their values
    /// are registered with `Redactor`, so a token written into the config never reaches a log.
    static func looksSecret(_ name: Substring) -> Bool {
        let n = name.uppercased()
        return ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL", "AUTH"].contains { n.contains($0) }
    }

    /// An absolute path with `.`/`..` and symlinks resolved, so include cycles are seen
    /// whichever way a file is named.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func glob(_ pattern: String) -> [String] {
        guard pattern.contains(where: { "*?[".contains($0) }) else {
            return FileManager.default.fileExists(atPath: pattern) ? [pattern] : []
        }
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}
