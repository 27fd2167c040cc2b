import Foundation
import Synchronization

/// `otklik backfill`: walks each source's history over a range through the pipeline's stage
/// chain into its sinks. Incidents get the same ids as in the live daemon (same chain, same
/// state); the live cursors are never touched; each source's walk resumes from its own
/// checkpoint, committed only after the page's incidents are acknowledged by every sink.
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

    private func walk(_ source: BuiltSource, chain: ChainBox, runners: [SinkRunner],
                      progress: @escaping @Sendable (BackfillStats) -> Void) async throws -> BackfillStats {
        let key = BackfillCheckpointStore.key(pipeline: built.config.name, source: source.id,
                                              since: range.sinceText, until: range.untilText)
        let saved = try checkpoints.entry(key)
        var entry = saved ?? BackfillCheckpointStore.Entry(from: range.from, to: range.to)
        var first = BackfillStats(source: source.id, from: entry.from, to: entry.to)
        first.posts = entry.posts; first.complaints = entry.complaints; first.incidents = entry.incidents
        first.resumedPosts = entry.posts
        first.done = entry.done
        if entry.done { progress(first); return first }
        if saved == nil { try checkpoints.save(key, entry) }
        let stats = Mutex(first)
        let store = checkpoints
        do {
            try await source.connector.backfill(from: entry.from, to: entry.to, resume: entry.cursor) { posts, cursor, p in
                let acks = PageAcks()
                var complaints = 0
                var incidents: [Incident] = []
                for post in posts {
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
                let (snapshot, e) = stats.withLock { s -> (BackfillStats, BackfillCheckpointStore.Entry) in
                    s.posts += posts.count; s.complaints += complaints; s.incidents += incidents.count
                    for i in incidents { s.byCategory[i.category, default: 0] += 1 }
                    if let r = p.reached { s.reached = r }
                    return (s, BackfillCheckpointStore.Entry(from: s.from, to: s.to, cursor: cursor, posts: s.posts,
                                                            complaints: s.complaints, incidents: s.incidents))
                }
                try store.save(key, e)
                progress(snapshot)
            }
        } catch let e as CancellationError {
            throw e
        } catch {
            throw SourceError(source: source.id, underlying: error)
        }
        var last = stats.withLock { $0 }
        last.done = true
        entry = BackfillCheckpointStore.Entry(from: last.from, to: last.to, cursor: nil, done: true, posts: last.posts,
                                              complaints: last.complaints, incidents: last.incidents)
        try checkpoints.save(key, entry)
        progress(last)
        return last
    }
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
