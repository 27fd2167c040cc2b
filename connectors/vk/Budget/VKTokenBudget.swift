/// Which kind of access token, and so which limits apply.
public enum VKTokenType: String, Codable, Sendable, CaseIterable {
    case user, service, community

    /// VK's documented per-second limit for this kind of token.
    public var defaultRequestsPerSecond: Double {
        switch self {
        case .user, .service: 3
        case .community: 20
        }
    }
}

/// The answer to "may I call now?".
public enum VKGrant: Sendable, Hashable {
    /// Send at this time (Unix seconds, ≥ now); the budget is already spent.
    case at(Double)
    /// Not before this time; nothing was spent.
    case notBefore(Double, reason: String)
    /// The token is stopped (error 5 or 17) until an operator replaces it.
    case stopped(String)
}

/// Everything one token may still do: per-second pacing and per-method daily quotas,
/// plus the stop and pause states that errors 5, 17 and 14 put it in. Pure logic:
/// the caller passes the time.
public struct VKTokenBudget: Codable, Sendable, Hashable {
    public var type: VKTokenType
    public var pacer: VKPacer
    public var calendar: VKDay
    /// Methods with a daily quota; others are only paced.
    public var quotas: [String: VKDailyQuota]
    public private(set) var stoppedReason: String?
    public private(set) var pausedUntil: Double = 0
    /// Calls sent today per method (every method, for status).
    public private(set) var callsToday: [String: Int] = [:]
    public private(set) var callsDay = Int.min

    public static let defaultQuotas = ["wall.get": 5000, "newsfeed.search": 1000, "wall.search": 1000]

    public init(type: VKTokenType, requestsPerSecond: Double? = nil, margin: Double = 0.83,
                quotas: [String: Int] = VKTokenBudget.defaultQuotas, safety: Double = 0.97,
                calendar: VKDay = VKDay()) {
        self.type = type
        self.pacer = VKPacer(limitPerSecond: requestsPerSecond ?? type.defaultRequestsPerSecond, margin: margin)
        self.calendar = calendar
        self.quotas = quotas.mapValues { VKDailyQuota(limit: $0, safety: safety) }
    }

    /// Asks for one HTTP request that makes `calls` API calls (several when batched in `execute`).
    /// On `.at`, the pacing slot and the quotas are taken.
    public mutating func request(_ calls: [String: Int], now: Double) -> VKGrant {
        if let r = stoppedReason { return .stopped(r) }
        if now < pausedUntil { return .notBefore(pausedUntil, reason: "token paused (captcha)") }
        var earliest = now
        var reason = ""
        for (method, n) in calls {
            guard let q = quotas[method] else { continue }
            let t = q.availableAt(n, now: now, calendar: calendar)
            if t > earliest { earliest = t; reason = "\(method) daily budget spread" }
        }
        if earliest > now { return .notBefore(earliest, reason: reason) }
        for (method, n) in calls { quotas[method]?.spend(n, now: now, calendar: calendar) }
        let day = calendar.index(now)
        if day != callsDay { callsDay = day; callsToday = [:] }
        for (method, n) in calls { callsToday[method, default: 0] += n }
        return .at(pacer.reserve(now: now))
    }

    /// Applies a VK error's reaction to the budget (5/17 stop, 14 pause, 6 slow down, 9/29 block a method).
    public mutating func record(error: VKAPIError, method: String, now: Double) {
        switch error.reaction {
        case .slowDown: pacer.slowDown(now: now)
        case .methodBackoff:
            if quotas[method] == nil { quotas[method] = VKDailyQuota(limit: 1_000_000) }
            quotas[method]?.block(code: error.code, now: now, calendar: calendar)
        case .stopToken: stoppedReason = "VK error \(error.code): \(error.message)"
        case .pauseToken: pausedUntil = now + 3600
        default: break
        }
    }

    /// Remaining calls today for each quota'd method.
    public func remaining(at now: Double) -> [String: Int] {
        quotas.mapValues { $0.remaining(at: now, calendar: calendar) }
    }

    public var isStopped: Bool { stoppedReason != nil }

    /// Takes what an earlier run spent (quotas used today, blocks, a captcha pause) from a
    /// saved budget; limits stay as configured now, and a stopped token is tried again.
    public mutating func restore(from saved: VKTokenBudget) {
        for (method, q) in saved.quotas where quotas[method] != nil { quotas[method]!.restore(from: q) }
        pausedUntil = saved.pausedUntil
        callsToday = saved.callsToday
        callsDay = saved.callsDay
    }
}
