/// Maps config names to plugin factories: `connector: vk`, `stages: [classify]`, `type: sqlite`.
///
/// The composition root (`otklik`'s main) registers connectors, one line each; core
/// stages and sinks register themselves in `PluginRegistry.builtIn`.
public struct PluginRegistry: Sendable {
    public private(set) var connectors: [String: ConnectorFactory] = [:]
    public private(set) var stages: [String: StageFactory] = [:]
    public private(set) var sinks: [String: SinkFactory] = [:]

    public init() {}

    public mutating func register(connector name: String, _ f: @escaping ConnectorFactory) { connectors[name] = f }
    public mutating func register(stage name: String, _ f: @escaping StageFactory) { stages[name] = f }
    public mutating func register(sink name: String, _ f: @escaping SinkFactory) { sinks[name] = f }
}
