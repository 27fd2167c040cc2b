import Foundation
import OtklikCore

/// A source that reads posts from a JSONL file as it grows, or from standard input.
///
/// ```yaml
/// sources:
///   - id: feed
///     connector: jsonl
///     path: /var/lib/collector/posts.jsonl   # or "-" for standard input
///     start_at: beginning                    # or end: only lines written from now on
/// ```
/// The cursor is `{inode, offset, line}`, so a restart resumes at the exact line.
/// A line that is not a post is logged once with `file:line`, counted in
/// `otklik_jsonl_malformed_lines_total`, and skipped.
public actor JSONLFeed: Connector {
    public nonisolated let sourceID: String
    public nonisolated let rateLimits = RateLimits(minPollInterval: .zero)
    public enum StartAt: String, Sendable, CaseIterable { case beginning, end }

    let path: String
    let startAt: StartAt
    /// Lines per poll at most; the rest are read by the next poll, at once.
    let batchLines: Int
    /// The wait between polls when idle and no `poll_interval` was configured.
    let idleInterval: Duration?
    private let logger: Logger
    private let metrics: Metrics
    /// Made on the first line read: thousands of idle feeds hold none.
    private lazy var decoder = FeedLineDecoder(sourceID: sourceID)
    private var follower: FileFollower?
    /// The last cursor returned, given again while the position stays (idle polls allocate none).
    private var lastCursor: (position: FeedCursor, cursor: Cursor)?
    private var stdin: StdinLines?
    private var resumed = false

    public init(sourceID: String, path: String, startAt: StartAt = .beginning, batchLines: Int = 2000,
                idleInterval: Duration? = .seconds(1), logger: Logger = Logger(label: "jsonl"), metrics: Metrics = Metrics()) {
        self.sourceID = sourceID; self.path = path; self.startAt = startAt; self.batchLines = batchLines
        self.idleInterval = idleInterval; self.logger = logger; self.metrics = metrics
    }

    public func poll(after cursor: Cursor?) async throws -> PollResult {
        let now = Date()
        if path == "-" {
            if stdin == nil { stdin = StdinLines() }
            let input = stdin!
            // Give a pipe a moment to deliver its first lines, so one poll (`otklik tap`) sees them.
            var waited = 0
            while !input.hasCompleteLine && !input.isEnded && waited < 20 {
                try await Task.sleep(for: .milliseconds(50)); waited += 1
            }
            let (lines, more) = input.take(max: batchLines)
            return PollResult(posts: decode(lines, now: now), cursor: nil,
                              nextPollAfter: more ? .zero : .milliseconds(100))
        }
        let f: FileFollower
        if let existing = follower { f = existing } else { f = FileFollower(path: path); follower = f }
        if f.fd < 0 {
            let first = !resumed
            guard f.open(resume: first ? FeedCursor(cursor) : nil, atEnd: first && cursor == nil && startAt == .end) else {
                return PollResult(posts: [], cursor: cursor, nextPollAfter: idleInterval)
            }
            resumed = true
        }
        let (posts, more) = readPosts(f, now: now)
        for n in f.notices { logger.notice(n, ["source": sourceID, "path": path]) }
        f.notices = []
        let position = f.position
        if lastCursor?.position != position { lastCursor = (position, position.cursor) }
        return PollResult(posts: posts, cursor: lastCursor?.cursor, nextPollAfter: more ? .zero : idleInterval)
    }

    /// Up to `batchLines` lines decoded straight from the read buffer, and whether more are waiting.
    private func readPosts(_ f: FileFollower, now: Date) -> ([Post], Bool) {
        var posts: [Post] = []
        let more = f.forEachLine(max: batchLines) { bytes, number in
            // Room for about as many posts as the read holds lines, instead of doubling up to it.
            if posts.isEmpty { posts.reserveCapacity(Swift.min(batchLines, f.chunkBytes / Swift.max(bytes.count, 64) + 1)) }
            if let p = decode(bytes, number: number, now: now) { posts.append(p) }
        }
        return (posts, more)
    }

    private func decode(_ bytes: UnsafeBufferPointer<UInt8>, number: Int, now: Date) -> Post? {
        guard let first = bytes.first else { return nil }
        if first != UInt8(ascii: "{"), bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        do { return try decoder.decode(bytes, now: now) } catch {
            logger.warning("skipping a line that is not a post",
                           ["source": sourceID, "at": "\(path):\(number)", "reason": error])
            metrics.increment("otklik_jsonl_malformed_lines_total", ["source": sourceID])
            return nil
        }
    }

    private func decode(_ lines: [(data: Data, number: Int)], now: Date) -> [Post] {
        var posts: [Post] = []
        posts.reserveCapacity(lines.count)
        for (data, number) in lines {
            data.withUnsafeBytes { raw in
                if let p = decode(raw.bindMemory(to: UInt8.self), number: number, now: now) { posts.append(p) }
            }
        }
        return posts
    }

    /// The file's posts published within `from...to`, in file order, a page of
    /// `batchLines` lines at a time; the cursor resumes after the last page emitted.
    public func backfill(from: Date, to: Date, resume: Cursor?,
                         emit: @Sendable ([Post], Cursor, BackfillProgress) async throws -> Void) async throws {
        guard path != "-" else { throw BackfillUnsupported() }
        let f = FileFollower(path: path)
        guard f.open(resume: FeedCursor(resume), atEnd: false) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        var pages = 0, total = 0
        var reached: Date?
        while true {
            try Task.checkCancellation()
            var lines = 0
            let now = Date()
            var posts: [Post] = []
            let more = f.forEachLine(max: batchLines) { bytes, number in
                lines += 1
                if let p = decode(bytes, number: number, now: now), p.published >= from && p.published <= to { posts.append(p) }
            }
            if lines == 0 && !more { break }
            pages += 1; total += posts.count
            if let oldest = posts.map(\.published).min() { reached = min(reached ?? oldest, oldest) }
            try await emit(posts, f.position.cursor, BackfillProgress(pages: pages, posts: total, reached: reached))
            if !more { break }
        }
    }

    struct BackfillUnsupported: Error, CustomStringConvertible {
        var description: String { "backfill needs a file path, not standard input" }
    }

    public static let factory: ConnectorFactory = { source, ctx in
        let r = source.reader(ctx.diagnostics)
        let path = r?.path("path", required: true) ?? "-"
        let start = r?.choice("start_at", StartAt.allCases.map(\.rawValue)).flatMap(StartAt.init) ?? .beginning
        let batch = r?.int("batch_lines", range: 1...1_000_000) ?? 2000
        r?.finish()
        let idle: Duration? = source.node["poll_interval"] == nil ? .seconds(1) : nil
        return JSONLFeed(sourceID: source.id, path: path, startAt: start, batchLines: batch, idleInterval: idle,
                         logger: ctx.logger.with(label: "jsonl"), metrics: ctx.metrics)
    }
}
