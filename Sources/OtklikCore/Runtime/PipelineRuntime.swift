import Foundation
import Synchronization

/// Implemented by connector errors that carry a server's wait hint (`Retry-After`,
/// VK's flood control); the poll loop never polls sooner than that.
public protocol RetryAfterHinting: Error {
    var retryAfter: Duration? { get }
}

/// One post on its way to a worker, with its checkpoint sequence number.
struct WorkItem: Sendable {
    var source: String
    var seq: AckTracker.Sequence
    var post: Post
}

/// A running pipeline: sources polled on their schedules (one timer for all) feeding bounded channels, analysis
/// workers (each source always on the same worker, so its order is kept), and every
/// incident fanned out to each sink's delivery runner. Cursors advance through the
/// `CheckpointCoordinator` only behind posts that are done.
///
/// `run()` returns after `requestStop()` once everything read has been delivered and
/// the checkpoints committed, or once `shutdownTimeout` has passed.
public final class PipelineRuntime: Sendable {
    public let built: BuiltPipeline
    public let checkpoints: CheckpointCoordinator
    public let logger: Logger
    public let metrics: Metrics
    /// How often committable cursors and gauges are written.
    public let checkpointInterval: Duration
    /// Polls running at once at most, over all sources (the rest wait for a slot when due).
    /// Each running poll holds a task (several KB); idle sources hold none.
    public let maxConcurrentPolls: Int
    private let stop = BoundedChannel<Int>(capacity: 1)
    /// The error of the failing checkpoint commits, while they fail (logged once, not every tick).
    private let commitFailure = Mutex<String?>(nil)

    public var name: String { built.config.name }

    public init(built: BuiltPipeline, checkpoints: CheckpointCoordinator, checkpointInterval: Duration = .milliseconds(250),
                maxConcurrentPolls: Int = 64) {
        self.built = built; self.checkpoints = checkpoints
        self.maxConcurrentPolls = max(1, maxConcurrentPolls)
        self.logger = built.context.logger.with(label: "pipeline")
        self.metrics = built.context.metrics
        self.checkpointInterval = checkpointInterval
        MallocArenas.limited
        Self.describeMetrics(metrics)
    }

    /// Begins a graceful stop: polling ends, queued work drains, sinks flush.
    public func requestStop() { stop.finish() }

    /// The number of analysis workers: `workers` (0 = one per core), at most one per source.
    public var workerCount: Int {
        let wanted = built.config.workers == 0 ? ProcessInfo.processInfo.activeProcessorCount : built.config.workers
        return max(1, min(wanted, built.sources.count))
    }

    /// Runs until `requestStop()`, then drains. `onStarted` is called once every loop runs.
    /// Returns false when the drain did not finish within `shutdownTimeout`.
    @discardableResult
    public func run(onStarted: @Sendable () -> Void = {}) async -> Bool {
        let deliver = built.sinks.map {
            DeliveryRunner(sink: $0.sink, config: $0.config, deadLetterDir: built.context.stateDir,
                           logger: built.context.logger.with(label: "sink"), metrics: metrics)
        }
        let runnerTasks = deliver.map { r in Task { await r.run() } }
        let channels = (0..<workerCount).map { _ in BoundedChannel<WorkItem>(capacity: built.config.channelCapacity) }
        let workerTasks = channels.enumerated().map { i, ch in Task { await self.work(worker: i, channel: ch, runners: deliver) } }
        let pollers = built.sources.map { s in
            SourcePoller(source: s, channel: channels[Self.shard(s.id, count: channels.count)],
                         cursor: checkpoints.committedCursor(source: s.id))
        }
        let polling = Task { await self.pollSources(pollers) }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: checkpointInterval)
                await self.commitCheckpoints()
            }
        }
        logger.info("pipeline started", ["pipeline": name, "sources": built.sources.count,
                                          "workers": channels.count, "sinks": deliver.count])
        onStarted()

        while await stop.next() != nil {}
        logger.info("pipeline draining", ["pipeline": name, "outstanding": checkpoints.outstanding])
        polling.cancel()
        let drained = await Self.within(built.shutdownTimeout) {
            await polling.value
            for c in channels { c.finish() }
            for t in workerTasks { await t.value }
            for r in deliver { r.close() }
            for t in runnerTasks { await t.value }
        }
        if !drained {
            logger.warning("shutdown timeout reached; undelivered posts will be read again on restart",
                           ["pipeline": name, "outstanding": checkpoints.outstanding])
            for t in workerTasks { t.cancel() }
            for t in runnerTasks { t.cancel() }
        }
        ticker.cancel()
        await commitCheckpoints()
        logger.info("pipeline stopped", ["pipeline": name, "drained": drained])
        return drained
    }

    /// Writes committable cursors and health, and refreshes the outstanding gauge (sink runners keep their queue depth).
    func commitCheckpoints() async {
        do {
            try await checkpoints.flush()
            if commitFailure.withLock({ f in defer { f = nil }; return f != nil }) {
                logger.notice("checkpoint commits resumed", ["pipeline": name])
            }
        } catch {
            let message = String(describing: error)
            let repeated = commitFailure.withLock { f in defer { f = message }; return f == message }
            logger.log(repeated ? .debug : .error, "checkpoint commit failed; will retry",
                       ["pipeline": name, "error": message])
        }
        metrics.set("otklik_posts_outstanding", Double(checkpoints.outstanding), ["pipeline": name])
    }

    /// Stable source → worker assignment (FNV-1a), so a source's posts stay in order.
    static func shard(_ id: String, count: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(h % UInt64(max(count, 1)))
    }

    /// Runs `body`; true when it finished within `timeout` (it keeps running otherwise).
    static func within(_ timeout: Duration, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        let slot = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        let finish: @Sendable (Bool) -> Void = { v in slot.withLock { c in let k = c; c = nil; return k }?.resume(returning: v) }
        var timer: Task<Void, Never>?
        let result = await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            slot.withLock { $0 = c }
            Task { await body(); finish(true) }
            timer = Task { try? await Task.sleep(for: timeout); finish(false) }
        }
        timer?.cancel()
        return result
    }
}
