import Foundation
import Testing
@testable import VKConnector

/// The wall clock jumping (an NTP step, a resumed VM) under the VK budget: pacing goes on
/// from the new time instead of holding the token for the size of a backward jump, and the
/// calls spent today are not forgotten when the clock steps back over midnight.
struct VKClockJumpTests {
    static let t0 = 1_790_000_000.0

    @Test func pacer_whenClockJumpsBackAnHour_nextCallIsNotHeldForTheHour() {
        var pacer = VKPacer(limitPerSecond: 3)
        var t = Self.t0
        for _ in 0..<5 {
            t = pacer.reserve(now: t)
            pacer.completed(at: t + 0.05)
        }
        let back = Self.t0 - 3600
        let at = pacer.reserve(now: back)
        #expect(at >= back && at < back + 2, "held for \(at - back) s")
        // Spacing holds from the new time on.
        let next = pacer.reserve(now: back)
        #expect(next >= back + 0.4 - 1e-9 && next < back + 1)
    }

    @Test func pacer_whenClockJumpsBackAfterError6_penaltyLastsAtMostAMinute() {
        var pacer = VKPacer(limitPerSecond: 3)
        _ = pacer.reserve(now: Self.t0)
        pacer.slowDown(now: Self.t0)
        let back = Self.t0 - 7200
        _ = pacer.reserve(now: back)
        #expect(pacer.penaltyUntil <= back + 60)
        #expect(pacer.spacing(at: back + 61) == pacer.spacing(at: back + 10_000))
    }

    @Test func pacer_whenClockJumpsForward_callsGoAtOnceThenAtTheUsualSpacing() {
        var pacer = VKPacer(limitPerSecond: 3)
        _ = pacer.reserve(now: Self.t0)
        let ahead = Self.t0 + 86_400
        #expect(pacer.reserve(now: ahead) == ahead)
        #expect(abs(pacer.reserve(now: ahead) - (ahead + 1 / (3 * 0.83))) < 1e-9)
    }

    @Test func pacer_whenClockJumpsBackWithCallsQueued_keepsTheirSpacing() {
        var pacer = VKPacer(limitPerSecond: 3)
        let before = (0..<6).map { _ in pacer.reserve(now: Self.t0) }
        let back = Self.t0 - 600
        let after = (0..<6).map { _ in pacer.reserve(now: back) }
        // The queue goes on where it was, moved back by the jump: no gap of 600 s, no burst.
        #expect(after.first! - back < before.last! - Self.t0 + 1)
        #expect(zip(after, after.dropFirst()).allSatisfy { $1 - $0 >= 0.4 - 1e-9 })
    }

    @Test func dailyQuota_whenClockStepsBackOverMidnight_keepsTodaysSpending() {
        let cal = VKDay()
        let midnight = cal.start(cal.index(Self.t0) + 1)
        var q = VKDailyQuota(limit: 5000)
        q.spend(400, now: midnight + 1800, calendar: cal)
        let back = midnight - 600
        #expect(q.used(at: back, calendar: cal) == 400)
        q.spend(10, now: back, calendar: cal)
        // Back at the real time: 410 spent today, not 10.
        #expect(q.used(at: midnight + 1900, calendar: cal) == 410)
        #expect(q.remaining(at: midnight + 1900, calendar: cal) == q.usable - 410)
    }

    @Test func dailyQuota_whenClockJumpsToTheNextDay_startsAFreshCount() {
        let cal = VKDay()
        var q = VKDailyQuota(limit: 5000)
        q.spend(300, now: Self.t0, calendar: cal)
        let tomorrow = cal.start(cal.index(Self.t0) + 1) + 3600
        #expect(q.used(at: tomorrow, calendar: cal) == 0)
        q.spend(1, now: tomorrow, calendar: cal)
        #expect(q.used(at: tomorrow, calendar: cal) == 1)
    }
}
