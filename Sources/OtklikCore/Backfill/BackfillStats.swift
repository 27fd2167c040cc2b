import Foundation

/// Counts of one source's walk, and the line that shows them.
public struct BackfillStats: Sendable, Equatable {
    public var source: String
    public var from: Date
    public var to: Date
    /// Oldest publication time reached (walks go newest first) or newest (oldest first), as reported.
    public var reached: Date?
    public var posts = 0
    public var complaints = 0
    public var incidents = 0
    public var byCategory: [String: Int] = [:]
    /// Posts counted by an earlier, interrupted run (not part of this run's rate).
    public var resumedPosts = 0
    /// The history walk is over and the spooled posts are being analysed; `analysed` of them so far.
    public var walked = false
    public var analysed = 0
    public var done = false

    public init(source: String, from: Date, to: Date) { self.source = source; self.from = from; self.to = to }

    /// Share of the range covered, from the date reached; nil before the first page.
    public var fraction: Double? {
        guard let reached else { return nil }
        let span = to.timeIntervalSince(from)
        guard span > 0 else { return 1 }
        return min(1, max(0, to.timeIntervalSince(reached) / span))
    }

    /// `source: reached 2026-11-05, 1200 posts, 140 complaints, 35.2 posts/s, ETA 1m20s`.
    public func progressLine(elapsed: TimeInterval) -> String {
        let newPosts = posts - resumedPosts
        let rate = elapsed > 0 ? Double(newPosts) / elapsed : 0
        var s = "\(source): "
        s += reached.map { "reached \(Self.day($0))" } ?? "starting"
        s += ", \(posts) posts, \(complaints) complaints, " + String(format: "%.1f posts/s", rate)
        if done { s += ", done" }
        else if walked { s += ", analysing \(analysed)/\(posts)" }
        else if let f = fraction, f > 0.001, elapsed > 0 {
            s += ", ETA " + Self.duration(elapsed * (1 - f) / f)
        }
        return s
    }

    static func day(_ d: Date) -> String {
        String(OtklikJSON.formatDate(d).prefix(10))
    }

    static func duration(_ t: TimeInterval) -> String {
        let s = Int(max(0, t.rounded()))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60)s" }
        return "\(s / 3600)h\(s % 3600 / 60)m"
    }
}

/// The end-of-run summary over every source.
public struct BackfillSummary: Sendable {
    public var sources: [BackfillStats]
    public var duration: TimeInterval

    public init(sources: [BackfillStats], duration: TimeInterval) { self.sources = sources; self.duration = duration }

    public func render() -> String {
        let posts = sources.reduce(0) { $0 + $1.posts }
        let complaints = sources.reduce(0) { $0 + $1.complaints }
        let incidents = sources.reduce(0) { $0 + $1.incidents }
        var byCategory: [String: Int] = [:]
        for s in sources { byCategory.merge(s.byCategory, uniquingKeysWith: +) }
        var out = "backfill done in \(BackfillStats.duration(duration)): \(posts) posts read, \(complaints) complaints, \(incidents) incidents\n"
        for (c, n) in byCategory.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            let name = Taxonomy.category(c)?.name ?? c
            out += "  \(c) (\(name)): \(n)\n"
        }
        for s in sources {
            out += "  source \(s.source): \(s.posts) posts, \(s.complaints) complaints, \(s.incidents) incidents"
            out += s.resumedPosts > 0 ? " (resumed after \(s.resumedPosts) posts)\n" : "\n"
        }
        return out
    }
}
