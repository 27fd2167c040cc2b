import Dispatch
import Synchronization

/// Runs one store's writes on a serial queue of its own, so analysis workers hand a batch
/// over and go on instead of waiting for SQLite (and the disk's fsync on a WAL checkpoint)
/// while holding the lock every worker needs.
///
/// Reads through `sync` run after every write queued before them, so a reader always sees
/// what was handed over. At most `maxQueued` batches wait: beyond that `async` blocks until
/// the queue catches up (backpressure, bounded memory). A failed write is kept and thrown
/// by the next `sync`, `drain` or `throwIfFailed`, so it is never lost silently.
final class BackgroundWriter<Store>: @unchecked Sendable {
    // @unchecked: `store` is touched only on `queue`.
    private let queue: DispatchQueue
    private let store: Store
    private let state = Mutex<(queued: Int, failure: (any Error)?)>((0, nil))
    let maxQueued: Int

    init(label: String, store: Store, maxQueued: Int = 8) {
        queue = DispatchQueue(label: label)
        self.store = store; self.maxQueued = max(1, maxQueued)
    }

    /// Queues a write; blocks while `maxQueued` writes are already waiting.
    func async(_ work: @escaping @Sendable (Store) throws -> Void) {
        if state.withLock({ $0.queued }) >= maxQueued { queue.sync {} }
        state.withLock { $0.queued += 1 }
        queue.async { [self] in
            do { try work(store) } catch { state.withLock { if $0.failure == nil { $0.failure = error } } }
            state.withLock { $0.queued -= 1 }
        }
    }

    /// Runs `work` after every queued write; throws a pending write failure first.
    func sync<T>(_ work: (Store) throws -> T) throws -> T {
        try queue.sync {
            try throwIfFailed()
            return try work(store)
        }
    }

    /// Waits for every queued write; throws the first failure since the last report.
    func drain() throws {
        queue.sync {}
        try throwIfFailed()
    }

    func throwIfFailed() throws {
        if let e = state.withLock({ s -> (any Error)? in defer { s.failure = nil }; return s.failure }) { throw e }
    }
}
