/// Every name form of a gazetteer, keyed by the stem of its first word, so a post's
/// tokens find their places with one dictionary lookup each (no scan of the gazetteer).
///
/// Names are stemmed like post text, so inflected mentions match: «Батайске» and
/// «Батайск» share the stem `батайск`, «Белой Калитве» is `бел калитв`. Hyphenated names
/// are stemmed part by part («Ростове-на-Дону» → `ростов-на-дон`). A municipal district is
/// indexed with the word «район» after its adjective («Аксайского района», «Аксайский р-н»).
public struct PlaceIndex: Sendable {
    public struct Form: Sendable, Equatable {
        /// Unique within the index: forms reached through two keys compare equal.
        public var id: Int
        /// Index into `gazetteer.entries`.
        public var entry: Int
        /// For each word after the first, the keys that match it (hashed, see `WordTable`).
        public var rest: [WordSet]
        public var isAlias: Bool

        public static func == (a: Form, b: Form) -> Bool { a.id == b.id }
    }

    public let gazetteer: Gazetteer
    /// Forms by the hash of their first word's key (`StableHash.fnv1a64`).
    public let forms: WordTable<[Form]>
    /// One bit of 2¹⁹ set for each key of `forms`: most words of a post are no place name, and
    /// this 64 KB filter, which stays in the cache, turns them away before a probe of the forms
    /// table (megabytes, a cache miss each).
    private let keyFilter: [UInt64]
    /// Stems of place names that are also everyday words («мир», «дружба», «победа», «шахты»):
    /// such a mention needs a capital letter and a place preposition or settlement marker.
    public let commonStems: WordSet

    static let commonWords = [
        "мир", "дружба", "победа", "рассвет", "заря", "восход", "прогресс", "труд", "родина", "октябрь", "гигант",
        "крым", "майский", "донской", "горный", "северный", "южный", "советская", "советский", "целина", "юбилейный",
        "солнечный", "степной", "садовый", "лесной", "первомайский", "пролетарский", "веселый", "глубокий",
        "заветное", "ремонтное", "таловый", "летник", "лихой", "алмазный", "шахты", "калинин", "николаев", "маяк",
        "звезда", "комсомольский", "красный", "новый", "мирный", "заречный", "луч", "искра", "спутник", "рабочий",
        "кировский", "березовка", "ольгинская", "чкаловский", "партизанский", "орловский", "углегорский", "котовский",
        "пушкин", "королев", "жуковский", "гагарин", "ленинск", "дзержинский", "свободный", "озерный", "полярный",
    ]

    public init(gazetteer: Gazetteer, tokenizer: Tokenizer) {
        self.gazetteer = gazetteer
        var forms: [String: [Form]] = [:]
        var seen: [String: Set<FormIdentity>] = [:]
        var nextID = 0
        for (i, e) in gazetteer.entries.enumerated() {
            var names = [(e.name, false)] + e.aliases.map { ($0, true) }
            if e.kind == .district {
                // «Аксайский район» is written in full; also index the short form people use.
                names = names.map { n, a in (n.hasSuffix(" район") ? n : n + " район", a) }
            }
            for (name, alias) in names {
                let words = tokenizer.tokenize(name).map { Self.keys(of: $0.word(in: name), tokenizer: tokenizer) }
                guard let first = words.first else { continue }
                let identity = FormIdentity(entry: i, rest: Array(words.dropFirst()), isAlias: alias)
                let form = Form(id: nextID, entry: i, rest: words.dropFirst().map { WordSet($0) }, isAlias: alias)
                nextID += 1
                for k in first where seen[k, default: []].insert(identity).inserted { forms[k, default: []].append(form) }
            }
        }
        var table = WordTable<[Form]>(minimumCapacity: forms.count)
        var filter = [UInt64](repeating: 0, count: 1 << 13)
        for (k, v) in forms {
            table[k] = v
            let b = Self.filterBit(StableHash.fnv1a64(k))
            filter[b >> 6] |= 1 << UInt64(b & 63)
        }
        self.forms = table
        keyFilter = filter
        commonStems = WordSet(Self.commonWords.map { tokenizer.stem(Tokenizer.normalize($0)) })
    }

    /// The forms whose first word's key hash is `hash`.
    @inline(__always)
    public func forms(of hash: UInt64) -> [Form]? {
        let b = Self.filterBit(hash)
        guard keyFilter[b >> 6] & (1 << UInt64(b & 63)) != 0 else { return nil }
        return forms[hash]
    }

    @inline(__always) private static func filterBit(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9e37_79b9_7f4a_7c15) >> 45)
    }

    /// What makes two forms the same while the index is built.
    fileprivate struct FormIdentity: Hashable { var entry: Int; var rest: [Set<String>]; var isAlias: Bool }

    /// The hash of a token's matching key (see `key(word:stem:tokenizer:)`): the stem's
    /// hash, which the token carries, unless the word is hyphenated. `text`: the token's text.
    @inline(__always)
    public static func keyHash(_ t: Token, text: String, tokenizer: Tokenizer) -> UInt64 {
        guard t.hyphenated else { return t.stemHash }
        return StableHash.fnv1a64(hyphenatedKey(t.word(in: text), tokenizer: tokenizer))
    }

    /// Case endings tried on a name's word to learn the stems of its inflected forms.
    static let endings = ["а", "у", "ом", "е", "ы", "ах", "ам", "ами", "и", "ой", "ю", "ем", "я", "ов"]

    /// The keys a post's token may have when it is this (lowercase) name word in any case:
    /// the word itself and the stems of its inflected forms. The bare stem joins them only
    /// when an inflected form shares it: Snowball cuts «ростов» to `рост`, a common word,
    /// while «ростове», «ростова» give `ростов`.
    static func keys(of word: String, tokenizer: Tokenizer) -> Set<String> {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let head = parts[0], tail = parts.dropFirst().joined(separator: "-")
        func key(_ w: String) -> String {
            let full = tail.isEmpty ? w : w + "-" + tail
            return Self.key(word: full, stem: tokenizer.stem(full), tokenizer: tokenizer)
        }
        var out: Set<String> = [word]
        for e in endings { out.insert(key(head + e)) }
        let bare = key(head)
        if out.contains(bare) || head.count <= 3 || !["ов", "ев", "ин", "ын"].contains(where: { head.hasSuffix($0) }) {
            out.insert(bare)
        }
        return out
    }

    /// The matching key of a word: its stem, hyphenated parts stemmed one by one, and the
    /// abbreviations of «район» folded into it.
    public static func key(word: String, stem: String, tokenizer: Tokenizer) -> String {
        guard word.utf8.contains(0x2D) else { return stem }
        return hyphenatedKey(word, tokenizer: tokenizer)
    }

    private static func hyphenatedKey(_ word: String, tokenizer: Tokenizer) -> String {
        if word == "р-н" || word == "р-на" || word == "р-не" || word == "р-ну" { return "район" }
        return word.split(separator: "-").map { tokenizer.stem(String($0)) }.joined(separator: "-")
    }
}
