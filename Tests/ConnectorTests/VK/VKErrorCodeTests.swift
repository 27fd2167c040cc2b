import Foundation
import OtklikCore
import OtklikTestSupport
import Testing
@testable import VKConnector

/// Each VK error code against the fake API, with the reaction the issue asks for.
@Suite struct VKErrorCodeTests {
    @Test(arguments: [15, 18, 19, 30, 100, 113, 203])
    func poll_whenCommunityAnswersAccessError_skipsItWithOneLineAndReadsTheOthers(code: Int) async throws {
        let h = try VKHarness.make("communities: [-1, -2]\nexecute: false\n")
        h.api.post(-1, count: 1)
        h.api.post(-2, count: 1)
        h.api.failWall(-2, code: code)
        let r = try await h.poll(nil)
        #expect(r.posts.map(\.postID) == ["wall-1_1"])
        #expect(await h.source.statusFields()["community.-2.skipped"]?.contains("\(code)") == true)
        _ = try await h.poll(r.cursor, advance: 600)
        #expect(h.logs.captured.filter { $0.contains("VK community skipped") }.count == 1)
    }

    @Test(arguments: [5, 17])
    func poll_whenTokenRefused_stopsTheTokenAndFailsFatally(code: Int) async throws {
        let h = try VKHarness.make("owner: -1\n")
        h.api.post(-1, count: 1)
        h.api.script("wall.get", errors: [code])
        await #expect(throws: ConnectorError.self) { try await h.poll(nil) }
        #expect(h.registry.budget(VKBudgetRegistry.hash(token: h.token))?.isStopped == true)
    }

    @Test func poll_whenFloodControl9_backsOffThatMethodForAnHour() async throws {
        let h = try VKHarness.make("communities: [-1, -2]\nexecute: false\n")
        h.api.post(-1, count: 1)
        h.api.post(-2, count: 1)
        h.api.script("wall.get", errors: [9])
        let r = try await h.poll(nil)
        #expect(r.posts.isEmpty)
        #expect((r.nextPollAfter ?? .zero) >= .seconds(3500))
        let later = try await h.poll(r.cursor, advance: 3700)
        #expect(later.posts.count == 2)
    }

    @Test func backfill_overManyPagesAt3PerSecond_drawsNoError6AndWritesStatus() async throws {
        let h = try VKHarness.make("owner: -9\npage_size: 10\n")
        h.api.post(-9, count: 120)
        let got = VKBox<Int>(0)
        try await h.source.backfill(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 2_000_000_000),
                                    resume: nil) { posts, _, _ in got.update { $0 += posts.count } }
        #expect(got.value == 120)
        #expect(h.api.error6 == 0)
        #expect(h.api.calls("wall.get") >= 12)
        _ = try await h.poll(nil, advance: 0)
        #expect(FileManager.default.fileExists(atPath: h.stateDir + "/vk-status-test.json"))
        #expect(FileManager.default.fileExists(atPath: h.stateDir + "/vk-budget.json"))
    }
}
