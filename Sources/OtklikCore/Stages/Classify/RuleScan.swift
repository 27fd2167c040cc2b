import Foundation

/// What a `RuleMatcher` knows about a word: its symbols (a range of the symbol arena) and
/// whether it negates or intensifies the next one. Eight bytes in the matcher's table of
/// known words.
struct WordInfo {
    var start: Int32
    var count: UInt16
    var flags: UInt8
    static let negator: UInt8 = 1, intensifier: UInt8 = 2
    /// Set in the matcher's table of known words on the filled entries.
    static let known: UInt8 = 0x80
    var negates: Bool { flags & Self.negator != 0 }
    var intensifies: Bool { flags & Self.intensifier != 0 }
}

/// What a `RuleMatcher` learns while scanning one post; stamped with `generation` instead
/// of cleared between posts.
///
/// Laid out for the cache: what a step of the scan reads about one trie node (with the
/// pattern that ends there: patterns are distinct symbol sequences, so a node ends at most
/// one) or one term — the automaton's facts and this post's state of it — is one record, so
/// an arrival touches a few cache lines instead of one per array of a struct of arrays. Every
/// buffer is a `ScratchArray` (no copy-on-write checks in the loops); the matcher frees them
/// with `deallocate()`. Its readers (`fires`, `satisfied`, `isNegated`, `spans`) are
/// `mutating` too although they change nothing: called on the `inout` scan, a non-mutating
/// method got a copy of the whole struct per call.
struct RuleScan {
    /// A trie node and the pattern ending at it (`length` 0: none); its spans on this post
    /// are a list through `spans` (-1: none).
    struct Node {
        var childMask: UInt64
        var length: Int32 = 0, termsStart: Int32 = 0, termsEnd: Int32 = 0
        var stamp: UInt32 = 0, head: Int32 = -1
    }
    /// A symbol of a word, with its child of the phrase trie's root (-1: none) and whether it
    /// is a later word of some phrase.
    struct Symbol { var symbol: Int32; var rootChild: Int32; var continues: Bool }
    struct Term {
        /// 0 pattern, 1 near, 2 regex.
        var kind: UInt8, nearDistance: Int32
        /// Its places in rules: `roles[rolesStart..<rolesEnd]`.
        var rolesStart: Int32, rolesEnd: Int32
        var stamp: UInt32 = 0, plain = false
        /// This post's spans of the term, a list through `termSpans` (-1: none).
        var head: Int32 = -1
        var nearStamp: UInt32 = 0
        /// This post's patterns of a near term, a list through `nearHits` (-1: none).
        var nearHead: Int32 = -1
    }
    /// A term's place in a rule: `any` (-1), `none` (-2), or the rule's `all` group of that
    /// number (0…63).
    struct Role { var rule: Int32; var role: Int32 }
    static let anyRole: Int32 = -1, noneRole: Int32 = -2
    /// What this post satisfied of a rule, kept as its terms are marked, so that deciding
    /// whether a touched rule fires reads one record instead of walking its term lists (a
    /// topic rule's `any` list is dozens of terms, each a cache miss).
    struct RuleState { var stamp: UInt32 = 0; var any = false; var none = false; var groups: UInt64 = 0 }
    /// A term a pattern is part of; for a near term, which side (bit 0 the first list, bit 1
    /// the second, both when in both).
    struct PatternTerm { var term: Int32; var side: UInt8 }
    /// Token range of a match, a link in a list of them.
    struct Span { var first: Int32, last: Int32, next: Int32, negated: Bool }
    /// A pattern (by its node) of a near term that occurred on this post.
    struct NearHit { var node: Int32, next: Int32, side: UInt8 }

    /// The matcher that owns this scan keeps the set alive.
    unowned(unsafe) let set: RuleSet
    var generation: UInt32 = 0
    let nodes: ScratchArray<Node>
    let terms: ScratchArray<Term>
    let patternTerms: ScratchArray<PatternTerm>, roles: ScratchArray<Role>
    /// Per rule: the bits of its `all` groups, all of which must be hit (a rule of more than
    /// 64 groups is decided by walking its term lists).
    let groupMasks: ScratchArray<UInt64>
    let facts: ScratchArray<RuleSet.RuleFacts>
    let anyTerms: FlatScratch, noneTerms: FlatScratch, allGroups: FlatScratch, groupTerms: FlatScratch

    var spans = ScratchArray<Span>(capacity: 64)
    var termSpans = ScratchArray<Span>(capacity: 64)
    var ruleStates: ScratchArray<RuleState>
    var touchedRules = ScratchArray<Int32>()
    /// The rules that fired, in rule order (what `firingRules` returns a view of).
    var fired = ScratchArray<Int32>()
    var touchedNear = ScratchArray<Int32>()
    var nearHits = ScratchArray<NearHit>()
    var active = ScratchArray<Int32>(), nextActive = ScratchArray<Int32>()
    var wordInfos = ScratchArray<WordInfo>(capacity: 256)
    var sentences = ScratchArray<Int32>(capacity: 256)

    init(set: RuleSet) {
        self.set = set
        var nodeList = set.nodeChildMask.map { Node(childMask: $0) }
        let np = set.flatNodePatterns, pt = set.flatPatternTerms.start
        for n in nodeList.indices {
            for k in Int(np.start[n])..<Int(np.start[n + 1]) {
                let p = Int(np.items[k])
                precondition(nodeList[n].length == 0, "two patterns end at one trie node")
                nodeList[n].length = set.patternLength[p]
                nodeList[n].termsStart = pt[p]; nodeList[n].termsEnd = pt[p + 1]
            }
        }
        nodes = ScratchArray(nodeList)
        var termRoles = [[Role]](repeating: [], count: set.termCount)
        var masks: [UInt64] = []
        for r in set.rules.indices {
            let rule = Int32(r)
            for k in Self.range(set.anyTerms, r) { termRoles[Int(set.anyTerms.items[k])].append(Role(rule: rule, role: Self.anyRole)) }
            for k in Self.range(set.noneTerms, r) { termRoles[Int(set.noneTerms.items[k])].append(Role(rule: rule, role: Self.noneRole)) }
            let groups = Self.range(set.allGroups, r)
            masks.append(groups.count >= 64 ? ~0 : (1 << UInt64(groups.count)) - 1)
            for (ordinal, g) in groups.enumerated() where ordinal < 64 {
                for k in Self.range(set.groupTerms, Int(set.allGroups.items[g])) {
                    termRoles[Int(set.groupTerms.items[k])].append(Role(rule: rule, role: Int32(ordinal)))
                }
            }
        }
        var start: Int32 = 0
        terms = ScratchArray(set.termKind.indices.map { t in
            defer { start += Int32(termRoles[t].count) }
            return Term(kind: set.termKind[t], nearDistance: set.nearDistance[t],
                        rolesStart: start, rolesEnd: start + Int32(termRoles[t].count))
        })
        roles = ScratchArray(termRoles.flatMap { $0 })
        groupMasks = ScratchArray(masks)
        patternTerms = ScratchArray(zip(set.flatPatternTerms.items, set.patternTermSide).map { PatternTerm(term: $0, side: $1) })
        facts = ScratchArray(set.facts)
        anyTerms = FlatScratch(set.anyTerms); noneTerms = FlatScratch(set.noneTerms)
        allGroups = FlatScratch(set.allGroups); groupTerms = FlatScratch(set.groupTerms)
        ruleStates = ScratchArray(repeating: RuleState(), count: set.rules.count)
    }

    func deallocate() {
        nodes.deallocate(); terms.deallocate()
        patternTerms.deallocate(); roles.deallocate(); groupMasks.deallocate(); facts.deallocate()
        for l in [anyTerms, noneTerms, allGroups, groupTerms] { l.start.deallocate(); l.items.deallocate() }
        spans.deallocate(); termSpans.deallocate(); ruleStates.deallocate()
        for a in [touchedRules, fired, touchedNear, active, nextActive, sentences] { a.deallocate() }
        nearHits.deallocate(); wordInfos.deallocate()
    }

    mutating func begin() {
        generation &+= 1
        if generation == 0 { resetStamps() }
        spans.removeAll(); termSpans.removeAll()
        touchedRules.removeAll(); fired.removeAll(); touchedNear.removeAll(); nearHits.removeAll()
        wordInfos.removeAll(); sentences.removeAll()
        active.removeAll()
    }

    mutating func arrive(_ nodeIndex: Int32, at ti: Int) {
        precondition(nodeIndex >= 0 && Int(nodeIndex) < nodes.count)
        let node = nodes.base + Int(nodeIndex)
        // Only a node a longer phrase continues from stays active for the next token.
        if node.pointee.childMask != 0 { nextActive.append(nodeIndex) }
        let length = Int(node.pointee.length)
        if length > 0 {
            let first = ti - length + 1
            let negated = isNegated(before: first)
            let firstArrival = node.pointee.stamp != generation
            if firstArrival {
                node.pointee.stamp = generation; node.pointee.head = -1
            }
            spans.append(Span(first: Int32(first), last: Int32(ti), next: node.pointee.head, negated: negated))
            node.pointee.head = Int32(spans.count - 1)
            for tk in Int(node.pointee.termsStart)..<Int(node.pointee.termsEnd) {
                let pt = patternTerms[tk]
                let t = Int(pt.term)
                precondition(t < terms.count)
                switch terms.base[t].kind {
                case 0:
                    mark(pt.term, first: first, last: ti, negated: negated)
                case 1:
                    guard firstArrival else { break }
                    let term = terms.base + t
                    if term.pointee.nearStamp != generation {
                        term.pointee.nearStamp = generation; term.pointee.nearHead = -1; touchedNear.append(pt.term)
                    }
                    nearHits.append(NearHit(node: nodeIndex, next: term.pointee.nearHead, side: pt.side))
                    term.pointee.nearHead = Int32(nearHits.count - 1)
                default: break
                }
            }
        }
    }

    mutating func mark(_ termIndex: Int32, first: Int, last: Int, negated: Bool) {
        let t = Int(termIndex)
        precondition(t >= 0 && t < terms.count)
        let term = terms.base + t
        if term.pointee.stamp != generation {
            term.pointee.stamp = generation; term.pointee.plain = false; term.pointee.head = -1
            noteRoles(of: term.pointee, negated: negated)
        } else if !negated && !term.pointee.plain {
            // Its first plain match: rules that ignore negated ones count it now.
            noteRoles(of: term.pointee, negated: false)
        }
        if !negated { term.pointee.plain = true }
        termSpans.append(Span(first: Int32(first), last: Int32(last), next: term.pointee.head, negated: negated))
        term.pointee.head = Int32(termSpans.count - 1)
    }

    /// Records a match of a term in the rules it is part of (touching them); a negated match
    /// does not count for rules with `negation`.
    @inline(__always)
    mutating func noteRoles(of term: Term, negated: Bool) {
        for k in Int(term.rolesStart)..<Int(term.rolesEnd) {
            let role = roles[k]
            let r = Int(role.rule)
            precondition(r >= 0 && r < ruleStates.count)
            let state = ruleStates.base + r
            if state.pointee.stamp != generation {
                state.pointee = RuleState(stamp: generation); touchedRules.append(role.rule)
            }
            if negated && facts[r].negation { continue }
            switch role.role {
            case Self.anyRole: state.pointee.any = true
            case Self.noneRole: state.pointee.none = true
            default: state.pointee.groups |= 1 << UInt64(role.role)
            }
        }
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
        var ia = terms[Int(term)].nearHead
        while ia >= 0 {
            let a = nearHits[Int(ia)]
            if a.side & 1 != 0 {
                var ib = terms[Int(term)].nearHead
                while ib >= 0 {
                    let b = nearHits[Int(ib)]
                    if b.side & 2 != 0 { pairSpans(a.node, b.node, near: term) }
                    ib = b.next
                }
            }
            ia = a.next
        }
    }

    /// Marks `term` on every pair of spans of the patterns of nodes `a` and `b` that lie apart,
    /// within its distance, in one sentence.
    mutating func pairSpans(_ a: Int32, _ b: Int32, near term: Int32) {
        let distance = Int(terms[Int(term)].nearDistance)
        var sa = nodes[Int(a)].head
        while sa >= 0 {
            let spanA = spans[Int(sa)]
            var sb = nodes[Int(b)].head
            while sb >= 0 {
                let spanB = spans[Int(sb)]
                let a0 = Int(spanA.first), a1 = Int(spanA.last), b0 = Int(spanB.first), b1 = Int(spanB.last)
                let gap = a1 < b0 ? b0 - a1 : (b1 < a0 ? a0 - b1 : 0)
                let overlap = !(a1 < b0 || b1 < a0)
                if !overlap, gap <= distance, sentences[a0] == sentences[b0] {
                    let negated = spanA.negated && spanB.negated
                    // The words, not the gap between them, explain the match.
                    mark(term, first: a0, last: a1, negated: negated)
                    mark(term, first: b0, last: b1, negated: negated)
                }
                sb = spanB.next
            }
            sa = spanA.next
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
        let t = terms[Int(term)]
        return t.stamp == generation && (!negation || t.plain)
    }

    /// Whether touched rule `r` fires: from what its terms' marks recorded (`noteRoles`).
    mutating func fires(_ r: Int, source: (id: String, kind: String)) -> Bool {
        let f = facts[r]
        if f.limited, let sources = set.rules[r].sources, !sources.contains(source.id), !sources.contains(source.kind) {
            return false
        }
        if allGroups.range(r).count > 64 { return firesByTerms(r, negation: f.negation) }
        let state = ruleStates[r]
        return (state.any || anyTerms.range(r).isEmpty) && state.groups == groupMasks[r] && !state.none
    }

    /// `fires` by walking the rule's term lists (for a rule of more than 64 `all` groups).
    mutating func firesByTerms(_ r: Int, negation neg: Bool) -> Bool {
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
        var out: [ClosedRange<Int>] = []
        out.reserveCapacity(8)
        func add(term t: Int32) {
            guard satisfied(t, negation: neg) else { return }
            var k = terms[Int(t)].head
            while k >= 0 {
                let s = termSpans[Int(k)]
                // A rule that ignores negated matches is explained by its plain ones only.
                if !neg || !s.negated { out.append(Int(s.first)...Int(s.last)) }
                k = s.next
            }
        }
        for k in anyTerms.range(r) { add(term: anyTerms.items[k]) }
        for g in allGroups.range(r) {
            for k in groupTerms.range(Int(allGroups.items[g])) { add(term: groupTerms.items[k]) }
        }
        if out.count > 1 {
            out.sort { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
            var w = 1
            for i in 1..<out.count where out[i] != out[w - 1] { out[w] = out[i]; w += 1 }
            out.removeLast(out.count - w)
        }
        return out
    }

    mutating func resetStamps() {
        for i in 0..<nodes.count { nodes.base[i].stamp = 0 }
        for i in 0..<terms.count { terms.base[i].stamp = 0; terms.base[i].nearStamp = 0 }
        for i in 0..<ruleStates.count { ruleStates.base[i].stamp = 0 }
        generation = 1
    }

    static func range(_ lists: FlatLists, _ i: Int) -> Range<Int> { Int(lists.start[i])..<Int(lists.start[i + 1]) }
}

/// `FlatLists` over `ScratchArray`s (a `RuleScan`'s read-only copy).
struct FlatScratch {
    let start: ScratchArray<Int32>
    let items: ScratchArray<Int32>

    init(_ lists: FlatLists) { start = ScratchArray(lists.start); items = ScratchArray(lists.items) }

    @inline(__always) func range(_ i: Int) -> Range<Int> { Int(start[i])..<Int(start[i + 1]) }
}
