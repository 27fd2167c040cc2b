import JSONLConnector
import OtklikCore
import TelegramConnector
import VKConnector

/// Every plugin the binary knows. Adding a connector: one line here.
func makeRegistry() -> PluginRegistry {
    var r = PluginRegistry.builtIn()
    JSONLConnector.register(in: &r)
    TelegramConnector.register(in: &r)
    VKConnector.register(in: &r)
    return r
}
