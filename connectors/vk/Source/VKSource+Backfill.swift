import Foundation
import OtklikCore

extension VKSource {
    /// Where a backfill walk is: which community (by position) and which offset.
    struct BackfillMark: Codable {
        var community: Int
        var offset: Int
        /// The lowest post id already emitted on this wall: pages overlap, so a resumed walk
        /// skips the ids at or above it instead of emitting them a second time.
        var below: Int64?
    }

    /// Waits before trying a wall's page again after a passing VK error (1 s, 2 s, 4 s, 8 s).
    static let backfillRetryDelays: [Double] = [1, 2, 4, 8]

    /// Pages each wall back to `from`, one community after another, waiting for the
    /// budget when it runs out (the daily spread), and emitting each page's posts in range.
    public func backfill(from: Date, to: Date, resume: Cursor?,
                         emit: @Sendable ([Post], Cursor, BackfillProgress) async throws -> Void) async throws {
        let start = resume.flatMap { try? JSONDecoder().decode(BackfillMark.self, from: Data($0.value.utf8)) }
            ?? BackfillMark(community: 0, offset: 0)
        try await withBudgetWaits { try await resolveNames() }
        let keys = communityKeys
        var progress = BackfillProgress(pages: 0, posts: 0, reached: nil)
        let lower = Int64(from.timeIntervalSince1970), upper = Int64(to.timeIntervalSince1970)
        for (i, key) in keys.enumerated() where i >= start.community {
            var offset = i == start.community ? start.offset : 0
            var below = i == start.community ? start.below : nil
            var seen: Set<Int64> = []
            while true {
                try Task.checkCancellation()
                guard let page = try await backfillPage(key, offset: offset) else { break }
                progress.pages += 1
                noteSkips(page.skipped, method: "wall.get")
                let dated = page.items.filter { !$0.isPinned }
                var posts: [Post] = []
                for p in page.items where p.date >= lower && p.date <= upper && seen.insert(p.id).inserted
                    && (p.isPinned || below.map { p.id < $0 } ?? true) {
                    if case .success(let post) = mapper.map(p, names: page.names) { posts.append(post) }
                }
                if let lowest = dated.map(\.id).min() { below = min(below ?? lowest, lowest) }
                if let oldest = dated.map(\.date).min() {
                    let d = Date(timeIntervalSince1970: TimeInterval(oldest))
                    progress.reached = min(progress.reached ?? d, d)
                }
                offset += max(1, page.items.count - settings.pageOverlap)
                let finished = page.items.count < settings.pageSize || (dated.map(\.date).min().map { $0 < lower } ?? true)
                progress.posts += posts.count
                let mark = finished ? BackfillMark(community: i + 1, offset: 0)
                    : BackfillMark(community: i, offset: offset, below: below)
                let cursor = Cursor(String(decoding: try JSONEncoder().encode(mark), as: UTF8.self))
                try await emit(posts.sorted { $0.published < $1.published }, cursor, progress)
                registry.save()
                if finished { break }
            }
            logger.info("VK wall backfilled", ["community": key, "pages": progress.pages, "posts": progress.posts])
        }
    }

    /// One page of a backfill walk, or nil when the community cannot be read at all (closed,
    /// deleted, wrong id: logged, and the walk goes on to the next one). A passing error
    /// (6, 10, an unknown code, the network) is retried after a pause; when it persists the
    /// backfill stops with `unavailable`, its checkpoint still at this page.
    func backfillPage(_ key: String, offset: Int) async throws -> VKWallPage? {
        var attempt = 0
        while true {
            do {
                return try await withBudgetWaits { try await fetchWall(key, offset: offset) }
            } catch VKCallError.api(let e) where e.reaction == .skipSource {
                sourceFailed(key, e)
                return nil
            } catch let error where !(error is CancellationError) && !Self.isFatal(error) {
                guard attempt < Self.backfillRetryDelays.count else {
                    throw ConnectorError.unavailable("VK community \(key) at offset \(offset): \(Self.describe(error))")
                }
                logger.warning("VK wall page failed; backfill retries it",
                               ["community": key, "offset": offset, "error": Self.describe(error)])
                try await clock.sleep(until: clock.now() + Self.backfillRetryDelays[attempt])
                attempt += 1
            }
        }
    }

    static func isFatal(_ error: Error) -> Bool {
        if case ConnectorError.fatal = error { return true }
        return false
    }

    static func describe(_ error: Error) -> String {
        if case VKCallError.api(let e) = error { return e.description }
        return Redactor.redact(String(describing: error))
    }

    /// Runs `body`, sleeping until the budget allows whenever it says "not yet".
    func withBudgetWaits<T>(_ body: () async throws -> T) async throws -> T {
        while true {
            do { return try await body() } catch VKCallError.budget(let until) {
                logger.info("VK budget spent for now; backfill waits",
                            ["until": OtklikJSON.formatDate(Date(timeIntervalSince1970: until))])
                try await clock.sleep(until: until)
            } catch VKCallError.stopped(let reason) {
                throw ConnectorError.fatal("every VK token is stopped: \(reason)")
            }
        }
    }
}
