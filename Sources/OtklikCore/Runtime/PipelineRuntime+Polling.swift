import Foundation

/// One source's polling state between polls. Its poll task exists only while it polls
/// (`PollTimer` never hands out a source that is in flight), so no lock is needed.
final class SourcePoller: @unchecked Sendable {
    let id: String
    let connector: any Connector
    let channel: BoundedChannel<WorkItem>
    var cursor: Cursor?
    var schedule: PollSchedule
    /// The kind of the last failure logged at warning level in the current streak.
    var loggedFault: String?

    init(source: BuiltSource, channel: BoundedChannel<WorkItem>, cursor: Cursor?) {
        id = source.id; connector = source.connector; self.channel = channel; self.cursor = cursor
        schedule = PollSchedule(interval: source.config.pollInterval, minInterval: source.connector.rateLimits.minPollInterval)
    }
}

extension PipelineRuntime {
    /// Polls every source on its schedule until cancelled: one timer for all of them, and a
    /// task per poll in progress (at most `maxConcurrentPolls`), so ten thousand idle sources
    /// hold no task each.
    func pollSources(_ pollers: [SourcePoller]) async {
        let timer = PollTimer(maxInFlight: maxConcurrentPolls)
        for i in pollers.indices { timer.schedule(i) }
        let log = logger.with(label: "source")
        await withDiscardingTaskGroup { group in
            while let due = await timer.next() {
                for i in due {
                    group.addTask {
                        let delay = await self.poll(pollers[i], log: log)
                        timer.finish(i, after: delay)
                    }
                }
            }
        }
    }

    /// Polls one source, again at once while it says more is waiting; returns the delay
    /// before its next poll, nil when stopping.
    func poll(_ p: SourcePoller, log: Logger) async -> Duration? {
        let id = p.id
        while !Task.isCancelled {
            let delay: Duration
            do {
                var result = try await p.connector.poll(after: p.cursor)
                let seqs = checkpoints.register(source: id, result: result)
                let read = result.posts.count
                metrics.increment("otklik_posts_read_total", by: Double(read), ["pipeline": name, "source": id])
                metrics.set("otklik_source_last_success_timestamp_seconds", Date().timeIntervalSince1970,
                            ["pipeline": name, "source": id])
                if var seq = seqs?.lowerBound {
                    // Posts moved out of the result one by one (reversed, then taken from the end), not copied.
                    var posts = result.posts
                    result.posts = []
                    posts.reverse()
                    while let post = posts.popLast() {
                        try await p.channel.send(WorkItem(source: id, seq: seq, post: post))
                        seq += 1
                    }
                }
                if let c = result.cursor { p.cursor = c }
                if read > 0 { log.debug("polled", ["source": id, "posts": read]) }
                if p.schedule.failures > 0 {
                    log.notice("source recovered", ["source": id, "failed_polls": p.schedule.failures])
                    p.loggedFault = nil
                }
                delay = p.schedule.afterSuccess(nextPollAfter: result.nextPollAfter)
            } catch is CancellationError {
                return nil
            } catch is ChannelClosedError {
                return nil
            } catch {
                if Task.isCancelled { return nil }
                let message = Redactor.redact(String(describing: error))
                checkpoints.recordFailure(source: id, message: message)
                metrics.increment("otklik_poll_errors_total", ["pipeline": name, "source": id])
                delay = p.schedule.afterFailure(retryAfter: (error as? any RetryAfterHinting)?.retryAfter,
                                                random: Double.random(in: 0..<1))
                // One warning per kind of fault in a streak; repeats of the same fault go to debug.
                let kind = Self.faultKind(error, message: message)
                log.log(kind == p.loggedFault ? .debug : .warning, "poll failed",
                        ["source": id, "error": message, "streak": p.schedule.failures,
                         "retry_in": SinkError.format(delay)])
                p.loggedFault = kind
            }
            if delay > .zero { return delay }
            await Task.yield()
        }
        return nil
    }

    /// What makes two poll failures "the same fault" for logging: the message, except for
    /// waits asked by the server, whose durations vary from poll to poll.
    static func faultKind(_ error: any Error, message: String) -> String {
        if let e = error as? ConnectorError, case .retryAfter = e { return "retry_after" }
        return message
    }
}
