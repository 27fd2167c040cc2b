import Testing
@testable import OtklikCore

@Suite struct TokenizerTests {
    let tokenizer = Tokenizer()

    func words(_ s: String) -> [String] { tokenizer.tokenize(s).map { $0.word(in: s) } }
    func stems(_ s: String) -> [String] { tokenizer.tokenize(s).map { tokenizer.stem(of: $0, in: s) } }

    @Test func tokenize_lowercasesAndFoldsYo() {
        #expect(words("ЁЛКА Ёжик всё") == ["елка", "ежик", "все"])
    }

    @Test func tokenize_stemsRussianAndEnglish() {
        #expect(stems("Нет воды, water pipes") == ["нет", "вод", "water", "pipe"])
    }

    @Test func tokenize_splitsAbbreviatedAddresses() {
        #expect(words("ул.Ленина д.15 кв.3") == ["ул", "ленина", "д", "15", "кв", "3"])
        let t = tokenizer.tokenize("ЖКХ д.15")
        #expect(words("ЖКХ д.15")[0] == "жкх" && t[0].kind == .word)
        #expect(t[2].kind == .number && stems("ЖКХ д.15")[2] == "15")
    }

    @Test func tokenize_abbreviationDotDoesNotEndSentence() {
        let t = tokenizer.tokenize("Живу на ул. Ленина. Воды нет")
        #expect(t.map(\.sentence) == [0, 0, 0, 0, 1, 1])
    }

    @Test func tokenize_sentenceBoundaries() {
        let t = tokenizer.tokenize("Нет воды!!! Когда дадут?\nБезобразие… третий день")
        #expect(t.map(\.sentence) == [0, 0, 1, 1, 2, 3, 3])
    }

    @Test func tokenize_skipsURLsAndMentionsKeepsHashtags() {
        let s = "Смотрите https://vk.com/wall-1_2?x=1 и www.site.ru @ivan_petrov #нетВоды #ЖКХ"
        let t = tokenizer.tokenize(s)
        #expect(words(s) == ["смотрите", "и", "нетводы", "жкх"])
        #expect(t[2].kind == .hashtag)
    }

    @Test func tokenize_ignoresEmojiAndPunctuation() {
        #expect(words("Опять 😡😡 ям(ы) — «везде»!!!") == ["опять", "ям", "ы", "везде"])
    }

    @Test func tokenize_keepsInnerHyphensButSplitsPhoneNumbers() {
        #expect(words("из-за Ростов-на-Дону") == ["из-за", "ростов-на-дону"])
        #expect(words("8-900-123") == ["8", "900", "123"])
        #expect(words("COVID-19 3-й") == ["covid-19", "3-й"])
    }

    @Test func tokenize_mixedFormsAreOneToken() {
        let t = tokenizer.tokenize("дом 15а")
        #expect(words("дом 15а")[1] == "15а" && t[1].kind == .mixed)
    }

    @Test func tokenize_repairsLatinLookalikesInCyrillicWords() {
        #expect(words("вoда") == ["вода"])   // Latin o
    }

    @Test func tokenize_offsetsPointAtTheSurfaceForm() {
        let text = "Ёлки, Вода!"
        let t = tokenizer.tokenize(text)
        #expect(t.map { $0.surface(in: text) } == ["Ёлки", "Вода"])
        #expect(t.map(\.capitalized) == [true, true])
    }

    @Test func tokenize_blanksHTMLMarkupAndKeepsOffsets() {
        let text = "<p>Нет&nbsp;воды</p><p>Третий&laquo;день&raquo;</p>"
        let t = tokenizer.tokenize(text)
        #expect(words(text) == ["нет", "воды", "третий", "день"])
        #expect(t.map { $0.surface(in: text) } == ["Нет", "воды", "Третий", "день"])
        #expect(t[1].sentence < t[2].sentence)
    }

    @Test func tokenize_emptyAndPunctuationOnly() {
        #expect(tokenizer.tokenize("").isEmpty)
        #expect(tokenizer.tokenize(" ... !!! 😀 ").isEmpty)
    }

    @Test func tokenize_invalidAndOddUnicodeDoesNotCrash() {
        let s = String(decoding: [0xD0, 0x20, 0xFF, 0xD0, 0xB2, 0xE2, 0x82], as: UTF8.self)
        #expect(words(s) == ["в"])
        #expect(words("straße Ünïcode") == ["straße", "ünïcode"])
    }

    @Test func tokenize_cacheIsBounded() {
        let small = Tokenizer(cacheLimit: 10)
        for i in 0..<100 { _ = small.tokenize("слово\(i)x другое\(i)y") }
        #expect(small.cachedWords <= 10)
        #expect(small.tokenize("вода воды").map { small.stem(of: $0, in: "вода воды") } == ["вод", "вод"])
    }

    @Test func tokenize_whenAWordIsLongerThanTheBuffer_keepsAValidPrefixAndItsHash() {
        let long = String(repeating: "ж", count: 700)   // 1,400 bytes
        let text = "нет \(long) воды"
        let t = Tokenizer().tokenize(text)
        #expect(t.first?.word(in: text) == "нет" && t.last?.word(in: text) == "воды")
        #expect(t.count == 3)
        #expect(t[1].word(in: text) == String(repeating: "ж", count: Tokenizer.maxWordBytes / 2))
        #expect(t[1].wordHash == StableHash.fnv1a64(t[1].word(in: text)))
        #expect(t[1].end - t[1].start == 1400)
    }

    @Test func tokenize_everyTokenHash_isTheHashOfItsWordAndStem() {
        let text = "Ёлки-палки! ВОДЫ нет на ул.Ленина д.15, #ЖКХ_Батайск, Latin look-alike вoда (o латинская), café №5"
        let tokenizer = Tokenizer()
        for t in tokenizer.tokenize(text) {
            let word = t.word(in: text), stem = tokenizer.stem(of: t, in: text)
            #expect(t.wordHash == StableHash.fnv1a64(word), "\(word)")
            #expect(t.stemHash == StableHash.fnv1a64(stem), "\(stem)")
            #expect(t.length == word.unicodeScalars.count)
            #expect(t.hyphenated == word.contains("-"))
        }
    }
}
