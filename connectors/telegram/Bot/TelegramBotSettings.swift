import Foundation
import OtklikCore

/// The `connector: telegram_bot` keys of one source.
struct TelegramBotSettings: Sendable {
    /// Environment variable holding the bot token (or `<NAME>_FILE` naming a file with it).
    var tokenEnv = "TELEGRAM_BOT_TOKEN"
    var baseURL = "https://api.telegram.org"
    /// Chat ids (`-1001234567890`) or public usernames (`@city_chat`); empty = every chat the bot is in.
    var allowedChats: [String] = []
    /// Long-polling wait of `getUpdates` (Telegram allows up to 50 s).
    var longPoll: Duration = .seconds(25)
    var retryBase: Duration = .seconds(5)
    var retryMax: Duration = .seconds(600)

    static func read(_ source: SourceConfig, _ diagnostics: ConfigDiagnostics) throws -> TelegramBotSettings {
        guard let r = source.reader(diagnostics) else {
            throw ConfigError("source '\(source.id)' must be a mapping", at: source.node.mark)
        }
        var s = TelegramBotSettings()
        if let v = r.string("token_env") { s.tokenEnv = v }
        if let v = r.string("base_url") { s.baseURL = v.hasSuffix("/") ? String(v.dropLast()) : v }
        if let v = r.strings("allowed_chats") { s.allowedChats = v }
        if let v = r.duration("long_poll") {
            if v > .seconds(50) { diagnostics.error("source '\(source.id)': 'long_poll' must be at most 50s", at: r.node("long_poll")?.mark) }
            s.longPoll = min(v, .seconds(50))
        }
        if let v = r.duration("retry_base") { s.retryBase = v }
        if let v = r.duration("retry_max") { s.retryMax = v }
        r.finish()
        return s
    }

    /// Whether a chat passes `allowed_chats`.
    func allows(_ chat: BotAPI.Chat) -> Bool {
        guard !allowedChats.isEmpty else { return true }
        return allowedChats.contains { entry in
            if entry.hasPrefix("@") || Int64(entry) == nil {
                let name = entry.hasPrefix("@") ? String(entry.dropFirst()) : entry
                return chat.username?.caseInsensitiveCompare(name) == .orderedSame
            }
            return Int64(entry) == chat.id
        }
    }
}
