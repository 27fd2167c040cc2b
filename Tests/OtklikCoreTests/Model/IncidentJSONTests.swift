import Foundation
import Testing
@testable import OtklikCore

@Suite struct IncidentJSONTests {
    /// Deterministic pseudo-random incidents covering every optional, odd strings and numbers.
    static func incidents(_ n: Int) -> [Incident] {
        var rng = BenchRandom(seed: 7)
        let texts = ["Нет воды третий день, ул. Ленина 5!", "a\"b\\c/d\u{0}\u{1}\u{8}\t\n\u{c}\r\u{1f}\u{7f}\u{2028}é😀",
                     "", "<script>alert(1)</script>", "ё Ё ́ \u{200F}rtl", String(repeating: "яма ", count: 300)]
        let doubles: [Double] = [0, 4, 0.1, 2.75, -1.5, 1e-5, 1e21, 123456789.123, 47.2357, 39.7123, 0.30000000000000004, -0.0]
        let dates: [Double] = [1_793_491_200, 1_793_491_200.5, 0, -86_400 * 365 * 10, 951_782_400, 4_102_444_799, 1_700_000_000.123]
        return (0..<n).map { k in
            func pick<T>(_ a: [T]) -> T { a[rng.below(a.count)] }
            func maybe<T>(_ v: T) -> T? { rng.below(3) == 0 ? nil : v }
            let geo: GeoTag? = rng.below(4) == 0 ? nil : GeoTag(
                municipalityID: maybe("61-\(k)"), municipality: maybe(pick(texts)), settlement: maybe("Батайск"),
                street: maybe(pick(texts)), house: maybe("15а"), lat: maybe(pick(doubles)), lon: maybe(pick(doubles)),
                method: pick([.coordinates, .polygon, .nearest, .text, .sourceDefault, .region]), confidence: pick(doubles))
            return Incident(
                id: "inc-\(k)", category: pick(["housing.water", "roads", "other"]), subcategory: maybe("no_water"),
                severity: pick(Severity.allCases), score: pick(doubles), geo: geo,
                firstSeen: Date(timeIntervalSince1970: pick(dates)), lastSeen: Date(timeIntervalSince1970: pick(dates)),
                deadline: Date(timeIntervalSince1970: pick(dates)),
                executor: rng.below(2) == 0 ? nil : Executor(name: pick(texts), contact: maybe("+7 863 000-00-00")),
                status: pick(["new", "in_progress"]), openedBy: "vk:wall-1_\(k)", url: maybe("https://vk.com/wall-1_\(k)"),
                sourceID: pick(["vk_city", "tg/x"]), text: pick(texts),
                relatedPosts: (0..<rng.below(3)).map { "tg:c/\($0)" },
                hits: (0..<rng.below(4)).map { RuleHit(rule: "r\($0)", category: pick(texts), weight: pick(doubles),
                                                       matched: (0..<rng.below(3)).map { _ in pick(texts) }) })
        }
    }

    @Test func encode_givesTheSameBytesAsJSONEncoder_forVariedIncidents() throws {
        let encoder = OtklikJSON.encoder()
        for incident in Self.incidents(150) {
            let expected = String(decoding: try encoder.encode(incident), as: UTF8.self)
            #expect(IncidentJSON.string(incident) == expected)
        }
    }

    @Test func encode_roundTripsThroughTheDecoder() throws {
        let decoder = OtklikJSON.decoder()
        for incident in Self.incidents(50) where incident.firstSeen.timeIntervalSince1970.rounded() == incident.firstSeen.timeIntervalSince1970 {
            let back = try decoder.decode(Incident.self, from: IncidentJSON.data(incident))
            #expect(back.id == incident.id && back.text == incident.text && back.hits == incident.hits)
        }
    }

    @Test func httpBatchArray_isWhatJSONEncoderWritesForTheArray() throws {
        let batch = Array(Self.incidents(5))
        var w = JSONBytes()
        w.array(batch) { w, i in IncidentJSON.write(i, to: &w) }
        #expect(w.bytes == Array(try OtklikJSON.encoder().encode(batch)))
    }

    @Test func formatDate_wholeSeconds_matchesFoundationsISO8601_acrossCenturiesAndLeapDays() {
        var rng = BenchRandom(seed: 3)
        var stamps: [Double] = [0, -1, 951_782_400, 951_868_800, -2_203_891_200, -62_135_596_800 + 86_400,
                                253_402_300_799, 1_793_491_200, 4_107_542_399]
        for _ in 0..<300 { stamps.append(Double(rng.below(8_000_000_000)) - 3_000_000_000) }
        for t in stamps {
            let d = Date(timeIntervalSince1970: t)
            #expect(OtklikJSON.formatDate(d) == d.formatted(.iso8601), "t=\(t)")
        }
    }

    /// Escapes found eight bytes at a time: a character to escape at every offset of a word,
    /// next to Cyrillic and emoji, gives what `JSONEncoder` writes.
    @Test func string_escapesAtEveryOffset_asJSONEncoder() throws {
        let encoder = OtklikJSON.encoder()
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}", "\t"] {
            for prefix in 0...17 {
                for filler in ["a", "ж", "😀"] {
                    let s = String(repeating: filler, count: prefix) + special + String(repeating: filler, count: 17 - prefix % 5)
                    var w = JSONBytes()
                    w.string(s)
                    #expect(w.bytes == Array(try encoder.encode(s)), "\(prefix) \(filler)")
                }
            }
        }
        for b in UInt8(0)...UInt8(0x7F) {
            let s = String(decoding: [0x61, b, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, b], as: UTF8.self)
            var w = JSONBytes()
            w.string(s)
            #expect(w.bytes == Array(try encoder.encode(s)), "byte \(b)")
        }
    }

    /// Whole numbers are written from their digits: the same text as `JSONEncoder` around the
    /// limits of that path (negative zero, 1e15, 2^53) and for fractions.
    @Test func number_wholeAndFractional_asJSONEncoder() throws {
        let encoder = OtklikJSON.encoder()
        var values: [Double] = [0, -0.0, 1, -1, 2, 3, 10, 99, 100, 1234567, -987654321, 1e14, 1e15 - 1, 1e15, -1e15, 1e15 + 1,
                                9_007_199_254_740_992, 1e16, 1e21, 1e22, 0.5, -0.5, 2.75, 1e-7, 47.2357, .pi]
        var rng = BenchRandom(seed: 11)
        for _ in 0..<500 { values.append(Double(rng.below(2_000_000)) - 1_000_000) }
        for _ in 0..<200 { values.append(Double(rng.below(1 << 30)) * Double(rng.below(1 << 30))) }
        for v in values {
            var w = JSONBytes()
            w.number(v)
            #expect(w.bytes == Array(try encoder.encode(v)), "\(v)")
        }
    }
}
