/// Splits text into normalised, stemmed tokens.
///
/// Words are runs of letters and digits (with inner `-`, `.` in forms like «д.15» split);
/// URLs and @mentions are skipped, `#hashtags` kept as words; `.`, `!`, `?` and line
/// breaks end a sentence. Not thread-safe (it owns stemmers): one per worker.
public final class Tokenizer {
    private let russian: Stemmer
    private let english: Stemmer

    public init() {
        russian = Stemmer(algorithm: "russian")!
        english = Stemmer(algorithm: "english")!
    }

    public func stem(_ word: String) -> String {
        if word.unicodeScalars.contains(where: { $0.value >= 0x400 && $0.value < 0x500 }) { return russian.stem(word) }
        if word.unicodeScalars.allSatisfy({ $0.value < 0x80 && !($0.properties.numericType != nil) }) { return english.stem(word) }
        return word
    }

    /// Lowercase and `ё`→`е`.
    public static func normalize(_ s: String) -> String {
        s.lowercased().replacingOccurrences(of: "ё", with: "е")
    }

    public func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        let u = Array(text.utf8)
        var sentence = 0
        var i = 0
        // Walk unicode scalars with their UTF-8 offsets.
        var offsets: [(Unicode.Scalar, Int)] = []
        offsets.reserveCapacity(u.count)
        var off = 0
        for s in text.unicodeScalars { offsets.append((s, off)); off += UTF8.width(s) }
        let n = offsets.count
        func isWordScalar(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s.properties.numericType != nil }
        while i < n {
            let (s, start) = offsets[i]
            if s == "." || s == "!" || s == "?" || s == "\n" || s == "…" { sentence += 1; i += 1; continue }
            // URLs: skip to whitespace.
            if s == "h" || s == "w", matchesURL(offsets, i) {
                while i < n, !offsets[i].0.properties.isWhitespace { i += 1 }
                continue
            }
            if s == "@" {
                i += 1
                while i < n, isWordScalar(offsets[i].0) || offsets[i].0 == "_" { i += 1 }
                continue
            }
            let hashtag = s == "#"
            if hashtag { i += 1 }
            guard i < n, isWordScalar(offsets[i].0) else { i += 1; continue }
            let wordStart = hashtag ? start : offsets[i].1
            var j = i
            var hasLetter = false, hasDigit = false
            while j < n {
                let c = offsets[j].0
                if c.properties.isAlphabetic { hasLetter = true; j += 1; continue }
                if c.properties.numericType != nil { hasDigit = true; j += 1; continue }
                if (c == "-" || c == "_") && j + 1 < n && isWordScalar(offsets[j + 1].0) && hasLetter { j += 1; continue }
                break
            }
            let end = j < n ? offsets[j].1 : u.count
            let surfaceStart = offsets[i].1
            let surface = String(decoding: u[surfaceStart..<end], as: UTF8.self)
            let word = Self.normalize(surface)
            let kind: Token.Kind = hashtag ? .hashtag : (hasLetter && hasDigit ? .mixed : (hasDigit ? .number : .word))
            let stem = kind == .number ? word : self.stem(word)
            let cap = offsets[i].0.properties.isUppercase
            tokens.append(Token(word: word, stem: stem, start: wordStart, end: end, sentence: sentence,
                                capitalized: cap, kind: kind))
            i = j
        }
        return tokens
    }

    private func matchesURL(_ o: [(Unicode.Scalar, Int)], _ i: Int) -> Bool {
        for prefix in ["http://", "https://", "www."] {
            let p = Array(prefix.unicodeScalars)
            if i + p.count <= o.count, (0..<p.count).allSatisfy({ o[i + $0].0 == p[$0] }) { return true }
        }
        return false
    }
}
