import Foundation
import OtklikTestSupport
@testable import TelegramConnector

/// Crafted web-preview pages in `Tests/ConnectorTests/Fixtures/telegram/` (same markup as
/// t.me/s, neutral content) and a builder for pages served by the test HTTP server.
enum TelegramFixtures {
    static func data(_ name: String) throws -> Data {
        let path = TestPaths.repoRoot + "/Tests/ConnectorTests/Fixtures/telegram/" + name
        guard let d = FileManager.default.contents(atPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        return d
    }

    static func page(_ name: String) throws -> TelegramPage {
        TelegramPageParser.parse(html: try data(name))
    }

    /// One message of a generated page.
    struct Msg {
        var id: Int
        var text: String
        var edited = false
        var service = false
        /// Minutes after 2026-11-20T00:00:00Z.
        var minute: Int? = nil
    }

    /// A `t.me/s/<channel>` page holding `messages` (oldest first) with the more-links Telegram adds.
    static func channelPage(_ channel: String, _ messages: [Msg], before: Int? = nil, after: Int? = nil) -> String {
        var html = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(channel) – Telegram</title></head>
        <body><header class="tgme_header"><div class="tgme_channel_info"><div class="tgme_channel_info_header_title"><span dir="auto">Канал \(channel)</span></div>
        <div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">1.5K</span> <span class="counter_type">subscribers</span></div></div></div></header>
        <main class="tgme_main"><div class="tgme_container"><section class="tgme_channel_history js-message_history">
        """
        if let before { html += "<a href=\"/s/\(channel)?before=\(before)\" class=\"tme_messages_more js-messages_more\" data-before=\"\(before)\"></a>" }
        for m in messages {
            let minute = m.minute ?? m.id
            let date = Date(timeIntervalSince1970: 1_763_596_800 + Double(minute * 60))
            let iso = date.formatted(.iso8601)
            let cls = m.service ? "tgme_widget_message service_message js-widget_message" : "tgme_widget_message js-widget_message"
            let edited = m.edited ? "edited " : ""
            html += """
            <div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="\(cls)" data-post="\(channel)/\(m.id)" data-view="x"><div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text js-message_text" dir="auto">\(m.text)</div><div class="tgme_widget_message_footer"><div class="tgme_widget_message_info"><span class="tgme_widget_message_views">\(m.id)</span><span class="tgme_widget_message_meta">\(edited)<a class="tgme_widget_message_date" href="https://t.me/\(channel)/\(m.id)"><time datetime="\(iso)" class="time">00:00</time></a></span></div></div></div></div></div>

            """
        }
        if let after { html += "<a href=\"/s/\(channel)?after=\(after)\" class=\"tme_messages_more js-messages_more\" data-after=\"\(after)\"></a>" }
        html += "</section></div></main></body></html>"
        return html
    }
}
