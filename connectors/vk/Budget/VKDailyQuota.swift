/// The calendar of VK's daily quotas: a day starts at midnight Moscow time (UTC+3) by default.
public struct VKDay: Codable, Sendable, Hashable {
    public var utcOffset: Double
    public static let length: Double = 86_400
    public init(utcOffset: Double = 3 * 3600) { self.utcOffset = utcOffset }

    public func index(_ t: Double) -> Int { Int(((t + utcOffset) / Self.length).rounded(.down)) }
    public func start(_ day: Int) -> Double { Double(day) * Self.length - utcOffset }
    /// Seconds since the start of `t`'s day.
    public func elapsed(_ t: Double) -> Double { t - start(index(t)) }
}

/// One method's daily quota on one token (`wall.get`: 5000, `newsfeed.search`: 1000).
///
/// Calls are spread over the day: at any moment the quota allows what the elapsed part
/// of the day earns, plus a small burst, and never more than `safety` of the limit —
/// so error 29 does not come before the day ends even if VK counts a little differently.
public struct VKDailyQuota: Codable, Sendable, Hashable {
    public var limit: Int
    public var safety: Double
    /// Seconds of budget that may be spent ahead of the even spread.
    public var burst: Double
    public private(set) var used = 0
    public private(set) var day = Int.min
    /// Set by error 29 or 9: no calls before this time (Unix seconds).
    public private(set) var blockedUntil: Double = 0

    public init(limit: Int, safety: Double = 0.97, burst: Double = 1800) {
        self.limit = limit; self.safety = safety; self.burst = burst
    }

    /// The most this quota lets the connector spend per day.
    public var usable: Int { Int((Double(limit) * safety).rounded(.down)) }

    /// Starts a new day's count. Only forward: when the clock steps back over midnight the
    /// calls already spent still count (VK counts by its own clock), so they are not spent twice.
    private mutating func roll(_ now: Double, _ cal: VKDay) {
        let d = cal.index(now)
        if d > day { day = d; used = 0 }
    }

    /// How many calls the even spread allows by `now`.
    public func allowance(at now: Double, calendar cal: VKDay) -> Int {
        let earned = Double(usable) * min(1, (cal.elapsed(now) + burst) / VKDay.length)
        return min(usable, Int(earned.rounded(.down)))
    }

    /// Calls used today, as of `now`.
    public func used(at now: Double, calendar cal: VKDay) -> Int { cal.index(now) <= day ? used : 0 }

    /// Calls left today (for status).
    public func remaining(at now: Double, calendar cal: VKDay) -> Int { max(0, usable - used(at: now, calendar: cal)) }

    /// The earliest time `n` more calls are allowed; `now` when they are allowed at once.
    public func availableAt(_ n: Int, now: Double, calendar cal: VKDay) -> Double {
        if now < blockedUntil { return blockedUntil }
        let u = used(at: now, calendar: cal)
        if u + n <= allowance(at: now, calendar: cal) { return now }
        if u + n > usable { return cal.start(cal.index(now) + 1) }
        let needed = Double(u + n) / Double(usable) * VKDay.length - burst
        return max(now, cal.start(cal.index(now)) + needed)
    }

    public mutating func spend(_ n: Int, now: Double, calendar cal: VKDay) {
        roll(now, cal)
        used += n
    }

    /// Error 29 (quota reached): nothing more until the next day. Error 9 (flood): an hour.
    public mutating func block(code: Int, now: Double, calendar cal: VKDay) {
        roll(now, cal)
        if code == 29 {
            used = max(used, usable)
            blockedUntil = cal.start(cal.index(now) + 1)
        } else {
            blockedUntil = max(blockedUntil, now + 3600)
        }
    }

    mutating func restore(from saved: VKDailyQuota) {
        used = saved.used; day = saved.day; blockedUntil = saved.blockedUntil
    }
}
