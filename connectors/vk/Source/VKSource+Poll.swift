import Foundation
import OtklikCore

extension VKSource {
    public func poll(after cursor: Cursor?) async throws -> PollResult {
        let resolved = state.resolved
        state = VKCursorState(cursor: cursor)
        state.resolved.merge(resolved) { old, _ in old }
        var out = Collected()
        var budgetUntil: Double?
        do {
            try await resolveNames()
            try await pollWalls(into: &out)
            try await pollComments(into: &out)
            try await pollSearch(into: &out)
        } catch VKCallError.budget(let until) {
            budgetUntil = until
        } catch VKCallError.stopped(let reason) {
            registry.save()
            if out.posts.isEmpty { throw ConnectorError.fatal("every VK token is stopped: \(reason)") }
        } catch let e as ConnectorError where !out.posts.isEmpty {
            logger.warning("VK poll cut short; returning what was read", ["error": e.description])
        }
        registry.save()
        publishStatus()
        let now = clock.now()
        var next = nextDue() ?? now + planner.maxInterval
        if let budgetUntil { next = max(next, budgetUntil) }
        let wait = min(planner.maxInterval, max(1, next - now))
        metrics.increment("otklik_vk_posts_total", by: Double(out.posts.count), ["source": sourceID])
        let posts = out.posts.sorted { ($0.published, $0.postID) < ($1.published, $1.postID) }
        return PollResult(posts: posts, cursor: state.cursor, nextPollAfter: .milliseconds(Int64(wait * 1000)))
    }

    /// Posts gathered by one poll, each key once.
    struct Collected {
        var posts: [Post] = []
        var keys: Set<String> = []
        mutating func add(_ p: Post) { if keys.insert(p.postID).inserted { posts.append(p) } }
    }

    /// The wall.get calls per day this source may plan with, over all its tokens.
    func dailyWallCalls() -> Double {
        let keys = communityKeys
        let weight = planner.totalWeight(keys, now: clock.now())
        for t in tokens { registry.setWeight(t.hash, source: sourceID, weight: weight / Double(max(1, tokens.count))) }
        return tokens.reduce(0) { $0 + registry.dailyShare($1.hash, source: sourceID, method: "wall.get") }
    }

    func nextDue() -> Double? {
        let keys = communityKeys
        guard !keys.isEmpty else { return nil }
        return planner.nextDue(keys, dailyCalls: dailyWallCalls(), totalWeight: planner.totalWeight(keys, now: clock.now()))
    }

    /// Resolves screen names to owner ids once (kept in the cursor): `groups.getById` for
    /// all of them in one call, `utils.resolveScreenName` for what that did not find.
    func resolveNames() async throws {
        let now = clock.now()
        let names = settings.communities.filter {
            VKSettings.ownerID($0) == nil && state.resolved[$0] == nil && (nameRetryAt[$0] ?? 0) <= now
        }
        guard !names.isEmpty else { return }
        let retry = now + Double(settings.skipSourceFor.components.seconds)
        do {
            let (json, _) = try await perform("groups.getById", [("group_ids", names.joined(separator: ","))], charge: [:])
            let r = try VKDecoder.unwrap(json)
            let groups = (r.array ?? r["groups"]?.array ?? []).compactMap(VKDecoder.group)
            for g in groups {
                if let n = names.first(where: { $0.lowercased() == g.screenName?.lowercased() }) { state.resolved[n] = -g.id }
                else if let n = names.first(where: { VKSettings.normalize($0) == "club\(g.id)" }) { state.resolved[n] = -g.id }
            }
        } catch VKCallError.api(let e) {
            logger.debug("groups.getById could not resolve all names", ["code": e.code])
        }
        for n in names where state.resolved[n] == nil {
            do {
                let (json, _) = try await perform("utils.resolveScreenName", [("screen_name", n)], charge: [:])
                let r = try VKDecoder.unwrap(json)
                if let id = r["object_id"]?.int, let type = r["type"]?.string, type != "application" {
                    state.resolved[n] = type == "user" ? id : -id
                } else {
                    alarm("name:\(n)", .warning, "VK community not found; skipping it", ["community": n])
                    skipped[n] = "screen name not found"
                    nameRetryAt[n] = retry
                }
            } catch VKCallError.api(let e) {
                alarm("name:\(n)", .warning, "VK community name could not be resolved; skipping it",
                      ["community": n, "code": e.code, "error": e.message])
                skipped[n] = "resolve failed: VK error \(e.code)"
                nameRetryAt[n] = retry
            }
        }
    }
}
