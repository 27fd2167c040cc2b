import Foundation

/// A hand-written decoder for the `Post` JSON shape (docs/json-format.md) that reads a line's
/// bytes directly, for the `jsonl` connector's hot path.
///
/// Why: `JSONDecoder` costs several microseconds per post through `Codable`'s containers.
/// This one handles the usual line — known keys in any order, unknown keys skipped, all string
/// escapes, `null` for absent optionals, whole-second ISO-8601 times — and returns nil for
/// anything else (a number as a time, a duplicate key, invalid UTF-8, a wrong type…). Callers
/// then decode with `OtklikJSON.decoder()`, so every result and every error stays exactly
/// `JSONDecoder`'s. `PostJSONDecoderTests` compares the two on real and generated lines.
public enum PostJSONDecoder {
    /// The post on the line, or nil when `JSONDecoder` must decide.
    public static func decode(_ line: Data) -> Post? {
        line.withUnsafeBytes { raw in decode(raw.bindMemory(to: UInt8.self)) }
    }

    /// The post in `bytes`, or nil when `JSONDecoder` must decide.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Post? {
        JSONByteScanner.readWhole(bytes) { s throws(Unusual) in try read(&s) }
    }

    private typealias Unusual = JSONByteScanner.Unusual

    private static func read(_ s: inout JSONByteScanner) throws(Unusual) -> Post {
        var seen: UInt32 = 0
        var sourceKind: String?, sourceID: String?, postID: String?, url: String?
        var authorID: String?, authorName: String?, published: Date?, edited: Date?, text: String?
        var coordinates: Coordinates?, replyTo: PostOrigin?, repostOf: PostOrigin?, counters: PostCounters?
        var attachments: [String]?, extra: [String: String]?
        try s.object { s, key throws(Unusual) in
            guard let field = Field(key) else { try s.skipValue(); return }
            let bit: UInt32 = 1 << field.rawValue
            guard seen & bit == 0 else { throw Unusual() }
            seen |= bit
            switch field {
            case .sourceKind: sourceKind = try optionalString(&s)
            case .sourceID: sourceID = try optionalString(&s)
            case .postID:
                if try s.peek() == 0x22 { postID = try s.string() } else { postID = String(try s.integer()) }
            case .url: url = try optionalString(&s)
            case .authorID: authorID = try optionalString(&s)
            case .authorName: authorName = try optionalString(&s)
            case .published: published = try date(&s)
            case .edited: edited = try s.takeNull() ? nil : try date(&s)
            case .text: text = try optionalString(&s)
            case .coordinates: coordinates = try s.takeNull() ? nil : try readCoordinates(&s)
            case .replyTo: replyTo = try s.takeNull() ? nil : try origin(&s)
            case .repostOf: repostOf = try s.takeNull() ? nil : try origin(&s)
            case .counters: counters = try s.takeNull() ? nil : try readCounters(&s)
            case .attachments:
                if try !s.takeNull() {
                    var list: [String] = []
                    try s.array { s throws(Unusual) in list.append(try s.string()) }
                    attachments = list
                }
            case .extra:
                if try !s.takeNull() {
                    var map: [String: String] = [:]
                    try s.dictionary { s, k throws(Unusual) in
                        guard map.updateValue(try s.string(), forKey: k) == nil else { throw Unusual() }
                    }
                    extra = map
                }
            }
        }
        guard let postID, let published else { throw Unusual() }
        return Post(sourceKind: sourceKind ?? "jsonl", sourceID: sourceID ?? "", postID: postID, url: url,
                    authorID: authorID, authorName: authorName, published: published, edited: edited,
                    text: text ?? "", coordinates: coordinates, replyTo: replyTo, repostOf: repostOf,
                    counters: counters, attachments: attachments ?? [], extra: extra ?? [:])
    }

    private enum Field: UInt32 {
        case sourceKind, sourceID, postID, url, authorID, authorName, published, edited, text
        case coordinates, replyTo, repostOf, counters, attachments, extra

        init?(_ key: UnsafeBufferPointer<UInt8>) {
            switch key.count {
            case 3: if key.equals("url") { self = .url; return }
            case 4: if key.equals("text") { self = .text; return }
            case 5: if key.equals("extra") { self = .extra; return }
            case 6: if key.equals("edited") { self = .edited; return }
            case 7: if key.equals("post_id") { self = .postID; return }
            case 8:
                if key.equals("reply_to") { self = .replyTo; return }
                if key.equals("counters") { self = .counters; return }
            case 9:
                if key.equals("source_id") { self = .sourceID; return }
                if key.equals("author_id") { self = .authorID; return }
                if key.equals("published") { self = .published; return }
                if key.equals("repost_of") { self = .repostOf; return }
            case 11:
                if key.equals("source_kind") { self = .sourceKind; return }
                if key.equals("author_name") { self = .authorName; return }
                if key.equals("coordinates") { self = .coordinates; return }
                if key.equals("attachments") { self = .attachments; return }
            default: break
            }
            return nil
        }
    }

    private static func optionalString(_ s: inout JSONByteScanner) throws(Unusual) -> String? {
        try s.takeNull() ? nil : try s.string()
    }

    private static func date(_ s: inout JSONByteScanner) throws(Unusual) -> Date {
        guard let d = ISODate.parse(try s.asciiString()) else { throw Unusual() }
        return d
    }

    private static func readCoordinates(_ s: inout JSONByteScanner) throws(Unusual) -> Coordinates {
        var lat: Double?, lon: Double?
        try s.object { s, key throws(Unusual) in
            if key.equals("lat") {
                guard lat == nil else { throw Unusual() }
                lat = try s.double()
            } else if key.equals("lon") {
                guard lon == nil else { throw Unusual() }
                lon = try s.double()
            } else {
                try s.skipValue()
            }
        }
        guard let lat, let lon else { throw Unusual() }
        return Coordinates(lat: lat, lon: lon)
    }

    private static func origin(_ s: inout JSONByteScanner) throws(Unusual) -> PostOrigin {
        var o = PostOrigin()
        var seen = 0
        try s.object { s, key throws(Unusual) in
            let bit: Int
            if key.equals("key") { bit = 1; o.key = try optionalString(&s) }
            else if key.equals("name") { bit = 2; o.name = try optionalString(&s) }
            else if key.equals("url") { bit = 4; o.url = try optionalString(&s) }
            else { try s.skipValue(); return }
            guard seen & bit == 0 else { throw Unusual() }
            seen |= bit
        }
        return o
    }

    private static func readCounters(_ s: inout JSONByteScanner) throws(Unusual) -> PostCounters {
        var c = PostCounters()
        var seen = 0
        try s.object { s, key throws(Unusual) in
            let bit: Int
            func count(_ s: inout JSONByteScanner) throws(Unusual) -> Int? { try s.takeNull() ? nil : Int(try s.integer()) }
            if key.equals("views") { bit = 1; c.views = try count(&s) }
            else if key.equals("likes") { bit = 2; c.likes = try count(&s) }
            else if key.equals("reposts") { bit = 4; c.reposts = try count(&s) }
            else if key.equals("comments") { bit = 8; c.comments = try count(&s) }
            else { try s.skipValue(); return }
            guard seen & bit == 0 else { throw Unusual() }
            seen |= bit
        }
        return c
    }
}
