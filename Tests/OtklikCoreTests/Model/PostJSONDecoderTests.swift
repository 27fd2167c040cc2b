import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// `PostJSONDecoder` must read every line exactly as `JSONDecoder` does, or leave it to it:
/// each line here goes through both, and a post the fast path returns must encode to the same
/// bytes as `JSONDecoder`'s; a line `JSONDecoder` refuses must never come back from the fast path.
@Suite struct PostJSONDecoderTests {
    static let encoder = OtklikJSON.encoder()

    /// Whether the fast path read `line`; records a failure when it disagrees with `JSONDecoder`.
    @discardableResult
    static func agrees(_ line: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let data = Data(line)
        let slow = try? OtklikJSON.decoder().decode(Post.self, from: data)
        guard let fast = PostJSONDecoder.decode(data) else { return false }
        guard let slow else {
            Issue.record("fast path read a line JSONDecoder refuses: \(String(decoding: line.prefix(200), as: UTF8.self))",
                         sourceLocation: sourceLocation)
            return true
        }
        let a = try? encoder.encode(fast), b = try? encoder.encode(slow)
        #expect(a == b, "\(String(decoding: line.prefix(200), as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(Array(fast.text.utf8) == Array(slow.text.utf8), sourceLocation: sourceLocation)
        #expect(fast.extra.mapValues { Array($0.utf8) } == slow.extra.mapValues { Array($0.utf8) }, sourceLocation: sourceLocation)
        return true
    }

    static func agrees(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        agrees(Array(line.utf8), sourceLocation: sourceLocation)
    }

    static let base = #""post_id":"p1","published":"2026-11-01T10:00:00Z""#

    @Test func decode_everySampleLine_readsItAsJSONDecoderDoes() throws {
        let text = try String(contentsOfFile: TestPaths.repoRoot + "/samples/posts.jsonl", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count > 100)
        for line in lines { #expect(Self.agrees(String(line)), "not on the fast path: a sample line") }
    }

    @Test func decode_postsWithEveryField_roundTripsThroughTheEncoder() throws {
        var rng = BenchRandom(seed: 11)
        let texts = ["Нет воды третий день, ул. Ленина 5!", "a\"b\\c/d\u{0}\u{1}\u{8}\t\n\u{c}\r\u{1f}\u{7f}\u{2028}é😀",
                     "", "ё Ё ́ \u{200F}rtl 👨‍👩‍👧", String(repeating: "яма ", count: 500), "🇷🇺 \u{FEFF}"]
        let doubles: [Double] = [0, 47.2357, 39.7123, -0.0, 1e-7, 123.456e10, 0.30000000000000004, -179.99999999999997]
        let dates: [Double] = [1_793_491_200, 0, 951_782_400, 4_102_444_799, -2_208_988_800, 1_793_491_200.399, 1_700_000_000.123, 0.5]
        for k in 0..<300 {
            func pick<T>(_ a: [T]) -> T { a[rng.below(a.count)] }
            func maybe<T>(_ v: T) -> T? { rng.below(3) == 0 ? nil : v }
            let p = Post(sourceKind: pick(["vk", "telegram", "jsonl"]), sourceID: pick(["", "feed", "тг/канал"]),
                         postID: "wall-1_\(k)", url: maybe("https://vk.com/wall-1_\(k)"), authorID: maybe("id\(k)"),
                         authorName: maybe(pick(texts)), published: Date(timeIntervalSince1970: pick(dates)),
                         edited: maybe(Date(timeIntervalSince1970: pick(dates))), text: pick(texts),
                         coordinates: maybe(Coordinates(lat: pick(doubles), lon: pick(doubles))),
                         replyTo: maybe(PostOrigin(key: maybe("vk:wall-1_1"), name: maybe(pick(texts)), url: maybe("u"))),
                         repostOf: maybe(PostOrigin(key: "telegram:x/1")),
                         counters: maybe(PostCounters(views: maybe(k * 1000), likes: maybe(-k), reposts: 0, comments: maybe(7))),
                         attachments: rng.below(2) == 0 ? [] : [pick(texts), "photo"],
                         extra: rng.below(2) == 0 ? [:] : ["group": pick(texts), "ключ \"x\"": "v"])
            let line = Array(try Self.encoder.encode(p))
            #expect(Self.agrees(line), "not on the fast path: post \(k)")
        }
    }

    @Test func decode_escapesAndUnicode_matchJSONDecoder() {
        let strings = [
            #""a\"b\\c\/d\b\f\n\r\t""#, #""\u0000\u001f\u007F\u00e9\u0451\u0401""#, #""\ud83d\ude00 \uD83C\uDDF7\uD83C\uDDFA""#,
            #""\u2028\u2029\uFEFF\uFFFF""#, "\"сырой 😀 emoji\"", #""x\u0041\u00""#, #""\u12G4""#, #""\ud83d""#,
            #""\ude00x""#, #""\ud83d\u0041""#, #""\x""#, "\"tab\tinside\"", "\"nl\ninside\"", #""\'""#,
        ]
        var fast = 0
        for s in strings {
            for key in ["text", "author_name", "url"] {
                if Self.agrees("{\(Self.base),\"\(key)\":\(s)}") { fast += 1 }
            }
            if Self.agrees("{\(Self.base),\"extra\":{\"k\":\(s),\(s):\"v\"}}") { fast += 1 }
            if Self.agrees("{\(Self.base),\"attachments\":[\(s),\"b\"]}") { fast += 1 }
        }
        #expect(fast >= 20)
    }

    /// The scanner reads strings eight bytes at a time: every special byte at every offset.
    @Test func decode_specialBytesAtEveryOffset_matchJSONDecoder() {
        let prefix = Array("{\(Self.base),\"text\":\"".utf8), suffix = Array("\"}".utf8)
        for n in 0..<20 {
            let a = [UInt8](repeating: 0x61, count: n), b = [UInt8](repeating: 0x62, count: 19 - n)
            for fine in ["\\\"", "\\\\", "\\n", "\\u0451", "é", "ё", "😀", "\u{7F}"] {
                #expect(Self.agrees(prefix + a + Array(fine.utf8) + b + suffix), "\(fine) at \(n)")
            }
            for bad: [UInt8] in [[0x01], [0x1F], [0x0A], [0xFF], [0xD0], [0xE2, 0x82], [0xC0, 0xAF], [0xF0, 0x9F, 0x98]] {
                #expect(!Self.agrees(prefix + a + bad + b + suffix), "\(bad) at \(n)")
            }
        }
    }

    @Test func decode_invalidUTF8_isLeftToJSONDecoder() {
        let prefix = Array("{\(Self.base),\"text\":\"a".utf8), suffix = Array("\"}".utf8)
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xD0], [0xE2, 0x82]] {
            #expect(!Self.agrees(prefix + bad + suffix))
            #expect(!Self.agrees(Array("{\(Self.base),\"other\":\"".utf8) + bad + suffix))
        }
    }

    @Test func decode_nullsAndMissingOptionals_matchJSONDecoder() {
        let lines = [
            "{\(Self.base)}", "{\(Self.base),\"text\":null,\"url\":null,\"source_kind\":null,\"source_id\":null}",
            "{\(Self.base),\"edited\":null,\"coordinates\":null,\"reply_to\":null,\"repost_of\":null,\"counters\":null}",
            "{\(Self.base),\"attachments\":null,\"extra\":null,\"author_id\":null,\"author_name\":null}",
            "{\(Self.base),\"reply_to\":{},\"repost_of\":{\"key\":null,\"name\":\"n\"},\"counters\":{\"views\":null}}",
            "{\(Self.base),\"attachments\":[],\"extra\":{}}",
            "{\"published\":\"2026-11-01T10:00:00Z\",\"post_id\":\"x\",\"text\":\"t\"}",
            " \t{ \"post_id\" : \"p\" , \"published\" : \"2026-11-01T10:00:00Z\" } \r\n",
        ]
        for line in lines { #expect(Self.agrees(line), "\(line)") }
    }

    @Test func decode_unknownKeys_areSkippedOrLeftToJSONDecoder() {
        let values = ["1", "-2.5e-3", "true", "false", "null", "\"s\"", "[1,[2,{\"a\":[]}]]", "{\"x\":{\"y\":null}}",
                      "\"юникод\"", "[\"\\u0041\"]"]
        for v in values {
            #expect(Self.agrees("{\"zzz\":\(v),\(Self.base),\"reply_to\":{\"extra\":\(v)},\"coordinates\":{\"lat\":1,\"lon\":2,\"alt\":\(v)}}"))
        }
        for bad in ["01", "1.", ".5", "+1", "tru", "nul", "[1,]", "{\"a\"}", "{\"a\":1,}", "\"\\x\"", "-", "1e", "NaN", "Infinity"] {
            #expect(!Self.agrees("{\"zzz\":\(bad),\(Self.base)}"), "\(bad)")
        }
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(!Self.agrees("{\"zzz\":\(deep),\(Self.base)}"))
    }

    @Test func decode_wrongTypesAndShapes_areLeftToJSONDecoder() {
        let lines = [
            "{\"post_id\":null,\"published\":\"2026-11-01T10:00:00Z\"}", "{\"post_id\":true,\"published\":\"2026-11-01T10:00:00Z\"}",
            "{\"post_id\":\"p\"}", "{\"published\":\"2026-11-01T10:00:00Z\"}", "{\(Self.base),\"text\":5}",
            "{\(Self.base),\"text\":[\"a\"]}", "{\(Self.base),\"url\":{}}", "{\(Self.base),\"coordinates\":{\"lat\":1}}",
            "{\(Self.base),\"coordinates\":{\"lat\":\"1\",\"lon\":2}}", "{\(Self.base),\"coordinates\":[1,2]}",
            "{\(Self.base),\"counters\":{\"views\":1.5}}", "{\(Self.base),\"counters\":{\"views\":\"1\"}}",
            "{\(Self.base),\"attachments\":[null]}", "{\(Self.base),\"attachments\":\"photo\"}",
            "{\(Self.base),\"extra\":{\"a\":1}}", "{\(Self.base),\"extra\":{\"a\":null}}", "{\(Self.base),\"extra\":[]}",
            "{\(Self.base),\"reply_to\":\"x\"}", "{\(Self.base),\"edited\":5}", "{\(Self.base),\"edited\":\"вчера\"}",
            "{\"post_id\":\"p\",\"published\":null}", "{\"post_id\":\"p\",\"published\":\"2026-02-30T00:00:00Z\"}",
            "{\(Self.base),\"text\":\"a\",\"text\":\"b\"}", "{\(Self.base),\"post_id\":\"p2\"}",
            "{\(Self.base),\"extra\":{\"a\":\"1\",\"a\":\"2\"}}", "{\(Self.base)} x", "{\(Self.base)}{}", "[]", "", "   ",
            "{\(Self.base),}", "{\(Self.base)", "{\"post\\u005fid\":\"p\",\"published\":\"2026-11-01T10:00:00Z\"}",
            "\u{FEFF}{\(Self.base)}", "{\(Self.base),\"published\":\"2026-11-01T10:00:00Z\"}",
        ]
        for line in lines { #expect(!Self.agrees(line), "fast path took: \(line)") }
    }

    @Test func decode_numericPostIDs_matchJSONDecoder() {
        for id in ["0", "7", "-7", "123456789012345678"] {
            #expect(Self.agrees("{\"post_id\":\(id),\"published\":\"2026-11-01T10:00:00Z\"}"), "\(id)")
        }
        for id in ["-0", "1.0", "1e3", "1234567890123456789", "99999999999999999999999", "00"] {
            #expect(!Self.agrees("{\"post_id\":\(id),\"published\":\"2026-11-01T10:00:00Z\"}"), "\(id)")
        }
    }

    @Test func decode_timesOtherThanFullISO8601_areLeftToJSONDecoder() {
        for t in ["\"2026-11-01T10:00:00.1234567Z\"", "\"2026-11-01T10:00:00.Z\"", "\"2026-11-01\"", "1793491200", "1793491200.5", "\"2026-11-01T10:00:00\"",
                  "\"1582-10-10T00:00:00Z\"", "\"2026-11-01t10:00:00z\"", "\"2026-13-01T10:00:00Z\""] {
            #expect(!Self.agrees("{\"post_id\":\"p\",\"published\":\(t)}"), "\(t)")
        }
        for t in ["\"2026-11-01T10:00:00+03:00\"", "\"2026-11-01T10:00:00-05:30\"", "\"2024-02-29T23:59:59Z\"", "\"1900-01-01T00:00:00Z\"",
                  "\"2026-11-01T00:00:00.399Z\"", "\"2026-11-01T00:00:00.5+03:00\"", "\"2026-11-01T00:00:00.123456Z\""] {
            #expect(Self.agrees("{\"post_id\":\"p\",\"published\":\(t)}"), "\(t)")
        }
    }

    @Test func parse_matchesFoundation_acrossCenturiesFractionsAndOffsets() {
        var rng = BenchRandom(seed: 5)
        var checked = 0
        for _ in 0..<3000 {
            let year = 1900 + rng.below(8100), month = 1 + rng.below(12), day = 1 + rng.below(31)
            let h = rng.below(24), m = rng.below(60), s = rng.below(60)
            var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, h, m, s)
            let digits = rng.below(8)
            if digits > 0 { text += "." + String((0..<digits).map { _ in Character(String(rng.below(10))) }) }
            switch rng.below(3) {
            case 0: text += "Z"
            case 1: text += String(format: "+%02d:%02d", rng.below(15), rng.below(60))
            default: text += String(format: "-%02d:%02d", rng.below(15), rng.below(60))
            }
            let fast = Array(text.utf8).withUnsafeBufferPointer { ISODate.parse($0) }
            let slow = OtklikJSON.parseDate(text)
            if let fast {
                #expect(fast == slow, "\(text)")
                checked += 1
            }
        }
        #expect(checked > 2000)
    }

    /// Real texts (the shared complaint fixtures) as posts, through both decoders.
    @Test func decode_realComplaintTexts_matchJSONDecoder() throws {
        guard let dir = TestPaths.sharedFixtures else {
            print("skipped: ../shared/fixtures is not here (real complaint texts)")
            return
        }
        let text = try String(contentsOfFile: dir + "/complaints/kursk-appeals.jsonl", encoding: .utf8)
        struct Appeal: Decodable { var id: String; var text: String }
        var n = 0
        for (k, raw) in text.split(separator: "\n").enumerated() {
            #expect(!Self.agrees(String(raw)), "a minimal {id, text} line is JSONDecoder's (it has no post_id)")
            guard let a = try? JSONDecoder().decode(Appeal.self, from: Data(raw.utf8)) else { continue }
            let p = Post(sourceKind: "jsonl", sourceID: "kursk", postID: a.id, published: Date(timeIntervalSince1970: 1_793_491_200 + Double(k)),
                         text: a.text)
            #expect(Self.agrees(Array(try Self.encoder.encode(p))))
            n += 1
        }
        #expect(n > 1000)
    }
}
