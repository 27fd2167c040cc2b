import Foundation
import OtklikCore

/// The `connector: telegram` keys of one source.
struct TelegramChannelSettings: Sendable {
    /// Channel name as in `t.me/<name>` (a leading `@` or a full URL is accepted).
    var channel: String
    var baseURL = "https://t.me"
    var pollInterval: Duration = .seconds(300)
    /// Up to this much is added to or taken from each interval, so channels do not poll in step.
    var jitter: Duration = .seconds(30)
    /// How many `?before=` pages one poll may follow back to reach the last seen post.
    var maxPagesPerPoll = 50
    /// Pause between pages of one poll or backfill (politeness towards t.me).
    var pageDelay: Duration = .milliseconds(500)
    /// How long to wait before trying a channel that does not exist or hides its preview again.
    var unavailableRetry: Duration = .seconds(6 * 3600)
    /// Base and cap of the backoff after 429 / 5xx answers without `Retry-After`.
    var retryBase: Duration = .seconds(30)
    var retryMax: Duration = .seconds(3600)

    static let keys = ["channel", "base_url", "jitter", "max_pages_per_poll", "page_delay",
                       "unavailable_retry", "retry_base", "retry_max"]

    /// Reads and checks the source's keys; problems go to `diagnostics` (and a missing
    /// channel also throws, so the source is never built half-configured).
    static func read(_ source: SourceConfig, _ diagnostics: ConfigDiagnostics) throws -> TelegramChannelSettings {
        let context = "source '\(source.id)'"
        guard let r = source.reader(diagnostics) else {
            throw ConfigError("\(context) must be a mapping", at: source.node.mark)
        }
        let raw = r.string("channel", required: true)
        var s = TelegramChannelSettings(channel: "")
        s.pollInterval = source.pollInterval
        s.jitter = source.pollInterval / 10
        if let v = r.string("base_url") { s.baseURL = v.hasSuffix("/") ? String(v.dropLast()) : v }
        if let v = r.duration("jitter") { s.jitter = v }
        if let v = r.int("max_pages_per_poll", range: 1...1000) { s.maxPagesPerPoll = v }
        if let v = r.duration("page_delay") { s.pageDelay = v }
        if let v = r.duration("unavailable_retry") { s.unavailableRetry = v }
        if let v = r.duration("retry_base") { s.retryBase = v }
        if let v = r.duration("retry_max") { s.retryMax = v }
        r.finish()
        guard let raw else { throw ConfigError("\(context): missing required key 'channel'", at: source.node.mark) }
        guard let name = normalize(channel: raw) else {
            let e = ConfigError("\(context): 'channel' must be a public channel name like 'bataysk_news', found '\(raw)'",
                                at: r.node("channel")?.mark ?? source.node.mark)
            diagnostics.error(e.message, at: e.mark)
            throw e
        }
        s.channel = name
        return s
    }

    /// `@name`, `t.me/name`, `https://t.me/s/name` → `name`; nil when it is not a valid name.
    static func normalize(channel raw: String) -> String? {
        var s = raw.trimmingCharacters(in: .whitespaces)
        for prefix in ["https://", "http://", "t.me/", "telegram.me/", "s/", "@"] where s.hasPrefix(prefix) {
            s.removeFirst(prefix.count)
        }
        if s.hasSuffix("/") { s.removeLast() }
        let ok = s.count >= 4 && s.count <= 64 && s.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_"
        }
        return ok ? s : nil
    }
}
