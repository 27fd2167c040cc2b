/// When to try a failed batch again: exponential backoff with full jitter, capped, and a
/// destination's `Retry-After` hint taking precedence.
///
/// A pure value: the random source is passed in, so tests check the numbers without sleeping.
public struct RetryPolicy: Sendable, Equatable {
    /// The backoff ceiling of the first retry; it doubles with each further attempt.
    public var base: Duration
    /// No computed delay is longer than this.
    public var cap: Duration
    /// Attempts before a batch goes to the dead-letter file; 0 means retry forever.
    public var maxAttempts: Int
    /// Hints longer than this are clamped (a misbehaving server asking for a day).
    public var maxHint: Duration

    public init(base: Duration, cap: Duration, maxAttempts: Int, maxHint: Duration = .seconds(3600)) {
        self.base = base; self.cap = cap; self.maxAttempts = maxAttempts; self.maxHint = maxHint
    }

    public init(_ config: SinkConfig) {
        self.init(base: config.retryBase, cap: config.retryMax, maxAttempts: config.maxAttempts)
    }

    /// Whether a batch that has failed `attempts` times may be tried again.
    public func shouldRetry(afterAttempts attempts: Int) -> Bool {
        maxAttempts == 0 || attempts < maxAttempts
    }

    /// The upper bound of the jittered delay after the `attempt`-th failure (1-based):
    /// `min(cap, base · 2^(attempt-1))`.
    public func ceiling(attempt: Int) -> Duration {
        let exponent = Double(max(0, min(attempt - 1, 62)))
        let seconds = min(cap.seconds, base.seconds * pow2(exponent))
        return .seconds(double: max(0, seconds))
    }

    /// The wait before retrying after the `attempt`-th failure: the hint if there is one,
    /// otherwise a uniformly random duration in `0...ceiling(attempt)` ("full jitter").
    public func delay<G: RandomNumberGenerator>(attempt: Int, hint: Duration?, using rng: inout G) -> Duration {
        if let hint { return min(max(hint, .zero), maxHint) }
        let top = ceiling(attempt: attempt).seconds
        guard top > 0 else { return .zero }
        // One draw, mapped to [0, 1): deterministic for any generator (no rejection sampling).
        let unit = Double(rng.next() >> 11) * 0x1p-53
        return .seconds(double: unit * top)
    }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        for _ in 0..<Int(e) { r *= 2; if r > 1e18 { break } }
        return r
    }
}
