import Foundation
import OtklikCore

extension VKSource {
    /// Reads the due walls: their first pages batched through `execute` (up to 25 per
    /// request) when several are due, further pages one call each.
    func pollWalls(into out: inout Collected) async throws {
        let keys = communityKeys
        guard !keys.isEmpty else { return }
        for k in keys { planner.register(k) }
        let now = clock.now()
        let due = planner.due(keys, now: now, dailyCalls: dailyWallCalls(), totalWeight: planner.totalWeight(keys, now: now))
        var index = 0
        while index < due.count {
            let batch = Array(due[index..<min(due.count, index + 25)])
            index += batch.count
            if settings.useExecute && batch.count > 1 {
                let firstPages = try await executeFirstPages(batch)
                for (key, first) in zip(batch, firstPages) {
                    try await walkWall(key, first: first, into: &out)
                }
            } else {
                for key in batch { try await walkWall(key, first: nil, into: &out) }
            }
        }
    }

    func wallParams(_ owner: String, offset: Int) -> [(String, String)] {
        [("owner_id", owner), ("offset", String(offset)), ("count", String(settings.pageSize)), ("extended", "1")]
    }

    /// One `execute` with a `wall.get` per community; a failed call is its own error.
    func executeFirstPages(_ keys: [String]) async throws -> [Result<VKWallPage, VKAPIError>] {
        let script = VKAPIClient.executeScript(keys.map { (method: "wall.get", params: wallParams($0, offset: 0)) })
        let (json, token) = try await perform("execute", [("code", script)], charge: ["wall.get": keys.count])
        return try VKDecoder.decodeExecute(json: json, calls: keys.count).map { r in
            switch r {
            case .success(let j):
                do { return .success(try VKDecoder.decodeWall(json: j)) } catch {
                    return .failure(VKAPIError(code: 0, message: String(describing: error), method: "wall.get"))
                }
            case .failure(let e):
                try react(e, method: "wall.get", token: token)
                return .failure(e)
            }
        }
    }

    func fetchWall(_ key: String, offset: Int) async throws -> VKWallPage {
        let (json, _) = try await perform("wall.get", wallParams(key, offset: offset), charge: ["wall.get": 1])
        return try decode(VKDecoder.decodeWall(json: VKDecoder.unwrap(json)), what: "wall.get")
    }

    /// Runs a decoder; a response of an unknown shape is logged and counted, then skipped.
    func decode<T>(_ body: @autoclosure () throws -> T, what: String) throws -> T {
        do { return try body() } catch let e as VKShapeError {
            metrics.increment("otklik_vk_skipped_items_total", ["source": sourceID, "method": what])
            logger.warning("VK response of an unknown shape skipped", ["method": what, "reason": e.reason])
            throw VKCallError.api(VKAPIError(code: 0, message: e.reason, method: what))
        }
    }

    func noteSkips(_ skips: [VKSkip], method: String) {
        guard !skips.isEmpty else { return }
        metrics.increment("otklik_vk_skipped_items_total", by: Double(skips.count), ["source": sourceID, "method": method])
        logger.warning("VK items of an unknown shape skipped", ["method": method, "count": skips.count,
                                                                  "reason": skips[0].reason])
    }

    /// Walks one wall down to where the last poll stopped (see `VKWallWalk`).
    func walkWall(_ key: String, first: Result<VKWallPage, VKAPIError>?, into out: inout Collected) async throws {
        var walk = VKWallWalk(mark: state.walls[key], pageSize: settings.pageSize, overlap: settings.pageOverlap)
        var names = VKNames()
        var pending = first
        var interruption: Error?
        while !walk.done && walk.pages < settings.maxPagesPerPoll {
            let page: VKWallPage
            do {
                switch pending {
                case .success(let p): page = p
                case .failure(let e): throw VKCallError.api(e)
                case nil: page = try await fetchWall(key, offset: walk.offset)
                }
            } catch VKCallError.api(let e) {
                if walk.pages == 0 { sourceFailed(key, e); return }
                interruption = VKCallError.api(e); break
            } catch {
                if walk.pages == 0 { throw error }
                interruption = error; break
            }
            pending = nil
            noteSkips(page.skipped, method: "wall.get")
            names.merge(page.names)
            observeComments(page.items)
            walk.consume(page.items, total: page.count)
        }
        let now = clock.now()
        state.walls[key] = walk.finish() ?? state.walls[key]
        let previous = walk.mark?.last ?? 0
        let fresh = walk.collected.filter { !$0.isPinned && $0.id > previous }.count
        planner.record(key, newPosts: fresh, now: now, span: walk.mark == nil ? walk.span(now: now) : nil)
        lastRead[key] = now
        if skipped.removeValue(forKey: key) != nil { clearAlarm("skip:\(key)") }
        var ads = 0
        for p in walk.collected.reversed() {
            switch mapper.map(p, names: names) {
            case .success(let post): out.add(post)
            case .failure: ads += 1
            }
        }
        if ads > 0 { metrics.increment("otklik_vk_dropped_total", by: Double(ads), ["source": sourceID, "reason": "ads"]) }
        if let interruption, case VKCallError.budget = interruption { throw interruption }
    }

    /// A call for this community failed with `e` (its token reaction already applied).
    func sourceFailed(_ key: String, _ e: VKAPIError) {
        switch e.reaction {
        case .skipSource:
            let until = clock.now() + Double(settings.skipSourceFor.components.seconds)
            planner.skip(key, until: until)
            skipped[key] = "VK error \(e.code): \(e.message)"
            alarm("skip:\(key)", .warning, "VK community skipped: no access, deleted or wrong id; retrying rarely",
                  ["community": key, "code": e.code, "error": e.message])
        default:
            logger.warning("VK wall not read this time", ["community": key, "code": e.code, "error": e.message])
        }
    }
}
