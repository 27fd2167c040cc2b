import Foundation

/// Decides how often each community's wall is polled, from its observed posting rate.
///
/// With a daily budget of `B` calls shared by communities posting at rates `r_i`, the
/// average delay of a post is smallest when community `i` gets calls in proportion to
/// `sqrt(r_i)`: busy walls are polled more often, quiet ones still regularly. Rates are
/// exponentially decayed counts (posts / seconds observed, half-life ≈ `memory`·ln 2),
/// so a community that wakes up is noticed within hours. Pure logic: the caller passes the time.
public struct VKPollPlanner: Codable, Sendable, Hashable {
    public struct Community: Codable, Sendable, Hashable {
        /// Decayed count of new posts seen.
        public var posts: Double
        /// Decayed seconds observed.
        public var seconds: Double
        public var lastPoll: Double?
        public var lastNewPost: Double?
        public var polls = 0
        /// Not polled before this time (a closed or broken source, retried rarely).
        public var skippedUntil: Double = 0

        /// Posts per hour.
        public var ratePerHour: Double { seconds > 0 ? posts / seconds * 3600 : 0 }
    }

    public private(set) var communities: [String: Community] = [:]
    public var minInterval: Double
    public var maxInterval: Double
    /// Seconds over which old observations fade.
    public var memory: Double
    /// The rate a community is assumed to have before anything is observed (posts/hour).
    public var priorPerHour: Double
    /// A floor on the rate so quiet communities keep a share (posts/hour).
    public var floorPerHour: Double

    public init(minInterval: Double = 60, maxInterval: Double = 6 * 3600, memory: Double = 12 * 3600,
                priorPerHour: Double = 1, floorPerHour: Double = 0.05) {
        self.minInterval = minInterval; self.maxInterval = maxInterval; self.memory = memory
        self.priorPerHour = priorPerHour; self.floorPerHour = floorPerHour
    }

    public mutating func register(_ key: String) {
        if communities[key] == nil {
            communities[key] = Community(posts: priorPerHour, seconds: 3600)
        }
    }

    public func community(_ key: String) -> Community? { communities[key] }

    /// The weight of a community in the budget split.
    public func weight(_ key: String) -> Double {
        guard let c = communities[key] else { return 0 }
        return (max(c.ratePerHour, floorPerHour)).squareRoot()
    }

    /// Sum of weights of the communities not skipped at `now`.
    public func totalWeight(_ keys: [String], now: Double) -> Double {
        keys.reduce(0) { acc, k in
            guard let c = communities[k], c.skippedUntil <= now else { return acc }
            return acc + weight(k)
        }
    }

    /// Seconds between polls of `key`, when `dailyCalls` are shared by communities of total weight `total`.
    public func interval(_ key: String, dailyCalls: Double, totalWeight total: Double) -> Double {
        let w = weight(key)
        guard w > 0, dailyCalls > 0, total > 0 else { return maxInterval }
        let calls = dailyCalls * w / total
        return min(maxInterval, max(minInterval, 86_400 / calls))
    }

    /// When `key` should next be polled.
    public func dueTime(_ key: String, dailyCalls: Double, totalWeight: Double) -> Double {
        guard let c = communities[key] else { return 0 }
        guard let last = c.lastPoll else { return c.skippedUntil }
        return max(c.skippedUntil, last + interval(key, dailyCalls: dailyCalls, totalWeight: totalWeight))
    }

    /// The communities among `keys` due at `now`, most overdue first.
    public func due(_ keys: [String], now: Double, dailyCalls: Double, totalWeight: Double) -> [String] {
        var pending: [(key: String, at: Double)] = []
        for k in keys {
            let t = dueTime(k, dailyCalls: dailyCalls, totalWeight: totalWeight)
            if t <= now { pending.append((k, t)) }
        }
        pending.sort { a, b in a.at != b.at ? a.at < b.at : a.key < b.key }
        return pending.map(\.key)
    }

    /// The earliest due time among `keys`.
    public func nextDue(_ keys: [String], dailyCalls: Double, totalWeight: Double) -> Double? {
        keys.map { dueTime($0, dailyCalls: dailyCalls, totalWeight: totalWeight) }.min()
    }

    /// A poll of `key` at `now` found `newPosts` posts. `span` is the time those posts
    /// cover when that is known better than "since the last poll" (the first poll).
    public mutating func record(_ key: String, newPosts: Int, now: Double, span: Double? = nil) {
        register(key)
        var c = communities[key]!
        let observed = span ?? c.lastPoll.map { max(0, now - $0) } ?? 0
        if observed > 0 {
            let decay = exp(-observed / memory)
            c.posts = c.posts * decay + Double(newPosts)
            c.seconds = c.seconds * decay + observed
        }
        if newPosts > 0 { c.lastNewPost = now }
        c.lastPoll = now
        c.polls += 1
        communities[key] = c
    }

    /// A source error: do not poll `key` before `until`.
    public mutating func skip(_ key: String, until: Double) {
        register(key)
        communities[key]!.skippedUntil = until
    }
}
