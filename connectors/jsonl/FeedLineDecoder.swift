import Foundation
import OtklikCore

/// Turns one JSONL line into a `Post`.
///
/// Two forms are accepted: the full `Post` JSON (see `Post`; `source_kind` defaults to
/// `jsonl`, `source_id` to the configured source id), and a minimal
/// `{"id": …, "text": …}` line with optional `published` (default: when it was read)
/// and `url`. Full lines are read by `PostJSONDecoder` when it can, else by `JSONDecoder`.
struct FeedLineDecoder {
    let sourceID: String
    private let decoder = OtklikJSON.decoder()

    init(sourceID: String) { self.sourceID = sourceID }

    private struct MinimalLine: Decodable {
        var id: String
        var text: String
        var published: Date?
        var url: String?
        enum CodingKeys: String, CodingKey { case id, text, published, url }
        init(from d: any Decoder) throws {
            let c = try d.container(keyedBy: CodingKeys.self)
            if let s = try? c.decode(String.self, forKey: .id) { id = s }
            else { id = String(try c.decode(Int64.self, forKey: .id)) }
            text = try c.decode(String.self, forKey: .text)
            published = try c.decodeIfPresent(Date.self, forKey: .published)
            url = try c.decodeIfPresent(String.self, forKey: .url)
        }
    }

    /// A short reason when the line is not a post (never the line's content: it may hold personal data).
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    func decode(_ line: Data, now: Date) throws -> Post {
        try line.withUnsafeBytes { try decode($0.bindMemory(to: UInt8.self), now: now) }
    }

    /// `decode(_:now:)` of a line still in the reader's buffer.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, now: Date) throws -> Post {
        // The usual line, read by hand; anything unusual (or an empty id) takes the `Codable` path below.
        if var p = PostJSONDecoder.decode(bytes), !p.postID.isEmpty {
            if p.sourceID.isEmpty { p.sourceID = sourceID }
            return p
        }
        return try decodeWithCodable(Data(bytes), now: now)
    }

    private func decodeWithCodable(_ line: Data, now: Date) throws -> Post {
        do {
            var p = try decoder.decode(Post.self, from: line)
            if p.sourceID.isEmpty { p.sourceID = sourceID }
            if p.postID.isEmpty { throw Malformed(description: "empty post_id") }
            return p
        } catch let full {
            if let m = try? decoder.decode(MinimalLine.self, from: line), !m.id.isEmpty {
                return Post(sourceKind: "jsonl", sourceID: sourceID, postID: m.id, url: m.url,
                            published: m.published ?? now, text: m.text)
            }
            throw Malformed(description: Self.reason(full))
        }
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case let m as Malformed: return m.description
        case DecodingError.keyNotFound(let k, _): return "missing key '\(k.stringValue)'"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "wrong type at '\(c.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted(let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "not valid JSON" : "bad value at '\(path)'"
        default: return "not a post"
        }
    }
}
