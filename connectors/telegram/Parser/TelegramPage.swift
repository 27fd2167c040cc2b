import Foundation
import OtklikCore

/// What one `t.me/s/<channel>` page says: the channel header, its messages (oldest
/// first, as the page lists them) and the links to older and newer pages.
public struct TelegramPage: Sendable, Hashable {
    public var channelTitle: String?
    /// `@name` from the header, without the `@`.
    public var channelUsername: String?
    /// Subscribers (or members) from the header counters, «60K» → 60000.
    public var subscribers: Int?
    /// Ordinary messages, service messages excluded.
    public var messages: [TelegramMessage] = []
    /// Ids of service messages (pinned, title or photo changed, channel created), recognised and skipped.
    public var serviceMessageIDs: [Int] = []
    /// `data-post` containers whose message could not be read (no id or no time).
    public var unreadableContainers = 0
    /// `?before=<id>`: the link to older messages, when there are any.
    public var before: Int?
    /// `?after=<id>`: the link to newer messages, when this is not the newest page.
    public var after: Int?
    /// The page has the message history container (`tgme_channel_history`).
    public var hasMessageHistory = false
    /// The page is a channel's landing page without history: preview disabled, a private
    /// chat or no such channel (what `/s/<channel>` redirects to).
    public var isLandingPage = false
    /// The landing page names no channel at all: the channel does not exist.
    public var isNotFoundPage = false
    /// The page says there is nothing to show (an empty channel or search).
    public var saysNoMessages = false

    public init() {}

    /// A page that should have had messages but parsed to none: the markup probably changed.
    public var looksLikeLayoutChange: Bool {
        messages.isEmpty && serviceMessageIDs.isEmpty && !saysNoMessages && !isLandingPage
            && (hasMessageHistory || unreadableContainers > 0 || channelTitle == nil)
    }

    /// Highest message id on the page (service messages included).
    public var newestID: Int? { (messages.map(\.id) + serviceMessageIDs).max() }
    /// Lowest message id on the page (service messages included).
    public var oldestID: Int? { (messages.map(\.id) + serviceMessageIDs).min() }
}

/// One channel message as the web preview shows it.
public struct TelegramMessage: Sendable, Hashable {
    /// Channel name as `data-post` spells it (canonical case).
    public var channel: String
    public var id: Int
    /// `https://t.me/<channel>/<id>`.
    public var permalink: String?
    public var published: Date
    /// The page marks the message as edited (it does not say when).
    public var isEdited = false
    public var text = ""
    /// The author signature some channels add under each post.
    public var authorSignature: String?
    public var views: Int?
    public var forwardedFrom: TelegramLink?
    public var replyTo: TelegramLink?
    /// `photo`, `video`, `album: 3`, `document: name.pdf`, `poll: question`, `location`, `voice`, `sticker`, `link: url`.
    public var attachments: [String] = []
    public var coordinates: Coordinates?

    public init(channel: String, id: Int, published: Date) {
        self.channel = channel; self.id = id; self.published = published
    }

    /// `<channel>/<id>`, the `Post.postID`.
    public var postID: String { "\(channel)/\(id)" }
}

/// A link to another chat or message: a forward's origin or a replied-to message.
public struct TelegramLink: Sendable, Hashable {
    public var name: String?
    public var url: String?
    /// The original author's signature (forwards) or the quoted text (replies).
    public var detail: String?

    public init(name: String? = nil, url: String? = nil, detail: String? = nil) {
        self.name = name; self.url = url; self.detail = detail
    }

    /// `<channel>/<id>` when `url` is a `t.me/<channel>/<id>` message link.
    public var messagePath: String? {
        guard let url, let r = url.range(of: "t.me/") else { return nil }
        var rest = url[r.upperBound...]
        if rest.hasPrefix("s/") { rest = rest.dropFirst(2) }
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<q] }
        let parts = rest.split(separator: "/")
        guard parts.count == 2, !parts[0].isEmpty, parts[0] != "c", Int(parts[1]) != nil else { return nil }
        return "\(parts[0])/\(parts[1])"
    }
}
