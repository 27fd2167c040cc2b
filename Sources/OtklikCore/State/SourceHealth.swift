import Foundation

/// How a source is doing, kept in the state database for `otklik status`.
public struct SourceHealth: Sendable, Equatable {
    public var sourceID: String
    public var lastPollAt: Date?
    /// The last poll that did not fail.
    public var lastSuccessAt: Date?
    /// The newest publication time seen from this source.
    public var newestPostAt: Date?
    /// Consecutive failed polls (0 after a success).
    public var errorStreak: Int
    public var lastError: String?
    public var lastErrorAt: Date?
    public var postsRead: Int

    public init(sourceID: String, lastPollAt: Date? = nil, lastSuccessAt: Date? = nil, newestPostAt: Date? = nil,
                errorStreak: Int = 0, lastError: String? = nil, lastErrorAt: Date? = nil, postsRead: Int = 0) {
        self.sourceID = sourceID; self.lastPollAt = lastPollAt; self.lastSuccessAt = lastSuccessAt
        self.newestPostAt = newestPostAt; self.errorStreak = errorStreak; self.lastError = lastError
        self.lastErrorAt = lastErrorAt; self.postsRead = postsRead
    }

    /// Folds a successful poll in.
    public mutating func recordSuccess(at now: Date, posts: [Post]) {
        lastPollAt = now; lastSuccessAt = now; errorStreak = 0
        postsRead += posts.count
        if let newest = posts.map(\.published).max(), newest > (newestPostAt ?? .distantPast) { newestPostAt = newest }
    }

    /// Folds a failed poll in; `message` must already be redacted.
    public mutating func recordFailure(at now: Date, message: String) {
        lastPollAt = now; errorStreak += 1; lastError = message; lastErrorAt = now
    }
}
