import Foundation
import Testing
import OtklikTestSupport
@testable import JSONLConnector
@testable import OtklikCore

@Suite struct JSONLFeedTests {
    static func line(_ id: Int, _ text: String = "текст") -> String {
        #"{"post_id":"p\#(id)","published":"2026-11-0\#(1 + id % 9)T10:00:00Z","text":"\#(text) \#(id)"}"# + "\n"
    }

    func append(_ s: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd(); try h.write(contentsOf: Data(s.utf8)); try h.close()
    }

    func feed(_ path: String, start: JSONLFeed.StartAt = .beginning, batch: Int = 100,
              metrics: Metrics = Metrics(), log: LogSink = LogSink(capturing: true)) -> JSONLFeed {
        JSONLFeed(sourceID: "feed", path: path, startAt: start, batchLines: batch, idleInterval: nil,
                  logger: Logger(label: "jsonl", sink: log), metrics: metrics)
    }

    @Test func poll_followsGrowingFile_andWaitsForPartialLine() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        try append(Self.line(1) + Self.line(2), to: path)
        let f = feed(path)
        let r1 = try await f.poll(after: nil)
        #expect(r1.posts.map(\.postID) == ["p1", "p2"])
        #expect(r1.posts.first?.sourceID == "feed")
        #expect(r1.posts.first?.sourceKind == "jsonl")
        let l3 = Self.line(3)
        try append(String(l3.prefix(10)), to: path)
        let r2 = try await f.poll(after: r1.cursor)
        #expect(r2.posts.isEmpty)
        try append(String(l3.dropFirst(10)), to: path)
        let r3 = try await f.poll(after: r2.cursor)
        #expect(r3.posts.map(\.postID) == ["p3"])
        #expect(FeedCursor(r3.cursor)?.line == 3)
    }

    @Test func poll_linesLongerThanTheFirstReads_comeWhole() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        let long = String(repeating: "длинный текст ", count: 2000)  // ~50 KB, far past the first 4 KiB read
        try append((1...300).map { Self.line($0, $0 % 100 == 0 ? long : "текст") }.joined(), to: path)
        let r = try await feed(path, batch: 1000).poll(after: nil)
        #expect(r.posts.map(\.postID) == (1...300).map { "p\($0)" })
        #expect(r.posts[99].text == long + " 100")
        #expect(FileFollower(path: path).open(resume: nil, atEnd: false))
    }

    @Test func restart_withCursor_resumesAtExactLine() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        try append(Self.line(1) + Self.line(2), to: path)
        let cursor = try await feed(path).poll(after: nil).cursor
        try append(Self.line(3), to: path)
        let r = try await feed(path).poll(after: cursor)
        #expect(r.posts.map(\.postID) == ["p3"])
    }

    @Test func rotation_readsOldFileToEnd_thenFollowsNewOne() async throws {
        let dir = TestPaths.makeTempDir()
        let path = dir + "/posts.jsonl"
        try append(Self.line(1), to: path)
        let log = LogSink(capturing: true)
        let f = feed(path, log: log)
        let r1 = try await f.poll(after: nil)
        try append(Self.line(2), to: path)
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try append(Self.line(3), to: path)
        let r2 = try await f.poll(after: r1.cursor)
        #expect(r2.posts.map(\.postID) == ["p2", "p3"])
        #expect(log.captured.contains { $0.contains("rotated") })
    }

    @Test func truncation_startsOver() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        try append(Self.line(1) + Self.line(2), to: path)
        let f = feed(path)
        let r1 = try await f.poll(after: nil)
        try Data().write(to: URL(fileURLWithPath: path))
        try append(Self.line(9), to: path)
        let r2 = try await f.poll(after: r1.cursor)
        #expect(r2.posts.map(\.postID) == ["p9"])
    }

    @Test func restart_afterFileReplacedWhileStopped_readsNewFileFromStart() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        try append(Self.line(1) + Self.line(2) + Self.line(3), to: path)
        let cursor = try await feed(path).poll(after: nil).cursor
        try FileManager.default.removeItem(atPath: path)
        try append(Self.line(7), to: path)
        let r = try await feed(path).poll(after: cursor)
        #expect(r.posts.map(\.postID) == ["p7"])
    }

    @Test func startAtEnd_skipsExistingLines() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        try append(Self.line(1) + Self.line(2), to: path)
        let f = feed(path, start: .end)
        #expect(try await f.poll(after: nil).posts.isEmpty)
        try append(Self.line(3), to: path)
        let r = try await f.poll(after: nil)
        #expect(r.posts.map(\.postID) == ["p3"])
        #expect(FeedCursor(r.cursor)?.line == 3)
    }

    @Test func malformedLine_isLoggedWithFileLine_countedAndSkipped() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        try append(Self.line(1) + "{not json\n" + #"{"post_id":"x"}"# + "\n\n" + Self.line(2), to: path)
        let metrics = Metrics(), log = LogSink(capturing: true)
        let r = try await feed(path, metrics: metrics, log: log).poll(after: nil)
        #expect(r.posts.map(\.postID) == ["p1", "p2"])
        #expect(metrics.value("otklik_jsonl_malformed_lines_total", ["source": "feed"]) == 2)
        #expect(log.captured.contains { $0.contains("\(path):2") && $0.contains("not valid JSON") })
        #expect(log.captured.contains { $0.contains("\(path):3") && $0.contains("missing key 'published'") })
    }

    @Test func minimalLine_getsDefaults() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        try append(#"{"id": 42, "text": "нет воды"}"# + "\n", to: path)
        let before = Date()
        let r = try await feed(path).poll(after: nil)
        let p = try #require(r.posts.first)
        #expect(p.postID == "42")
        #expect(p.key == "jsonl:42")
        #expect(p.published >= before.addingTimeInterval(-1))
    }

    @Test func poll_largeFile_comesInBatches() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        try append((1...25).map { Self.line($0) }.joined(), to: path)
        let f = feed(path, batch: 10)
        var cursor: Cursor?
        var sizes: [Int] = []
        for _ in 0..<3 {
            let r = try await f.poll(after: cursor)
            sizes.append(r.posts.count)
            cursor = r.cursor
            if sizes.count < 3 { #expect(r.nextPollAfter == .zero) }
        }
        #expect(sizes == [10, 10, 5])
    }

    @Test func missingFile_isNotAnError_untilItAppears() async throws {
        let path = TestPaths.makeTempDir() + "/later.jsonl"
        let f = feed(path)
        #expect(try await f.poll(after: nil).posts.isEmpty)
        try append(Self.line(1), to: path)
        #expect(try await f.poll(after: nil).posts.map(\.postID) == ["p1"])
    }

    @Test func backfill_emitsOnlyPostsInRange() async throws {
        let path = TestPaths.makeTempDir() + "/posts.jsonl"
        try append((1...6).map { Self.line($0) }.joined(), to: path)
        let from = OtklikJSON.parseDate("2026-11-03")!, to = OtklikJSON.parseDate("2026-11-05T23:00:00Z")!
        let got = Got()
        try await feed(path, batch: 4).backfill(from: from, to: to, resume: nil) { posts, _, _ in
            await got.add(posts.map(\.postID))
        }
        #expect(await got.ids == ["p2", "p3", "p4"])
    }

    actor Got { var ids: [String] = []; func add(_ s: [String]) { ids += s } }

    @Test func factory_readsKeys_andRejectsUnknown() throws {
        let dir = TestPaths.makeTempDir()
        let yaml = """
        pipelines:
          - name: p
            sources:
              - {id: f, connector: jsonl, path: feed.jsonl, start_at: middle, colour: red}
            sinks: []
        """
        try yaml.write(toFile: dir + "/c.yaml", atomically: true, encoding: .utf8)
        var r = PluginRegistry.builtIn()
        JSONLConnector.register(in: &r)
        #expect {
            _ = try PipelineValidator.loadAndValidate(path: dir + "/c.yaml", registry: r, environment: [:])
        } throws: { e in
            let s = String(describing: e)
            return s.contains("start_at") && s.contains("unknown key 'colour'")
        }
    }
}
