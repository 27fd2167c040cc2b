import Foundation

/// Reads rules from YAML nodes (a rule pack is a list of rule mappings), reporting every
/// problem with its `file:line:col` to the diagnostics instead of stopping at the first.
///
/// Term syntax: `вода` (word, by stem), `нет воды` (phrase), `отключ*` (prefix),
/// `=нет` (exact form), `<num>` (any number), `{near: [A, B, N]}` (A and B are terms or
/// lists of terms, at most N words apart in one sentence), `{regex: "…"}`.
public struct RuleParser {
    public let diagnostics: ConfigDiagnostics
    private let tokenizer: Tokenizer

    public init(diagnostics: ConfigDiagnostics, tokenizer: Tokenizer = Tokenizer()) {
        self.diagnostics = diagnostics; self.tokenizer = tokenizer
    }

    /// Parses a list of rules (or a single rule mapping). Duplicate ids are errors.
    public func parse(_ node: YAMLNode) -> [Rule] {
        let items: [YAMLNode]
        if let seq = node.sequence { items = seq }
        else if node.mapping != nil { items = [node] }
        else if node.isNull { items = [] }
        else { diagnostics.error("rules must be a list of rule mappings, found \(node.kindName)", at: node.mark); return [] }
        var rules: [Rule] = []
        var seen: [String: SourceMark] = [:]
        for item in items {
            guard let rule = parseRule(item) else { continue }
            if let first = seen[rule.id] {
                diagnostics.error("duplicate rule id '\(rule.id)' (first defined at \(first))", at: item.mark)
                continue
            }
            seen[rule.id] = item.mark
            rules.append(rule)
        }
        return rules
    }

    func parseRule(_ node: YAMLNode) -> Rule? {
        guard let r = MappingReader(node, diagnostics: diagnostics, context: "rule") else { return nil }
        let errorsBefore = diagnostics.errors.count
        let id = r.string("id", required: true) ?? ""
        let ctx = id.isEmpty ? "rule" : "rule '\(id)'"
        let kind = r.choice("kind", RuleKind.allCases.map(\.rawValue)).flatMap(RuleKind.init(rawValue:)) ?? .topic
        let category = r.string("category")
        if let category {
            if !Taxonomy.categories.contains(where: { $0.id == category }) {
                let hint = suggestion(for: category, among: Taxonomy.categories.map(\.id)).map { "; did you mean '\($0)'?" } ?? ""
                diagnostics.error("\(ctx): unknown category '\(category)'\(hint)", at: r.node("category")?.mark)
            }
        } else if kind == .topic {
            diagnostics.error("\(ctx): a topic rule needs 'category' (or set kind: marker / noise)", at: node.mark)
        }
        let subcategory = r.string("subcategory")
        let any = terms(r.node("any"), key: "any", ctx: ctx)
        var all: [[RuleTerm]] = []
        if let allNode = r.node("all") {
            guard let seq = allNode.sequence else {
                diagnostics.error("\(ctx): 'all' must be a list", at: allNode.mark); return nil
            }
            for item in seq {
                if let group = item.sequence {
                    let g = group.compactMap { term($0, ctx: ctx) }
                    if group.isEmpty { diagnostics.error("\(ctx): empty group in 'all'", at: item.mark) }
                    all.append(g)
                } else if let t = term(item, ctx: ctx) {
                    all.append([t])
                }
            }
        }
        let none = terms(r.node("none"), key: "none", ctx: ctx)
        if any.isEmpty && all.isEmpty && diagnostics.errors.count == errorsBefore {
            diagnostics.error("\(ctx): needs terms in 'any' or 'all'", at: node.mark)
        }
        let weight = r.double("weight", range: -100...100) ?? (kind == .noise ? 2 : 1)
        let severity = r.choice("severity", Severity.allCases.map(\.rawValue)).flatMap(Severity.init(rawValue:))
        let sources = r.strings("sources").map(Set.init)
        let negation = r.bool("negation") ?? true
        r.finish()
        guard diagnostics.errors.count == errorsBefore else { return nil }
        return Rule(id: id, kind: kind, category: category, subcategory: subcategory, any: any, all: all, none: none,
                    weight: weight, severity: severity, sources: sources, negation: negation, mark: node.mark)
    }

    private func terms(_ node: YAMLNode?, key: String, ctx: String) -> [RuleTerm] {
        guard let node else { return [] }
        if node.scalar != nil || node.mapping != nil { return term(node, ctx: ctx).map { [$0] } ?? [] }
        guard let seq = node.sequence else { return [] }
        return seq.compactMap { term($0, ctx: ctx) }
    }

    /// One term: a string, `{near: …}` or `{regex: …}`.
    func term(_ node: YAMLNode, ctx: String) -> RuleTerm? {
        if let s = node.scalar {
            guard let seq = sequence(s, at: node.mark, ctx: ctx) else { return nil }
            return .sequence(seq)
        }
        if let m = node.mapping, m.count == 1, let key = m[0].key.scalar {
            let value = m[0].value
            switch key {
            case "near": return near(value, ctx: ctx)
            case "regex":
                guard let pattern = value.scalar, !pattern.isEmpty else {
                    diagnostics.error("\(ctx): 'regex' takes a pattern string", at: value.mark); return nil
                }
                do { _ = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) } catch {
                    diagnostics.error("\(ctx): invalid regex '\(pattern)'", at: value.mark); return nil
                }
                return .regex(pattern)
            default:
                let hint = suggestion(for: key, among: ["near", "regex"]).map { "; did you mean '\($0)'?" } ?? ""
                diagnostics.error("\(ctx): unknown term kind '\(key)'\(hint)", at: m[0].key.mark)
                return nil
            }
        }
        diagnostics.error("\(ctx): a term is a string, {near: [A, B, N]} or {regex: PATTERN}; found \(node.kindName)",
                          at: node.mark)
        return nil
    }

    private func near(_ node: YAMLNode, ctx: String) -> RuleTerm? {
        guard let items = node.sequence, items.count == 3, let nText = items[2].scalar else {
            diagnostics.error("\(ctx): 'near' takes [A, B, N]: two terms (or lists of terms) and a distance", at: node.mark)
            return nil
        }
        guard let n = Int(nText), (1...20).contains(n) else {
            diagnostics.error("\(ctx): near distance must be an integer 1…20, found '\(nText)'", at: items[2].mark)
            return nil
        }
        func side(_ s: YAMLNode) -> [[TermElement]]? {
            let list = s.sequence ?? [s]
            var out: [[TermElement]] = []
            for item in list {
                guard let text = item.scalar else {
                    diagnostics.error("\(ctx): near sides are words, phrases or prefixes", at: item.mark); return nil
                }
                guard let seq = sequence(text, at: item.mark, ctx: ctx) else { return nil }
                out.append(seq)
            }
            if out.isEmpty { diagnostics.error("\(ctx): empty side in 'near'", at: s.mark); return nil }
            return out
        }
        guard let a = side(items[0]), let b = side(items[1]) else { return nil }
        return .near(a: a, b: b, distance: n)
    }

    /// `нет воды`, `отключ*`, `=нет`, `<num>` → elements (words stemmed as the tokenizer does).
    func sequence(_ text: String, at mark: SourceMark, ctx: String) -> [TermElement]? {
        var out: [TermElement] = []
        for part in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            if part == "<num>" { out.append(.number); continue }
            if part.hasPrefix("=") {
                let form = String(part.dropFirst())
                let words = tokenizer.tokenize(form)
                guard words.count == 1 else {
                    diagnostics.error("\(ctx): '\(part)': an exact form is one word", at: mark); return nil
                }
                out.append(.exact(words[0].word(in: form))); continue
            }
            if part.hasSuffix("*") {
                let body = String(part.dropLast())
                let words = tokenizer.tokenize(body)
                guard words.count == 1, words[0].length >= 2 else {
                    diagnostics.error("\(ctx): '\(part)': a prefix is one word of at least 2 letters before '*'", at: mark)
                    return nil
                }
                out.append(.prefix(words[0].word(in: body))); continue
            }
            if part.contains("*") || part.contains("<") {
                diagnostics.error("\(ctx): '\(part)': '*' only ends a prefix; '<num>' stands alone", at: mark); return nil
            }
            let phrase = String(part)
            let words = tokenizer.tokenize(phrase)
            guard !words.isEmpty else {
                diagnostics.error("\(ctx): '\(part)' holds no word", at: mark); return nil
            }
            for w in words {
                out.append(w.kind == .number ? .exact(w.word(in: phrase)) : .stem(tokenizer.stem(of: w, in: phrase)))
            }
        }
        if out.isEmpty { diagnostics.error("\(ctx): empty term", at: mark); return nil }
        if out.count > 8 { diagnostics.error("\(ctx): a phrase holds at most 8 words", at: mark); return nil }
        return out
    }
}
