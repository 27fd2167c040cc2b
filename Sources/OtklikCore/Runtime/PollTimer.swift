import Dispatch
import Synchronization

/// The one timer behind every source's poll schedule: `next()` waits until some source
/// is due (and a poll slot is free) and returns the due sources; `finish` hands a source
/// back with the delay before its next poll.
///
/// One waiter at a time (the runtime's scheduler loop). A wait is one pending Dispatch
/// timer; a `finish` wakes the waiter only when its source is due sooner than the wait's
/// end or it frees a slot of a full set, so idle sources cost nothing but a heap entry.
final class PollTimer: Sendable {
    typealias Instant = ContinuousClock.Instant
    private enum Outcome { case due([Int]), woke, closed }
    private struct State {
        var queue: PollQueue<Instant>
        var waiter: CheckedContinuation<Outcome, Never>?
        /// When the current wait ends by itself (nil: only a `finish` or `close` ends it).
        var waitUntil: Instant?
        /// Bumped per wait, so a timer armed for an earlier wait does not end a later one.
        var generation: UInt64 = 0
        var closed = false

        mutating func takeWaiter() -> CheckedContinuation<Outcome, Never>? {
            defer { waiter = nil; waitUntil = nil }
            return waiter
        }

        mutating func takeWaiter(ifSooner due: Instant) -> CheckedContinuation<Outcome, Never>? {
            if let until = waitUntil, until <= due { return nil }
            return takeWaiter()
        }
    }
    private let state: Mutex<State>

    init(maxInFlight: Int) { state = Mutex(State(queue: PollQueue(maxInFlight: maxInFlight))) }

    /// Queues a source to be polled after `delay` (its first poll).
    func schedule(_ source: Int, after delay: Duration = .zero) {
        let due = ContinuousClock.now + delay
        state.withLock { s in
            s.queue.schedule(source, at: due)
            return s.takeWaiter(ifSooner: due)
        }?.resume(returning: .woke)
    }

    /// A poll of `source` ended; it is due again after `delay`, or never (nil: stopping).
    func finish(_ source: Int, after delay: Duration?) {
        let now = ContinuousClock.now
        state.withLock { s -> CheckedContinuation<Outcome, Never>? in
            s.queue.finish(source, next: delay.map { now + $0 })
            // A waiter with no end waits for a slot (or for anything to be queued): any due time wakes it.
            guard let due = s.queue.wakeTime else { return nil }
            return s.takeWaiter(ifSooner: due)
        }?.resume(returning: .woke)
    }

    /// Ends `next()` for good: it returns nil from now on.
    func close() {
        state.withLock { s in s.closed = true; return s.takeWaiter() }?.resume(returning: .closed)
    }

    /// Polls running now.
    var inFlight: Int { state.withLock { $0.queue.inFlight } }

    /// The sources due now, once at least one is; nil after `close()` or once the calling task is cancelled.
    func next() async -> [Int]? {
        while true {
            let outcome = await withTaskCancellationHandler {
                await withCheckedContinuation { (c: CheckedContinuation<Outcome, Never>) in
                    let now = ContinuousClock.now
                    let step: (ready: Outcome?, timer: (Instant, UInt64)?) = state.withLock { s in
                        if s.closed { return (.closed, nil) }
                        let due = s.queue.take(now: now)
                        if !due.isEmpty { return (.due(due), nil) }
                        s.generation &+= 1
                        s.waiter = c
                        s.waitUntil = s.queue.wakeTime
                        return (nil, s.waitUntil.map { ($0, s.generation) })
                    }
                    if let ready = step.ready { c.resume(returning: ready) }
                    if let (until, generation) = step.timer { arm(until, generation: generation, now: now) }
                }
            } onCancel: { close() }
            switch outcome {
            case .due(let sources): return sources
            case .closed: return nil
            case .woke: continue
            }
        }
    }

    private func arm(_ until: Instant, generation: UInt64, now: Instant) {
        let (s, a) = max(.zero, until - now).components
        let ns = s >= Int64.max / 1_000_000_000 ? Int.max : Int(s) * 1_000_000_000 + Int(a / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(ns)) { [self] in
            state.withLock { s in s.generation == generation ? s.takeWaiter() : nil }?.resume(returning: .woke)
        }
    }
}
