/// Every name form of a gazetteer, keyed by the stem of its first word, so a post's
/// tokens find their places with one dictionary lookup each (no scan of the gazetteer).
///
/// Names are stemmed like post text, so inflected mentions match: «Батайске» and
/// «Батайск» share the stem `батайск`, «Белой Калитве» is `бел калитв`. Hyphenated names
/// are stemmed part by part («Ростове-на-Дону» → `ростов-на-дон`). A municipal district is
/// indexed with the word «район» after its adjective («Аксайского района», «Аксайский р-н»).
public struct PlaceIndex: Sendable {
    public struct Form: Sendable, Hashable {
        /// Index into `gazetteer.entries`.
        public var entry: Int
        /// Stems of the words after the first.
        public var rest: [String]
        public var isAlias: Bool
    }

    public let gazetteer: Gazetteer
    public let forms: [String: [Form]]
    /// Stems of place names that are also everyday words («мир», «дружба», «победа», «шахты»):
    /// such a mention needs a capital letter and a place preposition or settlement marker.
    public let commonStems: Set<String>

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
        for (i, e) in gazetteer.entries.enumerated() {
            var names = [(e.name, false)] + e.aliases.map { ($0, true) }
            if e.kind == .district {
                // «Аксайский район» is written in full; also index the short form people use.
                names = names.map { n, a in (n.hasSuffix(" район") ? n : n + " район", a) }
            }
            for (name, alias) in names {
                let keys = tokenizer.tokenize(name).map { Self.key(word: $0.word, stem: $0.stem, tokenizer: tokenizer) }
                guard let first = keys.first else { continue }
                let form = Form(entry: i, rest: Array(keys.dropFirst()), isAlias: alias)
                if !(forms[first]?.contains(form) ?? false) { forms[first, default: []].append(form) }
            }
        }
        self.forms = forms
        commonStems = Set(Self.commonWords.map { tokenizer.stem(Tokenizer.normalize($0)) })
    }

    /// The matching key of a word: its stem, hyphenated parts stemmed one by one, and the
    /// abbreviations of «район» folded into it.
    public static func key(word: String, stem: String, tokenizer: Tokenizer) -> String {
        guard word.contains("-") else { return stem }
        if word == "р-н" || word == "р-на" || word == "р-не" || word == "р-ну" { return "район" }
        return word.split(separator: "-").map { tokenizer.stem(String($0)) }.joined(separator: "-")
    }
}
