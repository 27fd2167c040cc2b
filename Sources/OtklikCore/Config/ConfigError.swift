import Synchronization

/// One problem in a config file, reported as `file:line:col: message`.
public struct ConfigError: Error, Sendable, CustomStringConvertible, Equatable {
    public var mark: SourceMark?
    public var message: String
    public init(_ message: String, at mark: SourceMark?) { self.mark = mark; self.message = message }
    public var description: String {
        if let mark { return "\(mark): \(message)" }
        return message
    }
    public static func == (a: ConfigError, b: ConfigError) -> Bool { a.description == b.description }
}

/// All the problems of a config, so they are reported at once.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigError]
    public init(_ errors: [ConfigError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Collects config errors while readers walk the tree; shared by every plugin's parser.
public final class ConfigDiagnostics: Sendable {
    private let state = Mutex<[ConfigError]>([])
    public init() {}
    public func error(_ message: String, at mark: SourceMark?) {
        state.withLock { $0.append(ConfigError(message, at: mark)) }
    }
    public func append(_ errors: [ConfigError]) { state.withLock { $0.append(contentsOf: errors) } }
    public var errors: [ConfigError] { state.withLock { $0 } }
    public var isEmpty: Bool { state.withLock { $0.isEmpty } }
    /// Throws every collected error at once, sorted by place.
    public func throwIfAny() throws {
        let all = errors
        if !all.isEmpty { throw ConfigErrors(Self.sorted(all)) }
    }
    static func sorted(_ e: [ConfigError]) -> [ConfigError] {
        e.enumerated().sorted { x, y in
            let a = x.element.mark, b = y.element.mark
            if let a, let b, a.file == b.file {
                return (a.line, a.column, x.offset) < (b.line, b.column, y.offset)
            }
            return x.offset < y.offset
        }.map(\.element)
    }
}

/// Edit distance, for "did you mean …?" suggestions.
public func levenshtein(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
public func suggestion(for word: String, among candidates: [String]) -> String? {
    let best = candidates.map { ($0, levenshtein(word.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
    guard let best else { return nil }
    return best.1 <= max(2, word.count / 3) ? best.0 : nil
}
