import Foundation

extension SinkRunner {
    /// The delivery loop (batch by size/time, retry with exponential backoff + jitter honouring
    /// Retry-After hints, DLQ after max_attempts). Returns when `close()` was called and everything
    /// queued is delivered, or when cancelled. Call it once.
    public func run() async {
        logger.info("sink started", ["sink": name, "type": config.type, "queue": config.queueCapacity,
                                     "batch_size": batchSize])
        while !Task.isCancelled, let batch = await nextBatch() {
            if Task.isCancelled { break }
            setInFlight(batch.count, delivered: false)
            guard await deliver(batch) else { break }
        }
        setInFlight(0, delivered: false)
        do { try await sink.flush() } catch {
            logger.error("final flush failed", ["sink": name, "error": String(describing: error)])
        }
        await sink.close()
        logger.info(Task.isCancelled ? "sink stopped (cancelled)" : "sink closed",
                    ["sink": name, "queued": channel.count])
    }

    /// Waits for one incident, then takes more until `batch_size` or `batch_interval` has passed.
    /// Nil once the queue is closed and drained (or the task is cancelled).
    func nextBatch() async -> [Item]? {
        guard let first = await channel.next() else { return nil }
        var batch = [first]
        let clock = ContinuousClock()
        let deadline = clock.now + config.batchInterval
        while batch.count < batchSize {
            if let more = channel.dropOldest() { batch.append(more); continue }
            if channel.isFinished || Task.isCancelled { break }
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { break }
            let got = await nextItem(within: remaining)
            if got.isEmpty { break }
            batch.append(contentsOf: got)
        }
        return batch
    }

    /// The next queued item if one arrives within `timeout`. Collects every child result, so an
    /// item handed over just as the timer fired is kept, never lost.
    private func nextItem(within timeout: Duration) async -> [Item] {
        await withTaskGroup(of: Item?.self) { group in
            group.addTask { await self.channel.next() }
            group.addTask { try? await Task.sleep(for: timeout); return nil }
            var got: [Item] = []
            if let r = await group.next(), let item = r { got.append(item) }
            group.cancelAll()
            for await r in group { if let item = r { got.append(item) } }
            return got
        }
    }

    /// Writes one batch until it is delivered or dead-lettered, then acks it. False when the task
    /// was cancelled first (the batch is not acked: its sources will read it again).
    func deliver(_ batch: [Item]) async -> Bool {
        let outgoing = batch.map(\.outgoing)
        let labels: KeyValuePairs<String, String> = ["sink": name]
        var rng = SystemRandomNumberGenerator()
        var attempt = 0
        var loggedReason: String?
        while true {
            attempt += 1
            let reason: String, hint: Duration?, permanent: Bool
            do {
                try await sink.write(outgoing: outgoing)
                try await sink.flush()
                metrics.increment(Metric.delivered, by: Double(batch.count), labels)
                if attempt > 1 {
                    logger.notice("delivered after retries", ["sink": name, "attempts": attempt, "count": batch.count])
                }
                finish(batch, delivered: true)
                return true
            } catch SinkError.retryable(let m, let after) {
                (reason, hint, permanent) = (m, after, false)
            } catch SinkError.permanent(let m) {
                (reason, hint, permanent) = (m, nil, true)
            } catch is CancellationError where Task.isCancelled {
                return false
            } catch {
                (reason, hint, permanent) = (String(describing: error), nil, false)
            }
            metrics.increment(Metric.failures, labels)
            if permanent || !policy.shouldRetry(afterAttempts: attempt) {
                if await deadLetter(batch, reason: reason, attempts: attempt, permanent: permanent) { return true }
            }
            if Task.isCancelled { return false }
            let delay = policy.delay(attempt: attempt, hint: hint, using: &rng)
            metrics.increment(Metric.retries, labels)
            // A warning when the fault is new or changes, and at attempts 2, 4, 8…: a sink down for
            // hours writes a handful of lines, not one per retry (the rest go to debug).
            let notable = reason != loggedReason || attempt & (attempt - 1) == 0
            logger.log(notable ? .warning : .debug, "batch not delivered, will retry", [
                "sink": name, "attempt": attempt, "count": batch.count,
                "retry_in": SinkError.format(delay), "error": reason,
            ])
            loggedReason = reason
            do { try await Task.sleep(for: delay) } catch { return false }
        }
    }

    /// True when the batch is safely in the dead-letter file (and acked).
    private func deadLetter(_ batch: [Item], reason: String, attempts: Int, permanent: Bool) async -> Bool {
        do {
            try await deadLetter.append(batch.map(\.incident), error: reason, attempts: attempts)
        } catch {
            logger.error("cannot write the dead-letter file; holding the batch",
                         ["sink": name, "path": deadLetter.path, "error": String(describing: error)])
            return false
        }
        metrics.increment(Metric.deadLetter, by: Double(batch.count), ["sink": name])
        logger.error(permanent ? "batch refused, written to the dead-letter file"
                               : "batch failed \(attempts) times, written to the dead-letter file",
                     ["sink": name, "count": batch.count, "path": deadLetter.path, "error": reason])
        finish(batch, delivered: false)
        return true
    }

    private func finish(_ batch: [Item], delivered: Bool) {
        setInFlight(0, delivered: delivered)
        for item in batch { item.ack() }
    }
}
