import Foundation

/// A destination for incidents: SQLite, a JSONL file, an HTTP endpoint, stdout.
///
/// `write` must be idempotent per incident id (upsert): the runtime may deliver
/// the same incident again after a crash or a retried batch. Throwing means the
/// whole batch was not delivered; the runtime retries it with backoff.
public protocol Sink: Actor {
    nonisolated var name: String { get }
    func write(_ batch: [Incident]) async throws
    /// Writes a batch handed over by a `SinkRunner`; the default writes its incidents with
    /// `write(_:)`. Sinks that write `IncidentJSON` use each version's shared `json`, encoded
    /// once for every sink.
    func write(outgoing batch: [OutgoingIncident]) async throws
    /// Makes everything written so far durable (fsync, commit).
    func flush() async throws
    func close() async
    /// Incidents per batch when the config does not set `batch_size` (nil: the shared default).
    nonisolated var preferredBatchSize: Int? { get }
}

extension Sink {
    public nonisolated var preferredBatchSize: Int? { nil }

    public func write(outgoing batch: [OutgoingIncident]) async throws { try await write(batch.map(\.incident)) }
}

/// Builds a sink from its config section.
public typealias SinkFactory = @Sendable (SinkConfig, PluginContext) throws -> any Sink
