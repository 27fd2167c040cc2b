/// `routing:` rules: which executor gets an incident, by category × municipality.
///
/// A category pattern is `*`, a block with a wildcard (`housing.*` matches `housing` and
/// every `housing.x`) or an exact id. A municipality pattern is `*` or a municipality's
/// name or id, or a settlement's name (case- and ё-insensitive). First match wins.
public struct IncidentRouting: Sendable {
    public struct Rule: Sendable, Hashable {
        public var category: String
        public var municipality: String
        public var executor: Executor
        public init(category: String = "*", municipality: String = "*", executor: Executor) {
            self.category = category; self.municipality = municipality; self.executor = executor
        }
    }

    public var rules: [Rule]
    public init(rules: [Rule] = []) { self.rules = rules }

    public func executor(category: String, geo: GeoTag?) -> Executor? {
        rules.first { Self.matches(category: $0.category, category) && Self.matches(municipality: $0.municipality, geo) }?
            .executor
    }

    static func matches(category pattern: String, _ id: String) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasSuffix(".*") {
            let block = pattern.dropLast(2)
            return id == block || id.hasPrefix(block + ".")
        }
        return pattern == id
    }

    static func matches(municipality pattern: String, _ geo: GeoTag?) -> Bool {
        if pattern == "*" { return true }
        let p = Tokenizer.normalize(pattern)
        return [geo?.municipality, geo?.municipalityID, geo?.settlement].contains { $0.map(Tokenizer.normalize) == p }
    }
}
