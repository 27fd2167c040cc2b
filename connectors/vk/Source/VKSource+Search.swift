import Foundation
import OtklikCore

extension VKSource {
    /// `newsfeed.search` for each configured query, since the newest post seen before,
    /// following `next_from` for up to `max_pages` pages.
    func pollSearch(into out: inout Collected) async throws {
        guard let s = settings.search else { return }
        let now = Int64(clock.now())
        for q in s.queries {
            let since = state.search[q].map { $0 + 1 } ?? now - 86_400
            var newest = state.search[q] ?? 0
            var next: String?
            var pages = 0
            repeat {
                var params: [(String, String)] = [("q", q), ("count", "200"), ("extended", "1"),
                                                  ("start_time", String(since))]
                if let lat = s.latitude, let lon = s.longitude {
                    params += [("latitude", String(lat)), ("longitude", String(lon))]
                }
                if let next { params.append(("start_from", next)) }
                let page: VKSearchPage
                do {
                    let (json, _) = try await perform("newsfeed.search", params, charge: ["newsfeed.search": 1])
                    page = try decode(VKDecoder.decodeSearch(json: VKDecoder.unwrap(json)), what: "newsfeed.search")
                } catch VKCallError.budget {
                    // Search has its own (smaller) quota: when it is spent for now, the walls'
                    // schedule is not held back; the query is simply read on a later poll.
                    if newest > 0 { state.search[q] = newest }
                    return
                } catch VKCallError.api(let e) {
                    logger.warning("VK search not read this time", ["query": q, "code": e.code, "error": e.message])
                    break
                }
                pages += 1
                noteSkips(page.skipped, method: "newsfeed.search")
                for item in page.items where item.date >= since {
                    newest = max(newest, item.date)
                    if case .success(let post) = mapper.map(item, names: page.names) {
                        var p = post
                        p.extra["search_query"] = q
                        out.add(p)
                    }
                }
                next = page.nextFrom
            } while next != nil && pages < s.maxPages
            if newest > 0 { state.search[q] = newest }
        }
    }
}
