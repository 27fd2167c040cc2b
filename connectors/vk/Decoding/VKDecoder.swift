import Foundation
import OtklikCore

/// A response body that is neither a VK answer nor a VK error.
public struct VKShapeError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { "unexpected VK response: \(reason)" }
}

/// Decodes VK API responses into `VKPost`/`VKComment` pages.
///
/// Tolerant where VK is loose; an item of an unknown shape becomes a `VKSkip`
/// instead of failing the page. Errors sent with HTTP 200 are thrown as `VKAPIError`.
public enum VKDecoder {
    /// The `response` of a body, or the thrown `error`. A body with neither key is
    /// taken as the response itself (recorded fixtures often keep only that part).
    public static func unwrap(_ data: Data) throws -> VKJSON {
        let json: VKJSON
        do { json = try VKJSONParser.parse(data, skipping: VKJSONParser.vkUnused) } catch { throw VKShapeError(reason: error.description) }
        return try unwrap(json)
    }

    static func unwrap(_ json: VKJSON) throws -> VKJSON {
        if let err = json["error"] {
            throw VKAPIError.from(err) ?? VKShapeError(reason: "an error without error_code")
        }
        if let r = json["response"] { return r }
        return json
    }

    /// `wall.get` / `wall.getById` (the whole HTTP body). The entry point `otklik bench` measures.
    public static func decodeWall(data: Data) throws -> VKWallPage { try decodeWall(json: unwrap(data)) }

    public static func decodeWall(json r: VKJSON) throws -> VKWallPage {
        let itemsJSON: [VKJSON]
        if let a = r.array { itemsJSON = a }          // wall.getById without extended
        else if let a = r["items"]?.array { itemsJSON = a }
        else { throw VKShapeError(reason: "wall page without items (\(r.kindName))") }
        var items: [VKPost] = []
        items.reserveCapacity(itemsJSON.count)
        var skipped: [VKSkip] = []
        for (n, item) in itemsJSON.enumerated() {
            switch post(item) {
            case .success(let p): items.append(p)
            case .failure(let s): skipped.append(VKSkip(index: n, reason: s.reason))
            }
        }
        return VKWallPage(count: Int(r["count"]?.int ?? Int64(items.count)), items: items,
                          names: names(r), skipped: skipped)
    }

    /// `wall.getComments` (the whole HTTP body).
    public static func decodeComments(data: Data) throws -> VKCommentsPage { try decodeComments(json: unwrap(data)) }

    public static func decodeComments(json r: VKJSON) throws -> VKCommentsPage {
        guard let itemsJSON = r["items"]?.array else { throw VKShapeError(reason: "comments page without items") }
        var items: [VKComment] = []
        var skipped: [VKSkip] = []
        for (n, item) in itemsJSON.enumerated() {
            if let c = comment(item) { items.append(c) } else {
                skipped.append(VKSkip(index: n, reason: "comment without id or date (\(item.kindName))"))
            }
        }
        return VKCommentsPage(count: Int(r["count"]?.int ?? Int64(items.count)), items: items,
                              names: names(r), skipped: skipped)
    }

    /// `newsfeed.search` (the whole HTTP body).
    public static func decodeSearch(data: Data) throws -> VKSearchPage { try decodeSearch(json: unwrap(data)) }

    public static func decodeSearch(json r: VKJSON) throws -> VKSearchPage {
        guard let itemsJSON = r["items"]?.array else { throw VKShapeError(reason: "search page without items") }
        var items: [VKPost] = []
        var skipped: [VKSkip] = []
        for (n, item) in itemsJSON.enumerated() {
            switch post(item) {
            case .success(let p): items.append(p)
            case .failure(let s): skipped.append(VKSkip(index: n, reason: s.reason))
            }
        }
        let next = r["next_from"]?.string
        return VKSearchPage(items: items, names: names(r), nextFrom: next?.isEmpty == true ? nil : next,
                            totalCount: r["total_count"]?.int.map(Int.init), skipped: skipped)
    }

    /// `groups.getById`: a bare array (API before 5.194) or `{groups, profiles}`.
    public static func decodeGroups(data: Data) throws -> [VKGroup] {
        let r = try unwrap(data)
        let list = r.array ?? r["groups"]?.array
        guard let list else { throw VKShapeError(reason: "groups.getById answered a \(r.kindName)") }
        return list.compactMap(group)
    }

    /// `utils.resolveScreenName`: the owner id (negative for communities), nil when
    /// VK does not know the name (it answers `[]`).
    public static func decodeResolvedOwner(data: Data) throws -> Int64? {
        let r = try unwrap(data)
        guard let id = r["object_id"]?.int, let type = r["type"]?.string else { return nil }
        switch type {
        case "group", "page", "event": return -id
        case "user": return id
        default: return nil
        }
    }

    /// `execute`: one result per call in the script's array. A call that failed is `false`
    /// in the array and has the next entry of `execute_errors`, in order.
    public static func decodeExecute(data: Data, calls: Int) throws -> [Result<VKJSON, VKAPIError>] {
        let json: VKJSON
        do { json = try VKJSONParser.parse(data, skipping: VKJSONParser.vkUnused) } catch { throw VKShapeError(reason: error.description) }
        return try decodeExecute(json: json, calls: calls)
    }

    public static func decodeExecute(json: VKJSON, calls: Int) throws -> [Result<VKJSON, VKAPIError>] {
        if let err = json["error"] { throw VKAPIError.from(err) ?? VKShapeError(reason: "an error without error_code") }
        var errors = (json["execute_errors"]?.array ?? []).compactMap(VKAPIError.from)
        let responses = json["response"]?.array ?? []
        var out: [Result<VKJSON, VKAPIError>] = []
        for n in 0..<calls {
            let r = n < responses.count ? responses[n] : .bool(false)
            if r == .bool(false) || r.isNull {
                let e = errors.isEmpty ? VKAPIError(code: 1, message: "call failed inside execute")
                                       : errors.removeFirst()
                out.append(.failure(e))
            } else {
                out.append(.success(r))
            }
        }
        return out
    }
}
