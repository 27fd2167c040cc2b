import Foundation
import Synchronization

/// The delivery runner the pipeline fans incidents out to. Points at the interim
/// stand-in below until the sinks' `SinkRunner` lands with the same API.
typealias DeliveryRunner = InterimSinkRunner

/// A stand-in for `SinkRunner` (same API): batches, retries forever with capped backoff,
/// acks after a successful write + flush. No dead-letter file. Deleted when `SinkRunner` lands.
final class InterimSinkRunner: Sendable {
    private struct Item: Sendable { var incident: Incident; var ack: @Sendable () -> Void }
    private let sink: any Sink
    private let config: SinkConfig
    private let logger: Logger
    private let queue: BoundedChannel<Item>
    private let last = Mutex<Date?>(nil)

    init(sink: any Sink, config: SinkConfig, deadLetterDir: String, logger: Logger, metrics: Metrics) {
        self.sink = sink; self.config = config; self.logger = logger
        queue = BoundedChannel(capacity: config.queueCapacity)
    }

    func submit(_ incident: Incident, ack: @escaping @Sendable () -> Void) async throws {
        try await queue.send(Item(incident: incident, ack: ack))
    }

    func run() async {
        var batch: [Item] = []
        while let first = await queue.next() {
            batch = [first]
            while batch.count < config.batchSize, let more = tryNext() { batch.append(more) }
            var attempt = 0
            while true {
                do {
                    try await sink.write(batch.map(\.incident))
                    try await sink.flush()
                    break
                } catch {
                    attempt += 1
                    logger.warning("sink write failed", ["sink": config.name, "attempt": attempt, "error": error])
                    if Task.isCancelled { return }
                    try? await Task.sleep(for: min(config.retryBase * (1 << min(attempt, 16)), config.retryMax))
                    if Task.isCancelled { return }
                }
            }
            last.withLock { $0 = Date() }
            for i in batch { i.ack() }
        }
        await sink.close()
    }

    private func tryNext() -> Item? { queue.count > 0 ? queue.dropOldest() : nil }

    func close() { queue.finish() }
    var queueDepth: Int { queue.count }
    var lastDelivery: Date? { last.withLock { $0 } }
}
