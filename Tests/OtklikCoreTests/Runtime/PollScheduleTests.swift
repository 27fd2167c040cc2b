import Testing
@testable import OtklikCore

@Suite struct PollScheduleTests {
    @Test func success_usesIntervalOrConnectorWish() {
        var s = PollSchedule(interval: .seconds(60))
        #expect(s.afterSuccess() == .seconds(60))
        #expect(s.afterSuccess(nextPollAfter: .seconds(5)) == .seconds(5))
    }

    @Test func success_neverSoonerThanMinInterval() {
        var s = PollSchedule(interval: .seconds(1), minInterval: .seconds(3))
        #expect(s.afterSuccess(nextPollAfter: .zero) == .seconds(3))
    }

    @Test func failures_backOffExponentiallyUpToCap() {
        var s = PollSchedule(interval: .seconds(60), backoffBase: .seconds(1), backoffMax: .seconds(10), jitter: 0)
        #expect(s.afterFailure(random: 0.3) == .seconds(1))
        #expect(s.afterFailure(random: 0.3) == .seconds(2))
        #expect(s.afterFailure(random: 0.3) == .seconds(4))
        #expect(s.afterFailure(random: 0.3) == .seconds(8))
        #expect(s.afterFailure(random: 0.3) == .seconds(10))
        #expect(s.afterFailure(random: 0.3) == .seconds(10))
        #expect(s.failures == 6)
        _ = s.afterSuccess()
        #expect(s.failures == 0)
        #expect(s.afterFailure(random: 0.3) == .seconds(1))
    }

    @Test func failure_jitterStaysWithinBounds() {
        var low = PollSchedule(interval: .seconds(60), backoffBase: .seconds(8), jitter: 0.5)
        var high = low
        #expect(low.afterFailure(random: 0) == .seconds(4))
        #expect(high.afterFailure(random: 0.999999) > .milliseconds(7990))
    }

    @Test func failure_withRetryAfter_waitsAtLeastThat() {
        var s = PollSchedule(interval: .seconds(60), backoffBase: .seconds(1), jitter: 0)
        #expect(s.afterFailure(retryAfter: .seconds(30), random: 0) == .seconds(30))
        #expect(s.afterFailure(retryAfter: .milliseconds(1), random: 0) == .seconds(2))
    }

    @Test func backoffRaw_largeAttempt_doesNotOverflow() {
        let s = PollSchedule(interval: .seconds(1), backoffBase: .seconds(1), backoffMax: .seconds(300))
        #expect(s.backoffRaw(attempt: 10_000) == .seconds(300))
    }
}
