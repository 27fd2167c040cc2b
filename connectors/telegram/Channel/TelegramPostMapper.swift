import Foundation
import OtklikCore

/// Turns a web-preview message into the project's `Post`.
enum TelegramPostMapper {
    static func post(_ m: TelegramMessage, sourceID: String, baseURL: String, channelTitle: String?,
                     edited: Date? = nil) -> Post {
        var extra: [String: String] = [:]
        if let channelTitle { extra["channel_title"] = channelTitle }
        if let detail = m.forwardedFrom?.detail { extra["forward_author"] = detail }
        if let quote = m.replyTo?.detail { extra["reply_quote"] = String(quote.prefix(200)) }
        return Post(sourceKind: "telegram", sourceID: sourceID, postID: m.postID,
                    url: m.permalink ?? "\(baseURL)/\(m.channel)/\(m.id)",
                    authorName: m.authorSignature, published: m.published, edited: edited,
                    text: m.text, coordinates: m.coordinates,
                    replyTo: m.replyTo.map(origin), repostOf: m.forwardedFrom.map(origin),
                    counters: m.views.map { PostCounters(views: $0) }, attachments: m.attachments,
                    extra: extra)
    }

    static func origin(_ link: TelegramLink) -> PostOrigin {
        PostOrigin(key: link.messagePath.map { "telegram:\($0)" }, name: link.name, url: link.url)
    }
}
