import Foundation
import OtklikCore
import OtklikTestSupport
import Testing
@testable import VKConnector

/// The `vk` source against a fake VK API on 127.0.0.1 that enforces 3 requests/second.
@Suite struct VKSourceTests {
    func ids(_ r: PollResult) -> [String] { r.posts.map(\.postID) }

    @Test func poll_whenNewPostsArriveWhilePaging_missesNoneAndDuplicatesNone() async throws {
        let h = try VKHarness.make("owner: -10\npage_size: 10\nexecute: false\n")
        h.api.post(-10, count: 30)
        let first = try await h.poll(nil)
        #expect(first.posts.count == 10)
        h.api.post(-10, count: 25)
        h.api.arriveWhilePaging(-10, 4)
        let second = try await h.poll(first.cursor)
        let third = try await h.poll(second.cursor)
        let fourth = try await h.poll(third.cursor)
        let all = [first, second, third, fourth].flatMap(ids)
        #expect(Set(all).count == all.count, "duplicates: \(all.count - Set(all).count)")
        let expected = h.api.allIDs[-10]!.prefix(10 + 25 + 4).map { "wall-10_\($0)" }
        #expect(Set(all) == Set(expected))
        #expect(fourth.posts.isEmpty)
        #expect(h.api.error6 == 0)
    }

    @Test func poll_whenPinnedOldPostComesFirst_readsItOnceAndStillStopsAtLastSeen() async throws {
        let h = try VKHarness.make("owner: -11\npage_size: 5\nexecute: false\n")
        h.api.post(-11, count: 12)
        h.api.pin(-11, id: 1)
        let first = try await h.poll(nil)
        #expect(ids(first).contains("wall-11_1"))
        h.api.post(-11, count: 2)
        let second = try await h.poll(first.cursor)
        #expect(Set(ids(second)) == ["wall-11_13", "wall-11_14"])
        #expect(h.api.calls("wall.get") == 2)
    }

    @Test func poll_whenMoreNewPostsThanThePageCap_readsTheGapOnLaterPolls() async throws {
        let h = try VKHarness.make("owner: -12\npage_size: 5\nmax_pages_per_poll: 2\nexecute: false\n")
        h.api.post(-12, count: 3)
        let first = try await h.poll(nil)
        h.api.post(-12, count: 20)
        var cursor = first.cursor
        var seen = ids(first)
        for i in 0..<6 {
            if i == 1 { h.api.post(-12, count: 3) }   // more news while the gap is being read
            let r = try await h.poll(cursor)
            seen += ids(r)
            cursor = r.cursor
        }
        #expect(seen.count == 26 && Set(seen).count == 26)
        #expect(cursor?.value.contains("\"gaps\":[]") == true)
    }

    @Test func poll_whenSeveralWallsDue_batchesFirstPagesInOneExecute() async throws {
        let h = try VKHarness.make("communities: [-20, -21, -22]\n")
        for o: Int64 in [-20, -21, -22] { h.api.post(o, count: 3) }
        let r = try await h.poll(nil)
        #expect(r.posts.count == 9)
        #expect(h.api.calls("wall.get") == 3)
        #expect(h.api.server.requests(path: "/method/execute").count == 1)
        #expect(h.api.server.requests(path: "/method/wall.get").isEmpty)
    }

    @Test func poll_whenOneCallInsideExecuteFails_skipsOnlyThatCommunity() async throws {
        let h = try VKHarness.make("communities: [-30, -31]\n")
        h.api.post(-30, count: 2)
        h.api.post(-31, count: 2)
        h.api.failWall(-31, code: 15)
        let r = try await h.poll(nil)
        #expect(Set(ids(r)) == ["wall-30_1", "wall-30_2"])
        let status = await h.source.statusFields()
        #expect(status["community.-31.skipped"]?.contains("15") == true)
        #expect(h.logs.captured.filter { $0.contains("VK community skipped") }.count == 1)
        // Retried rarely: the next poll an hour later does not touch it.
        let before = h.api.calls("wall.get")
        _ = try await h.poll(r.cursor, advance: 3600)
        #expect(h.api.calls("wall.get") - before <= 1)
    }

    @Test func poll_whenScreenNameConfigured_resolvesItOnceAndKeepsItInTheCursor() async throws {
        let h = try VKHarness.make("domain: test_city\n")
        h.api.name("test_city", owner: -40)
        h.api.post(-40, count: 2)
        let r = try await h.poll(nil)
        #expect(r.posts.count == 2)
        _ = try await h.poll(r.cursor)
        #expect(h.api.calls("groups.getById") == 1)
        #expect(r.cursor?.value.contains("test_city") == true)
    }

    @Test func poll_whenUnknownScreenName_logsOnceAndReadsTheOthers() async throws {
        let h = try VKHarness.make("communities: [nobody_here, -41]\n")
        h.api.post(-41, count: 1)
        let r = try await h.poll(nil)
        #expect(ids(r) == ["wall-41_1"])
        _ = try await h.poll(r.cursor, advance: 600)
        #expect(h.logs.captured.filter { $0.contains("nobody_here") }.count == 1)
        #expect(h.api.calls("utils.resolveScreenName") == 1)
    }

    @Test func poll_whenError6Or10_slowsDownOrRetriesAndLosesNothing() async throws {
        let h = try VKHarness.make("owner: -50\nexecute: false\n")
        h.api.post(-50, count: 3)
        h.api.script("wall.get", errors: [6, 10])
        let r = try await h.poll(nil)
        #expect(r.posts.count == 3)
        #expect(h.registry.budget(VKBudgetRegistry.hash(token: h.token))?.pacer.slowDowns == 1)
    }

    @Test func poll_whenTokenRejected_stopsTokenAlarmsOnceAndNeverLogsIt() async throws {
        let api = try FakeVKAPI(token: "the-right-token")
        let h = try VKHarness.make("owner: -60\n", api: api, token: "wrong-token-value-987")
        Redactor.register(secret: "wrong-token-value-987")
        api.post(-60, count: 1)
        await #expect(throws: ConnectorError.self) { try await h.poll(nil) }
        await #expect(throws: ConnectorError.self) { try await h.poll(nil) }
        #expect(api.badTokenCalls == 1)
        #expect(h.logs.captured.filter { $0.contains("VK token stopped") }.count == 1)
        #expect(!h.logs.captured.joined().contains("wrong-token-value-987"))
        #expect(await h.source.statusFields().values.contains("stopped"))
        for req in api.server.requests { #expect(!req.target.contains("wrong-token")) }
    }

    @Test func poll_whenCaptcha_pausesTokenAndAsksToComeBackLater() async throws {
        let h = try VKHarness.make("communities: [-70, -71]\nexecute: false\n")
        h.api.post(-70, count: 1)
        h.api.post(-71, count: 1)
        h.api.script("wall.get", errors: [14])
        let r = try await h.poll(nil)
        #expect(r.posts.isEmpty)
        #expect((r.nextPollAfter ?? .zero) > .seconds(3000))
        #expect(h.api.calls("wall.get") == 0)
        #expect(h.logs.captured.filter { $0.contains("captcha") }.count == 1)
    }

    @Test func poll_whenDailyQuotaReached_backsOffUntilTomorrowWithoutMoreCalls() async throws {
        let h = try VKHarness.make("communities: [-80, -81]\nexecute: false\n")
        h.api.post(-80, count: 1)
        h.api.post(-81, count: 1)
        h.api.quota("wall.get", 0)
        let r = try await h.poll(nil)
        #expect(r.posts.isEmpty)
        #expect(h.api.error29 == 1)
        #expect((r.nextPollAfter ?? .zero) > .seconds(60))
    }

    @Test func poll_whenBudgetIsSmall_neverCallsMoreThanItAllows() async throws {
        let h = try VKHarness.make("communities: [-90, -91, -92, -93]\nexecute: false\nquotas: {wall.get: 100}\n")
        for o: Int64 in [-90, -91, -92, -93] { h.api.post(o, count: 1) }
        var cursor: Cursor?
        for _ in 0..<3 {
            let r = try await h.poll(cursor, advance: 60)
            cursor = r.cursor
        }
        // 97 usable, spread over the day: the first half hour earns 2 calls (plus what elapsed).
        #expect(h.api.calls("wall.get") < 10)
        #expect(h.api.error29 == 0)
    }

    @Test func poll_whenCommentsGrow_readsNewCommentsAsRepliesOnce() async throws {
        let h = try VKHarness.make("owner: -100\ncomments: {days: 2, max_posts: 5}\n")
        h.api.post(-100, count: 1, comments: 2, date: Int64(Date().timeIntervalSince1970))
        h.api.comments(-100, 1, [
            ["id": 11, "from_id": 5, "date": 1_700_000_100, "text": "Первый комментарий"],
            ["id": 12, "from_id": 6, "date": 1_700_000_200, "text": "Второй", "thread": ["count": 1, "items": [
                ["id": 13, "from_id": 7, "date": 1_700_000_300, "text": "Ответ", "parents_stack": [12]]]]],
        ])
        let r = try await h.poll(nil)
        let replies = r.posts.filter { $0.replyTo != nil }
        #expect(Set(replies.map(\.postID)) == ["wall-100_1?reply=11", "wall-100_1?reply=12", "wall-100_1?reply=13"])
        #expect(replies.allSatisfy { $0.replyTo?.key == "vk:wall-100_1" })
        let again = try await h.poll(r.cursor)
        #expect(again.posts.isEmpty)
        #expect(h.api.calls("wall.getComments") == 1)
    }

    @Test func poll_whenSearchConfigured_followsNextFromAndKeepsQuery() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let h = try VKHarness.make("search: {queries: [нет воды], max_pages: 5}\n")
        h.api.searchResults((1...5).map { ["id": $0, "owner_id": -200, "from_id": 300 + $0, "date": now - $0, "text": "нет воды \($0)"] })
        let r = try await h.poll(nil, advance: 0)
        #expect(r.posts.count == 5)
        #expect(h.api.calls("newsfeed.search") == 3)
        #expect(r.posts.allSatisfy { $0.extra["search_query"] == "нет воды" })
    }

    @Test func backfill_pagesBackToTheStartDateWithProgressAndResumableCursor() async throws {
        let h = try VKHarness.make("owner: -300\npage_size: 10\n")
        h.api.post(-300, count: 35)   // dates 60 s apart
        let all = h.api.allIDs[-300]!
        let from = Date(timeIntervalSince1970: 1_700_000_000 + 60 * 11)   // posts 11… are in range
        let to = Date(timeIntervalSince1970: 1_700_000_000 + 60 * 30)
        let got = VKBox<[Post]>([])
        let pages = VKBox<[BackfillProgress]>([])
        try await h.source.backfill(from: from, to: to, resume: nil) { posts, _, progress in
            got.update { $0 += posts }
            pages.update { $0.append(progress) }
        }
        let ids = got.value.map(\.postID)
        #expect(Set(ids) == Set(all.filter { $0 >= 11 && $0 <= 30 }.map { "wall-300_\($0)" }))
        #expect(ids.count == Set(ids).count)
        #expect(pages.value.last?.pages == pages.value.count)
        #expect(pages.value.last?.reached.map { $0 <= from } == true)
    }
}
