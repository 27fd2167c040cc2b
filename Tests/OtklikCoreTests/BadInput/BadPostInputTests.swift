import Foundation
import OtklikCore
import OtklikTestSupport
import Testing

/// Hostile post lines (the JSON form every connector and `jsonl` share) and hostile text through
/// the tokenizer: a clear decoding error or a correct result, never a crash or hang.
@Suite struct BadPostInputTests {
    private func decode(_ data: Data) throws -> Post {
        try OtklikJSON.decoder().decode(Post.self, from: data)
    }

    private func line(text: String) -> Data {
        let escaped = String(data: try! JSONEncoder().encode(text), encoding: .utf8)!
        return Data("{\"source_kind\":\"jsonl\",\"post_id\":\"1\",\"published\":\"2026-01-01T00:00:00Z\",\"text\":\(escaped)}".utf8)
    }

    @Test func postLine_whenTenMegabytesOnOneLine_decodesTextIntact() throws {
        let text = String(repeating: "яма на дороге ", count: 10_000_000 / 25)
        let post = try decode(line(text: text))
        #expect(post.text.utf8.count == text.utf8.count)
        #expect(post.key == "jsonl:1")
    }

    @Test func postLine_whenNestedTenThousandDeep_throwsInsteadOfCrashing() {
        let nested = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let data = Data("{\"post_id\":\"1\",\"published\":\"2026-01-01T00:00:00Z\",\"extra\":\(nested)}".utf8)
        #expect(throws: (any Error).self) { try decode(data) }
    }

    @Test func postLine_whenInvalidUTF8_throws() {
        var data = Data("{\"post_id\":\"1\",\"published\":\"2026-01-01T00:00:00Z\",\"text\":\"a".utf8)
        data.append(contentsOf: [0xFF, 0xC0, 0x80])
        data.append(contentsOf: Array("\"}".utf8))
        #expect(throws: (any Error).self) { try decode(data) }
    }

    @Test func postLine_whenHugeNumbers_throwsClearly() {
        for id in ["1e400", "99999999999999999999999999", "-1e999"] {
            let data = Data("{\"post_id\":\(id),\"published\":\"2026-01-01T00:00:00Z\"}".utf8)
            #expect(throws: (any Error).self, "post_id \(id)") { try decode(data) }
        }
    }

    @Test func postLine_whenNULAndRTLMarksInText_keepsThemVerbatim() throws {
        let text = "вода\u{0}нет\u{200F}\u{202E}двор"
        let post = try decode(line(text: text))
        #expect(post.text == text)
    }

    @Test func postLine_whenTruncatedOrGarbage_throws() {
        for raw in ["", "{", "{\"post_id\":\"1\",\"published\":", "null", "[]", "\u{0}\u{0}", "{\"post_id\":{}}"] {
            #expect(throws: (any Error).self, "\(raw.debugDescription)") { try decode(Data(raw.utf8)) }
        }
    }

    @Test func tokenizer_whenInvalidUTF8AndControlBytes_returnsValidOffsets() {
        var bytes = Array("яма\u{0}во\u{200F}дворе ".utf8)
        bytes += [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82]
        bytes += Array(" ёлка\u{202E}".utf8)
        let text = String(decoding: bytes, as: UTF8.self)
        let tokens = Tokenizer().tokenize(text)
        let length = text.utf8.count
        #expect(tokens.allSatisfy { $0.start >= 0 && $0.start < $0.end && $0.end <= length })
        let words = Set(tokens.map { $0.word(in: text) })
        #expect(words.contains("яма"))
        #expect(words.contains("елка"))
    }

    @Test func tokenizer_whenUnclosedHTML_doesNotHangAndKeepsOffsetsInside() throws {
        let path = try #require(Bundle.module.path(forResource: "unclosed", ofType: "html",
                                                   inDirectory: "Fixtures/bad-input"))
        let html = try String(contentsOfFile: path, encoding: .utf8)
        let hostile = html + String(repeating: "<a href=\"", count: 20_000) + String(repeating: "<", count: 20_000)
        let tokens = Tokenizer().tokenize(hostile)
        #expect(tokens.allSatisfy { $0.end <= hostile.utf8.count })
        #expect(tokens.contains { $0.word(in: hostile) == "яма" })
    }

    @Test func tokenizer_whenOneMegabyteLineWithoutSpaces_completes() {
        let word = String(repeating: "я", count: 500_000)
        let tokens = Tokenizer().tokenize(word + " дорога")
        #expect(tokens.last?.end == word.utf8.count + " дорога".utf8.count)
        let spaced = Tokenizer().tokenize(String(repeating: "яма ", count: 250_000))
        #expect(spaced.count == 250_000)
    }
}
