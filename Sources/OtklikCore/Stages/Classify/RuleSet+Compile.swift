import Foundation

extension RuleSet {
    /// Compiles parsed rules. Identical terms in different rules share one entry.
    public static func compile(_ rules: [Rule]) -> RuleSet {
        var b = Builder()
        var compiled: [CompiledRule] = []
        var categories: [String] = []
        for rule in rules {
            func add(_ t: RuleTerm) -> Int32 { b.term(t) }
            var cat: Int32 = -1
            if rule.kind == .topic, let c = rule.category {
                if let i = categories.firstIndex(of: c) { cat = Int32(i) } else { categories.append(c); cat = Int32(categories.count - 1) }
            }
            compiled.append(CompiledRule(any: rule.any.map(add), all: rule.all.map { $0.map(add) },
                                         none: rule.none.map(add), category: cat))
        }
        var patternTerms = [[Int32]](repeating: [], count: b.patternLength.count)
        var patternTermSides = [[Int32]](repeating: [], count: b.patternLength.count)
        for (ti, t) in b.terms.enumerated() {
            switch t {
            case .pattern(let p):
                patternTerms[Int(p)].append(Int32(ti)); patternTermSides[Int(p)].append(0)
            case .near(let a, let c, _):
                for p in Set(a + c).sorted() {
                    patternTerms[Int(p)].append(Int32(ti))
                    patternTermSides[Int(p)].append((a.contains(p) ? 1 : 0) | (c.contains(p) ? 2 : 0))
                }
            case .regex: break
            }
        }
        var rootChild = [Int32](repeating: -1, count: b.symbolCount)
        var edges: [UInt64: Int32] = [:]
        for (key, child) in b.trieEdges {
            let node = Int(key >> 32), sym = Int(key & 0xFFFF_FFFF)
            if node == 0 { rootChild[sym] = child } else { edges[key] = child }
        }
        let regexTerms = b.terms.indices.compactMap { i -> Int32? in
            if case .regex = b.terms[i] { return Int32(i) }; return nil
        }
        return RuleSet(rules: rules, stemSymbols: b.stemSymbols, exactSymbols: b.exactSymbols,
                       prefixEdges: b.prefixEdges, prefixAt: b.prefixAt, numberSymbol: b.numberSymbol,
                       symbolCount: b.symbolCount, rootChild: rootChild, edges: edges,
                       nodePatterns: b.nodePatterns, patternLength: b.patternLength,
                       terms: b.terms, patternTerms: patternTerms, patternTermSides: patternTermSides,
                       regexTerms: regexTerms, compiled: compiled, categories: categories)
    }

    /// Accumulates symbols, the phrase trie and terms while rules are added.
    private struct Builder {
        var stemSymbols: [String: Int32] = [:]
        var exactSymbols: [String: Int32] = [:]
        var prefixSymbols: [String: Int32] = [:]
        var prefixEdges: [UInt64: Int32] = [:]
        var prefixAt: [Int32] = [-1]
        let numberSymbol: Int32 = 0
        var symbolCount = 1
        var trieEdges: [UInt64: Int32] = [:]
        var nodePatterns: [[Int32]] = [[]]
        var patterns: [[TermElement]: Int32] = [:]
        var patternLength: [Int32] = []
        var terms: [Compiled] = []
        var termIDs: [RuleTerm: Int32] = [:]

        mutating func symbol(_ e: TermElement) -> Int32 {
            func next() -> Int32 { symbolCount += 1; return Int32(symbolCount - 1) }
            switch e {
            case .number: return numberSymbol
            case .stem(let s):
                if let id = stemSymbols[s] { return id }
                let id = next(); stemSymbols[s] = id; return id
            case .exact(let s):
                if let id = exactSymbols[s] { return id }
                let id = next(); exactSymbols[s] = id; return id
            case .prefix(let s):
                if let id = prefixSymbols[s] { return id }
                let id = next(); prefixSymbols[s] = id
                var node: Int32 = 0
                for byte in s.utf8 {
                    let key = UInt64(node) << 8 | UInt64(byte)
                    if let child = prefixEdges[key] { node = child; continue }
                    prefixAt.append(-1)
                    let child = Int32(prefixAt.count - 1)
                    prefixEdges[key] = child; node = child
                }
                prefixAt[Int(node)] = id
                return id
            }
        }

        mutating func pattern(_ seq: [TermElement]) -> Int32 {
            if let p = patterns[seq] { return p }
            let p = Int32(patternLength.count)
            patterns[seq] = p
            patternLength.append(Int32(seq.count))
            var node: Int32 = 0
            for e in seq {
                let key = UInt64(node) << 32 | UInt64(UInt32(symbol(e)))
                if let child = trieEdges[key] { node = child; continue }
                nodePatterns.append([])
                let child = Int32(nodePatterns.count - 1)
                trieEdges[key] = child; node = child
            }
            nodePatterns[Int(node)].append(p)
            return p
        }

        mutating func term(_ t: RuleTerm) -> Int32 {
            if let id = termIDs[t] { return id }
            let c: Compiled
            switch t {
            case .sequence(let seq): c = .pattern(pattern(seq))
            case .near(let a, let b, let d):
                c = .near(a: a.map { pattern($0) }, b: b.map { pattern($0) }, distance: Int32(d))
            case .regex(let p):
                // Validated by the parser; a pattern that fails here matches nothing.
                c = .regex((try? NSRegularExpression(pattern: p, options: [.caseInsensitive]))
                           ?? (try! NSRegularExpression(pattern: "(?!)")))
            }
            terms.append(c)
            let id = Int32(terms.count - 1)
            termIDs[t] = id
            return id
        }
    }
}
