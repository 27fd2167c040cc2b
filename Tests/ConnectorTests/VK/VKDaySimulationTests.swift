import Foundation
import Testing
@testable import VKConnector

/// A model of VK's limits: 3 requests in any one second, a daily `wall.get` quota.
struct FakeVKLimits {
    var perSecond = 3
    var dailyQuota: Int
    var day = VKDay()
    private(set) var recent: [Double] = []
    private(set) var usedByDay: [Int: Int] = [:]
    private(set) var error6 = 0
    private(set) var error29 = 0

    init(dailyQuota: Int) { self.dailyQuota = dailyQuota }

    /// A wall.get at `t`: 0 for success, or the VK error code.
    mutating func call(at t: Double) -> Int {
        recent = recent.filter { $0 > t - 1 }
        if recent.count >= perSecond { error6 += 1; return 6 }
        recent.append(t)
        let d = day.index(t)
        if usedByDay[d, default: 0] >= dailyQuota { error29 += 1; return 29 }
        usedByDay[d, default: 0] += 1
        return 0
    }

    func used(day d: Int) -> Int { usedByDay[d] ?? 0 }
}

@Suite struct VKDaySimulationTests {
    /// The issue's done-when: a simulated day against 3 req/s and a 5000 wall.get quota.
    @Test func dayOfPolling_usesOver90PercentOfQuotaWithNoError6AndNo29AndBusyPolledMore() {
        let cal = VKDay()
        let dayIndex = 20_100
        let start = cal.start(dayIndex)
        var budget = VKTokenBudget(type: .user, quotas: ["wall.get": 5000])
        var planner = VKPollPlanner()
        var api = FakeVKLimits(dailyQuota: 5000)
        // 10 busy communities (20 posts/h) and 30 quiet ones (0.2 posts/h).
        let keys = (0..<40).map { "-\($0 + 1)" }
        func rate(_ k: String) -> Double { Int(k)! > -11 ? 20 : 0.2 }
        func posted(_ k: String, by t: Double) -> Int { Int(((t - start + 7200) * rate(k) / 3600).rounded(.down)) }
        var polls: [String: Int] = [:]
        var lastPoll: [String: Double] = [:]
        var t = start
        let usable = Double(budget.quotas["wall.get"]!.usable)
        var loops = 0
        while t < start + 86_400 && loops < 1_000_000 {
            loops += 1
            let total = planner.totalWeight(keys, now: t)
            let due = planner.due(keys, now: t, dailyCalls: usable, totalWeight: total)
            if due.isEmpty {
                t = max(t + 0.001, planner.nextDue(keys, dailyCalls: usable, totalWeight: total) ?? t + 60)
                continue
            }
            for k in due {
                switch budget.request(["wall.get": 1], now: t) {
                case .at(let at):
                    t = max(t, at)
                    guard t < start + 86_400 else { break }
                    let code = api.call(at: t)
                    if code != 0 { budget.record(error: VKAPIError(code: code, message: ""), method: "wall.get", now: t); continue }
                    let new = posted(k, by: t) - (lastPoll[k].map { posted(k, by: $0) } ?? posted(k, by: t - 3600))
                    planner.record(k, newPosts: new, now: t, span: lastPoll[k] == nil ? 3600 : nil)
                    lastPoll[k] = t
                    polls[k, default: 0] += 1
                case .notBefore(let until, _):
                    t = max(t, until)
                case .stopped:
                    Issue.record("token stopped"); return
                }
            }
        }
        let used = api.used(day: dayIndex)
        #expect(api.error6 == 0)
        #expect(api.error29 == 0)
        #expect(Double(used) >= 0.9 * 5000, "used \(used) of 5000")
        #expect(used <= 5000)
        let busy = keys.prefix(10).map { polls[$0, default: 0] }.reduce(0, +) / 10
        let quiet = keys.suffix(30).map { polls[$0, default: 0] }.reduce(0, +) / 30
        #expect(busy > 3 * quiet, "busy \(busy) quiet \(quiet)")
    }
}
