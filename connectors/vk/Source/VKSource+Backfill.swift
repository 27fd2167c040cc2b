import Foundation
import OtklikCore

extension VKSource {
    /// Where a backfill walk is: which community (by position) and which offset.
    struct BackfillMark: Codable {
        var community: Int
        var offset: Int
    }

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
            var seen: Set<Int64> = []
            while true {
                try Task.checkCancellation()
                let page: VKWallPage
                do {
                    page = try await withBudgetWaits { try await fetchWall(key, offset: offset) }
                } catch VKCallError.api(let e) {
                    sourceFailed(key, e)
                    break
                }
                progress.pages += 1
                noteSkips(page.skipped, method: "wall.get")
                let dated = page.items.filter { !$0.isPinned }
                var posts: [Post] = []
                for p in page.items where p.date >= lower && p.date <= upper && seen.insert(p.id).inserted {
                    if case .success(let post) = mapper.map(p, names: page.names) { posts.append(post) }
                }
                if let oldest = dated.map(\.date).min() {
                    let d = Date(timeIntervalSince1970: TimeInterval(oldest))
                    progress.reached = min(progress.reached ?? d, d)
                }
                offset += max(1, page.items.count - settings.pageOverlap)
                let finished = page.items.count < settings.pageSize || (dated.map(\.date).min().map { $0 < lower } ?? true)
                progress.posts += posts.count
                let mark = finished ? BackfillMark(community: i + 1, offset: 0) : BackfillMark(community: i, offset: offset)
                let cursor = Cursor(String(decoding: try JSONEncoder().encode(mark), as: UTF8.self))
                try await emit(posts.sorted { $0.published < $1.published }, cursor, progress)
                registry.save()
                if finished { break }
            }
            logger.info("VK wall backfilled", ["community": key, "pages": progress.pages, "posts": progress.posts])
        }
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
