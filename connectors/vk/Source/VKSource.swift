import Foundation
import OtklikCore

/// A `connector: vk` source: the walls of its communities (plus their comments and
/// keyword searches), read through the VK API within each token's budgets.
///
/// Every request goes through `VKBudgetRegistry`, which paces it below the token's
/// per-second limit and charges the method's daily quota; `VKPollPlanner` decides which
/// walls are due, polling busy ones more often. A poll reads only the due walls and
/// answers with `nextPollAfter`, so the runtime calls back when the next one is due.
public actor VKSource: Connector, ConnectorStatusReporting {
    public nonisolated let sourceID: String
    public nonisolated let rateLimits: RateLimits

    struct Token: Sendable {
        var hash: String
        var client: VKAPIClient
    }

    let settings: VKSettings
    let tokens: [Token]
    let missingTokenMessage: String?
    /// Where `statusFields()` is written after every poll, for `otklik status` in another process.
    let statusPath: String?
    let registry: VKBudgetRegistry
    let clock: any VKClock
    let logger: Logger
    let metrics: Metrics
    let mapper: VKPostMapper
    var planner: VKPollPlanner
    var state = VKCursorState()
    /// Alarms already logged (one line per token problem or skipped source).
    var alarmed: Set<String> = []
    /// Community key → why it is skipped now.
    var skipped: [String: String] = [:]
    /// Screen name → when to try resolving it again after it was not found.
    var nameRetryAt: [String: Double] = [:]
    /// Community key → time of the last successful read.
    var lastRead: [String: Double] = [:]

    public init(sourceID: String, settings: VKSettings, tokens: [String], http: HTTPClient, logger: Logger,
                metrics: Metrics, stateDir: String?, registry: VKBudgetRegistry = .shared,
                clock: any VKClock = VKSystemClock()) {
        self.sourceID = sourceID
        self.settings = settings
        self.registry = registry
        self.clock = clock
        self.logger = logger.with(label: "vk:\(sourceID)")
        self.metrics = metrics
        self.mapper = VKPostMapper(sourceID: sourceID)
        let rps = settings.requestsPerSecond ?? settings.tokenType.defaultRequestsPerSecond
        // Each wall keeps `min_interval`; the source itself may come back sooner for another wall.
        self.rateLimits = RateLimits(requestsPerSecond: rps * settings.margin * Double(max(1, tokens.count)),
                                     minPollInterval: min(settings.minInterval, .seconds(10)))
        self.planner = VKPollPlanner(minInterval: Double(settings.minInterval.components.seconds),
                                     maxInterval: Double(settings.maxInterval.components.seconds))
        let store = stateDir.map { $0 + "/vk-budget.json" }
        self.statusPath = stateDir.map { $0 + "/vk-status-\(sourceID).json" }
        var list: [Token] = []
        for t in tokens {
            let hash = VKBudgetRegistry.hash(token: t)
            registry.register(hash, budget: VKTokenBudget(
                type: settings.tokenType, requestsPerSecond: settings.requestsPerSecond, margin: settings.margin,
                quotas: settings.quotas, safety: settings.quotaSafety), storePath: store)
            list.append(Token(hash: hash, client: VKAPIClient(baseURL: settings.baseURL, version: settings.apiVersion,
                                                               token: t, http: http)))
        }
        self.tokens = list
        self.missingTokenMessage = tokens.isEmpty
            ? "no VK token: set " + settings.tokenEnvs.map { "\($0) (or \($0)_FILE)" }.joined(separator: " or ")
            : nil
    }

    /// The community keys (owner ids as strings) known so far, in configured order.
    var communityKeys: [String] {
        settings.communities.compactMap { c in
            if let id = VKSettings.ownerID(c) { return String(id) }
            return state.resolved[c].map { String($0) }
        }
    }

    /// Logs `message` once per `key` (an alarm, a skipped source) until `clearAlarm`.
    func alarm(_ key: String, _ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, Any> = [:]) {
        guard alarmed.insert(key).inserted else { return }
        logger.log(level, message, fields)
    }

    func clearAlarm(_ key: String) { alarmed.remove(key) }
}
