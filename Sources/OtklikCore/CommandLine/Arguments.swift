/// A small getopt-style parser: `--name value`, `--name=value`, flags, repeated options,
/// and positionals. Unknown options are usage errors (exit 64) with a suggestion.
public struct Arguments: Sendable {
    public private(set) var values: [String: [String]] = [:]
    public private(set) var flags: Set<String> = []
    public private(set) var positionals: [String] = []

    /// `options`: names taking a value; `flags`: names without one (both without `--`).
    public init(_ args: [String], options: [String], flags knownFlags: [String]) throws {
        var i = 0
        let all = options + knownFlags + ["help"]
        while i < args.count {
            let a = args[i]
            if a == "--" { positionals += args[(i + 1)...]; break }
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2)), inline: String?
                if let eq = name.firstIndex(of: "=") { inline = String(name[name.index(after: eq)...]); name = String(name[..<eq]) }
                if options.contains(name) {
                    if let inline { values[name, default: []].append(inline) }
                    else {
                        guard i + 1 < args.count else { throw CommandError(.usage, "option --\(name) needs a value") }
                        values[name, default: []].append(args[i + 1]); i += 1
                    }
                } else if knownFlags.contains(name) || name == "help" {
                    flags.insert(name)
                } else {
                    let hint = suggestion(for: name, among: all).map { "; did you mean --\($0)?" } ?? ""
                    throw CommandError(.usage, "unknown option --\(name)\(hint)")
                }
            } else if a == "-h" {
                flags.insert("help")
            } else {
                positionals.append(a)
            }
            i += 1
        }
    }

    public func value(_ name: String) -> String? { values[name]?.last }
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    public func flag(_ name: String) -> Bool { flags.contains(name) }
    public var wantsHelp: Bool { flags.contains("help") }
}
