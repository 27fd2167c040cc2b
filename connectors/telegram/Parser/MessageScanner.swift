import Foundation
import OtklikCore

/// What one `data-post` container turned out to be.
enum MessageScan {
    case message(TelegramMessage)
    case service(Int)
    case unreadable
}

/// Reads one message container: a single walk over its tags, dispatching on the
/// `tgme_widget_message_*` class tokens. Quoted replies and the text body are read as
/// whole elements and skipped over, so their inner markup is never mistaken for the
/// message's own.
enum MessageScanner {
    private struct Media {
        var photos = 0, videos = 0, album = false, voice = false, sticker = false
        var contact = false, unsupported = false, location = false
        var documents: [String] = []
        var documentCount = 0
        var pollQuestion: String?
        var pollOptions: [String] = []
        var links: [String] = []
    }

    static func scan(_ b: HTMLBytes, _ r: Range<Int>) -> MessageScan {
        guard let first = b.nextTag(from: r.lowerBound, to: r.upperBound),
              let dp = b.attribute(K.dataPostAttr, in: first) else { return .unreadable }
        let path = b.string(dp)
        guard let slash = path.lastIndex(of: "/"), let id = Int(path[path.index(after: slash)...]) else {
            return .unreadable
        }
        if let cls = b.attribute(K.classAttr, in: first), b.hasToken(K.serviceMessage, in: cls) {
            return .service(id)
        }
        let channel = String(path[..<slash])
        var published: Date?
        var permalink: String?
        var body: String?
        var edited = false
        var signature: String?
        var views: Int?
        var forward: TelegramLink?
        var reply: TelegramLink?
        var media = Media()
        var coordinates: Coordinates?
        var expectingTime = false
        let end = r.upperBound

        var i = first.end
        while let tag = b.nextTag(from: i, to: end) {
            i = tag.end
            if tag.isClosing { continue }
            if expectingTime, b.equals(tag.nameStart..<tag.nameEnd, K.time) {
                if let dt = b.attribute(K.datetimeAttr, in: tag) { published = TelegramValues.isoDate(b.string(dt)) }
                expectingTime = false
                continue
            }
            guard let cls = b.attribute(K.classAttr, in: tag) else { continue }
            if body == nil, b.hasToken(K.jsMessageText, in: cls) {
                let e = b.elementEnd(of: tag, limit: end)
                body = HTMLText.extract(b, tag.end..<e)
                i = e
                continue
            }
            if b.hasToken(K.mediaNotSupported, in: cls) { media.unsupported = true }
            for token in messageTokens(b, cls) {
                switch token {
                case .reply:
                    let e = b.elementEnd(of: tag, limit: end)
                    reply = quotedReply(b, tag, e)
                    i = e
                case .forwardedFromName:
                    forward = forward ?? TelegramLink()
                    forward?.name = PageParserText.inner(b, tag, end)
                    forward?.url = b.attribute(K.hrefAttr, in: tag).map { PageParserText.attr(b, $0) }
                case .forwardedFromAuthor:
                    forward = forward ?? TelegramLink()
                    forward?.detail = PageParserText.inner(b, tag, end)
                case .fromAuthor: signature = PageParserText.inner(b, tag, end)
                case .views: views = TelegramValues.compactCount(PageParserText.inner(b, tag, end))
                case .date:
                    permalink = b.attribute(K.hrefAttr, in: tag).map { PageParserText.attr(b, $0) }
                    expectingTime = true
                case .meta:
                    let e = b.elementEnd(of: tag, limit: end)
                    if b.find(K.edited, from: tag.end, to: e) != nil { edited = true }
                case .edited: edited = true
                case .photoWrap: media.photos += 1
                case .videoPlayer: media.videos += 1
                case .groupedWrap: media.album = true
                case .documentWrap: media.documentCount += 1
                case .documentTitle: media.documents.append(PageParserText.inner(b, tag, end))
                case .pollQuestion: media.pollQuestion = PageParserText.inner(b, tag, end)
                case .pollOptionText: media.pollOptions.append(PageParserText.inner(b, tag, end))
                case .locationWrap:
                    media.location = true
                    if let href = b.attribute(K.hrefAttr, in: tag) {
                        coordinates = PageParserText.coordinates(fromMapURL: PageParserText.attr(b, href))
                    }
                case .voice: media.voice = true
                case .sticker: media.sticker = true
                case .linkPreview:
                    if let href = b.attribute(K.hrefAttr, in: tag) { media.links.append(PageParserText.attr(b, href)) }
                case .contact: media.contact = true
                }
            }
        }
        guard let published else { return .unreadable }
        var m = TelegramMessage(channel: channel, id: id, published: published)
        m.permalink = permalink
        m.isEdited = edited
        m.authorSignature = signature.flatMap { $0.isEmpty ? nil : $0 }
        m.views = views
        m.forwardedFrom = forward
        m.replyTo = reply
        m.coordinates = coordinates
        m.attachments = attachments(media)
        let text = body ?? ""
        if text.isEmpty, let q = media.pollQuestion {
            m.text = ([q] + media.pollOptions).joined(separator: "\n")
        } else {
            m.text = text
        }
        return .message(m)
    }

    /// The known `tgme_widget_message_*` tokens of a class value, compared as bytes.
    private static func messageTokens(_ b: HTMLBytes, _ cls: Range<Int>) -> [Token] {
        let prefix = K.messagePrefix
        guard b.find(prefix, from: cls.lowerBound, to: cls.upperBound) != nil else { return [] }
        var out: [Token] = []
        var i = cls.lowerBound
        while i < cls.upperBound {
            while i < cls.upperBound, HTMLBytes.isSpace(b[i]) { i += 1 }
            let start = i
            while i < cls.upperBound, !HTMLBytes.isSpace(b[i]) { i += 1 }
            guard i - start > prefix.count, b.hasPrefix(prefix, at: start) else { continue }
            let suffix = (start + prefix.count)..<i
            for (bytes, token) in Token.table where b.equals(suffix, bytes) {
                out.append(token)
                break
            }
        }
        return out
    }

    enum Token {
        case reply, forwardedFromName, forwardedFromAuthor, fromAuthor, views, date, meta, edited
        case photoWrap, videoPlayer, groupedWrap, documentWrap, documentTitle, pollQuestion, pollOptionText
        case locationWrap, voice, sticker, linkPreview, contact

        static let table: [([UInt8], Token)] = ([
            ("reply", .reply), ("forwarded_from_name", .forwardedFromName),
            ("forwarded_from_author", .forwardedFromAuthor), ("from_author", .fromAuthor),
            ("views", .views), ("date", .date), ("meta", .meta), ("edited", .edited),
            ("photo_wrap", .photoWrap), ("video_player", .videoPlayer), ("roundvideo_player", .videoPlayer),
            ("grouped_wrap", .groupedWrap), ("document_wrap", .documentWrap), ("document_title", .documentTitle),
            ("poll_question", .pollQuestion), ("poll_option_text", .pollOptionText),
            ("location_wrap", .locationWrap), ("voice", .voice), ("sticker", .sticker), ("tgsticker", .sticker),
            ("videosticker", .sticker), ("link_preview", .linkPreview), ("contact", .contact),
        ] as [(String, Token)]).map { (Array($0.0.utf8), $0.1) }
    }

    /// `<a class="tgme_widget_message_reply" href=…>` with the quoted author and text.
    private static func quotedReply(_ b: HTMLBytes, _ tag: HTMLTag, _ e: Int) -> TelegramLink {
        var link = TelegramLink(url: b.attribute(K.hrefAttr, in: tag).map { PageParserText.attr(b, $0) })
        var i = tag.end
        while let t = b.nextTag(from: i, to: e) {
            i = t.end
            guard !t.isClosing, let cls = b.attribute(K.classAttr, in: t) else { continue }
            if b.hasToken(K.jsReplyText, in: cls) || b.hasToken(Array("tgme_widget_message_metatext".utf8), in: cls) {
                let inner = b.elementEnd(of: t, limit: e)
                link.detail = HTMLText.extract(b, t.end..<inner)
                i = inner
            } else if b.hasToken(Array("tgme_widget_message_author_name".utf8), in: cls) {
                link.name = PageParserText.inner(b, t, e)
            }
        }
        return link
    }

    private static func attachments(_ m: Media) -> [String] {
        var out: [String] = []
        if m.album, m.photos + m.videos > 1 {
            var parts: [String] = []
            if m.photos > 0 { parts.append(m.photos == 1 ? "1 photo" : "\(m.photos) photos") }
            if m.videos > 0 { parts.append(m.videos == 1 ? "1 video" : "\(m.videos) videos") }
            out.append("album: \(m.photos + m.videos) (\(parts.joined(separator: ", ")))")
        } else {
            out += Array(repeating: "photo", count: m.photos)
            out += Array(repeating: "video", count: m.videos)
        }
        for d in m.documents { out.append(d.isEmpty ? "document" : "document: \(d)") }
        if m.documentCount > m.documents.count { out += Array(repeating: "document", count: m.documentCount - m.documents.count) }
        if let q = m.pollQuestion { out.append("poll: \(q)") }
        if m.location { out.append("location") }
        if m.voice { out.append("voice") }
        if m.sticker { out.append("sticker") }
        if m.contact { out.append("contact") }
        for l in m.links { out.append("link: \(l)") }
        if m.unsupported, out.isEmpty { out.append("unsupported media") }
        return out
    }
}

/// Text helpers shared by the scanners.
enum PageParserText {
    static func inner(_ b: HTMLBytes, _ tag: HTMLTag, _ limit: Int) -> String {
        HTMLText.extract(b, tag.end..<b.elementEnd(of: tag, limit: limit))
    }

    /// An attribute value with its entities decoded (`&amp;` in URLs).
    static func attr(_ b: HTMLBytes, _ r: Range<Int>) -> String {
        guard b.find(byte: UInt8(ascii: "&"), from: r.lowerBound, to: r.upperBound) != nil else { return b.string(r) }
        return HTMLText.extract(b, r)
    }

    /// `…maps?q=47.22,39.71&ll=…` → coordinates.
    static func coordinates(fromMapURL url: String) -> Coordinates? {
        guard let qIndex = url.firstIndex(of: "?") else { return nil }
        for pair in url[url.index(after: qIndex)...].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, ["q", "ll", "center"].contains(String(kv[0])) else { continue }
            let value = kv[1].replacingOccurrences(of: "%2C", with: ",").replacingOccurrences(of: "%2c", with: ",")
            let parts = value.split(separator: ",")
            guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]),
                  (-90...90).contains(lat), (-180...180).contains(lon) else { continue }
            return Coordinates(lat: lat, lon: lon)
        }
        return nil
    }
}
