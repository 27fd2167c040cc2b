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
}
