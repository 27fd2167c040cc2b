import Foundation
import OtklikCore
import TelegramConnector

/// libFuzzer entry: arbitrary bytes as a t.me/s page. The parser must return a page (never
/// trap), and every message it finds must make a `Post` that encodes as a JSON line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTelegram(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let page = TelegramPageParser.parse(html: bytes)
    _ = page.looksLikeLayoutChange
    _ = (page.newestID, page.oldestID)
    for m in page.messages {
        let post = Post(sourceKind: "telegram", sourceID: "fuzz", postID: m.postID,
                        url: m.permalink ?? "https://t.me/\(m.postID)", authorName: m.authorSignature,
                        published: m.published, text: m.text, coordinates: m.coordinates,
                        counters: m.views.map { PostCounters(views: $0) }, attachments: m.attachments)
        guard (try? OtklikJSON.line(post)) != nil else { fatalError("post from message \(m.id) does not encode") }
        _ = m.replyTo?.messagePath
        _ = m.forwardedFrom?.messagePath
    }
    return 0
}
