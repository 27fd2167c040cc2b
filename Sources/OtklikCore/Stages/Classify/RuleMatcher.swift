import Foundation

/// One rule that fired on a post, with the token spans that made it fire.
public struct FiredRule: Sendable {
    public var rule: Int
    /// Token index ranges (first...last), in text order, deduplicated.
    public var spans: [ClosedRange<Int>]
}

/// Runs a `RuleSet` over a post's tokens. Per worker (not thread-safe): keeps a memo of
/// word → symbols and reusable per-post buffers, so a post costs roughly one memo lookup
/// per token plus work proportional to what matched.
public final class RuleMatcher {
    public let set: RuleSet

    private var memo = WordTable<WordInfo>(minimumCapacity: 4096)
    private var symbolArena: [Int32] = []
    private let memoLimit: Int

    /// Per-post state, scanned in place through `inout` (about a kilobyte of buffer fields: moving it
    /// in and out of an optional property cost two copies a post; class properties touched in a loop
    /// pay dynamic exclusivity checks in debug builds).
    private let scan: UnsafeMutablePointer<Scan>

    public init(set: RuleSet, memoLimit: Int = 200_000) {
        self.set = set; self.memoLimit = memoLimit
        scan = .allocate(capacity: 1)
        scan.initialize(to: Scan(set: set))
    }

    deinit {
        scan.pointee.deallocate()
        scan.deinitialize(count: 1)
        scan.deallocate()
    }

    @inline(__always)
    private func info(_ token: Token, text: String) -> WordInfo {
        if let i = memo[token.wordHash] { return i }
        let i = computeInfo(token, text: text)
        // Numbers are mostly new each time (house numbers, phones): not worth a memo slot.
        if token.kind != .number { memo[token.wordHash] = i }
        return i
    }

    private func computeInfo(_ token: Token, text: String) -> WordInfo {
        let start = Int32(symbolArena.count)
        if token.kind == .number { symbolArena.append(set.numberSymbol) }
        if let s = set.stemSymbolTable[token.stemHash] { symbolArena.append(s) }
        if let s = set.exactSymbolTable[token.wordHash] { symbolArena.append(s) }
        var node: Int32 = 0
        for byte in token.word(in: text).utf8 {
            guard let child = set.prefixEdgeTable[RuleSet.prefixKey(node, byte)] else { break }
            node = child
            let sym = set.prefixAt[Int(child)]
            if sym >= 0 { symbolArena.append(sym) }
        }
        // At most a few symbols a word: a stem, an exact form, a number, the rule prefixes it starts with.
        let i = WordInfo(start: start, count: UInt16(clamping: Int(Int32(symbolArena.count) - start)),
                         flags: (RuleSet.negatorSet.contains(token.wordHash) ? WordInfo.negator : 0)
                             | (RuleSet.intensifierSet.contains(token.wordHash) ? WordInfo.intensifier : 0))
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
        // Bounded between posts, never within one (its word infos index the arena).
        if memo.count >= memoLimit || symbolArena.count > 1 << 20 {
            memo.removeAll(); symbolArena.removeAll(keepingCapacity: true)
        }
        return firingRules(&scan.pointee, tokens, text: text, source: source)
    }

    private func firingRules(_ sc: inout Scan, _ tokens: [Token], text: String,
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
                let sym = arena[k]
                let child = set.rootChild[Int(sym)]
                if child >= 0 { sc.arrive(child, at: ti) }
                guard set.symbolContinues[Int(sym)] else { continue }
                let bit = RuleSet.symbolBit(sym)
                for a in 0..<sc.active.count {
                    let node = sc.active[a]
                    guard sc.nodeChildMask[Int(node)] & bit != 0 else { continue }
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

/// What a `RuleMatcher` knows about a word: its symbols (a range of the symbol arena) and
/// whether it negates or intensifies the next one.
/// Seven bytes, so a memo slot (hash and optional info) is 16.
private struct WordInfo {
    var start: Int32
    var count: UInt16
    var flags: UInt8
    static let negator: UInt8 = 1, intensifier: UInt8 = 2
    var negates: Bool { flags & Self.negator != 0 }
    var intensifies: Bool { flags & Self.intensifier != 0 }
}

/// What a `RuleMatcher` learns while scanning one post; stamped with `generation` instead
/// of cleared between posts. Every buffer is a `ScratchArray` (no copy-on-write checks in
/// the loops); the matcher frees them in `deinit`. Its readers (`fires`, `satisfied`,
/// `isNegated`, `spans`) are `mutating` too although they change nothing: called on the
/// `inout` scan, a non-mutating method got a copy of the whole kilobyte-sized struct per call.
private struct Scan {
    /// The matcher that owns this scan keeps the set alive.
    unowned(unsafe) let set: RuleSet
    var generation: UInt32 = 0
    var patternStamp: ScratchArray<UInt32>
    var patternPlain: ScratchArray<Bool>
    var patternHead: ScratchArray<Int32>
    var spanFirst = ScratchArray<Int32>(), spanLast = ScratchArray<Int32>()
    var spanNegated = ScratchArray<Bool>(), spanNext = ScratchArray<Int32>()
    var termStamp: ScratchArray<UInt32>
    var termPlain: ScratchArray<Bool>
    /// Each term's spans as a list threaded through `termSpan*` (head -1: none).
    var termHead: ScratchArray<Int32>
    var termSpanFirst = ScratchArray<Int32>(), termSpanLast = ScratchArray<Int32>()
    var termSpanNegated = ScratchArray<Bool>(), termSpanNext = ScratchArray<Int32>()
    var ruleStamp: ScratchArray<UInt32>
    var touchedRules = ScratchArray<Int32>()
    /// The rules that fired, in rule order (what `firingRules` returns a view of).
    var fired = ScratchArray<Int32>()
    var nearStamp: ScratchArray<UInt32>
    var touchedNear = ScratchArray<Int32>()
    /// Each touched near term's patterns that occurred, as a list threaded through
    /// `nearPattern`/`nearSide`/`nearNext` (head -1: none): only these are paired up.
    var nearHead: ScratchArray<Int32>
    var nearPattern = ScratchArray<Int32>(), nearSide = ScratchArray<UInt8>(), nearNext = ScratchArray<Int32>()
    var active = ScratchArray<Int32>(), nextActive = ScratchArray<Int32>()
    var wordInfos = ScratchArray<WordInfo>(capacity: 256)
    var sentences = ScratchArray<Int32>(capacity: 256)
    // Copies of the set's flat lists, read without touching the shared object and without
    // retains when the scan is moved in and out of the matcher.
    let npStart: ScratchArray<Int32>, npItems: ScratchArray<Int32>, ptStart: ScratchArray<Int32>
    let ptItems: ScratchArray<Int32>, trStart: ScratchArray<Int32>, trItems: ScratchArray<Int32>
    let termKind: ScratchArray<UInt8>, patternLength: ScratchArray<Int32>, patternTermSide: ScratchArray<UInt8>
    let nearDistance: ScratchArray<Int32>, nodeChildMask: ScratchArray<UInt64>
    let facts: ScratchArray<RuleSet.RuleFacts>
    let anyTerms: FlatScratch, noneTerms: FlatScratch, allGroups: FlatScratch, groupTerms: FlatScratch

    init(set: RuleSet) {
        self.set = set
        npStart = ScratchArray(set.flatNodePatterns.start); npItems = ScratchArray(set.flatNodePatterns.items)
        ptStart = ScratchArray(set.flatPatternTerms.start); ptItems = ScratchArray(set.flatPatternTerms.items)
        trStart = ScratchArray(set.flatTermRules.start); trItems = ScratchArray(set.flatTermRules.items)
        facts = ScratchArray(set.facts)
        anyTerms = FlatScratch(set.anyTerms); noneTerms = FlatScratch(set.noneTerms)
        allGroups = FlatScratch(set.allGroups); groupTerms = FlatScratch(set.groupTerms)
        patternTermSide = ScratchArray(set.patternTermSide); nearDistance = ScratchArray(set.nearDistance)
        nodeChildMask = ScratchArray(set.nodeChildMask)
        termKind = ScratchArray(set.termKind); patternLength = ScratchArray(set.patternLength)
        let p = set.patternCount, t = set.termCount
        patternStamp = ScratchArray(repeating: 0, count: p); patternPlain = ScratchArray(repeating: false, count: p)
        patternHead = ScratchArray(repeating: -1, count: p)
        termStamp = ScratchArray(repeating: 0, count: t); termPlain = ScratchArray(repeating: false, count: t)
        termHead = ScratchArray(repeating: -1, count: t)
        nearStamp = ScratchArray(repeating: 0, count: t)
        nearHead = ScratchArray(repeating: -1, count: t)
        ruleStamp = ScratchArray(repeating: 0, count: set.rules.count)
    }

    func deallocate() {
        for a in [patternStamp, termStamp, ruleStamp, nearStamp] { a.deallocate() }
        for a in [patternPlain, spanNegated, termPlain, termSpanNegated] { a.deallocate() }
        for a in [patternHead, spanFirst, spanLast, spanNext, termHead, termSpanFirst, termSpanLast, termSpanNext,
                  touchedRules, fired, touchedNear, active, nextActive, sentences, nearHead, nearPattern, nearNext,
                  npStart, npItems, ptStart, ptItems, trStart, trItems, patternLength, nearDistance] { a.deallocate() }
        for a in [nearSide, termKind, patternTermSide] { a.deallocate() }
        for l in [anyTerms, noneTerms, allGroups, groupTerms] { l.start.deallocate(); l.items.deallocate() }
        nodeChildMask.deallocate(); facts.deallocate()
        wordInfos.deallocate()
    }

    mutating func begin() {
        generation &+= 1
        if generation == 0 { resetStamps() }
        spanFirst.removeAll(); spanLast.removeAll(); spanNegated.removeAll(); spanNext.removeAll()
        termSpanFirst.removeAll(); termSpanLast.removeAll(); termSpanNegated.removeAll(); termSpanNext.removeAll()
        touchedRules.removeAll(); fired.removeAll(); touchedNear.removeAll()
        nearPattern.removeAll(); nearSide.removeAll(); nearNext.removeAll()
        wordInfos.removeAll(); sentences.removeAll()
        active.removeAll()
    }

    mutating func arrive(_ node: Int32, at ti: Int) {
        // Only a node a longer phrase continues from stays active for the next token.
        if nodeChildMask[Int(node)] != 0 { nextActive.append(node) }
        for pk in Int(npStart[Int(node)])..<Int(npStart[Int(node) + 1]) {
            let p = npItems[pk]
            let first = ti - Int(patternLength[Int(p)]) + 1
            let negated = isNegated(before: first)
            let s = Int32(spanFirst.count)
            spanFirst.append(Int32(first)); spanLast.append(Int32(ti)); spanNegated.append(negated)
            let firstArrival = patternStamp[Int(p)] != generation
            if firstArrival {
                patternStamp[Int(p)] = generation; patternPlain[Int(p)] = false; patternHead[Int(p)] = -1
            }
            spanNext.append(patternHead[Int(p)]); patternHead[Int(p)] = s
            if !negated { patternPlain[Int(p)] = true }
            for tk in Int(ptStart[Int(p)])..<Int(ptStart[Int(p) + 1]) {
                let term = ptItems[tk]
                switch termKind[Int(term)] {
                case 0:
                    mark(term, first: first, last: ti, negated: negated)
                case 1:
                    guard firstArrival else { break }
                    if nearStamp[Int(term)] != generation {
                        nearStamp[Int(term)] = generation; nearHead[Int(term)] = -1; touchedNear.append(term)
                    }
                    nearPattern.append(p); nearSide.append(patternTermSide[tk])
                    nearNext.append(nearHead[Int(term)]); nearHead[Int(term)] = Int32(nearPattern.count - 1)
                default: break
                }
            }
        }
    }

    mutating func mark(_ term: Int32, first: Int, last: Int, negated: Bool) {
        let t = Int(term)
        if termStamp[t] != generation {
            termStamp[t] = generation; termPlain[t] = false; termHead[t] = -1
            for rk in Int(trStart[t])..<Int(trStart[t + 1]) where ruleStamp[Int(trItems[rk])] != generation {
                ruleStamp[Int(trItems[rk])] = generation; touchedRules.append(trItems[rk])
            }
        }
        if !negated { termPlain[t] = true }
        termSpanFirst.append(Int32(first)); termSpanLast.append(Int32(last)); termSpanNegated.append(negated)
        termSpanNext.append(termHead[t]); termHead[t] = Int32(termSpanFirst.count - 1)
    }

    /// A match is negated when «не»/«ни» comes right before it (skipping «очень», «уже», …)
    /// in the same sentence. Phrases that start with «не» carry their own negation.
    mutating func isNegated(before first: Int) -> Bool {
        var i = first - 1
        var skipped = 0
        while i >= 0, sentences[i] == sentences[first] {
            let wi = wordInfos[i]
            if wi.negates { return true }
            guard wi.intensifies, skipped < 2 else { return false }
            skipped += 1; i -= 1
        }
        return false
    }

    /// Pairs the term's first-list patterns that occurred with its second-list ones.
    mutating func evaluateNear(_ term: Int32) {
        var ia = nearHead[Int(term)]
        while ia >= 0 {
            if nearSide[Int(ia)] & 1 != 0 {
                var ib = nearHead[Int(term)]
                while ib >= 0 {
                    if nearSide[Int(ib)] & 2 != 0 { pairSpans(nearPattern[Int(ia)], nearPattern[Int(ib)], near: term) }
                    ib = nearNext[Int(ib)]
                }
            }
            ia = nearNext[Int(ia)]
        }
    }

    /// Marks `term` on every pair of spans of patterns `a` and `b` that lie apart, within its
    /// distance, in one sentence.
    mutating func pairSpans(_ a: Int32, _ b: Int32, near term: Int32) {
        let distance = Int(nearDistance[Int(term)])
        var sa = patternHead[Int(a)]
        while sa >= 0 {
            var sb = patternHead[Int(b)]
            while sb >= 0 {
                let a0 = Int(spanFirst[Int(sa)]), a1 = Int(spanLast[Int(sa)])
                let b0 = Int(spanFirst[Int(sb)]), b1 = Int(spanLast[Int(sb)])
                let gap = a1 < b0 ? b0 - a1 : (b1 < a0 ? a0 - b1 : 0)
                let overlap = !(a1 < b0 || b1 < a0)
                if !overlap, gap <= distance, sentences[a0] == sentences[b0] {
                    let negated = spanNegated[Int(sa)] && spanNegated[Int(sb)]
                    // The words, not the gap between them, explain the match.
                    mark(term, first: a0, last: a1, negated: negated)
                    mark(term, first: b0, last: b1, negated: negated)
                }
                sb = spanNext[Int(sb)]
            }
            sa = spanNext[Int(sa)]
        }
    }

    mutating func evaluateRegexes(text: String, tokens: [Token]) {
        let ns = text as NSString
        for term in set.regexTerms {
            guard case .regex(let re) = set.terms[Int(term)] else { continue }
            for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                // Map the match to tokens it covers, by UTF-8 offsets.
                let lo = ns.substring(to: m.range.location).utf8.count
                let hi = lo + ns.substring(with: m.range).utf8.count
                let covered = tokens.indices.filter { tokens[$0].start < hi && tokens[$0].end > lo }
                guard let f = covered.first, let l = covered.last else { continue }
                mark(term, first: f, last: l, negated: false)
            }
        }
    }

    mutating func satisfied(_ term: Int32, negation: Bool) -> Bool {
        termStamp[Int(term)] == generation && (!negation || termPlain[Int(term)])
    }

    mutating func fires(_ r: Int, source: (id: String, kind: String)) -> Bool {
        let f = facts[r]
        if f.limited, let sources = set.rules[r].sources, !sources.contains(source.id), !sources.contains(source.kind) {
            return false
        }
        let neg = f.negation
        let any = anyTerms.range(r)
        if !any.isEmpty, !any.contains(where: { satisfied(anyTerms.items[$0], negation: neg) }) { return false }
        for g in allGroups.range(r) {
            if !groupTerms.range(Int(allGroups.items[g])).contains(where: { satisfied(groupTerms.items[$0], negation: neg) }) {
                return false
            }
        }
        return !noneTerms.range(r).contains(where: { satisfied(noneTerms.items[$0], negation: neg) })
    }

    /// The spans of the terms that made rule `r` fire: its satisfied `any` terms and those of each `all` group.
    mutating func spans(ofRule r: Int) -> [ClosedRange<Int>] {
        let neg = facts[r].negation
        var spans: [ClosedRange<Int>] = []
        spans.reserveCapacity(8)
        func add(term t: Int32) {
            guard satisfied(t, negation: neg) else { return }
            var k = termHead[Int(t)]
            while k >= 0 {
                // A rule that ignores negated matches is explained by its plain ones only.
                if !neg || !termSpanNegated[Int(k)] { spans.append(Int(termSpanFirst[Int(k)])...Int(termSpanLast[Int(k)])) }
                k = termSpanNext[Int(k)]
            }
        }
        for k in anyTerms.range(r) { add(term: anyTerms.items[k]) }
        for g in allGroups.range(r) {
            for k in groupTerms.range(Int(allGroups.items[g])) { add(term: groupTerms.items[k]) }
        }
        if spans.count > 1 {
            spans.sort { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
            var w = 1
            for i in 1..<spans.count where spans[i] != spans[w - 1] { spans[w] = spans[i]; w += 1 }
            spans.removeLast(spans.count - w)
        }
        return spans
    }

    mutating func resetStamps() {
        patternStamp.fill(0); termStamp.fill(0); nearStamp.fill(0); ruleStamp.fill(0)
        generation = 1
    }
}

/// `FlatLists` over `ScratchArray`s (a `Scan`'s read-only copy).
private struct FlatScratch {
    let start: ScratchArray<Int32>
    let items: ScratchArray<Int32>

    init(_ lists: FlatLists) { start = ScratchArray(lists.start); items = ScratchArray(lists.items) }

    @inline(__always) func range(_ i: Int) -> Range<Int> { Int(start[i])..<Int(start[i + 1]) }
}
