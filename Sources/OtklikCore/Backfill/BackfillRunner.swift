import Foundation
import Synchronization

/// `otklik backfill`: walks each source's history over a range through the pipeline's stage
/// chain into its sinks. Incidents get the same ids as in the live daemon: the walk is spooled
/// first and analysed oldest first, the order the daemon met the posts in, whatever order the
/// platform pages in (VK and Telegram page newest first). The live cursors are never touched;
/// each source resumes from its own checkpoint (see `BackfillCheckpointStore`), which passes a
/// batch only after every sink has acknowledged its incidents.
public struct BackfillRunner: Sendable {
    public struct Range: Sendable {
        public var from: Date
        public var to: Date
        /// The arguments as written, for the checkpoint key.
        public var sinceText: String
        public var untilText: String?
        public init(from: Date, to: Date, sinceText: String, untilText: String?) {
            self.from = from; self.to = to; self.sinceText = sinceText; self.untilText = untilText
        }
    }

    public let built: BuiltPipeline
    public let sinks: [BuiltSink]
    public let range: Range
    public let checkpoints: BackfillCheckpointStore

    public init(built: BuiltPipeline, sinks: [BuiltSink], range: Range, checkpoints: BackfillCheckpointStore) {
        self.built = built; self.sinks = sinks; self.range = range; self.checkpoints = checkpoints
    }

    /// `--sink stdout` when the pipeline has no sink of that name: incidents as JSON lines.
    public static func stdoutSink() -> BuiltSink {
        let node = YAMLNode(.mapping([]), mark: SourceMark(file: "<command line>", line: 0, column: 0))
        return BuiltSink(config: SinkConfig(name: "stdout", type: "stdout", batchInterval: .milliseconds(50), node: node),
                         sink: StdoutSink(name: "stdout"))
    }

    /// Runs every source in turn. `progress` gets each source's stats after every page.
    public func run(progress: @escaping @Sendable (BackfillStats) -> Void) async throws -> [BackfillStats] {
        let ctx = built.context
        let runners = sinks.map {
            SinkRunner(sink: $0.sink, config: $0.config, deadLetterDir: ctx.stateDir,
                       logger: ctx.logger.with(label: "sink.\($0.config.name)"), metrics: ctx.metrics)
        }
        let loops = runners.map { r in Task { await r.run() } }
        defer { for r in runners { r.close() } }
        let chain = ChainBox(try StageChain(makers: built.stageMakers))
        var all: [BackfillStats] = []
        for source in built.sources {
            all.append(try await walk(source, chain: chain, runners: runners, progress: progress))
        }
        for r in runners { r.close() }
        for l in loops { await l.value }
        return all
    }

    /// Posts analysed (and their incidents written) between two checkpoints.
    static let analysisBatch = 100

    private func walk(_ source: BuiltSource, chain: ChainBox, runners: [SinkRunner],
                      progress: @escaping @Sendable (BackfillStats) -> Void) async throws -> BackfillStats {
        let key = BackfillCheckpointStore.key(pipeline: built.config.name, source: source.id,
                                              since: range.sinceText, until: range.untilText)
        let saved = try checkpoints.entry(key)
        let entry = saved ?? BackfillCheckpointStore.Entry(from: range.from, to: range.to)
        var first = BackfillStats(source: source.id, from: entry.from, to: entry.to)
        first.posts = entry.posts; first.complaints = entry.complaints; first.incidents = entry.incidents
        first.resumedPosts = entry.posts
        first.done = entry.done
        if entry.done { progress(first); return first }
        if saved == nil { try checkpoints.save(key, entry) }
        let stats = StatsBox(first)
        do {
            let walked = entry.walked ? entry : try await spool(source, key: key, entry: entry, stats: stats, progress: progress)
            try await analyse(key: key, entry: walked, stats: stats, chain: chain, runners: runners, progress: progress)
        } catch let e as CancellationError {
            throw e
        } catch {
            throw SourceError(source: source.id, underlying: error)
        }
        var last = stats.read()
        last.done = true
        try checkpoints.save(key, BackfillCheckpointStore.Entry(from: last.from, to: last.to, done: true, posts: last.posts,
                                                               complaints: last.complaints, incidents: last.incidents, walked: true))
        try checkpoints.dropSpool(key)
        progress(last)
        return last
    }

    /// Phase 1: the connector's history walk, each page spooled with the cursor after it.
    private func spool(_ source: BuiltSource, key: String, entry: BackfillCheckpointStore.Entry, stats: StatsBox,
                       progress: @escaping @Sendable (BackfillStats) -> Void) async throws -> BackfillCheckpointStore.Entry {
        let store = checkpoints
        try await source.connector.backfill(from: entry.from, to: entry.to, resume: entry.cursor) { posts, cursor, p in
            let before = stats.read()
            let added = try store.spool(key, posts, entry: BackfillCheckpointStore.Entry(
                from: before.from, to: before.to, cursor: cursor, posts: before.posts,
                complaints: before.complaints, incidents: before.incidents))
            progress(stats.update { s in
                s.posts += added
                if let r = p.reached { s.reached = r }
            })
        }
        let s = stats.read()
        let walked = BackfillCheckpointStore.Entry(from: s.from, to: s.to, posts: s.posts, complaints: s.complaints,
                                                   incidents: s.incidents, walked: true)
        try checkpoints.save(key, walked)
        progress(stats.update { $0.walked = true })
        return walked
    }

    /// Phase 2: the spooled posts oldest first through the stage chain into the sinks; the
    /// checkpoint moves past a batch only once every sink has acknowledged its incidents.
    private func analyse(key: String, entry: BackfillCheckpointStore.Entry, stats: StatsBox, chain: ChainBox,
                         runners: [SinkRunner], progress: @escaping @Sendable (BackfillStats) -> Void) async throws {
        var e = entry
        _ = stats.update { $0.walked = true }
        while true {
            try Task.checkCancellation()
            let batch = try checkpoints.spooled(key, after: e.through, limit: Self.analysisBatch)
            guard let last = batch.last else { return }
            let acks = PageAcks()
            var complaints = 0
            var incidents: [Incident] = []
            for (post, _) in batch {
                var item = AnalysisItem(post: post)
                let result = chain.run(&item)
                if item.verdict?.isComplaint == true { complaints += 1 }
                if case .incident(let i) = result { incidents.append(i) }
            }
            for i in incidents {
                for r in runners {
                    acks.expect()
                    try await r.submit(i) { acks.ack() }
                }
            }
            await acks.wait()
            let snapshot = stats.update { s in
                s.analysed += batch.count
                s.complaints += complaints; s.incidents += incidents.count
                for i in incidents { s.byCategory[i.category, default: 0] += 1 }
            }
            e.complaints = snapshot.complaints; e.incidents = snapshot.incidents; e.through = last.position
            try checkpoints.save(key, e)
            progress(snapshot)
        }
    }
}

/// One walk's counts, shared with the connector's page callback.
private final class StatsBox: Sendable {
    private let m: Mutex<BackfillStats>
    init(_ s: BackfillStats) { m = Mutex(s) }
    func read() -> BackfillStats { m.withLock { $0 } }
    /// Applies `change` and returns the counts after it.
    func update(_ change: (inout BackfillStats) -> Void) -> BackfillStats { m.withLock { change(&$0); return $0 } }
}

extension BackfillRunner {
    /// A source's walk failed; its checkpoint still holds the last page that was written.
    public struct SourceError: Error, CustomStringConvertible {
        public var source: String
        public var underlying: any Error

        /// Retrying cannot help until someone changes the config or the credentials.
        public var needsFix: Bool {
            if case ConnectorError.fatal = underlying { return true }
            return false
        }

        public var description: String {
            let reason: String
            switch underlying {
            case ConnectorError.fatal(let m), ConnectorError.unavailable(let m): reason = m
            default: reason = String(describing: underlying)
            }
            return "source '\(source)': \(Redactor.redact(reason))"
        }
    }
}

/// The stage chain is used by one walk at a time (pages come one after another).
private final class ChainBox: @unchecked Sendable {
    let chain: StageChain
    init(_ chain: StageChain) { self.chain = chain }
    func run(_ item: inout AnalysisItem) -> StageChain.Result { chain.run(&item) }
}
