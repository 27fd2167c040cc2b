/// When a source polls next: its interval after a success (or the connector's own
/// wish), exponential backoff with jitter after failures, never sooner than the
/// connector's minimum interval nor than a server's `Retry-After`.
///
/// Pure: the random number comes in as an argument, so tests need no clock or sleeps.
public struct PollSchedule: Sendable, Equatable {
    public var interval: Duration
    public var minInterval: Duration
    public var backoffBase: Duration
    public var backoffMax: Duration
    /// Fraction of the backoff that is randomised (0 = none, 0.5 = ±25 % around 75 %).
    public var jitter: Double
    /// Consecutive failures so far.
    public private(set) var failures = 0

    public init(interval: Duration, minInterval: Duration = .zero, backoffBase: Duration = .seconds(1),
                backoffMax: Duration = .seconds(300), jitter: Double = 0.5) {
        self.interval = interval; self.minInterval = minInterval
        self.backoffBase = backoffBase; self.backoffMax = backoffMax; self.jitter = jitter
    }

    /// The delay before the next poll after a successful one.
    public mutating func afterSuccess(nextPollAfter: Duration? = nil) -> Duration {
        failures = 0
        return max(nextPollAfter ?? interval, minInterval)
    }

    /// The delay before the next poll after a failure. `random` is in 0..<1;
    /// `retryAfter` is the server's hint, if any.
    public mutating func afterFailure(retryAfter: Duration? = nil, random: Double) -> Duration {
        failures += 1
        let raw = backoffRaw(attempt: failures)
        let factor = 1 - jitter + jitter * min(max(random, 0), 1)
        var delay = raw * factor
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        return max(delay, minInterval)
    }

    /// `base · 2^(attempt-1)`, capped at `backoffMax`.
    public func backoffRaw(attempt: Int) -> Duration {
        var d = backoffBase
        var i = 1
        while i < attempt && d < backoffMax { d = d * 2; i += 1 }
        return min(d, backoffMax)
    }
}
