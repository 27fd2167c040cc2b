/// A street (and house) found in a post's text.
public struct StreetMention: Sendable, Hashable {
    /// As a resident would write it on an envelope: «Ленина», «Октябрьская».
    public var name: String
    public var house: String?
    /// Token range it covers.
    public var tokens: Range<Int>

    /// Lowercased, `ё`→`е`: what incident joining compares.
    public var key: String { Tokenizer.normalize(name) }
}

/// Finds streets in tokens: «ул. Ленина 15», «улица Садовая, д. 3», «пр. Стачки»,
/// «на Ленина 15», «по Садовой», «дом 12 по Октябрьской». Streets are not checked against
/// a gazetteer; a street is only trusted together with a settlement (see `Geotagger`).
public enum StreetParser {
    static let markers = WordSet([
        "ул", "улица", "улице", "улицы", "улицу", "улицей", "пр", "пр-т", "пр-кт", "просп", "проспект",
        "проспекте", "проспекта", "пер", "переулок", "переулке", "переулка", "б-р", "бул", "бульвар",
        "бульваре", "бульвара", "ш", "шоссе", "пл", "площадь", "площади", "наб", "набережная", "набережной",
        "проезд", "проезде", "проезда", "туп", "тупик", "мкр", "микрорайон", "микрорайоне", "микрорайона",
        "кв-л", "квартал", "квартале",
    ])
    static let prepositions = WordSet(["на", "по"])
    /// Marker forms that are mostly idioms when a lowercase word follows: «на улице холодно»,
    /// «на улице второй день…». After them a street needs a capital letter or a house number.
    static let idioms = WordSet(["улице", "улицу", "улицы", "площади", "площадь"])
    static let houseWords = WordSet(["д", "дом", "доме", "дома", "домом"])
    static let po = StableHash.fnv1a64("по")
    /// Endings of a bare street name after «на»/«по» without a house number:
    /// «на Садовой», «на Ленина», «по Горького».
    static let bareEndings = ["ской", "цкой", "ной", "вой", "жной", "ьной", "ина", "ова", "ева", "ына", "ого", "его"]

    public static func parse(_ tokens: [Token], text: String) -> [StreetMention] {
        var out: [StreetMention] = []
        var i = 0
        while i < tokens.count {
            let h = tokens[i].wordHash
            if markers.contains(h), i + 1 < tokens.count, adjacent(tokens[i], tokens[i + 1], text),
               let m = name(after: i + 1, tokens, text, allowLowercase: true),
               m.house != nil || tokens[i + 1].capitalized || !idioms.contains(h) {
                out.append(m); i = m.tokens.upperBound; continue
            }
            if prepositions.contains(h), i + 1 < tokens.count, tokens[i + 1].capitalized,
               tokens[i + 1].sentence == tokens[i].sentence, let m = name(after: i + 1, tokens, text, allowLowercase: false),
               m.house != nil || bareEndings.contains(where: tokens[i + 1].word(in: text).hasSuffix) {
                out.append(m); i = m.tokens.upperBound; continue
            }
            // «дом 12 по Октябрьской»
            if houseWords.contains(h), i + 3 < tokens.count, isHouse(tokens[i + 1], text),
               tokens[i + 2].wordHash == po, tokens[i + 3].capitalized,
               var m = name(after: i + 3, tokens, text, allowLowercase: false) {
                if m.house == nil { m.house = tokens[i + 1].surface(in: text) }
                m.tokens = i..<m.tokens.upperBound
                out.append(m); i = m.tokens.upperBound; continue
            }
            i += 1
        }
        return out
    }

    /// A number or a number with a letter («15», «15а»), starting with a digit.
    static func isHouse(_ t: Token, _ text: String) -> Bool {
        guard t.kind == .number || t.kind == .mixed, t.length <= 6 else { return false }
        let u = text.utf8
        guard t.start < u.count else { return false }
        let first = u[u.index(u.startIndex, offsetBy: t.start)]
        return first >= 0x30 && first <= 0x39
    }

    /// Only spaces and dots between a marker and the name: «ул. Ленина», not «на улице, Ростов».
    static func adjacent(_ a: Token, _ b: Token, _ text: String) -> Bool {
        guard a.end <= b.start else { return false }
        var ok = true
        text.utf8.withContiguousStorageIfAvailable { p in
            for k in a.end..<min(b.start, p.count) where p[k] != 0x20 && p[k] != 0x2E && p[k] != 0x09 { ok = false; break }
        }
        return ok
    }

    /// The street name starting at `j` (up to three capitalised words) and the house after it.
    static func name(after j: Int, _ tokens: [Token], _ text: String, allowLowercase: Bool) -> StreetMention? {
        guard j < tokens.count, tokens[j].kind == .word, tokens[j].length >= 3 else { return nil }
        guard tokens[j].capitalized || allowLowercase else { return nil }
        var k = j + 1
        while k < tokens.count, k - j < 3, tokens[k].kind == .word, tokens[k].capitalized,
              tokens[k].sentence == tokens[k - 1].sentence { k += 1 }
        let words = tokens[j..<k].map { $0.surface(in: text) }
        var house: String?
        var end = k
        if k < tokens.count, isHouse(tokens[k], text) {
            house = tokens[k].surface(in: text); end = k + 1
        } else if k + 1 < tokens.count, houseWords.contains(tokens[k].wordHash), isHouse(tokens[k + 1], text) {
            house = tokens[k + 1].surface(in: text); end = k + 2
        }
        return StreetMention(name: canonical(words), house: house, tokens: j..<end)
    }

    /// «Октябрьской» → «Октябрьская», «Верхней» → «Верхняя»; other forms stay as written.
    static func canonical(_ words: [String]) -> String {
        var w = words
        if var last = w.last, last.count > 4 {
            let first = last.prefix(1).uppercased()
            last = first + last.dropFirst()
            if last.hasSuffix("ней") { last = String(last.dropLast(2)) + "яя" }
            else if last.hasSuffix("ой") {
                last = String(last.dropLast(2)) + "ая"
            }
            w[w.count - 1] = last
        }
        return w.joined(separator: " ")
    }
}
