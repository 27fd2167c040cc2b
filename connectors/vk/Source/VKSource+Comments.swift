import Foundation
import OtklikCore

extension VKSource {
    /// Notes the comment counts of recent posts seen on a wall page.
    func observeComments(_ items: [VKPost]) {
        guard let c = settings.comments else { return }
        let horizon = Int64(clock.now()) - Int64(c.days) * 86_400
        for p in items where p.date >= horizon {
            let key = "\(p.ownerID)_\(p.id)"
            let reported = p.counters.comments ?? 0
            if var r = state.recent[key] {
                r.reported = reported
                state.recent[key] = r
            } else {
                state.recent[key] = .init(owner: p.ownerID, id: p.id, date: p.date, reported: reported,
                                          fetched: 0, lastCommentID: 0)
            }
        }
    }

    /// Fetches new comments of recent posts whose comment count grew, newest posts first.
    func pollComments(into out: inout Collected) async throws {
        guard let c = settings.comments else { return }
        let horizon = Int64(clock.now()) - Int64(c.days) * 86_400
        state.recent = state.recent.filter { $0.value.date >= horizon }
        let candidates = state.recent.values.filter { $0.reported > $0.fetched }
            .sorted { ($0.date, $0.id) > ($1.date, $1.id) }.prefix(c.maxPosts)
        for r in candidates {
            let params: [(String, String)] = [
                ("owner_id", String(r.owner)), ("post_id", String(r.id)), ("count", "100"), ("sort", "desc"),
                ("extended", "1"), ("need_likes", "1"), ("thread_items_count", String(c.threadItems)),
            ]
            let page: VKCommentsPage
            do {
                let (json, _) = try await perform("wall.getComments", params, charge: ["wall.getComments": 1])
                page = try decode(VKDecoder.decodeComments(json: VKDecoder.unwrap(json)), what: "wall.getComments")
            } catch VKCallError.api(let e) {
                logger.info("VK comments not read", ["post": "wall\(r.owner)_\(r.id)", "code": e.code])
                state.recent["\(r.owner)_\(r.id)"]?.fetched = r.reported
                continue
            }
            noteSkips(page.skipped, method: "wall.getComments")
            var highest = r.lastCommentID
            for comment in page.items {
                for post in mapper.map(comment: comment, owner: r.owner, postID: r.id, names: page.names) {
                    guard let id = post.postID.split(separator: "=").last.flatMap({ Int64($0) }),
                          id > r.lastCommentID else { continue }
                    highest = max(highest, id)
                    out.add(post)
                }
                highest = max(highest, comment.id)
            }
            state.recent["\(r.owner)_\(r.id)"]?.fetched = r.reported
            state.recent["\(r.owner)_\(r.id)"]?.lastCommentID = highest
        }
    }
}
