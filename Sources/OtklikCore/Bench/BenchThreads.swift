import Foundation

/// Runs work on dedicated threads (not the cooperative pool, which has few threads and must
/// not be blocked) and resumes the caller when all are done.
enum BenchThreads {
    static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for i in 0..<count {
                group.enter()
                let t = Thread { body(i); group.leave() }
                // Named for profiles (`perf script -F comm`): bench-w0, bench-w1…
                t.name = "bench-w\(i)"
                t.stackSize = 8 << 20
                t.start()
            }
            group.notify(queue: .global()) { done.resume() }
        }
    }

    /// Seconds of a monotonic clock.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// CPU seconds used by the calling thread so far.
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// CPU seconds used by the whole process so far.
    static func processCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
