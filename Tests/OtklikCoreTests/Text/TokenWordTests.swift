import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

/// A token keeps no strings: its word is scanned again from the text (`Token.word(in:)`),
/// and the lexicon finds words by its own key. Both must agree with what the tokenizer saw.
@Suite struct TokenWordTests {
    struct Line: Decodable { var text: String }

    static func texts(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let d = JSONDecoder()
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
            .compactMap { try? d.decode(Line.self, from: Data($0.utf8)).text }
    }

    static var realTexts: [String] {
        var out = texts(TestPaths.repoRoot + "/Tests/OtklikCoreTests/Fixtures/quality/devset.jsonl")
        if let shared = TestPaths.sharedFixtures { out += texts(shared + "/complaints/kursk-appeals.jsonl") }
        return out
    }

    /// Every token of real posts (the Kursk appeals carry HTML tags and entities): its word,
    /// scanned again from the text, and its stem hash to the hashes the tokenizer gave it.
    @Test func wordIn_onRealPosts_isTheWordTheTokenizerHashed() {
        let texts = Self.realTexts
        #expect(texts.count >= 500)
        let tokenizer = Tokenizer()
        var checked = 0
        for text in texts {
            for t in tokenizer.tokenize(text) {
                let word = t.word(in: text)
                #expect(t.wordHash == StableHash.fnv1a64(word), "\(word)")
                #expect(t.stemHash == StableHash.fnv1a64(tokenizer.stem(of: t, in: text)), "\(word)")
                #expect(t.length == word.unicodeScalars.count)
                #expect(t.hyphenated == word.utf8.contains(0x2D))
                checked += 1
            }
        }
        #expect(checked > 20_000)
    }

    @Test func wordIn_whenMarkupTouchesAWord_givesOnlyTheWord() {
        let text = "<p>Нет&nbsp;воды</p><br>ВОДА-<b>нет</b> кв.5 #Ёж_Батайск вoда"
        let t = Tokenizer().tokenize(text)
        #expect(t.map { $0.word(in: text) } == ["нет", "воды", "вода", "нет", "кв", "5", "еж_батайск", "вода"])
        #expect(t[6].kind == .hashtag && t[7].wordHash == StableHash.fnv1a64("вода"))
    }

    /// The lexicon trusts its 64-bit key without comparing bytes: distinct words of real
    /// posts must never share one.
    @Test func lexiconKey_onRealPosts_isDistinctForEveryDistinctWord() {
        var keyOf: [String: UInt64] = [:]
        var wordOf: [UInt64: String] = [:]
        for text in Self.realTexts {
            for t in Tokenizer().tokenize(text) {
                let w = t.word(in: text)
                let k = Tokenizer.lexiconKey(of: w)
                keyOf[w] = k
                if let other = wordOf[k] { #expect(other == w, "\(other) and \(w) share a key") }
                wordOf[k] = w
            }
        }
        #expect(keyOf.count > 5_000)
        #expect(Set(keyOf.values).count == keyOf.count)
    }

    @Test func lexiconKey_dependsOnEveryByteAndTheLength() {
        let words = ["а", "аа", "ааа", "аааа", "ааааа", "ааааааааа", "абвгдеж", "абвгдеё", "абвгдежз", "абвгдежи",
                     "x", "xx", "12345678", "123456789", "1234567890123456", "1234567890123457"]
        #expect(Set(words.map { Tokenizer.lexiconKey(of: $0) }).count == words.count)
        #expect(Tokenizer.lexiconKey(of: "вода") == Tokenizer.lexiconKey(of: "вода"))
    }
}

/// Later stages keep what they learn of a word by its lexicon number (`Token.lexiconID`),
/// which is only meaningful with its `lexiconEpoch`.
@Suite struct LexiconIDTests {
    @Test func lexiconID_isTheSameForTheSameWord_andNoneForNumbers() {
        let text = "Вода, воды нет. ВОДА 15 вода"
        let t = Tokenizer().tokenize(text)
        #expect(t[0].lexiconID == t[3].lexiconID && t[3].lexiconID == t[5].lexiconID && t[0].lexiconID >= 0)
        #expect(t[0].lexiconID != t[1].lexiconID && t[1].lexiconID != t[2].lexiconID)
        #expect(t[4].kind == .number && t[4].lexiconID == -1)
        #expect(Set(t.map(\.lexiconEpoch)).count == 1)
    }

    @Test func lexiconEpoch_differsBetweenTokenizers_andAfterTheCacheIsCleared() {
        let a = Tokenizer(cacheLimit: 4), b = Tokenizer(cacheLimit: 4)
        let first = a.tokenize("нет воды")[0]
        #expect(b.tokenize("нет воды")[0].lexiconEpoch != first.lexiconEpoch)
        #expect(a.tokenize("нет воды")[0].lexiconEpoch == first.lexiconEpoch)
        _ = a.tokenize("один два три четыре пять")   // more words than the cache keeps
        let after = a.tokenize("нет воды")[0]
        #expect(after.lexiconEpoch != first.lexiconEpoch)
    }

    /// One matcher fed by two tokenizers in turn (their numbers mean different words), and
    /// by one whose cache is cleared between posts, fires what a fresh matcher fires.
    @Test func ruleMatcher_withTokensOfSeveralLexicons_firesWhatAFreshMatcherFires() {
        let d = ConfigDiagnostics()
        let rules = RuleSet.compile(RulePack.load(path: TestPaths.repoRoot + "/rules", diagnostics: d, environment: [:]))
        #expect(d.errors.isEmpty)
        let shared = RuleMatcher(set: rules)
        let tokenizers = [Tokenizer(), Tokenizer(), Tokenizer(cacheLimit: 30)]
        let texts = TokenWordTests.texts(TestPaths.repoRoot + "/Tests/OtklikCoreTests/Fixtures/quality/devset.jsonl")
        #expect(texts.count >= 400)
        for (k, text) in texts.enumerated() {
            let tokens = tokenizers[k % 3].tokenize(text)
            let got = Array(shared.firingRules(tokens, text: text, source: ("", "")))
            let fresh = RuleMatcher(set: rules)
            let want = withExtendedLifetime(fresh) {
                Array(fresh.firingRules(Tokenizer().tokenize(text), text: text, source: ("", "")))
            }
            #expect(got == want, "\(k)")
        }
    }
}
