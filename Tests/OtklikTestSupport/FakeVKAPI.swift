import Foundation
import Synchronization

/// A fake VK API on the real `TestHTTPServer`: walls that grow while you page them,
/// comments, search, screen names, `execute`; it enforces 3 requests per second with
/// error 6 and daily quotas with error 29, and answers scripted error codes.
/// Used by the `vk` connector's tests and by the end-to-end tests of the binary.
public final class FakeVKAPI: Sendable {
    struct State {
        var walls: [Int64: [[String: Any]]] = [:]      // newest first, pinned excluded
        var pinned: [Int64: [String: Any]] = [:]
        var nextID: [Int64: Int64] = [:]
        var clock: Int64 = 1_700_000_000
        var names: [String: Int64] = [:]
        var comments: [String: Data] = [:]
        var search = Data("[]".utf8)
        var wallErrors: [Int64: Int] = [:]
        var scripted: [String: [Int]] = [:]
        var arrivalsWhilePaging: [Int64: Int] = [:]
        var times: [Double] = []
        var arrivals: [Double] = []
        var error6 = 0
        var error29 = 0
        var calls: [String: Int] = [:]
        var quotas: [String: Int] = [:]
        var badToken = 0
    }

    public let server: TestHTTPServer
    /// The time the fake judges rates by: the source's own test clock, so that moving it
    /// forward between polls looks like real time passing to both sides.
    public let clock = TestUnixClock()
    /// The one token it accepts; any other gets error 5.
    public let token: String
    public let perSecond: Int
    private let state = Mutex<State>(State())

    public init(token: String, perSecond: Int = 3) throws {
        self.token = token
        self.perSecond = perSecond
        server = try TestHTTPServer.started()
        server.setHandler { [weak self] req in
            guard let self else { return .status(500) }
            return self.answer(req)
        }
    }

    public var baseURL: String { server.url("/method/") }

    // MARK: Scripting

    /// Adds `n` posts to a wall (newest last added); returns their ids.
    /// `text` gives a post's text from its id (default: a neutral "Пост N на стене …");
    /// `date` gives its Unix time from its id (default: a minute after the previous post).
    @discardableResult
    public func post(_ owner: Int64, count n: Int, comments: Int = 0, ads: Bool = false, date: Int64? = nil,
                     text: (@Sendable (Int64) -> String)? = nil, dated: (@Sendable (Int64) -> Int64)? = nil) -> [Int64] {
        state.withLock { s in
            (0..<n).map { _ in
                let id = (s.nextID[owner] ?? 0) + 1
                s.nextID[owner] = id
                s.clock += 60
                let p: [String: Any] = ["id": id, "owner_id": owner, "from_id": owner, "date": dated?(id) ?? date ?? s.clock,
                                        "text": text?(id) ?? "Пост \(id) на стене \(owner)", "marked_as_ads": ads ? 1 : 0,
                                        "comments": ["count": comments], "likes": ["count": 0]]
                s.walls[owner, default: []].insert(p, at: 0)
                return id
            }
        }
    }

    public func pin(_ owner: Int64, id: Int64) {
        state.withLock { s in
            guard let i = s.walls[owner]?.firstIndex(where: { ($0["id"] as? Int64) == id }) else { return }
            var p = s.walls[owner]!.remove(at: i)
            p["is_pinned"] = 1
            s.pinned[owner] = p
        }
    }

    public func name(_ screen: String, owner: Int64) { state.withLock { $0.names[screen] = owner } }
    public func failWall(_ owner: Int64, code: Int) { state.withLock { $0.wallErrors[owner] = code } }
    /// Undoes `failWall`: the wall answers again.
    public func healWall(_ owner: Int64) { state.withLock { _ = $0.wallErrors.removeValue(forKey: owner) } }
    /// The next calls of `method` answer these error codes, one each.
    public func script(_ method: String, errors: [Int]) { state.withLock { $0.scripted[method, default: []] += errors } }
    /// After the next first-page `wall.get` of `owner`, `n` new posts arrive.
    public func arriveWhilePaging(_ owner: Int64, _ n: Int) { state.withLock { $0.arrivalsWhilePaging[owner] = n } }
    public func quota(_ method: String, _ n: Int) { state.withLock { $0.quotas[method] = n } }
    public func comments(_ owner: Int64, _ post: Int64, _ list: [[String: Any]]) {
        let data = Self.body(list)
        state.withLock { $0.comments["\(owner)_\(post)"] = data }
    }
    public func searchResults(_ list: [[String: Any]]) {
        let data = Self.body(list)
        state.withLock { $0.search = data }
    }
    private static func list(_ data: Data?) -> [[String: Any]] {
        data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [[String: Any]] } ?? []
    }

    public var arrivals: [Double] { state.withLock { $0.arrivals } }
    public var error6: Int { state.withLock { $0.error6 } }
    public var error29: Int { state.withLock { $0.error29 } }
    public var badTokenCalls: Int { state.withLock { $0.badToken } }
    public func calls(_ method: String) -> Int { state.withLock { $0.calls[method] ?? 0 } }
    public var allIDs: [Int64: [Int64]] {
        state.withLock { s in s.walls.mapValues { $0.compactMap { $0["id"] as? Int64 } } }
    }

    // MARK: Serving

    public static func form(_ body: Data) -> [String: String] {
        var out: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            out[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        return out
    }

    public static func body(_ object: Any) -> TestResponseBody { try! JSONSerialization.data(withJSONObject: object) }
    public typealias TestResponseBody = Data

    public static func error(_ code: Int, _ method: String) -> [String: Any] {
        ["error": ["error_code": code, "error_msg": "fake error \(code)",
                   "request_params": [["key": "method", "value": method], ["key": "access_token", "value": "echoed"]]]]
    }

    private func answer(_ req: TestRequest) -> TestResponse {
        let method = String(req.path.dropFirst("/method/".count))
        let params = Self.form(req.body)
        let now = clock.now()
        let result: Any = state.withLock { s -> Any in
            s.arrivals.append(now)
            s.times = s.times.filter { $0 > now - 1 }
            if s.times.count >= perSecond { s.error6 += 1; return Self.error(6, method) }
            s.times.append(now)
            guard params["access_token"] == token else { s.badToken += 1; return Self.error(5, method) }
            if var list = s.scripted[method], !list.isEmpty {
                let code = list.removeFirst()
                s.scripted[method] = list
                return Self.error(code, method)
            }
            if method == "execute" { return Self.execute(&s, params["code"] ?? "") }
            switch Self.call(&s, method, params) {
            case .success(let r): return ["response": r]
            case .failure(let code): return Self.error(code.code, method)
            }
        }
        return .json(Self.body(result))
    }

    struct Code: Error { var code: Int }

    private static func count(_ s: inout State, _ method: String) -> Code? {
        let used = s.calls[method, default: 0]
        if let q = s.quotas[method], used >= q { s.error29 += 1; return Code(code: 29) }
        s.calls[method] = used + 1
        return nil
    }

    private static func call(_ s: inout State, _ method: String, _ p: [String: String]) -> Result<Any, Code> {
        if let e = count(&s, method) { return .failure(e) }
        switch method {
        case "wall.get":
            guard let owner = p["owner_id"].flatMap({ Int64($0) }) else { return .failure(Code(code: 100)) }
            if let code = s.wallErrors[owner] { return .failure(Code(code: code)) }
            let offset = Int(p["offset"] ?? "0") ?? 0, n = Int(p["count"] ?? "20") ?? 20
            var all = s.walls[owner] ?? []
            if let pin = s.pinned[owner] { all.insert(pin, at: 0) }
            let items = offset < all.count ? Array(all[offset..<min(all.count, offset + n)]) : []
            if offset == 0, let k = s.arrivalsWhilePaging.removeValue(forKey: owner) {
                for _ in 0..<k {
                    let id = (s.nextID[owner] ?? 0) + 1
                    s.nextID[owner] = id; s.clock += 60
                    s.walls[owner, default: []].insert(["id": id, "owner_id": owner, "from_id": owner, "date": s.clock,
                                                        "text": "Новый пост \(id)"], at: 0)
                }
            }
            return .success(["count": all.count, "items": items, "profiles": [], "groups": [["id": -owner, "name": "Группа \(-owner)"]]])
        case "groups.getById":
            let ids = (p["group_ids"] ?? "").split(separator: ",").map(String.init)
            let groups: [[String: Any]] = ids.compactMap { n in
                s.names[n].map { ["id": -$0, "name": "Группа \(n)", "screen_name": n, "is_closed": 0] }
            }
            return .success(["groups": groups, "profiles": []])
        case "utils.resolveScreenName":
            guard let id = s.names[p["screen_name"] ?? ""] else { return .success([Any]()) }
            return .success(["type": id < 0 ? "group" : "user", "object_id": abs(id)])
        case "wall.getComments":
            let list = Self.list(s.comments["\(p["owner_id"] ?? "")_\(p["post_id"] ?? "")"])
            return .success(["count": list.count, "items": list, "profiles": [], "groups": []])
        case "newsfeed.search":
            let start = Int(p["start_from"] ?? "0") ?? 0
            let all = Self.list(s.search)
            let page = Array(all.dropFirst(start).prefix(2))
            var r: [String: Any] = ["items": page, "count": page.count, "total_count": all.count]
            if start + 2 < all.count { r["next_from"] = String(start + 2) }
            return .success(r)
        default:
            return .failure(Code(code: 3))
        }
    }

    /// Runs `return [API.wall.get({...}), ...];`: each call counts against its own quota.
    private static func execute(_ s: inout State, _ code: String) -> Any {
        var results: [Any] = []
        var errors: [[String: Any]] = []
        var rest = Substring(code)
        while let r = rest.range(of: "API.") {
            rest = rest[r.upperBound...]
            guard let open = rest.firstIndex(of: "("), let close = rest.firstIndex(of: ")") else { break }
            let method = String(rest[..<open])
            let args = rest[rest.index(after: open)..<close]
            let obj = (try? JSONSerialization.jsonObject(with: Data(args.utf8))) as? [String: Any] ?? [:]
            let p = obj.mapValues { "\($0)" }
            switch call(&s, method, p) {
            case .success(let v): results.append(v)
            case .failure(let c):
                results.append(false)
                errors.append(["method": method, "error_code": c.code, "error_msg": "fake error \(c.code)"])
            }
            rest = rest[close...]
        }
        var out: [String: Any] = ["response": results]
        if !errors.isEmpty { out["execute_errors"] = errors }
        return out
    }
}
