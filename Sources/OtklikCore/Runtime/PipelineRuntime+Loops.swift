import Foundation
import Synchronization

extension PipelineRuntime {
    static func describeMetrics(_ m: Metrics) {
        m.describe("otklik_posts_read_total", "Posts read from each source.")
        m.describe("otklik_posts_dropped_total", "Posts dropped by a stage, by reason.")
        m.describe("otklik_incidents_total", "Incident versions produced, by category.")
        m.describe("otklik_poll_errors_total", "Failed polls per source.")
        m.describe("otklik_source_last_success_timestamp_seconds", "Unix time of each source's last successful poll.")
        m.describe("otklik_posts_outstanding", "Posts read and not yet done (dropped or acknowledged by every sink).")
    }

    /// Polls one source on its schedule and hands its posts to the source's worker.
    func pollLoop(_ source: BuiltSource, into channel: BoundedChannel<WorkItem>) async {
        let id = source.id
        var cursor = checkpoints.committedCursor(source: id)
        var schedule = PollSchedule(interval: source.config.pollInterval,
                                    minInterval: source.connector.rateLimits.minPollInterval)
        let log = logger.with(label: "source")
        /// The kind of the last failure logged at warning level in the current streak.
        var loggedFault: String?
        while !Task.isCancelled {
            let delay: Duration
            do {
                let result = try await source.connector.poll(after: cursor)
                let seqs = checkpoints.register(source: id, result: result)
                metrics.increment("otklik_posts_read_total", by: Double(result.posts.count), ["pipeline": name, "source": id])
                metrics.set("otklik_source_last_success_timestamp_seconds", Date().timeIntervalSince1970,
                            ["pipeline": name, "source": id])
                if let seqs {
                    for (post, seq) in zip(result.posts, seqs) {
                        try await channel.send(WorkItem(source: id, seq: seq, post: post))
                    }
                }
                if let c = result.cursor { cursor = c }
                if !result.posts.isEmpty { log.debug("polled", ["source": id, "posts": result.posts.count]) }
                if schedule.failures > 0 {
                    log.notice("source recovered", ["source": id, "failed_polls": schedule.failures])
                    loggedFault = nil
                }
                delay = schedule.afterSuccess(nextPollAfter: result.nextPollAfter)
            } catch is CancellationError {
                return
            } catch is ChannelClosedError {
                return
            } catch {
                if Task.isCancelled { return }
                let message = Redactor.redact(String(describing: error))
                checkpoints.recordFailure(source: id, message: message)
                metrics.increment("otklik_poll_errors_total", ["pipeline": name, "source": id])
                delay = schedule.afterFailure(retryAfter: (error as? any RetryAfterHinting)?.retryAfter,
                                              random: Double.random(in: 0..<1))
                // One warning per kind of fault in a streak; repeats of the same fault go to debug.
                let kind = Self.faultKind(error, message: message)
                log.log(kind == loggedFault ? .debug : .warning, "poll failed",
                        ["source": id, "error": message, "streak": schedule.failures,
                         "retry_in": SinkError.format(delay)])
                loggedFault = kind
            }
            if delay > .zero {
                do { try await Task.sleep(for: delay) } catch { return }
            } else {
                await Task.yield()
            }
        }
    }

    /// What makes two poll failures "the same fault" for logging: the message, except for
    /// waits asked by the server, whose durations vary from poll to poll.
    static func faultKind(_ error: any Error, message: String) -> String {
        if let e = error as? ConnectorError, case .retryAfter = e { return "retry_after" }
        return message
    }

    /// One analysis worker: its own stage instances, posts in arrival order.
    func work(worker: Int, channel: BoundedChannel<WorkItem>, runners: [DeliveryRunner]) async {
        let chain: StageChain
        do { chain = try StageChain(makers: built.stageMakers) } catch {
            logger.error("cannot build the stage chain; stopping", ["pipeline": name, "error": error])
            requestStop()
            return
        }
        var tally = WorkerTally()
        defer { tally.flush(into: metrics, pipeline: name) }
        while let w = await channel.next() {
            var item = AnalysisItem(post: w.post)
            switch chain.run(&item) {
            case .dropped(let reason):
                tally.dropped[reason, default: 0] += 1
                checkpoints.markDone(source: w.source, seq: w.seq)
            case .failed(let stage, let message):
                logger.warning("stage failed on a post; skipping it",
                               ["stage": stage, "post": w.post.key, "error": message])
                tally.dropped["stage_error", default: 0] += 1
                checkpoints.markDone(source: w.source, seq: w.seq)
            case .incident(let incident):
                tally.incidents[incident.category, default: 0] += 1
                let done = FanoutAck(count: runners.count) { [checkpoints] in
                    checkpoints.markDone(source: w.source, seq: w.seq)
                }
                do {
                    for r in runners { try await r.submit(incident, ack: done.ack) }
                } catch {
                    // Stopping: the post stays unfinished, so its cursor is not committed.
                    return
                }
            }
            tally.count += 1
            if tally.count >= 512 || channel.count == 0 { tally.flush(into: metrics, pipeline: name) }
        }
    }
}

/// A worker's counts since its last flush into `Metrics` (labels are costly to build per post).
struct WorkerTally {
    var count = 0
    var dropped: [String: Int] = [:]
    var incidents: [String: Int] = [:]

    mutating func flush(into metrics: Metrics, pipeline: String) {
        for (reason, n) in dropped {
            metrics.increment("otklik_posts_dropped_total", by: Double(n), ["pipeline": pipeline, "reason": reason])
        }
        for (category, n) in incidents {
            metrics.increment("otklik_incidents_total", by: Double(n), ["pipeline": pipeline, "category": category])
        }
        self = WorkerTally()
    }
}

/// Calls `done` once, after `count` acknowledgements (at once when `count` is 0).
final class FanoutAck: Sendable {
    private let remaining: Mutex<Int>
    private let done: @Sendable () -> Void

    init(count: Int, done: @escaping @Sendable () -> Void) {
        remaining = Mutex(count); self.done = done
        if count == 0 { done() }
    }

    @Sendable func ack() {
        let last = remaining.withLock { n -> Bool in
            guard n > 0 else { return false }
            n -= 1
            return n == 0
        }
        if last { done() }
    }
}
