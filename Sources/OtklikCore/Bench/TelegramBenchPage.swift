import Foundation

/// A `t.me/s/<channel>` page shaped like a real one (header, counters, 20 messages with author,
/// avatar, bubble tail, entities, links, hashtags, views, date), for the parser figure.
public enum TelegramBenchPage {
    public static func html(messages: Int = 20, texts: [String] = BenchSeeds.builtIn.complaints + BenchSeeds.builtIn.noise) -> Data {
        var s = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>Новости города – Telegram</title>
        <meta name="viewport" content="width=device-width, initial-scale=1.0">
        <link rel="canonical" href="/s/bench_news"><link rel="prev" href="/s/bench_news?before=1000">
        </head><body class="widget_frame_base tgme_widget body_widget_post emoji_image nodesktop">
        <header class="tgme_header search_collapsed"><div class="tgme_channel_info"><div class="tgme_channel_info_header">\
        <div class="tgme_channel_info_header_title"><span dir="auto">Новости города</span></div>\
        <div class="tgme_channel_info_header_username"><a href="https://t.me/bench_news">@bench_news</a></div></div>\
        <div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">48.1K</span> \
        <span class="counter_type">subscribers</span></div></div></div></header>
        <main class="tgme_main" data-url="/bench_news"><div class="tgme_container"><section class="tgme_channel_history js-message_history">
        <a href="/s/bench_news?before=1000" class="tme_messages_more js-messages_more" data-before="1000"></a>

        """
        for i in 0..<messages {
            let id = 1000 + i
            let text = texts[i % texts.count]
                .replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            s += """
            <div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" \
            data-post="bench_news/\(id)" data-view="eyJjIjotMTAwMTIzNDU2Nzg5MCwicCI6MTAwMCwidCI6MTcwMDAwMDAwMCwiaCI6ImFiY2RlZiJ9">\
            <div class="tgme_widget_message_user"><a href="https://t.me/bench_news"><i class="tgme_widget_message_user_photo bgcolor3" \
            data-content="Н"><img src="https://cdn4.telesco.pe/file/avatar\(i).jpg"></i></a></div>\
            <div class="tgme_widget_message_bubble"><i class="tgme_widget_message_bubble_tail"><svg class="bubble_icon" width="9px" \
            height="20px" viewBox="0 0 9 20"><g fill="none"><path class="background" fill="#ffffff" d="M8,1 L9,1 L9,20 L8,20 Z"></path>\
            </g></svg></i><div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" \
            href="https://t.me/bench_news"><span dir="auto">Новости города</span></a></div>\
            <div class="tgme_widget_message_text js-message_text" dir="auto">\(text)<br/><br/>Пишите нам: \
            <a href="https://t.me/bench_bot" target="_blank" rel="noopener">@bench_bot</a> \
            <a href="?q=%23%D0%B6%D0%B0%D0%BB%D0%BE%D0%B1%D0%B0">#жалоба</a> &quot;цитата&quot;&nbsp;<b>важно</b> \
            <i class="emoji" style="background-image:url('//telegram.org/img/emoji/40/F09F9880.png')"><b>😀</b></i></div>\
            <div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">\
            <span class="tgme_widget_message_views">\(1 + i % 9).\(i % 10)K</span><span class="copyonly"> views</span>\
            <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/bench_news/\(id)">\
            <time datetime="2026-11-2\(i % 4)T0\(i % 10):1\(i % 6):00+00:00" class="time">0\(i % 10):1\(i % 6)</time></a></span>\
            </div></div></div></div></div>

            """
        }
        s += "</section></div></main></body></html>\n"
        return Data(s.utf8)
    }
}

/// Repeats a measured body until enough time has passed, for small, fast figures.
public enum Repeated {
    /// Runs `body` (which returns the units it handled) for at least `minSeconds`, at least once.
    public static func measure(minSeconds: Double, _ body: () throws -> Int) rethrows -> (units: Int, seconds: Double) {
        let start = BenchThreads.now()
        var units = 0
        var elapsed = 0.0
        repeat {
            units += try body()
            elapsed = BenchThreads.now() - start
        } while elapsed < minSeconds
        return (units, elapsed)
    }
}
