import Foundation

/// A destination for incidents: SQLite, a JSONL file, an HTTP endpoint, stdout.
///
/// `write` must be idempotent per incident id (upsert): the runtime may deliver
/// the same incident again after a crash or a retried batch. Throwing means the
/// whole batch was not delivered; the runtime retries it with backoff.
public protocol Sink: Actor {
    nonisolated var name: String { get }
    func write(_ batch: [Incident]) async throws
    /// Makes everything written so far durable (fsync, commit).
    func flush() async throws
    func close() async
    /// Incidents per batch when the config does not set `batch_size` (nil: the shared default).
    nonisolated var preferredBatchSize: Int? { get }
}

extension Sink {
    public nonisolated var preferredBatchSize: Int? { nil }
}

/// Builds a sink from its config section.
public typealias SinkFactory = @Sendable (SinkConfig, PluginContext) throws -> any Sink
