import Foundation
import Synchronization

/// Delivers one sink's incidents: its own bounded queue, batching by size and time, retries
/// with backoff, and a dead-letter file for what cannot be delivered.
///
/// The pipeline `submit`s each incident version with an `ack`; `run()` is the delivery loop.
/// A sink that is down holds its queue; when the queue is full, `submit` suspends and the
/// pipeline slows down to the sink. Nothing is dropped unless the sink is configured with
/// `when_full: drop_oldest`, or `max_attempts` sends a batch to the dead-letter file.
public final class SinkRunner: Sendable {
    struct Item: Sendable {
        var outgoing: OutgoingIncident
        var ack: @Sendable () -> Void
        var incident: Incident { outgoing.incident }
    }
    private struct State {
        var inFlight = 0
        var lastDelivery: Date?
        var dropped = 0
    }

    public var name: String { config.name }
    let sink: any Sink
    let config: SinkConfig
    let policy: RetryPolicy
    let deadLetter: DeadLetterFile
    let logger: Logger
    let metrics: Metrics
    let channel: BoundedChannel<Item>
    /// `batch_size`, or the sink's preference when the config leaves it at the default.
    let batchSize: Int
    private let state = Mutex(State())

    public init(sink: any Sink, config: SinkConfig, deadLetterDir: String, logger: Logger, metrics: Metrics) {
        self.sink = sink
        self.config = config
        self.policy = RetryPolicy(config)
        self.deadLetter = DeadLetterFile(directory: deadLetterDir, sink: config.name)
        self.logger = logger.with(label: "sink.\(config.name)")
        self.metrics = metrics
        self.channel = BoundedChannel(capacity: max(1, config.queueCapacity))
        let unset = config.node["batch_size"] == nil && config.batchSize == SinkConfig(name: "", type: "", node: config.node).batchSize
        self.batchSize = unset ? sink.preferredBatchSize ?? config.batchSize : config.batchSize
        Self.describe(metrics)
        metrics.set(Metric.queueDepth, 0, ["sink": config.name])
    }

    enum Metric {
        static let queueDepth = "otklik_sink_queue_depth"
        static let delivered = "otklik_sink_delivered_total"
        static let retries = "otklik_sink_retries_total"
        static let failures = "otklik_sink_failures_total"
        static let deadLetter = "otklik_sink_dead_letter_total"
        static let dropped = "otklik_sink_dropped_total"
    }

    private static func describe(_ m: Metrics) {
        m.describe(Metric.queueDepth, "Incidents queued or in flight per sink.")
        m.describe(Metric.delivered, "Incidents durably written per sink.")
        m.describe(Metric.retries, "Batch retries scheduled per sink.")
        m.describe(Metric.failures, "Failed batch write attempts per sink.")
        m.describe(Metric.deadLetter, "Incidents written to the dead-letter file per sink.")
        m.describe(Metric.dropped, "Incidents dropped from a full queue (when_full: drop_oldest) per sink.")
    }

    /// Enqueues one incident version. Suspends while the queue is full (`when_full: block`); with
    /// `drop_oldest` the oldest queued item is dropped (counted; its ack still fires so checkpoints
    /// advance). `ack` is called exactly once, after the item is durably written (sink flush) or
    /// written to the dead-letter file. Throws `ChannelClosedError` after `close()`.
    public func submit(_ incident: Incident, ack: @escaping @Sendable () -> Void) async throws {
        try await submit(OutgoingIncident(incident), ack: ack)
    }

    /// `submit(_:ack:)` of a version shared with other sinks' runners (its JSON is encoded once).
    public func submit(_ outgoing: OutgoingIncident, ack: @escaping @Sendable () -> Void) async throws {
        let item = Item(outgoing: outgoing, ack: ack)
        switch config.whenFull {
        case .block:
            try await channel.send(item)
        case .dropOldest:
            while !channel.trySend(item) {
                if channel.isFinished { throw ChannelClosedError() }
                if let old = channel.dropOldest() { drop(old) }
            }
        }
        updateDepth()
    }

    private func drop(_ item: Item) {
        let n = state.withLock { $0.dropped += 1; return $0.dropped }
        metrics.increment(Metric.dropped, ["sink": name])
        if n == 1 || n % 1000 == 0 {
            logger.warning("queue full, dropping oldest incidents (when_full: drop_oldest)",
                           ["sink": name, "dropped_total": n, "capacity": channel.capacity])
        }
        item.ack()
    }

    /// Stops accepting; `run()` drains what is queued, flushes and closes the sink.
    public func close() { channel.finish() }

    /// Incidents queued or being delivered.
    public var queueDepth: Int { channel.count + state.withLock { $0.inFlight } }

    /// When the last batch was durably written.
    public var lastDelivery: Date? { state.withLock { $0.lastDelivery } }

    func updateDepth() { metrics.set(Metric.queueDepth, Double(queueDepth), ["sink": name]) }

    func setInFlight(_ n: Int, delivered: Bool) {
        state.withLock {
            $0.inFlight = n
            if delivered { $0.lastDelivery = Date() }
        }
        if delivered {
            metrics.set("otklik_sink_last_delivery_timestamp_seconds", Date().timeIntervalSince1970, ["sink": name])
        }
        updateDepth()
    }
}
