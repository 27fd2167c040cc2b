import Testing
@testable import OtklikCore

@Suite struct WordTableTests {
    @Test func table_storesAndFindsManyWords_acrossGrowth() {
        var t = WordTable<Int>()
        let words = (0..<3000).map { "слово\($0)" }
        for (i, w) in words.enumerated() { t[w] = i }
        #expect(t.count == 3000)
        for (i, w) in words.enumerated() { #expect(t[w] == i) }
        #expect(t["нет такого"] == nil)
        t["слово7"] = -7
        #expect(t["слово7"] == -7 && t.count == 3000)
    }

    @Test func table_zeroHash_isAKeyLikeAnyOther() {
        var t = WordTable<String>()
        t[UInt64(0)] = "zero"
        t[UInt64(1)] = "one"   // 0 is stored as 1: the later write wins for both
        #expect(t[UInt64(0)] != nil)
        t.removeAll()
        #expect(t.count == 0 && t[UInt64(0)] == nil)
    }

    @Test func wordSet_matchesTokensByTheirHashes() {
        let set = WordSet(["ул", "улица", "по"])
        let tokens = Tokenizer().tokenize("По улице Ленина")
        #expect(set.contains(tokens[0].wordHash))
        #expect(!set.contains(tokens[1].wordHash))   // «улице» is not in the set
        #expect(set.contains("улица") && !set.contains("ленина"))
    }

    @Test func token_carriesHashesAndLetterCount_ofItsWordAndStem() {
        let text = "Ёлки в Батайске", tokenizer = Tokenizer()
        let t = tokenizer.tokenize(text)
        for tok in t {
            #expect(tok.wordHash == StableHash.fnv1a64(tok.word(in: text)))
            #expect(tok.stemHash == StableHash.fnv1a64(tokenizer.stem(of: tok, in: text)))
            #expect(tok.length == tok.word(in: text).unicodeScalars.count)
        }
        #expect(t[0].word(in: text) == "елки" && t[0].length == 4)
    }
}
