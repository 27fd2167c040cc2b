/// Per-second pacing of one token: calls are spaced evenly below VK's limit.
///
/// Pacing at exactly the limit still draws error 6 (clocks and network jitter differ),
/// so the pacer keeps `margin` below it: 3/s with margin 0.83 sends one call every 0.4 s,
/// and no one-second window ever holds more than 3. Error 6 widens the spacing for a while.
public struct VKPacer: Codable, Sendable, Hashable {
    /// VK's limit for this token, calls per second.
    public var limitPerSecond: Double
    /// The fraction of the limit actually used.
    public var margin: Double
    /// Multiplies the spacing after error 6; decays back to 1.
    public private(set) var penalty: Double = 1
    public private(set) var penaltyUntil: Double = 0
    /// The earliest time (Unix seconds) the next call may be sent.
    public private(set) var nextSlot: Double = 0
    /// How many times error 6 was seen (for status and tests).
    public private(set) var slowDowns = 0

    public init(limitPerSecond: Double, margin: Double = 0.83) {
        self.limitPerSecond = limitPerSecond; self.margin = margin
    }

    /// Seconds between two calls at `now`.
    public func spacing(at now: Double) -> Double {
        let base = 1 / (limitPerSecond * margin)
        return now < penaltyUntil ? base * penalty : base
    }

    /// When the last few answers arrived: a request reached VK before its answer came back,
    /// so the next call waits a full second (with margin) after the answer `limit` calls ago.
    /// This keeps the guarantee when the network or the client delays some requests and
    /// lets others through at once.
    public private(set) var completions: [Double] = []

    private var window: Int { max(1, Int(limitPerSecond.rounded(.down))) }

    /// Takes the next slot: the time (≥ `now`) at which the call may be sent.
    public mutating func reserve(now: Double) -> Double {
        forgetFuture(now: now)
        if now >= penaltyUntil { penalty = 1 }
        var at = max(now, nextSlot)
        if completions.count >= window {
            at = max(at, completions[completions.count - window] + 1 / margin)
        }
        nextSlot = at + spacing(at: at)
        return at
    }

    /// The latest time seen, to notice the wall clock stepping back (optional: older saved states lack it).
    private var latestNow: Double?

    /// The wall clock went back (an NTP step, a resumed VM): the slots, answers and penalty
    /// kept from before are moved back by the same amount, so calls are not held for the size
    /// of the jump and the spacing of queued calls is kept. Small steps back (< 1 s) are noise.
    private mutating func forgetFuture(now: Double) {
        defer { latestNow = max(latestNow ?? now, now) }
        guard let latest = latestNow, latest - now > 1 else { return }
        let jump = latest - now
        nextSlot -= jump
        penaltyUntil -= jump
        completions = completions.map { $0 - jump }
        latestNow = now
    }

    /// The answer to a request arrived at `t`.
    public mutating func completed(at t: Double) {
        forgetFuture(now: t)
        completions.append(t)
        if completions.count > window { completions.removeFirst(completions.count - window) }
    }

    /// Error 6: double the spacing for a minute and push the next slot back.
    public mutating func slowDown(now: Double) {
        forgetFuture(now: now)
        slowDowns += 1
        penalty = min(penalty * 2, 8)
        penaltyUntil = now + 60
        nextSlot = max(nextSlot, now + spacing(at: now))
    }
}
