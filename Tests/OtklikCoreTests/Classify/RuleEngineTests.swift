import Testing
@testable import OtklikCore

/// Compiles inline YAML rules and classifies texts with them.
struct RuleHarness {
    let diagnostics = ConfigDiagnostics()
    let classifier: Classifier
    let tokenizer = Tokenizer()

    init(_ yaml: String, threshold: Double = 3) throws {
        let node = try YAMLLoader.load(yaml, file: "test-rules.yaml", diagnostics: diagnostics)
        let rules = RuleParser(diagnostics: diagnostics).parse(node)
        classifier = Classifier(rules: RuleSet.compile(rules), settings: ClassifierSettings(threshold: threshold))
    }

    func verdict(_ text: String, source: (String, String) = ("", "")) -> Verdict {
        classifier.classify(tokens: tokenizer.tokenize(text), text: text, source: source)
    }

    func fired(_ text: String) -> [String] { verdict(text).hits.map(\.rule) }
}

@Suite struct RuleEngineTests {
    @Test func word_matchesAnyInflectionByStem() throws {
        let h = try RuleHarness("- {id: w, category: housing.water, any: [вода]}")
        #expect(h.fired("Опять нет воды") == ["w"])
        #expect(h.fired("водой залило") == ["w"])
        #expect(h.fired("водитель") == [])
    }

    @Test func phrase_needsConsecutiveWordsInOneSentence() throws {
        let h = try RuleHarness("- {id: p, category: housing.water, any: [нет воды]}")
        #expect(h.fired("Третий день нет воды") == ["p"])
        #expect(h.fired("нет горячей воды") == [])
        #expect(h.fired("Денег нет. Воды много") == [])
        #expect(h.verdict("НЕТ ВОДЫ").hits.first?.matched == ["НЕТ ВОДЫ"])
    }

    @Test func prefix_matchesWordBeginnings() throws {
        let h = try RuleHarness("- {id: p, category: housing.electricity, any: [\"отключ*\"]}")
        #expect(h.fired("свет отключили") == ["p"])
        #expect(h.fired("отключение света") == ["p"])
        #expect(h.fired("включили") == [])
        #expect(h.verdict("Опять ОТКЛЮЧЕНИЕ").hits.first?.matched == ["ОТКЛЮЧЕНИЕ"])
    }

    @Test func phraseWithPrefixAndNumber() throws {
        let h = try RuleHarness("- {id: p, kind: marker, any: [\"<num> дн*\", \"горяч* вод*\"]}")
        #expect(h.fired("уже 5 дней") == ["p"])
        #expect(h.fired("нет горячей воды") == ["p"])
        #expect(h.fired("пять дней") == [])
    }

    @Test func exactForm_doesNotStem() throws {
        let h = try RuleHarness("- {id: e, kind: marker, any: [\"=нет\"]}")
        #expect(h.fired("нет") == ["e"])
        #expect(h.fired("нету") == [])
    }

    @Test func near_matchesWithinDistanceInOneSentence() throws {
        let h = try RuleHarness("- {id: n, category: housing.water, any: [{near: [[вода, водоснабжение], [нет, \"отключ*\"], 3]}]}")
        #expect(h.fired("Воды в доме нет") == ["n"])
        #expect(h.fired("отключили нам холодную воду") == ["n"])
        #expect(h.fired("вода в кране есть, а газ в доме опять нет") == [])
        #expect(h.fired("Вода есть. Нет света") == [])
        #expect(h.verdict("Воды в доме нет").hits.first?.matched == ["Воды", "нет"])
    }

    @Test func regex_isAnEscapeHatch() throws {
        let h = try RuleHarness("- {id: r, kind: marker, any: [{regex: \"\\\\d+ ?(час|ч)\"}]}")
        #expect(h.fired("ждали 3 часа") == ["r"])
        #expect(h.fired("ждали долго") == [])
    }

    @Test func allAndNone_combine() throws {
        let h = try RuleHarness("""
        - id: a
          category: roads
          all: [[дорога, дороге], [яма, выбоина]]
          none: [ремонт завершен]
        """)
        #expect(h.fired("На дороге огромная яма") == ["a"])
        #expect(h.fired("На дороге чисто") == [])
        #expect(h.fired("яма на дороге, ремонт завершен") == [])
    }

    @Test func negation_ignoresNegatedMatches() throws {
        let h = try RuleHarness("""
        - {id: complain, kind: marker, any: ["жалоб*", "жалуюсь"], weight: 3}
        - {id: cut, category: housing.water, any: ["отключ*"], weight: 3}
        - {id: raw, kind: marker, any: ["отключ*"], negation: false}
        """)
        #expect(h.fired("я не жалуюсь") == [])
        #expect(h.fired("воду не отключали") == ["raw"])
        #expect(h.fired("воду не очень отключали") == ["raw"])
        #expect(h.fired("воду отключили, не могу ждать") == ["cut", "raw"])
        #expect(h.fired("жалуюсь на соседей") == ["complain"])
    }

    /// A rule's state is kept as its terms are marked: a term first seen negated and later
    /// plain counts from its plain match on, for `any`, `all` and `none` alike.
    @Test func negation_whenATermIsNegatedFirstAndPlainLater_countsThePlainMatch() throws {
        let h = try RuleHarness("""
        - {id: cut, category: housing.water, any: ["отключ*"], weight: 3}
        - {id: both, category: housing.water, all: [[вода], ["отключ*"]], weight: 3}
        - {id: calm, kind: marker, any: [вода], none: [ремонт]}
        """)
        #expect(h.fired("воду не отключали, а вчера отключили") == ["cut", "both", "calm"])
        #expect(h.fired("воду не отключали") == ["calm"])
        #expect(h.fired("вода есть, не ремонт") == ["calm"])
        #expect(h.fired("вода есть, не ремонт, а ремонт") == [])
    }

    @Test func allGroups_moreThan64_stillNeedEveryGroup() throws {
        let words = (0..<70).map { "слово\(String(UnicodeScalar(UInt8(97 + $0 % 26))))\($0 / 26)" }
        let groups = words.map { "[\($0)]" }.joined(separator: ", ")
        let h = try RuleHarness("- {id: many, kind: marker, all: [\(groups)]}")
        #expect(h.fired(words.joined(separator: " ")) == ["many"])
        #expect(h.fired(words.dropLast().joined(separator: " ")) == [])
        #expect(h.fired(words.dropFirst().joined(separator: " ")) == [])
    }

    /// The matcher keeps what it learns of a word by its lexicon number: a number must match
    /// `<num>` however its digits were first seen (here as a hashtag, which is no number).
    @Test func number_afterAHashtagOfTheSameDigits_stillMatchesNum() throws {
        let h = try RuleHarness("- {id: floor, kind: marker, any: [\"<num> этаж\"]}")
        #expect(h.fired("#5 в подъезде") == [])
        #expect(h.fired("5 этаж без света") == ["floor"])
        #expect(h.fired("#5 этаж") == [])
        #expect(h.fired("5 этаж") == ["floor"])
    }

    /// Numbers are looked at afresh each time: the usual one (only `<num>`) must not leave a
    /// symbol behind per occurrence.
    @Test func numbers_manyDistinct_doNotGrowWhatTheMatcherKeeps() throws {
        let h = try RuleHarness("- {id: floor, kind: marker, any: [\"<num> этаж\"]}")
        #expect(h.fired("12 этаж") == ["floor"])
        let before = h.classifier.matcher.keptSymbols
        for n in 0..<5_000 { _ = h.fired("дом \(n), кв. \(n + 7), этаж") }
        #expect(h.classifier.matcher.keptSymbols <= before + 4)
        #expect(h.fired("4999 этаж") == ["floor"])
    }

    @Test func negation_phraseStartingWithNeIsItsOwnNegation() throws {
        let h = try RuleHarness("- {id: w, category: waste, any: [\"не вывоз*\"]}")
        #expect(h.fired("мусор давно не вывозят") == ["w"])
    }

    @Test func sources_limitRules() throws {
        let h = try RuleHarness("- {id: s, kind: marker, any: [яма], sources: [vk_city, telegram]}")
        #expect(h.verdict("яма", source: ("vk_city", "vk")).hits.count == 1)
        #expect(h.verdict("яма", source: ("tg1", "telegram")).hits.count == 1)
        #expect(h.verdict("яма", source: ("other", "vk")).hits.isEmpty)
    }

    @Test func scoring_combinesTopicMarkersAndNoise() throws {
        let h = try RuleHarness("""
        - {id: hole, category: roads, subcategory: pothole, any: [яма], weight: 3, severity: medium}
        - {id: road, category: roads, any: [дорога], weight: 1}
        - {id: bus, category: transport, any: [автобус], weight: 1}
        - {id: outrage, kind: marker, any: [безобразие], weight: 1.5}
        - {id: danger, kind: marker, any: [ребенок упал], weight: 1, severity: high}
        - {id: ad, kind: noise, any: [продам], weight: 5}
        """)
        let v = h.verdict("На дороге яма, автобус не проедет. Безобразие!")
        #expect(v.isComplaint && v.category == "roads" && v.subcategory == "pothole")
        #expect(v.score == 5.5 && v.severity == .medium)
        #expect(h.verdict("В яму на дороге ребенок упал").severity == .high)
        #expect(!h.verdict("Продам дорогу с ямой").isComplaint)
        let none = h.verdict("Хорошая погода")
        #expect(!none.isComplaint && none.category == "other" && none.score == 0 && none.hits.isEmpty)
    }

    @Test func automaton_sharesTermsAcrossRules() throws {
        let h = try RuleHarness("""
        - {id: a, category: roads, any: [яма, дорога]}
        - {id: b, category: roads, any: [яма на дороге, яма]}
        """)
        #expect(h.classifier.matcher.set.termCount == 3)
        #expect(h.fired("яма на дороге") == ["a", "b"])
    }

    @Test func touchedRules_sortedInPlace_likeTheStandardSort_shortAndLong() {
        var rng = SystemRandomNumberGenerator()
        for n in [0, 1, 2, 7, 63, 64, 65, 300] {
            var a = (0..<n).map { _ in Int32.random(in: 0..<50, using: &rng) }
            let expected = a.sorted()
            a.withUnsafeMutableBufferPointer { RuleMatcher.sortInPlace($0) }
            #expect(a == expected)
        }
    }
}
