import Foundation

/// What `otklik status` shows for one pipeline: sources' health from the state database,
/// sinks' queues and deliveries from the metrics file, and connectors' own status files.
public struct StatusReport: Sendable, Equatable, Encodable {
    public struct Source: Sendable, Equatable, Encodable {
        public var id: String
        public var connector: String?
        public var lastPollAt: Date?
        public var lastSuccessAt: Date?
        public var newestPostAt: Date?
        public var errorStreak: Int
        public var lastError: String?
        public var postsRead: Int
        /// How long the source has been failing (nil when its last poll succeeded).
        public var failingFor: TimeInterval?
        /// Over the `--max-failing` threshold.
        public var failing: Bool
        /// The connector's own status fields (e.g. VK budgets and freshness), flattened.
        public var connectorStatus: [String: String]?

        enum CodingKeys: String, CodingKey {
            case id, connector, failing, lastError = "last_error", postsRead = "posts_read"
            case lastPollAt = "last_poll_at", lastSuccessAt = "last_success_at", newestPostAt = "newest_post_at"
            case errorStreak = "error_streak", failingFor = "failing_for_s", connectorStatus = "connector_status"
        }
    }

    public struct Sink: Sendable, Equatable, Encodable {
        public var name: String
        public var type: String?
        public var queueDepth: Int?
        public var lastDeliveryAt: Date?
        public var delivered: Int?
        public var deadLettered: Int?

        enum CodingKeys: String, CodingKey {
            case name, type, delivered, queueDepth = "queue_depth", lastDeliveryAt = "last_delivery_at"
            case deadLettered = "dead_lettered"
        }
    }

    public var pipeline: String
    public var sources: [Source]
    public var sinks: [Sink]
    /// Why some part could not be read (no state yet, no metrics file…).
    public var notes: [String]
    /// The state database exists but cannot be read (corrupt, locked, newer schema): the
    /// daemon cannot run on it, so the check fails.
    public var stateUnreadable = false

    enum CodingKeys: String, CodingKey {
        case pipeline, sources, sinks, notes, stateUnreadable = "state_unreadable"
    }

    /// True when some source has been failing longer than the threshold.
    public var hasFailingSource: Bool { sources.contains { $0.failing } }

    /// Builds a source's row. A source that failed and never succeeded counts as failing
    /// since its first recorded poll is unknown: it is reported as over the threshold.
    public static func source(id: String, connector: String?, health: SourceHealth?, maxFailing: TimeInterval,
                              now: Date, connectorStatus: [String: String]? = nil) -> Source {
        let h = health ?? SourceHealth(sourceID: id)
        var failingFor: TimeInterval?
        var failing = false
        if h.errorStreak > 0 {
            if let ok = h.lastSuccessAt {
                failingFor = max(0, now.timeIntervalSince(ok))
                failing = failingFor! > maxFailing
            } else {
                failing = true
            }
        }
        return Source(id: id, connector: connector, lastPollAt: h.lastPollAt, lastSuccessAt: h.lastSuccessAt,
                      newestPostAt: h.newestPostAt, errorStreak: h.errorStreak, lastError: h.lastError,
                      postsRead: h.postsRead, failingFor: failingFor, failing: failing, connectorStatus: connectorStatus)
    }

    /// Builds a sink's row from the metrics file's samples.
    public static func sink(name: String, type: String?, pipeline: String, metrics: PrometheusSamples?) -> Sink {
        func first(_ metric: String, _ labels: [String: String]) -> Double? {
            metrics?.values(metric, matching: labels).first?.value
        }
        let byPipeline = ["pipeline": pipeline, "sink": name]
        let depth = first("otklik_sink_queue_depth", byPipeline) ?? first("otklik_sink_queue_depth", ["sink": name])
        let last = first("otklik_sink_last_delivery_timestamp_seconds", byPipeline)
            ?? first("otklik_sink_last_delivery_timestamp_seconds", ["sink": name])
        let delivered = metrics?.values("otklik_sink_delivered_total", matching: ["sink": name]).reduce(0) { $0 + $1.value }
        let dead = metrics?.values("otklik_sink_dead_letter_total", matching: ["sink": name]).reduce(0) { $0 + $1.value }
        return Sink(name: name, type: type, queueDepth: depth.map { Int($0) },
                    lastDeliveryAt: last.map { Date(timeIntervalSince1970: $0) },
                    delivered: delivered.map { Int($0) }, deadLettered: dead.map { Int($0) })
    }
}
