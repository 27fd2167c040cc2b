import Foundation
import OtklikCore

/// Where a history walk stands: the id to continue before, and its counts so far.
struct TelegramBackfillCursor: Codable, Sendable {
    var before: Int?
    var pages = 0
    var posts = 0
    var reached: Date?

    init(_ cursor: Cursor?) throws {
        guard let cursor else { return }
        do { self = try OtklikJSON.decoder().decode(Self.self, from: Data(cursor.value.utf8)) }
        catch { throw ConnectorError.fatal("telegram: unreadable backfill cursor '\(cursor.value)'") }
    }

    var cursor: Cursor {
        Cursor((try? OtklikJSON.line(self)) ?? "{}")
    }
}

extension TelegramChannelConnector {
    /// Walks `?before=<id>` pages from the newest (or from `resume`) back to `from`,
    /// emitting each page's posts published within `from...to`. 429/5xx answers are
    /// waited out (`Retry-After`) a few times before giving up with the resume cursor intact.
    func backfill(from: Date, to: Date, resume: Cursor?,
                  emit: @Sendable ([Post], Cursor, BackfillProgress) async throws -> Void) async throws {
        var state = try TelegramBackfillCursor(resume)
        var refusals = 0
        while true {
            try Task.checkCancellation()
            let outcome: TelegramFetch
            do {
                outcome = try await fetch(before: state.before, conditional: nil)
            } catch ConnectorError.retryAfter(let wait) where refusals < 5 {
                refusals += 1
                try await Task.sleep(for: wait)
                continue
            }
            refusals = 0
            guard case .page(let page, _) = outcome else {
                if case .unavailable(let why) = outcome {
                    throw ConnectorError.fatal("telegram \(settings.channel) cannot be backfilled: \(why)")
                }
                return
            }
            if page.looksLikeLayoutChange {
                raiseParseAlarm(page, url: pageURL(before: state.before))
                throw ConnectorError.unavailable("telegram \(settings.channel): parsed 0 messages from a 200 page")
            }
            let inRange = page.messages.filter { $0.published >= from && $0.published <= to }
            let posts = inRange.map {
                TelegramPostMapper.post($0, sourceID: sourceID, baseURL: settings.baseURL, channelTitle: channelTitle)
            }
            state.pages += 1
            state.posts += posts.count
            let oldestDate = page.messages.map(\.published).min()
            if let oldestDate { state.reached = min(state.reached ?? oldestDate, oldestDate) }
            let previous = state.before
            let next = page.oldestID
            let exhausted = page.before == nil || next == nil || next! <= 1 || (previous != nil && next! >= previous!)
            let reachedStart = oldestDate.map { $0 < from } ?? false
            state.before = next
            try await emit(posts, state.cursor, BackfillProgress(pages: state.pages, posts: state.posts, reached: state.reached))
            if exhausted || reachedStart { return }
            try await pause()
        }
    }
}
