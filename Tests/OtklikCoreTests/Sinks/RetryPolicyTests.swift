import Testing
@testable import OtklikCore

/// A generator that always returns the same word: 0 gives the lowest draw, `.max` the highest.
private struct FixedRNG: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

/// A small deterministic generator (SplitMix64) for range checks over many draws.
private struct JitterRNG: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(base: .milliseconds(200), cap: .seconds(10), maxAttempts: 0)

    @Test func ceiling_doublesPerAttempt_untilTheCap() {
        #expect(policy.ceiling(attempt: 1) == .milliseconds(200))
        #expect(policy.ceiling(attempt: 2) == .milliseconds(400))
        #expect(policy.ceiling(attempt: 3) == .milliseconds(800))
        #expect(policy.ceiling(attempt: 6) == .milliseconds(6400))
        #expect(policy.ceiling(attempt: 7) == .seconds(10))
        #expect(policy.ceiling(attempt: 10_000) == .seconds(10))
    }

    @Test func delay_isFullJitter_betweenZeroAndTheCeiling() {
        var low = FixedRNG(value: 0)
        #expect(policy.delay(attempt: 4, hint: nil, using: &low) == .zero)
        var high = FixedRNG(value: .max)
        let top = policy.delay(attempt: 4, hint: nil, using: &high)
        #expect(top > .milliseconds(1500) && top <= .milliseconds(1600))
        var rng = JitterRNG(state: 42)
        var distinct = Set<Duration>()
        for attempt in 1...50 {
            let d = policy.delay(attempt: attempt, hint: nil, using: &rng)
            #expect(d >= .zero && d <= policy.ceiling(attempt: attempt))
            distinct.insert(d)
        }
        #expect(distinct.count > 10)
    }

    @Test func delay_whenServerSendsRetryAfter_usesTheHintInsteadOfBackoff() {
        var rng = FixedRNG(value: .max)
        #expect(policy.delay(attempt: 1, hint: .seconds(30), using: &rng) == .seconds(30))
        #expect(policy.delay(attempt: 9, hint: .zero, using: &rng) == .zero)
    }

    @Test func delay_whenHintIsAbsurd_clampsItToMaxHint() {
        var rng = FixedRNG(value: 0)
        #expect(policy.delay(attempt: 1, hint: .seconds(86400 * 30), using: &rng) == .seconds(3600))
    }

    @Test func shouldRetry_withMaxAttemptsZero_retriesForever() {
        #expect(policy.shouldRetry(afterAttempts: 1_000_000))
    }

    @Test func shouldRetry_withMaxAttempts_stopsAfterThatManyFailures() {
        let p = RetryPolicy(base: .milliseconds(1), cap: .seconds(1), maxAttempts: 3)
        #expect(p.shouldRetry(afterAttempts: 1))
        #expect(p.shouldRetry(afterAttempts: 2))
        #expect(!p.shouldRetry(afterAttempts: 3))
    }

    @Test func init_fromSinkConfig_takesBaseCapAndAttempts() {
        let c = SinkConfig(name: "db", type: "sqlite", maxAttempts: 5, retryBase: .milliseconds(50),
                           retryMax: .seconds(2), node: .emptyMapping(at: SourceMark(file: "x", line: 1, column: 1)))
        #expect(RetryPolicy(c) == RetryPolicy(base: .milliseconds(50), cap: .seconds(2), maxAttempts: 5))
    }
}
