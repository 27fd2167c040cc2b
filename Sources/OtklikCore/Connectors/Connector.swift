import Foundation

/// An opaque position in a source, stored in the state database after every
/// acknowledged batch. Each connector decides what it holds (often a small JSON).
public struct Cursor: Sendable, Codable, Hashable, CustomStringConvertible {
    public var value: String
    public init(_ value: String) { self.value = value }
    public var description: String { value }
}

/// What one poll returned.
public struct PollResult: Sendable {
    /// New or edited posts, oldest first.
    public var posts: [Post]
    /// Where the next poll starts; committed only once every post above is acknowledged.
    public var cursor: Cursor?
    /// The connector's own wish for the next poll (adaptive schedules); nil = the configured interval.
    public var nextPollAfter: Duration?
    public init(posts: [Post], cursor: Cursor?, nextPollAfter: Duration? = nil) {
        self.posts = posts; self.cursor = cursor; self.nextPollAfter = nextPollAfter
    }
}

/// Progress of a history walk, reported after every page.
public struct BackfillProgress: Sendable {
    public var pages: Int
    public var posts: Int
    /// The oldest publication time reached so far.
    public var reached: Date?
    public init(pages: Int, posts: Int, reached: Date?) {
        self.pages = pages; self.posts = posts; self.reached = reached
    }
}

/// The limits a connector keeps to; the runtime shows them and the scheduler respects them.
public struct RateLimits: Sendable {
    public var requestsPerSecond: Double?
    public var minPollInterval: Duration
    public init(requestsPerSecond: Double? = nil, minPollInterval: Duration = .seconds(1)) {
        self.requestsPerSecond = requestsPerSecond; self.minPollInterval = minPollInterval
    }
}

/// A source of posts: a VK community, a Telegram channel, a JSONL feed.
///
/// One actor per configured source. `poll` is called on the source's schedule;
/// `backfill` walks history for `otklik backfill`. Both must be cancellable.
public protocol Connector: Actor {
    /// The configured `sources[].id`.
    nonisolated var sourceID: String { get }
    nonisolated var rateLimits: RateLimits { get }

    /// Posts published or edited after `cursor` (nil: from the connector's configured start).
    func poll(after cursor: Cursor?) async throws -> PollResult

    /// Walks history between `from` and `to` page by page, newest or oldest first as the
    /// platform allows. After each page it calls `emit` with that page's posts (only those
    /// within the range), a cursor from which the walk can resume, and progress so far.
    /// `resume` is such a cursor from an interrupted walk.
    func backfill(from: Date, to: Date, resume: Cursor?,
                  emit: @Sendable ([Post], Cursor, BackfillProgress) async throws -> Void) async throws
}

/// Status of a source as the connector sees it, for `otklik status` (budgets, freshness).
public protocol ConnectorStatusReporting: Actor {
    func statusFields() -> [String: String]
}

/// Builds a connector from its config section.
public typealias ConnectorFactory = @Sendable (SourceConfig, PluginContext) throws -> any Connector
