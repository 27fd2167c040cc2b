import Foundation
import Synchronization

/// Figure 1: the analysis chain alone, on prepared posts, on one thread or several.
///
/// Posts are split by source the way the runtime shards them (one source, one worker, in
/// order); each thread runs its own `StageChain` from the pipeline's makers, so shared
/// state (the dedupe window, the incident index) is shared as in the daemon.
public enum AnalysisBench {
    public struct Result: Sendable {
        public var posts: Int
        public var threads: Int
        public var seconds: Double
        /// CPU seconds the process used meanwhile (on a shared machine, wall time overstates).
        public var cpuSeconds: Double
        public var incidents: Int
        public var complaints: Int
        public var dropped: [String: Int]
        /// Each worker thread's share, in thread order.
        public var workers: [Worker] = []
        public var postsPerSecond: Double { seconds > 0 ? Double(posts) / seconds : 0 }

        /// Per worker, `posts / CPU s / done at s`, and the CPU the rest of the process used (writers, harness).
        public var workerSummary: String {
            let own = workers.reduce(0) { $0 + $1.cpuSeconds }
            let each = workers.enumerated().map { i, w in
                String(format: "w%d %d posts, %.2f s CPU, done at %.2f s", i, w.posts, w.cpuSeconds, w.finishedAt)
            }
            return each.joined(separator: "; ") + String(format: "; other threads %.2f s CPU", cpuSeconds - own)
        }
    }

    /// One worker thread: its posts, its own CPU time, and when it finished (seconds after the start).
    public struct Worker: Sendable {
        public var posts: Int
        public var cpuSeconds: Double
        public var finishedAt: Double
    }

    public static func run(posts: [Post], pipeline: BuiltPipeline, threads: Int) async throws -> Result {
        let n = max(1, threads)
        var shards = Array(repeating: [Post](), count: n)
        for p in posts { shards[PipelineRuntime.shard(p.sourceID, count: n)].append(p) }
        let chains = try (0..<n).map { _ in try StageChain(makers: pipeline.stageMakers) }
        // Each thread moves its posts out of its own buffer, as the daemon's workers take them from
        // their channel: a copy per post would add retains and releases the daemon never pays.
        let buffers = shards.map { shard in
            let b = UnsafeMutableBufferPointer<Post>.allocate(capacity: shard.count)
            _ = b.initialize(from: shard)
            return b
        }
        shards = []
        defer { for b in buffers { b.deallocate() } }
        let work = UncheckedBox((buffers, chains))
        let tallies = Mutex<[Tally]>([])
        let workers = Mutex<[Int: Worker]>([:])
        let start = BenchThreads.now()
        let cpuStart = BenchThreads.processCPU()
        await BenchThreads.run(n) { i in
            let (buffers, chains) = work.value
            let cpu0 = BenchThreads.threadCPU()
            let count = buffers[i].count
            let t = Self.process(consuming: buffers[i], chain: chains[i])
            let w = Worker(posts: count, cpuSeconds: BenchThreads.threadCPU() - cpu0, finishedAt: BenchThreads.now() - start)
            tallies.withLock { $0.append(t) }
            workers.withLock { $0[i] = w }
        }
        let seconds = BenchThreads.now() - start
        let cpu = BenchThreads.processCPU() - cpuStart
        var total = Tally()
        for t in tallies.withLock({ $0 }) { total.merge(t) }
        let perWorker = workers.withLock { w in (0..<n).compactMap { w[$0] } }
        return Result(posts: posts.count, threads: n, seconds: seconds, cpuSeconds: cpu, incidents: total.incidents,
                      complaints: total.complaints, dropped: total.dropped, workers: perWorker)
    }

    struct Tally: Sendable {
        var incidents = 0, complaints = 0
        var dropped: [String: Int] = [:]
        mutating func merge(_ o: Tally) {
            incidents += o.incidents; complaints += o.complaints
            dropped.merge(o.dropped, uniquingKeysWith: +)
        }
    }

    /// Runs every post of `posts` through `chain`, moving each out (the buffer is left uninitialized).
    static func process(consuming posts: UnsafeMutableBufferPointer<Post>, chain: StageChain) -> Tally {
        var t = Tally()
        for i in posts.indices {
            var item = AnalysisItem(post: posts.moveElement(from: i))
            switch chain.run(&item) {
            case .incident: t.incidents += 1
            case .dropped(let reason): t.dropped[reason, default: 0] += 1
            case .failed(let stage, _): t.dropped["error:" + stage, default: 0] += 1
            }
            if item.verdict?.isComplaint == true { t.complaints += 1 }
        }
        return t
    }
}

/// Hands non-Sendable bench state to threads that each touch only their own part.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}
