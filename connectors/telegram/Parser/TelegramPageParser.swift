import Foundation

/// Parses a `t.me/s/<channel>` web-preview page: a hand-written scanner over the UTF-8
/// bytes (no regular expressions, no DOM), fast enough to be measured by `otklik bench`.
///
/// The page is cut into one segment per `data-post` container; each segment is walked
/// tag by tag once, dispatching on the `class` tokens Telegram uses
/// (`tgme_widget_message_*`). Unknown markup is ignored, so a partial layout change loses
/// only the parts it touches; a page that yields nothing is reported by
/// `TelegramPage.looksLikeLayoutChange`.
public enum TelegramPageParser {
    public static func parse(html: Data) -> TelegramPage {
        html.withUnsafeBytes { raw in
            parse(HTMLBytes(raw.bindMemory(to: UInt8.self)))
        }
    }

    public static func parse(html: [UInt8]) -> TelegramPage {
        html.withUnsafeBufferPointer { parse(HTMLBytes($0)) }
    }

    public static func parse(html: String) -> TelegramPage {
        parse(html: Array(html.utf8))
    }

    static func parse(_ b: HTMLBytes) -> TelegramPage {
        var page = TelegramPage()
        var starts: [Int] = []
        var from = 0
        let scripts = scriptRanges(b)
        while let i = b.find(K.dataPost, from: from) {
            from = i + K.dataPost.count
            if let s = scripts.first(where: { $0.contains(i) }) { from = s.upperBound; continue }
            starts.append(lastIndex(of: UInt8(ascii: "<"), in: b, before: i) ?? i)
        }
        let headerEnd = starts.first ?? b.count
        parseHeader(b, 0..<headerEnd, into: &page)
        page.hasMessageHistory = b.find(K.channelHistory, from: 0) != nil
        page.saysNoMessages = b.find(K.noMessagesFound, from: 0) != nil
        if !page.hasMessageHistory, starts.isEmpty, b.find(K.tgmePage, from: 0) != nil {
            page.isLandingPage = true
            page.isNotFoundPage = b.find(K.pageTitle, from: 0) == nil
        }
        page.before = moreLink(b, K.dataBefore) ?? relLink(b, K.relPrev, K.beforeParam)
        page.after = moreLink(b, K.dataAfter) ?? relLink(b, K.relNext, K.afterParam)

        for (n, start) in starts.enumerated() {
            var end = n + 1 < starts.count ? starts[n + 1] : b.count
            if n + 1 == starts.count, let close = b.find(K.sectionClose, from: start) { end = close }
            switch MessageScanner.scan(b, start..<end) {
            case .message(let m): page.messages.append(m)
            case .service(let id): page.serviceMessageIDs.append(id)
            case .unreadable: page.unreadableContainers += 1
            }
        }
        return page
    }

    /// Where `<script>` bodies are, so markup quoted in scripts is not taken for messages.
    private static func scriptRanges(_ b: HTMLBytes) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var from = 0
        while let i = b.find(K.scriptOpen, from: from) {
            let end = b.find(K.scriptClose, from: i) ?? b.count
            out.append(i..<end)
            from = end
        }
        return out
    }

    private static func lastIndex(of byte: UInt8, in b: HTMLBytes, before i: Int) -> Int? {
        var j = i - 1
        while j >= 0 { if b[j] == byte { return j }; j -= 1 }
        return nil
    }

    private static func parseHeader(_ b: HTMLBytes, _ r: Range<Int>, into page: inout TelegramPage) {
        var i = r.lowerBound
        var lastCounter: String?
        var headerCounter: String?
        while let tag = b.nextTag(from: i, to: r.upperBound) {
            i = tag.end
            guard !tag.isClosing, let cls = b.attribute(K.classAttr, in: tag) else { continue }
            if b.hasToken(K.infoTitle, in: cls) || (page.channelTitle == nil && b.hasToken(K.pageTitleToken, in: cls)) {
                page.channelTitle = innerText(b, tag, limit: r.upperBound)
            } else if b.hasToken(K.infoUsername, in: cls) {
                let s = innerText(b, tag, limit: r.upperBound)
                page.channelUsername = s.hasPrefix("@") ? String(s.dropFirst()) : s
            } else if b.hasToken(K.counterValue, in: cls) {
                lastCounter = innerText(b, tag, limit: r.upperBound)
            } else if b.hasToken(K.counterType, in: cls) {
                let type = innerText(b, tag, limit: r.upperBound)
                if ["subscribers", "subscriber", "members", "member"].contains(type), let v = lastCounter {
                    page.subscribers = TelegramValues.compactCount(v)
                }
            } else if b.hasToken(K.headerCounter, in: cls) || b.hasToken(K.pageExtra, in: cls) {
                headerCounter = innerText(b, tag, limit: r.upperBound)
            }
        }
        if page.subscribers == nil, let c = headerCounter {
            // «60K members», «1 234 subscribers»
            let words = c.split(separator: " ")
            if let last = words.last, ["subscribers", "subscriber", "members", "member"].contains(String(last)) {
                page.subscribers = TelegramValues.compactCount(words.dropLast().joined())
            }
        }
    }

    static func innerText(_ b: HTMLBytes, _ tag: HTMLTag, limit: Int) -> String {
        HTMLText.extract(b, tag.end..<b.elementEnd(of: tag, limit: limit))
    }

    private static func moreLink(_ b: HTMLBytes, _ attr: [UInt8]) -> Int? {
        guard let i = b.find(attr, from: 0) else { return nil }
        return number(b, at: i + attr.count)
    }

    private static func relLink(_ b: HTMLBytes, _ rel: [UInt8], _ param: [UInt8]) -> Int? {
        guard let i = b.find(rel, from: 0), let gt = b.find(byte: UInt8(ascii: ">"), from: i, to: b.count),
              let p = b.find(param, from: max(0, i - 200), to: gt) else { return nil }
        return number(b, at: p + param.count)
    }

    static func number(_ b: HTMLBytes, at i: Int) -> Int? {
        var j = i, v = 0
        while j < b.count, b[j] >= 48, b[j] <= 57, j - i < 18 { v = v * 10 + Int(b[j] - 48); j += 1 }
        return j > i ? v : nil
    }
}

/// Byte needles and class tokens of the web-preview markup.
enum K {
    static let dataPost = Array("data-post=\"".utf8)
    static let dataBefore = Array("data-before=\"".utf8)
    static let dataAfter = Array("data-after=\"".utf8)
    static let relPrev = Array("rel=\"prev\"".utf8)
    static let relNext = Array("rel=\"next\"".utf8)
    static let beforeParam = Array("before=".utf8)
    static let afterParam = Array("after=".utf8)
    static let channelHistory = Array("tgme_channel_history".utf8)
    static let noMessagesFound = Array("tme_no_messages_found".utf8)
    static let tgmePage = Array("class=\"tgme_page".utf8)
    static let pageTitle = Array("tgme_page_title".utf8)
    static let sectionClose = Array("</section>".utf8)
    static let scriptOpen = Array("<script".utf8)
    static let scriptClose = Array("</script>".utf8)
    static let classAttr = Array("class".utf8)
    static let hrefAttr = Array("href".utf8)
    static let datetimeAttr = Array("datetime".utf8)
    static let dataPostAttr = Array("data-post".utf8)
    static let infoTitle = Array("tgme_channel_info_header_title".utf8)
    static let pageTitleToken = Array("tgme_page_title".utf8)
    static let infoUsername = Array("tgme_channel_info_header_username".utf8)
    static let counterValue = Array("counter_value".utf8)
    static let counterType = Array("counter_type".utf8)
    static let headerCounter = Array("tgme_header_counter".utf8)
    static let pageExtra = Array("tgme_page_extra".utf8)
    static let serviceMessage = Array("service_message".utf8)
    static let messagePrefix = Array("tgme_widget_message_".utf8)
    static let jsMessageText = Array("js-message_text".utf8)
    static let jsReplyText = Array("js-message_reply_text".utf8)
    static let mediaNotSupported = Array("message_media_not_supported".utf8)
    static let edited = Array("edited".utf8)
    static let time = Array("time".utf8)
}
