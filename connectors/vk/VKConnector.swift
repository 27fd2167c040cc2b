import OtklikCore

/// Registration of the `vk` connector.
public enum VKConnector {
    public static func register(in r: inout PluginRegistry) {}
}
