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

    /// One analysis worker: its own stage instances, posts in arrival order.
    func work(worker: Int, channel: BoundedChannel<WorkItem>, runners: [DeliveryRunner]) async {
        let chain: StageChain
        do { chain = try StageChain(makers: built.stageMakers) } catch {
            logger.error("cannot build the stage chain; stopping", ["pipeline": name, "error": error])
            requestStop()
            return
        }
        var tally = WorkerTally()
        defer { tally.flush(into: metrics, pipeline: name, checkpoints: checkpoints) }
        while true {
            // Counts and dropped posts are handed over every 512 posts, and whenever the channel is empty.
            var next = channel.tryNext()
            if next == nil {
                tally.flush(into: metrics, pipeline: name, checkpoints: checkpoints)
                next = await channel.next()
            }
            guard let w = next else { break }
            var item = AnalysisItem(post: w.post)
            switch chain.run(&item) {
            case .dropped(let reason):
                tally.dropped[reason, default: 0] += 1
                tally.done.append((w.source, w.seq))
            case .failed(let stage, let message):
                logger.warning("stage failed on a post; skipping it",
                               ["stage": stage, "post": w.post.key, "error": message])
                tally.dropped["stage_error", default: 0] += 1
                tally.done.append((w.source, w.seq))
            case .incident(let incident):
                tally.incidents[incident.category, default: 0] += 1
                let done = FanoutAck(count: runners.count) { [checkpoints] in
                    checkpoints.markDone(source: w.source, seq: w.seq)
                }
                let outgoing = OutgoingIncident(incident)
                do {
                    for r in runners { try await r.submit(outgoing, ack: done.ack) }
                } catch {
                    // Stopping: the post stays unfinished, so its cursor is not committed.
                    return
                }
            }
            tally.count += 1
            if tally.count >= 512 { tally.flush(into: metrics, pipeline: name, checkpoints: checkpoints) }
        }
    }
}

/// A worker's counts since its last flush into `Metrics` (labels are costly to build per post),
/// and the posts it dropped since, marked done in `CheckpointCoordinator` under one lock.
struct WorkerTally {
    var count = 0
    var dropped: [String: Int] = [:]
    var incidents: [String: Int] = [:]
    var done: [(source: String, seq: AckTracker.Sequence)] = []

    mutating func flush(into metrics: Metrics, pipeline: String, checkpoints: CheckpointCoordinator) {
        checkpoints.markDone(done)
        done.removeAll(keepingCapacity: true)
        for (reason, n) in dropped {
            metrics.increment("otklik_posts_dropped_total", by: Double(n), ["pipeline": pipeline, "reason": reason])
        }
        for (category, n) in incidents {
            metrics.increment("otklik_incidents_total", by: Double(n), ["pipeline": pipeline, "category": category])
        }
        dropped.removeAll(keepingCapacity: true)
        incidents.removeAll(keepingCapacity: true)
        count = 0
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
