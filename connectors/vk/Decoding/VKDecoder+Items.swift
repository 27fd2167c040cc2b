import Foundation
import OtklikCore

extension VKDecoder {
    struct ItemSkip: Error { var reason: String }

    /// One post object; `copy_history` entries decode the same way (a bad entry is dropped).
    static func post(_ j: VKJSON) -> Result<VKPost, ItemSkip> {
        guard j.isObject else { return .failure(ItemSkip(reason: "post is a \(j.kindName)")) }
        guard let id = j["id"]?.int else { return .failure(ItemSkip(reason: "post without id")) }
        guard let owner = j["owner_id"]?.int ?? j["source_id"]?.int ?? j["to_id"]?.int else {
            return .failure(ItemSkip(reason: "post \(id) without owner_id"))
        }
        guard let date = j["date"]?.int else { return .failure(ItemSkip(reason: "post \(id) without date")) }
        var p = VKPost(ownerID: owner, id: id, date: date)
        p.fromID = j["from_id"]?.int
        p.signerID = j["signer_id"]?.int
        p.edited = j["edited"]?.int
        p.text = j["text"]?.string ?? ""
        p.isPinned = j["is_pinned"]?.bool ?? false
        p.markedAsAds = j["marked_as_ads"]?.bool ?? false
        p.postType = j["post_type"]?.string
        p.source = j["post_source"]?["type"]?.string
        if let history = j["copy_history"]?.array {
            p.copyHistory = history.compactMap { try? post($0).get() }
        }
        p.coordinates = coordinates(j["geo"])
        p.counters = PostCounters(views: count(j["views"]), likes: count(j["likes"]),
                                  reposts: count(j["reposts"]), comments: count(j["comments"]))
        p.attachments = (j["attachments"]?.array ?? []).compactMap(attachment)
        return .success(p)
    }

    static func comment(_ j: VKJSON) -> VKComment? {
        guard j.isObject, let id = j["id"]?.int, let date = j["date"]?.int else { return nil }
        let deleted = j["deleted"]?.bool ?? false
        let parents = j["parents_stack"]?.array?.compactMap(\.int) ?? []
        var thread: [VKComment] = []
        if let t = j["thread"]?["items"]?.array { thread = t.compactMap(comment) }
        return VKComment(id: id, fromID: j["from_id"]?.int, date: date, text: j["text"]?.string ?? "",
                         deleted: deleted, threadParent: parents.first,
                         replyToComment: j["reply_to_comment"]?.int,
                         attachments: (j["attachments"]?.array ?? []).compactMap(attachment),
                         likes: count(j["likes"]), thread: thread,
                         threadCount: Int(j["thread"]?["count"]?.int ?? 0))
    }

    /// `{"count": 5}` or a bare `5`.
    static func count(_ j: VKJSON?) -> Int? {
        guard let j else { return nil }
        if let c = j["count"]?.int { return Int(c) }
        return j.int.map(Int.init)
    }

    /// `geo.coordinates` as `"lat lon"`, or an object with `latitude`/`longitude`.
    static func coordinates(_ geo: VKJSON?) -> Coordinates? {
        guard let geo else { return nil }
        let c = geo["coordinates"] ?? geo
        if let s = c.string {
            let parts = s.split(whereSeparator: { $0 == " " || $0 == "," })
            guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]) else { return nil }
            return valid(lat, lon)
        }
        if let lat = c["latitude"]?.double, let lon = c["longitude"]?.double { return valid(lat, lon) }
        if let place = geo["place"], let lat = place["latitude"]?.double, let lon = place["longitude"]?.double {
            return valid(lat, lon)
        }
        return nil
    }

    private static func valid(_ lat: Double, _ lon: Double) -> Coordinates? {
        guard (-90...90).contains(lat), (-180...180).contains(lon), lat != 0 || lon != 0 else { return nil }
        return Coordinates(lat: lat, lon: lon)
    }

    /// A short summary: `photo`, `video: title`, `link: url title`, `doc: title`, `poll: question`.
    static func attachment(_ a: VKJSON) -> String? {
        guard let type = a["type"]?.string else { return nil }
        let body = a[type]
        func titled(_ prefix: String, _ title: String?) -> String {
            guard let t = title?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return prefix }
            return "\(prefix): \(t.prefix(200))"
        }
        switch type {
        case "photo", "posted_photo", "graffiti", "sticker": return type == "photo" ? "photo" : type
        case "video": return titled("video", body?["title"]?.string)
        case "link":
            let url = body?["url"]?.string ?? ""
            let title = body?["title"]?.string ?? ""
            return titled("link", [url, title].filter { !$0.isEmpty }.joined(separator: " "))
        case "doc": return titled("doc", body?["title"]?.string)
        case "audio":
            let parts = [body?["artist"]?.string, body?["title"]?.string].compactMap { $0 }
            return titled("audio", parts.joined(separator: " – "))
        case "poll": return titled("poll", body?["question"]?.string)
        case "page": return titled("page", body?["title"]?.string)
        case "article": return titled("article", body?["title"]?.string)
        default: return type
        }
    }

    static func group(_ j: VKJSON) -> VKGroup? {
        guard let id = j["id"]?.int else { return nil }
        return VKGroup(id: abs(id), name: j["name"]?.string ?? "", screenName: j["screen_name"]?.string,
                       isClosed: (j["is_closed"]?.int ?? 0) != 0, deactivated: j["deactivated"]?.string)
    }

    static func names(_ r: VKJSON) -> VKNames {
        var n = VKNames()
        for p in r["profiles"]?.array ?? [] {
            guard let id = p["id"]?.int else { continue }
            let name = [p["first_name"]?.string, p["last_name"]?.string].compactMap { $0 }
                .filter { !$0.isEmpty }.joined(separator: " ")
            if !name.isEmpty { n.profiles[id] = name }
        }
        for g in r["groups"]?.array ?? [] {
            if let group = group(g) { n.groups[group.id] = group }
        }
        return n
    }
}
