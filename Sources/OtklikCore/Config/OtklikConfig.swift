import Foundation

/// The whole `pipelines.yaml`, typed. Plugin-specific keys stay as nodes and are typed
/// by the plugin itself (`SourceConfig.reader`, …) when the pipeline is built.
public struct OtklikConfig: Sendable {
    public var file: String
    public var stateDir: String
    public var logLevel: LogLevel
    public var metricsFile: String?
    public var metricsInterval: Duration
    public var shutdownTimeout: Duration
    public var http: HTTPClientConfiguration
    public var pipelines: [PipelineConfig]

    public func pipeline(named name: String?) -> PipelineConfig? {
        guard let name else { return pipelines.first }
        return pipelines.first { $0.name == name }
    }
}

public struct PipelineConfig: Sendable {
    public var name: String
    /// The region's display name, the last resort of geotagging.
    public var region: String?
    public var channelCapacity: Int
    /// Analysis workers; 0 means one per core.
    public var workers: Int
    public var sources: [SourceConfig]
    public var stages: [StageConfig]
    public var sinks: [SinkConfig]
    public var mark: SourceMark
}

/// One `sources:` entry. `node` holds the connector's own keys.
public struct SourceConfig: Sendable {
    public var id: String
    public var connector: String
    public var pollInterval: Duration
    /// The settlement or municipality the source writes about (a community of one town).
    public var place: String?
    public var enabled: Bool
    public var node: YAMLNode
    public static let coreKeys = ["id", "connector", "poll_interval", "place", "enabled"]

    /// A reader over this source's section with the core keys already accepted.
    public func reader(_ diagnostics: ConfigDiagnostics) -> MappingReader? {
        let r = MappingReader(node, diagnostics: diagnostics, context: "source '\(id)'")
        for k in Self.coreKeys { r?.allow(k) }
        return r
    }

    public init(id: String, connector: String, pollInterval: Duration = .seconds(60), place: String? = nil,
                enabled: Bool = true, node: YAMLNode) {
        self.id = id; self.connector = connector; self.pollInterval = pollInterval
        self.place = place; self.enabled = enabled; self.node = node
    }
}

/// One `stages:` entry: a name, or `name: {settings}`.
public struct StageConfig: Sendable {
    public var name: String
    public var node: YAMLNode
    public func reader(_ diagnostics: ConfigDiagnostics) -> MappingReader? {
        MappingReader(node, diagnostics: diagnostics, context: "stage '\(name)'")
    }
    public init(name: String, node: YAMLNode) { self.name = name; self.node = node }
}

/// What a sink does when its queue is full.
public enum WhenFull: String, Sendable { case block, dropOldest = "drop_oldest" }

/// One `sinks:` entry with the delivery settings every sink shares.
public struct SinkConfig: Sendable {
    public var name: String
    public var type: String
    public var queueCapacity: Int
    public var batchSize: Int
    /// How long a batch waits for more incidents after its first (default 50 ms): the
    /// latency a lone complaint pays before its row exists; busy sinks fill `batch_size` first.
    public var batchInterval: Duration
    public var maxAttempts: Int
    public var retryBase: Duration
    public var retryMax: Duration
    public var whenFull: WhenFull
    public var node: YAMLNode
    public static let coreKeys = ["name", "type", "queue", "batch_size", "batch_interval", "max_attempts",
                                  "retry_base", "retry_max", "when_full"]

    public func reader(_ diagnostics: ConfigDiagnostics) -> MappingReader? {
        let r = MappingReader(node, diagnostics: diagnostics, context: "sink '\(name)'")
        for k in Self.coreKeys { r?.allow(k) }
        return r
    }

    public init(name: String, type: String, queueCapacity: Int = 4096, batchSize: Int = 200,
                batchInterval: Duration = .milliseconds(50), maxAttempts: Int = 0,
                retryBase: Duration = .milliseconds(200), retryMax: Duration = .seconds(60),
                whenFull: WhenFull = .block, node: YAMLNode) {
        self.name = name; self.type = type; self.queueCapacity = queueCapacity; self.batchSize = batchSize
        self.batchInterval = batchInterval; self.maxAttempts = maxAttempts; self.retryBase = retryBase
        self.retryMax = retryMax; self.whenFull = whenFull; self.node = node
    }
}
