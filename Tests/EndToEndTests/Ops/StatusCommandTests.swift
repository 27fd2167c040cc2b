import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct StatusCommandTests {
    static func prepare(lastSuccessAgo: TimeInterval, streak: Int) throws -> String {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try DaemonLifecycleTests.config().write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let store = try CheckpointStore(path: dir + "/state/e2e/state.sqlite")
        try store.saveSync(cursors: [:], health: [SourceHealth(
            sourceID: "feed", lastPollAt: Date(), lastSuccessAt: Date().addingTimeInterval(-lastSuccessAgo),
            newestPostAt: Date().addingTimeInterval(-3600), errorStreak: streak, lastError: streak > 0 ? "connection refused" : nil,
            lastErrorAt: streak > 0 ? Date() : nil, postsRead: 7)])
        try #"{"community.x.freshness_s": "42"}"#.write(toFile: dir + "/state/e2e/vk-status-feed.json", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func status_whenSourceHealthy_exitsZeroAndShowsIt() async throws {
        let dir = try Self.prepare(lastSuccessAgo: 5, streak: 0)
        let r = try await OtklikProcess.run(["status", "--config", "p.yaml"], dir: dir)
        #expect(r.status == 0)
        #expect(r.out.contains("feed [jsonl] ok"))
        #expect(r.out.contains("posts read 7"))
        #expect(r.out.contains("community.x.freshness_s = 42"))
    }

    @Test func status_whenSourceFailingLongerThanThreshold_exits69() async throws {
        let dir = try Self.prepare(lastSuccessAgo: 3600, streak: 30)
        let r = try await OtklikProcess.run(["status", "--config", "p.yaml", "--max-failing", "15m", "--json"], dir: dir)
        #expect(r.status == 69)
        #expect(r.err.contains("e2e/feed"))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let sources = try #require(obj["sources"] as? [[String: Any]])
        #expect(sources.first?["failing"] as? Bool == true)
        #expect(sources.first?["last_error"] as? String == "connection refused")

        let lenient = try await OtklikProcess.run(["status", "--config", "p.yaml", "--max-failing", "2h"], dir: dir)
        #expect(lenient.status == 0)
    }
}
