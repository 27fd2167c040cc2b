import Foundation

/// Every rule of a pipeline compiled into one automaton, shared read-only by all workers.
///
/// Words of all terms become integer symbols (a stem, an exact form, a prefix, "a
/// number"); every word and phrase is a path in one trie over symbols, so scanning a post
/// costs the same whatever the number of rules. `near` and rule logic are evaluated only
/// for terms that occurred. Build with `RuleSet.compile`.
public final class RuleSet: @unchecked Sendable {
    // @unchecked: immutable after `compile`; NSRegularExpression is thread-safe for matching.

    public let rules: [Rule]

    // Symbols of one token.
    /// Prefix trie over UTF-8 bytes: `prefixEdgeTable` maps (node, byte) → node; `prefixAt[node]` = prefix symbol or -1.
    let prefixAt: [Int32]
    let numberSymbol: Int32
    let symbolCount: Int

    // The phrase trie over symbols.
    /// Children of the root by symbol (-1: none).
    let rootChild: [Int32]
    // (node << 32 | symbol) → child, for nodes below the root: `edgeTable`.
    // Patterns ending at a node: `flatNodePatterns`.
    /// Pattern length in tokens.
    let patternLength: [Int32]

    // Terms.
    enum Compiled {
        case pattern(Int32)
        case near(a: [Int32], b: [Int32], distance: Int32)
        case regex(NSRegularExpression)
    }
    let terms: [Compiled]
    // Terms (simple or near) that a pattern takes part in: `flatPatternTerms`.
    let regexTerms: [Int32]

    struct CompiledRule {
        var any: [Int32]
        var all: [[Int32]]
        var none: [Int32]
        /// Index into `categories` for topic rules, else -1.
        var category: Int32
    }
    /// What scoring reads of each rule, without copying a `Rule` (strings, term lists).
    struct RuleFacts: BitwiseCopyable {
        var weight: Double
        var kind: RuleKind
        var severity: Severity?
        var negation: Bool
        /// The rule is limited to some sources (`Rule.sources`).
        var limited: Bool
        var category: Int32
    }
    let facts: [RuleFacts]
    /// Per rule, what a verdict names: the subcategory, and the hit's id and category label
    /// (the category for a topic rule, else `marker`/`noise`).
    let subcategories: [String?]
    let hitLabels: [(id: String, category: String)]
    // `compiled`'s term lists flattened, per rule: `any`, `none`, and the `all` groups
    // (rule → group ids in `allGroups`, group → terms in `groupTerms`).
    let anyTerms: FlatLists
    let noneTerms: FlatLists
    let allGroups: FlatLists
    let groupTerms: FlatLists
    /// Category ids used by topic rules, in first-use order.
    public let categories: [String]

    /// Words that negate the next word («не жалуюсь»), and words skipped between them («не очень»).
    static let negators: Set<String> = ["не", "ни", "нисколько", "ничуть"]
    static let intensifiers: Set<String> = ["очень", "особо", "сильно", "совсем", "слишком", "так", "уж", "уже",
                                            "больше", "разу", "то", "всегда", "особенно", "сразу", "совершенно"]

    static let negatorSet = WordSet(negators)
    static let intensifierSet = WordSet(intensifiers)

    init(rules: [Rule], stemSymbols: [String: Int32], exactSymbols: [String: Int32], prefixEdges: [UInt64: Int32],
         prefixAt: [Int32], numberSymbol: Int32, symbolCount: Int, rootChild: [Int32], edges: [UInt64: Int32],
         nodePatterns: [[Int32]], patternLength: [Int32], terms: [Compiled],
         patternTerms: [[Int32]], patternTermSides: [[Int32]], regexTerms: [Int32], compiled: [CompiledRule],
         categories: [String]) {
        self.rules = rules; self.prefixAt = prefixAt; self.numberSymbol = numberSymbol
        self.symbolCount = symbolCount; self.rootChild = rootChild; self.patternLength = patternLength
        self.terms = terms
        self.regexTerms = regexTerms; self.categories = categories
        flatNodePatterns = FlatLists(nodePatterns)
        facts = zip(rules, compiled).map { r, c in
            RuleFacts(weight: r.weight, kind: r.kind, severity: r.severity, negation: r.negation,
                      limited: r.sources != nil, category: c.category)
        }
        subcategories = rules.map(\.subcategory)
        hitLabels = rules.map { ($0.id, $0.kind == .topic ? ($0.category ?? "") : $0.kind.rawValue) }
        anyTerms = FlatLists(compiled.map(\.any))
        noneTerms = FlatLists(compiled.map(\.none))
        var groups: [[Int32]] = [], ruleGroups: [[Int32]] = []
        for c in compiled {
            ruleGroups.append(c.all.indices.map { Int32(groups.count + $0) })
            groups += c.all
        }
        allGroups = FlatLists(ruleGroups)
        groupTerms = FlatLists(groups)
        flatPatternTerms = FlatLists(patternTerms)
        patternTermSide = FlatLists(patternTermSides).items.map { UInt8($0) }
        var continues = [Bool](repeating: false, count: symbolCount)
        var masks = [UInt64](repeating: 0, count: nodePatterns.count)
        for k in edges.keys {
            continues[Int(k & 0xFFFF_FFFF)] = true
            masks[Int(k >> 32)] |= Self.symbolBit(Int32(truncatingIfNeeded: k))
        }
        nodeChildMask = masks
        symbolContinues = continues
        nearDistance = terms.map { t -> Int32 in
            if case .near(_, _, let d) = t { return d }; return 0
        }
        termKind = terms.map { t -> UInt8 in
            switch t { case .pattern: 0; case .near: 1; case .regex: 2 }
        }
        var table = WordTable<Int32>(minimumCapacity: edges.count)
        for (k, v) in edges { table[k] = v }
        edgeTable = table
        var stems = WordTable<Int32>(minimumCapacity: stemSymbols.count)
        for (k, v) in stemSymbols { stems[k] = v }
        stemSymbolTable = stems
        var exact = WordTable<Int32>(minimumCapacity: exactSymbols.count)
        for (k, v) in exactSymbols { exact[k] = v }
        exactSymbolTable = exact
        var prefixes = WordTable<Int32>(minimumCapacity: prefixEdges.count)
        for (k, v) in prefixEdges { prefixes[Self.prefixKey(Int32(k >> 8), UInt8(k & 0xFF))] = v }
        prefixEdgeTable = prefixes
    }

    // The trie's lists flattened (offsets + items), and its edges in `WordTable`s: the scan
    // reads these per token, and nested arrays or a `Dictionary` would cost a retain or a
    // SipHash per read.
    let flatNodePatterns: FlatLists
    let flatPatternTerms: FlatLists
    /// Per term: 0 pattern, 1 near, 2 regex.
    let termKind: [UInt8]
    /// Parallel to `flatPatternTerms.items`: for a near term, which side the pattern is on
    /// (bit 0: the first list, bit 1: the second; both when it is in both), else 0.
    let patternTermSide: [UInt8]
    /// Per term: the word distance of a near term, else 0.
    let nearDistance: [Int32]
    /// Per trie node: `symbolBit` of each symbol it has a child for (a one-word Bloom filter),
    /// so most active nodes are passed over without probing `edgeTable`; 0 for a node no
    /// longer phrase continues from, which does not stay active.
    let nodeChildMask: [UInt64]
    @inline(__always) static func symbolBit(_ symbol: Int32) -> UInt64 { 1 << UInt64(UInt32(bitPattern: symbol) & 63) }
    /// Per symbol: whether it is the second or a later word of some phrase. A token's other
    /// symbols only start phrases, so the active nodes need not be tried with them.
    let symbolContinues: [Bool]
    let edgeTable: WordTable<Int32>
    /// `stemSymbols`, `exactSymbols` and `prefixEdges` keyed by hashes: a token carries the
    /// hashes of its word and stem, so its symbols are found without hashing strings.
    let stemSymbolTable: WordTable<Int32>
    let exactSymbolTable: WordTable<Int32>
    let prefixEdgeTable: WordTable<Int32>

    /// The key of a prefix-trie edge in `prefixEdgeTable` (never 0).
    @inline(__always) static func prefixKey(_ node: Int32, _ byte: UInt8) -> UInt64 {
        UInt64(UInt32(node)) << 8 | UInt64(byte) | 1 << 63
    }

    /// Number of distinct word/phrase patterns in the automaton.
    public var patternCount: Int { patternLength.count }
    /// Number of distinct terms across all rules.
    public var termCount: Int { terms.count }
}

/// Lists of `Int32` in two flat arrays: list `i` is `items[start[i]..<start[i + 1]]`.
struct FlatLists: Sendable {
    let start: [Int32]
    let items: [Int32]

    init(_ lists: [[Int32]]) {
        var start: [Int32] = [0]
        start.reserveCapacity(lists.count + 1)
        var items: [Int32] = []
        for l in lists { items += l; start.append(Int32(items.count)) }
        self.start = start; self.items = items
    }
}
