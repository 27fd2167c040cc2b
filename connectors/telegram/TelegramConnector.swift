import OtklikCore

/// Registration of the `telegram` connector.
public enum TelegramConnector {
    public static func register(in r: inout PluginRegistry) {}
}
