import Foundation
import OtklikCore
import OtklikTestSupport
import Testing

/// Hostile `explain --jsonl` files through `PostLines` and the standalone explainer over the
/// shipped rules: bad lines are reported with FILE:LINE, the good ones are still explained.
@Suite struct BadExplainInputTests {
    func makeExplainer() throws -> Explainer {
        try Explainer.standalone(rules: TestPaths.repoRoot + "/rules", environment: [:])
    }

    func lines(_ bytes: [UInt8]) throws -> (good: [(String, Post)], bad: [(String, String)]) {
        let file = TestPaths.makeTempDir() + "/posts.jsonl"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        var good: [(String, Post)] = [], bad: [(String, String)] = []
        try PostLines.read(file) { line in
            switch line {
            case .post(let id, let p): good.append((id, p))
            case .bad(let w, let m): bad.append((w, m))
            }
        }
        return (good, bad)
    }

    func jsonLine(_ id: String, _ text: String) -> [UInt8] {
        let t = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        return Array(#"{"id":"\#(id)","text":\#(t)}"#.utf8) + [0x0A]
    }

    /// Reads a 10 MB line whole; explains a 2 MB one (the release binary explains 10 MB in
    /// about 9 s and 320 MB, linear in the size; a debug build is too slow for the suite).
    @Test func explain_whenTenMegabyteLine_readsItWholeAndExplainsTheOthers() throws {
        let big = "Третий день нет воды. " + String(repeating: "яма на дороге ", count: 10_000_000 / 25)
        let medium = String(big.utf8.prefix(2_000_000))!
        let r = try lines(jsonLine("big", big) + jsonLine("medium", medium) + jsonLine("small", "нет воды третий день"))
        #expect(r.bad.isEmpty)
        #expect(r.good.map(\.0) == ["big", "medium", "small"])
        #expect(r.good.first?.1.text == big)
        let explainer = try makeExplainer()
        for (id, post) in r.good.dropFirst() {
            let (item, _) = try explainer.run(post)
            let json = Explainer.jsonLine(id: id, item: item, dropped: nil)
            #expect(json.hasPrefix("{\"id\":\"\(id)\""))
        }
    }

    @Test func explain_whenLinesAreHostile_reportsEachWithItsLine() throws {
        var bytes: [UInt8] = []
        bytes += Array(#"{"id":"u","text":"a"#.utf8) + [0xFF, 0xC0, 0x80] + Array("\"}\n".utf8)          // 1
        bytes += Array((#"{"id":"deep","x":"# + String(repeating: "[", count: 100_000) + "}\n").utf8) // 2
        bytes += Array(#"{"id":1e400,"text":"x"}"#.utf8) + [0x0A]                                       // 3
        bytes += [0x00, 0x7B, 0x0A]                                                                      // 4
        bytes += Array(#"{"id":"n","text":12345678901234567890123}"#.utf8) + [0x0A]                   // 5
        bytes += jsonLine("rtl", "нет воды\u{0}\u{200F}\u{202E} третий день")                           // 6
        bytes += Array(#"{"id":99999999999999999999999,"text":"нет света"}"#.utf8) + [0x0A]           // 7
        let r = try lines(bytes)
        let badLines = Set(r.bad.map { String($0.0.split(separator: ":").last!) })
        #expect(["1", "2", "4", "5"].allSatisfy(badLines.contains), "\(r.bad)")
        #expect(r.good.contains { $0.0 == "rtl" })
        #expect(r.good.count + r.bad.count == 7)
        let explainer = try makeExplainer()
        for (id, post) in r.good { _ = Explainer.jsonLine(id: id, item: try explainer.run(post).item, dropped: nil) }
    }
}
