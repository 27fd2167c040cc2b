import Foundation

/// One rule that fired on a post, with the token spans that made it fire.
public struct FiredRule: Sendable {
    public var rule: Int
    /// Token index ranges (first...last), in text order, deduplicated.
    public var spans: [ClosedRange<Int>]
}

/// Runs a `RuleSet` over a post's tokens. Per worker (not thread-safe): keeps what it
/// learned of each word (its symbols) by the word's lexicon number, and reusable per-post
/// buffers, so a post costs roughly one array read per token plus work proportional to
/// what matched.
public final class RuleMatcher {
    public let set: RuleSet

    /// Word infos by `Token.lexiconID` for tokens of `knownEpoch` (`WordInfo.known` marks the
    /// filled ones): dense, in first-seen order, so everyday words share a few cache lines,
    /// where a hash table keyed by word spread them over megabytes.
    private var known = ScratchArray<WordInfo>(capacity: 4096)
    private var knownEpoch: UInt32 = 0
    /// The known words' symbols, each with what the scan reads of it (its phrase-trie root
    /// child, whether it continues phrases): no second lookup by symbol per token.
    private var symbolArena: [RuleScan.Symbol] = []
    /// A number with no symbol of its own (only `<num>`), in the arena once.
    private var plainNumberInfo: WordInfo?
    /// Symbols the matcher keeps for the words it knows (for tests: it must not grow with numbers).
    var keptSymbols: Int { symbolArena.count }
    /// Some prefix term starts with an ASCII digit.
    private let numbersMayStartPrefixes: Bool

    /// Per-post state, scanned in place through `inout` (about a kilobyte of buffer fields: moving it
    /// in and out of an optional property cost two copies a post; class properties touched in a loop
    /// pay dynamic exclusivity checks in debug builds).
    private let scan: UnsafeMutablePointer<RuleScan>

    public init(set: RuleSet) {
        self.set = set
        numbersMayStartPrefixes = (UInt8(0x30)...0x39).contains { set.prefixEdgeTable[RuleSet.prefixKey(0, $0)] != nil }
        scan = .allocate(capacity: 1)
        scan.initialize(to: RuleScan(set: set))
    }

    deinit {
        scan.pointee.deallocate()
        scan.deinitialize(count: 1)
        scan.deallocate()
        known.deallocate()
    }

    /// Tokens without a lexicon number (numbers: mostly new each time), or of another
    /// lexicon than the post's first token, are looked at afresh.
    @inline(__always)
    private func info(_ token: Token, text: String) -> WordInfo {
        let id = Int(token.lexiconID)
        guard id >= 0, token.lexiconEpoch == knownEpoch else { return computeInfo(token, text: text) }
        if id < known.count, known[id].flags & WordInfo.known != 0 { return known[id] }
        let i = computeInfo(token, text: text)
        if id >= known.count {
            known.reserve(id + 1 - known.count)
            (known.base + known.count).initialize(repeating: WordInfo(start: 0, count: 0, flags: 0), count: id + 1 - known.count)
            known.extend(by: id + 1 - known.count)
        }
        var stored = i
        stored.flags |= WordInfo.known
        known[id] = stored
        return i
    }

    private func computeInfo(_ token: Token, text: String) -> WordInfo {
        let set = self.set
        let stemSymbol = set.stemSymbolTable[token.stemHash], exactSymbol = set.exactSymbolTable[token.wordHash]
        // Numbers are looked at afresh every time: the usual one, only `<num>`, shares one arena
        // entry instead of adding a new one per occurrence until the arena is cleared.
        let plainNumber = token.kind == .number && stemSymbol == nil && exactSymbol == nil && !numbersMayStartPrefixes
        if plainNumber, let info = plainNumberInfo { return info }
        let start = Int32(symbolArena.count)
        func add(_ s: Int32) {
            symbolArena.append(RuleScan.Symbol(symbol: s, rootChild: set.rootChild[Int(s)], continues: set.symbolContinues[Int(s)]))
        }
        if token.kind == .number { add(set.numberSymbol) }
        if let s = stemSymbol { add(s) }
        if let s = exactSymbol { add(s) }
        var node: Int32 = 0
        // A number's word is its digits: most rule packs have no prefix that starts with one.
        for byte in (token.kind == .number && !numbersMayStartPrefixes ? "" : token.word(in: text)).utf8 {
            guard let child = set.prefixEdgeTable[RuleSet.prefixKey(node, byte)] else { break }
            node = child
            let sym = set.prefixAt[Int(child)]
            if sym >= 0 { add(sym) }
        }
        // At most a few symbols a word: a stem, an exact form, a number, the rule prefixes it starts with.
        let i = WordInfo(start: start, count: UInt16(clamping: Int(Int32(symbolArena.count) - start)),
                         flags: (RuleSet.negatorSet.contains(token.wordHash) ? WordInfo.negator : 0)
                             | (RuleSet.intensifierSet.contains(token.wordHash) ? WordInfo.intensifier : 0))
        if plainNumber { plainNumberInfo = i }
        return i
    }

    /// The rules that fire on a post, in rule order, with the spans that explain them.
    /// `text` is the post's text (for regex terms), `source` its source id and kind (for
    /// rules limited to sources).
    public func match(_ tokens: [Token], text: String, source: (id: String, kind: String)) -> [FiredRule] {
        firingRules(tokens, text: text, source: source).map { FiredRule(rule: Int($0), spans: spans(ofRule: Int($0))) }
    }

    /// Sorts a post's touched rules: an insertion sort for the usual few dozen (the standard
    /// library's stable sort merges through a scratch buffer, a `memmove` per run), else `sort()`.
    static func sortInPlace(_ a: UnsafeMutableBufferPointer<Int32>) {
        guard a.count <= 64 else { var b = a; b.sort(); return }
        var i = 1
        while i < a.count {
            let x = a[i]
            var j = i
            while j > 0, a[j - 1] > x { a[j] = a[j - 1]; j -= 1 }
            a[j] = x
            i += 1
        }
    }

    /// The token spans that explain rule `r` on the post last passed to `firingRules`
    /// (in text order, deduplicated).
    public func spans(ofRule r: Int) -> [ClosedRange<Int>] { scan.pointee.spans(ofRule: r) }

    /// The rules that fire on a post, in rule order, without their spans: a post that is
    /// not explained (most of a stream) does not pay for them. The view is the matcher's own
    /// buffer, valid until its next `firingRules` or `match` (no array allocated per post).
    public func firingRules(_ tokens: [Token], text: String, source: (id: String, kind: String)) -> UnsafeBufferPointer<Int32> {
        // Bounded between posts, never within one (its word infos index the arena). Another
        // lexicon (a new tokenizer, or its cache cleared) numbers words afresh.
        let epoch = tokens.first?.lexiconEpoch ?? knownEpoch
        if epoch != knownEpoch || symbolArena.count > 1 << 18 {
            known.removeAll(); symbolArena.removeAll(keepingCapacity: true); plainNumberInfo = nil; knownEpoch = epoch
        }
        return firingRules(&scan.pointee, tokens, text: text, source: source)
    }

    private func firingRules(_ sc: inout RuleScan, _ tokens: [Token], text: String,
                             source: (id: String, kind: String)) -> UnsafeBufferPointer<Int32> {
        sc.begin()
        tokens.withUnsafeBufferPointer { tb in
            for i in tb.indices {
                sc.sentences.append(Int32(truncatingIfNeeded: tb[i].sentence))
                sc.wordInfos.append(info(tb[i], text: text))
            }
        }
        let arena = symbolArena
        let set = self.set
        var sentence: Int32 = -1
        for ti in 0..<sc.wordInfos.count {
            let tokenSentence = sc.sentences[ti]
            if tokenSentence != sentence { sc.active.removeAll(); sentence = tokenSentence }
            sc.nextActive.removeAll()
            let wi = sc.wordInfos[ti]
            for k in Int(wi.start)..<Int(wi.start) + Int(wi.count) {
                let symbol = arena[k]
                if symbol.rootChild >= 0 { sc.arrive(symbol.rootChild, at: ti) }
                guard symbol.continues else { continue }
                let sym = symbol.symbol
                let bit = RuleSet.symbolBit(sym)
                for a in 0..<sc.active.count {
                    let node = sc.active[a]
                    guard sc.nodes[Int(node)].childMask & bit != 0 else { continue }
                    if let c = set.edgeTable[UInt64(node) << 32 | UInt64(UInt32(sym))] { sc.arrive(c, at: ti) }
                }
            }
            swap(&sc.active, &sc.nextActive)
        }
        // Terms reached through near; simple terms are marked in `arrive`.
        for term in sc.touchedNear { sc.evaluateNear(term) }
        if !set.regexTerms.isEmpty { sc.evaluateRegexes(text: text, tokens: tokens) }

        Self.sortInPlace(UnsafeMutableBufferPointer(start: sc.touchedRules.base, count: sc.touchedRules.count))
        for r in sc.touchedRules where sc.fires(Int(r), source: source) { sc.fired.append(r) }
        return UnsafeBufferPointer(start: sc.fired.base, count: sc.fired.count)
    }
}
