import Dispatch

/// A serial executor over a private dispatch queue, so a sink actor's blocking disk work
/// (SQLite, fsync, writes to a slow pipe) runs on its own thread and never stalls the
/// cooperative pool. (`DispatchSerialQueue` does not exist on Linux.)
public final class DispatchQueueExecutor: SerialExecutor, @unchecked Sendable {
    public let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    public func checkIsolated() {
        dispatchPrecondition(condition: .onQueue(queue))
    }
}
