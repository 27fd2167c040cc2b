import Foundation
import Testing
import VKConnector

/// Hostile VK API bodies through the real decoder and mapper: a `VKShapeError`, a skipped
/// item or a correct post, never a crash or a hang. Big inputs are generated here.
@Suite struct BadVKResponseTests {
    static func wall(_ items: String) -> Data {
        Data(#"{"response":{"count":1,"items":[\#(items)]}}"#.utf8)
    }

    static func item(id: String = "1", date: String = "1700000000", text: String = "\"яма\"") -> String {
        #"{"id":\#(id),"owner_id":-1,"from_id":-1,"date":\#(date),"text":\#(text),"post_type":"post"}"#
    }

    @Test func wall_whenNestedHundredThousandDeep_throwsShapeError() {
        for open in ["[", "{\"a\":"] {
            let body = #"{"response":{"items":"# + String(repeating: open, count: 100_000) + "}}"
            #expect(throws: VKShapeError.self) { try VKDecoder.decodeWall(data: Data(body.utf8)) }
        }
        let deepText = Self.item(text: "\"x\",\"attachments\":" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300))
        #expect(throws: VKShapeError.self) { try VKDecoder.decodeWall(data: Self.wall(deepText)) }
    }

    @Test func wall_whenNumbersOverflow_skipsTheItemAndKeepsTheRest() throws {
        let items = [Self.item(id: "99999999999999999999999"), Self.item(id: "1e400"), Self.item(id: "-1e999"),
                     Self.item(id: "2", date: "123456789012345678901234567890"), Self.item(id: "3", date: "1e308"),
                     Self.item(id: "4", text: "\"норма\"")]
        let page = try VKDecoder.decodeWall(data: Self.wall(items.joined(separator: ",")))
        #expect(page.items.contains { $0.id == 4 && $0.text == "норма" })
        #expect(page.items.count + page.skipped.count == items.count)
        let mapper = VKPostMapper(sourceID: "vk")
        for p in page.items { _ = mapper.map(p, names: page.names) }
        let huge = Data(#"{"response":{"count":1e999,"items":[]}}"#.utf8)
        #expect(try VKDecoder.decodeWall(data: huge).items.isEmpty)
    }

    @Test func wall_whenStringsHoldNULSurrogatesAndRTL_decodesTextSafely() throws {
        let texts = [#""вода\u0000нет""#, #""\ud800 одинокий суррогат""#, #""\udc00\ud800""#,
                     #""\u200Fдвор\u202E""#, #""\u""#, #""\uZZZZ""#]
        for t in texts {
            do {
                let page = try VKDecoder.decodeWall(data: Self.wall(Self.item(text: t)))
                _ = page.items.map { VKPostMapper(sourceID: "vk").map($0, names: page.names) }
            } catch let e as VKShapeError {
                #expect(e.description.contains("invalid JSON"), "\(t): \(e)")
            }
        }
        let rtl = try VKDecoder.decodeWall(data: Self.wall(Self.item(text: #""\u200Fдвор\u202E""#)))
        #expect(rtl.items.first?.text == "\u{200F}двор\u{202E}")
    }

    @Test func wall_whenBodyHasInvalidUTF8OrRawNUL_throwsOrReplaces() {
        var invalid = Array(Self.wall(Self.item(text: "\"ямаXX\"")))
        let at = invalid.firstIndex(of: UInt8(ascii: "X"))!
        invalid.replaceSubrange(at..<at + 2, with: [0xFF, 0xC0])
        var nul = Array(Self.wall(Self.item(text: "\"ямаX\"")))
        nul[nul.firstIndex(of: UInt8(ascii: "X"))!] = 0
        for body in [invalid, nul, [0], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE, 0x7B, 0x00]] {
            do {
                let page = try VKDecoder.decodeWall(data: Data(body))
                for p in page.items { #expect(p.text.hasPrefix("яма")) }
            } catch {
                #expect(error is VKShapeError, "\(error)")
            }
        }
    }

    @Test func wall_whenOnePostHoldsTenMegabytes_readsItWhole() throws {
        let text = String(repeating: "яма на дороге ", count: 10_000_000 / 25)
        let page = try VKDecoder.decodeWall(data: Self.wall(Self.item(text: "\"" + text + "\"")))
        #expect(page.items.first?.text.utf8.count == text.utf8.count)
    }

    @Test func responses_whenTruncatedOrWrongShape_throwClearly() {
        for raw in ["", "{", #"{"response":"#, #"{"response":{"items":[{"id":1,"#, "null", "{}", #"{"error":{}}"#,
                    #"{"error":{"error_code":"x"}}"#, #"{"response":{"items":{}}}"#] {
            #expect(throws: (any Error).self, "\(raw.debugDescription)") { try VKDecoder.decodeWall(data: Data(raw.utf8)) }
        }
    }
}
