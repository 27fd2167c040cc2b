import Foundation
import OtklikTestSupport
import Testing
@testable import VKConnector

@Suite struct VKBudgetTests {
    let day0 = VKDay().start(20_000)

    @Test func pacer_whenCallsComeAtOnce_spacesThemSoNoSecondHoldsMoreThanThree() {
        var p = VKPacer(limitPerSecond: 3)
        let slots = (0..<100).map { _ in p.reserve(now: 1000) }
        for (i, s) in slots.enumerated() {
            let inWindow = slots[i...].prefix { $0 < s + 1 }.count
            #expect(inWindow <= 3)
        }
        #expect(slots.last! - slots.first! < 100 / 2.4)
    }

    @Test func pacer_afterError6_widensSpacingThenRecovers() {
        var p = VKPacer(limitPerSecond: 3)
        let base = p.spacing(at: 0)
        p.slowDown(now: 0)
        #expect(p.spacing(at: 1) == base * 2)
        _ = p.reserve(now: 100)
        #expect(p.spacing(at: 100) == base)
        #expect(p.slowDowns == 1)
    }

    @Test func quota_whenDayStarts_allowsOnlyTheBurstThenSpreadsCalls() {
        let cal = VKDay()
        var q = VKDailyQuota(limit: 5000)
        let burst = q.allowance(at: day0, calendar: cal)
        #expect(burst == Int(Double(q.usable) * 1800 / 86_400))
        q.spend(burst, now: day0, calendar: cal)
        let next = q.availableAt(1, now: day0, calendar: cal)
        #expect(next > day0 && next < day0 + 60)
        #expect(q.allowance(at: day0 + 43_200, calendar: cal) > q.usable / 2)
        #expect(q.allowance(at: day0 + 86_399, calendar: cal) == q.usable)
    }

    @Test func quota_whenUsedUp_waitsForNextDayAndResets() {
        let cal = VKDay()
        var q = VKDailyQuota(limit: 100)
        q.spend(q.usable, now: day0 + 86_000, calendar: cal)
        #expect(q.availableAt(1, now: day0 + 86_000, calendar: cal) == day0 + 86_400)
        #expect(q.used(at: day0 + 86_401, calendar: cal) == 0)
    }

    @Test func budget_afterError29_blocksMethodUntilNextDayButNotOthers() {
        var b = VKTokenBudget(type: .user)
        b.record(error: VKAPIError(code: 29, message: "Rate limit reached"), method: "wall.get", now: day0 + 100)
        #expect(b.request(["wall.get": 1], now: day0 + 200) == .notBefore(day0 + 86_400, reason: "wall.get daily budget spread"))
        if case .at = b.request(["newsfeed.search": 1], now: day0 + 200) {} else { Issue.record("search should be allowed") }
    }

    @Test func budget_afterError5_stopsTokenAndAfter14_pausesIt() {
        var b = VKTokenBudget(type: .user)
        b.record(error: VKAPIError(code: 14, message: "Captcha needed"), method: "wall.get", now: day0)
        #expect(b.request(["wall.get": 1], now: day0 + 10) == .notBefore(day0 + 3600, reason: "token paused (captcha)"))
        b.record(error: VKAPIError(code: 5, message: "User authorization failed"), method: "wall.get", now: day0)
        if case .stopped = b.request([:], now: day0 + 4000) {} else { Issue.record("token should be stopped") }
    }

    @Test func registry_whenRestarted_restoresUsedQuotaFromStateFile() {
        let dir = TestPaths.makeTempDir("vk-budget")
        let path = dir + "/vk-budget.json"
        let now = Date().timeIntervalSince1970
        let first = VKBudgetRegistry()
        first.register("t1", budget: VKTokenBudget(type: .user), storePath: path)
        for _ in 0..<7 { _ = first.request("t1", ["wall.get": 1], now: now) }
        first.save()
        let second = VKBudgetRegistry()
        second.register("t1", budget: VKTokenBudget(type: .user), storePath: path)
        #expect(second.budget("t1")?.quotas["wall.get"]?.used(at: now, calendar: VKDay()) == 7)
        let attrs = try? FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs?[.posixPermissions] as? Int) == 0o600)
    }

    @Test func registry_whenSourcesShareAToken_splitsDailyCallsByWeight() {
        let r = VKBudgetRegistry()
        r.register("t", budget: VKTokenBudget(type: .service), storePath: nil)
        r.setWeight("t", source: "a", weight: 3)
        r.setWeight("t", source: "b", weight: 1)
        #expect(r.dailyShare("t", source: "a", method: "wall.get") == 4850 * 0.75)
        #expect(VKBudgetRegistry.hash(token: "abc") != VKBudgetRegistry.hash(token: "abd"))
        #expect(!VKBudgetRegistry.hash(token: "secret-value").contains("secret"))
    }

    @Test func planner_whenOneCommunityPostsMore_pollsItMoreOften() {
        var p = VKPollPlanner()
        p.record("busy", newPosts: 60, now: 10_000, span: 3 * 3600)
        p.record("quiet", newPosts: 1, now: 10_000, span: 3 * 3600)
        let total = p.totalWeight(["busy", "quiet"], now: 10_000)
        let busy = p.interval("busy", dailyCalls: 1000, totalWeight: total)
        let quiet = p.interval("quiet", dailyCalls: 1000, totalWeight: total)
        #expect(busy * 3 < quiet)
        let calls = 86_400 / busy + 86_400 / quiet
        #expect(abs(calls - 1000) < 1)
    }

    @Test func planner_whenSourceSkipped_doesNotPollItBeforeTheTime() {
        var p = VKPollPlanner()
        p.register("a")
        p.skip("a", until: 5000)
        #expect(p.due(["a"], now: 4999, dailyCalls: 100, totalWeight: 1).isEmpty)
        #expect(p.due(["a"], now: 5000, dailyCalls: 100, totalWeight: 1) == ["a"])
    }
}
