import OtklikCore

/// Registration of the Telegram connectors:
/// - `connector: telegram` — a public channel through its web preview (`t.me/s/<channel>`);
/// - `connector: telegram_bot` — chats where the operator's bot is a member, through the Bot API.
public enum TelegramConnector {
    public static func register(in r: inout PluginRegistry) {
        r.register(connector: "telegram") { source, context in
            let settings = try TelegramChannelSettings.read(source, context.diagnostics)
            return TelegramChannelConnector(sourceID: source.id, settings: settings, context: context)
        }
        r.register(connector: "telegram_bot") { source, context in
            let settings = try TelegramBotSettings.read(source, context.diagnostics)
            return TelegramBotConnector(sourceID: source.id, settings: settings, context: context)
        }
    }
}
