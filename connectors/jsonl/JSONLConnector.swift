import Foundation
import OtklikCore

/// Registration of the `jsonl` connector.
public enum JSONLConnector {
    public static func register(in r: inout PluginRegistry) {
        r.register(connector: "jsonl", JSONLFeed.factory)
    }
}
