/// A parsed JSON value with tolerant accessors, because VK is loose about types:
/// flags arrive as `0/1` or `true/false`, numbers as strings or floats, and some
/// fields change shape between API versions.
///
/// Objects keep their keys in order as pairs: VK objects are small, so a linear
/// lookup beats building a dictionary for every post.
public enum VKJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([VKJSON])
    case object([(String, VKJSON)])

    public static func == (a: VKJSON, b: VKJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The member `key` of an object; nil for other shapes or a missing key.
    public subscript(key: String) -> VKJSON? {
        guard case .object(let pairs) = self else { return nil }
        for (k, v) in pairs where k == key { return v }
        return nil
    }

    public var isNull: Bool { if case .null = self { return true }; return false }
    public var array: [VKJSON]? { if case .array(let a) = self { return a }; return nil }
    public var isObject: Bool { if case .object = self { return true }; return false }

    /// An integer from `12`, `12.0`, `"12"`, `"12.0"` or a boolean.
    public var int: Int64? {
        switch self {
        case .int(let v): return v
        case .double(let d):
            return d.isFinite && d == d.rounded() && abs(d) < 9.2e18 ? Int64(d) : nil
        case .string(let s):
            if let v = Int64(s) { return v }
            if let d = Double(s) { return VKJSON.double(d).int }
            return nil
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    public var double: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let d): return d
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    /// A flag from `true`/`false`, `0`/`1`, or their string forms.
    public var bool: Bool? {
        switch self {
        case .bool(let b): return b
        case .int(let v): return v != 0
        case .double(let d): return d != 0
        case .string(let s):
            switch s.lowercased() {
            case "1", "true": return true
            case "0", "false", "": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// A string, or a number written as one (ids in some responses).
    public var string: String? {
        switch self {
        case .string(let s): return s
        case .int(let v): return String(v)
        case .double(let d): return VKJSON.double(d).int.map(String.init) ?? String(d)
        default: return nil
        }
    }

    /// A short name of the shape, for skip messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
