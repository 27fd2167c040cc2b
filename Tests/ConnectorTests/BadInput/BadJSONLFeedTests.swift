import Foundation
import Testing
import OtklikTestSupport
@testable import JSONLConnector
@testable import OtklikCore

/// Hostile lines in a followed JSONL file: a 10 MB line comes whole, a bad line is counted
/// and skipped, and the lines after it are still read.
@Suite struct BadJSONLFeedTests {
    func feed(_ path: String, metrics: Metrics) -> JSONLFeed {
        JSONLFeed(sourceID: "feed", path: path, startAt: .beginning, batchLines: 1000, idleInterval: nil,
                  logger: Logger(label: "jsonl", sink: LogSink(capturing: true)), metrics: metrics)
    }

    func line(_ id: String, _text text: String) -> [UInt8] {
        let escaped = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        return Array(#"{"post_id":"\#(id)","published":"2026-11-01T10:00:00Z","text":\#(escaped)}"#.utf8) + [0x0A]
    }

    @Test func poll_whenTenMegabyteLine_readsItWholeAndGoesOn() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        let text = String(repeating: "яма на дороге ", count: 10_000_000 / 25)
        try Data(line("big", _text: text) + line("next", _text: "норма")).write(to: URL(fileURLWithPath: path))
        let r = try await feed(path, metrics: Metrics()).poll(after: nil)
        #expect(r.posts.map(\.postID) == ["big", "next"])
        #expect(r.posts.first?.text.utf8.count == text.utf8.count)
    }

    @Test func poll_whenLinesAreHostile_countsThemAndKeepsTheGoodOnes() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        var bytes: [UInt8] = []
        bytes += Array(#"{"post_id":"bad1","published":"2026-11-01T10:00:00Z","text":"a"#.utf8) + [0xFF, 0xC0] + Array("\"}\n".utf8)
        bytes += Array((#"{"post_id":"bad2","extra":"# + String(repeating: "[", count: 50_000) + "}\n").utf8)
        bytes += Array(#"{"post_id":99999999999999999999999,"published":"2026-11-01T10:00:00Z"}"#.utf8) + [0x0A]
        bytes += Array(#"{"post_id":"bad4","published":"+999999-01-01T00:00:00Z","text":"x"}"#.utf8) + [0x0A]
        bytes += [0x00, 0x00, 0x0A, 0x7B, 0x0A]
        bytes += line("ok1", _text: "вода\u{0}нет\u{200F}\u{202E}")
        bytes += line("ok2", _text: "норма")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let metrics = Metrics()
        let r = try await feed(path, metrics: metrics).poll(after: nil)
        #expect(r.posts.map(\.postID).suffix(2) == ["ok1", "ok2"])
        #expect(r.posts.first { $0.postID == "ok1" }?.text == "вода\u{0}нет\u{200F}\u{202E}")
        let malformed = metrics.value("otklik_jsonl_malformed_lines_total", ["source": "feed"]) ?? 0
        #expect(Int(malformed) + r.posts.count == 8, "posts: \(r.posts.map(\.postID)), malformed: \(malformed)")
        #expect(FeedCursor(r.cursor)?.line == 8)
    }

    /// A file with no newline must not take all the memory: past `maxLineBytes` the line is
    /// skipped (a notice says which), and the lines after it are read.
    @Test func follower_whenALineOutgrowsTheCap_skipsItAndReadsOn() throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: 300_000)
        try Data(line("a", _text: "один") + huge).write(to: URL(fileURLWithPath: path))
        let f = FileFollower(path: path)
        f.maxLineBytes = 1 << 16
        #expect(f.open(resume: nil, atEnd: false))
        #expect(f.readLines(max: 100).lines.map(\.number) == [1])
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data(huge + [0x0A] + line("b", _text: "два") + huge + [0x0A] + line("c", _text: "три")))
        try h.close()
        let r = f.readLines(max: 100).lines
        #expect(r.map(\.number) == [3, 5])
        #expect(r.map { String(decoding: $0.data, as: UTF8.self) }.allSatisfy { $0.hasPrefix("{\"post_id\"") })
        #expect(f.notices.filter { $0.contains("longer than") }.count == 2, "\(f.notices)")
        #expect(f.notices.first { $0.contains("longer than") }?.contains("line 2") == true)
    }
}
