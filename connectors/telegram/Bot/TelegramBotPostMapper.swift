import Foundation
import OtklikCore

/// Turns a Bot API message into a `Post`. Channel posts of public channels get the same
/// `post_id` (`<username>/<id>`) as the web preview gives them, so the two modes dedupe.
enum TelegramBotPostMapper {
    static func post(_ m: BotAPI.Message, isEdit: Bool, sourceID: String) -> Post {
        let chatKey = chatPath(m.chat)
        var attachments: [String] = []
        if m.photo?.isEmpty == false { attachments.append("photo") }
        if m.video != nil || m.videoNote != nil { attachments.append("video") }
        if let d = m.document { attachments.append(d.fileName.map { "document: \($0)" } ?? "document") }
        if let a = m.audio { attachments.append(a.title.map { "audio: \($0)" } ?? "audio") }
        if m.voice != nil { attachments.append("voice") }
        if m.sticker != nil { attachments.append("sticker") }
        if let p = m.poll { attachments.append("poll: \(p.question)") }
        if m.location != nil || m.venue != nil { attachments.append("location") }

        var text = m.text ?? m.caption ?? ""
        if text.isEmpty, let p = m.poll { text = ([p.question] + (p.options ?? []).map(\.text)).joined(separator: "\n") }
        if let v = m.venue {
            let place = [v.title, v.address].compactMap { $0 }.joined(separator: ", ")
            if !place.isEmpty { text = text.isEmpty ? place : text + "\n" + place }
        }
        let loc = m.location ?? m.venue?.location
        var extra: [String: String] = [:]
        if let t = m.chat.title { extra["chat_title"] = t }
        if let t = m.chat.type { extra["chat_type"] = t }

        return Post(sourceKind: "telegram", sourceID: sourceID, postID: "\(chatKey)/\(m.messageId)",
                    url: url(m.chat, m.messageId),
                    authorID: m.from.map { String($0.id) } ?? m.senderChat.map { String($0.id) },
                    authorName: m.authorSignature ?? m.from?.displayName ?? m.senderChat?.title,
                    published: Date(timeIntervalSince1970: TimeInterval(m.date)),
                    edited: m.editDate.map { Date(timeIntervalSince1970: TimeInterval($0)) }
                        ?? (isEdit ? Date() : nil),
                    text: text,
                    coordinates: loc.map { Coordinates(lat: $0.latitude, lon: $0.longitude) },
                    replyTo: m.replyToMessage.map { r in
                        PostOrigin(key: "telegram:\(chatPath(r.chat))/\(r.messageId)",
                                   name: r.authorSignature ?? r.from?.displayName ?? r.senderChat?.title,
                                   url: url(r.chat, r.messageId))
                    },
                    repostOf: forwardOrigin(m),
                    attachments: attachments, extra: extra)
    }

    /// `username` for public chats, the numeric id otherwise.
    static func chatPath(_ chat: BotAPI.Chat) -> String {
        chat.username ?? String(chat.id)
    }

    static func url(_ chat: BotAPI.Chat, _ id: Int64) -> String? {
        if let u = chat.username { return "https://t.me/\(u)/\(id)" }
        let s = String(chat.id)
        if s.hasPrefix("-100") { return "https://t.me/c/\(s.dropFirst(4))/\(id)" }
        return nil
    }

    static func forwardOrigin(_ m: BotAPI.Message) -> PostOrigin? {
        if let o = m.forwardOrigin {
            switch o.type {
            case "channel":
                guard let chat = o.chat else { return PostOrigin(name: nil) }
                return PostOrigin(key: o.messageId.map { "telegram:\(chatPath(chat))/\($0)" },
                                  name: chat.title, url: o.messageId.flatMap { url(chat, $0) })
            case "chat": return PostOrigin(name: o.senderChat?.title)
            case "user": return PostOrigin(name: o.senderUser?.displayName)
            default: return PostOrigin(name: o.senderUserName)
            }
        }
        if let chat = m.forwardFromChat {
            return PostOrigin(key: m.forwardFromMessageId.map { "telegram:\(chatPath(chat))/\($0)" },
                              name: chat.title, url: m.forwardFromMessageId.flatMap { url(chat, $0) })
        }
        if let u = m.forwardFrom { return PostOrigin(name: u.displayName) }
        if let n = m.forwardSenderName { return PostOrigin(name: n) }
        return nil
    }
}
