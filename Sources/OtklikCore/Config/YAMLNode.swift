/// A position in a config file, 1-based, columns in Unicode scalars.
public struct SourceMark: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public init(file: String, line: Int, column: Int) {
        self.file = file; self.line = line; self.column = column
    }
    public var description: String { "\(file):\(line):\(column)" }
}

/// A YAML node with the place it came from, so every config error can say `file:line:col`.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        /// `quoted` is true for single- or double-quoted scalars (never null, bool or number).
        case scalar(String, quoted: Bool)
        case sequence([YAMLNode])
        /// Keys in document order; duplicates are rejected by the loader.
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }
    public var kind: Kind
    public var mark: SourceMark

    public init(_ kind: Kind, mark: SourceMark) { self.kind = kind; self.mark = mark }

    public var scalar: String? { if case .scalar(let s, _) = kind { return s }; return nil }
    public var isNull: Bool {
        if case .scalar(let s, let q) = kind, !q { return s.isEmpty || s == "~" || s == "null" }
        return false
    }
    public var sequence: [YAMLNode]? { if case .sequence(let a) = kind { return a }; return nil }
    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let m) = kind { return m }; return nil
    }
    /// The value under a key of a mapping node.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first(where: { $0.key.scalar == key })?.value
    }

    /// What kind of node this is, for error messages.
    public var kindName: String {
        switch kind {
        case .scalar: return isNull ? "null" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// An empty mapping at a mark, for optional sections.
    public static func emptyMapping(at mark: SourceMark) -> YAMLNode { YAMLNode(.mapping([]), mark: mark) }
}
