import Foundation
import OtklikCore

/// Reads one public Telegram channel through its web preview, `<base_url>/s/<channel>`:
/// no account, no token.
///
/// Each poll fetches the newest page and follows `?before=` pages back until it reaches
/// the last message seen, so bursts between polls are not lost; messages marked edited
/// are emitted again as updates of the same post. A channel that does not exist or hides
/// its preview is reported once and retried rarely; 429 and 5xx answers become
/// `ConnectorError.retryAfter` honouring `Retry-After`.
actor TelegramChannelConnector: Connector, ConnectorStatusReporting {
    nonisolated let sourceID: String
    nonisolated let rateLimits: RateLimits
    let settings: TelegramChannelSettings
    let http: HTTPClient
    let logger: Logger
    let metrics: Metrics
    /// Source of randomness for the jitter (0..<1); fixed in tests.
    let random: @Sendable () -> Double

    var channelTitle: String?
    var subscribers: Int?
    var consecutiveFailures = 0
    var unavailableReported = false
    var lastPollPages = 0
    var lastError: String?

    init(sourceID: String, settings: TelegramChannelSettings, context: PluginContext,
         random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.sourceID = sourceID
        self.settings = settings
        self.http = context.http
        self.logger = context.logger.with(label: "telegram")
        self.metrics = context.metrics
        self.random = random
        self.rateLimits = RateLimits(requestsPerSecond: 1, minPollInterval: .seconds(30))
        metrics.describe("otklik_connector_parse_alarm_total",
                         "Pages answered 200 that parsed to no messages (the markup probably changed)")
    }

    func poll(after cursor: Cursor?) async throws -> PollResult {
        let state = try TelegramChannelCursor(cursor)
        let first: TelegramPage
        var next = state
        switch try await fetch(before: nil, conditional: state) {
        case .notModified:
            return PollResult(posts: [], cursor: cursor, nextPollAfter: nextInterval())
        case .unavailable(let why):
            return unavailable(why, cursor: cursor)
        case .page(let page, let validators):
            first = page
            next.etag = validators.etag
            next.lastModified = validators.lastModified
        }
        if first.looksLikeLayoutChange {
            raiseParseAlarm(first, url: pageURL(before: nil))
            return PollResult(posts: [], cursor: cursor, nextPollAfter: nextInterval())
        }
        var messages = first.messages
        var serviceIDs = first.serviceMessageIDs
        var pages = 1
        var page = first
        while let before = TelegramPollPlan.nextBefore(page: page, lastID: state.lastID) {
            guard pages < settings.maxPagesPerPoll else {
                logger.warning("channel posted more than the pages one poll follows; older new posts may be missed",
                               ["source": sourceID, "pages": pages, "oldest_fetched": page.oldestID ?? 0,
                                "last_seen": state.lastID ?? 0])
                break
            }
            try await pause()
            guard case .page(let older, _) = try await fetch(before: before, conditional: nil) else { break }
            pages += 1
            if older.messages.isEmpty, older.serviceMessageIDs.isEmpty { break }
            messages += older.messages
            serviceIDs += older.serviceMessageIDs
            page = older
        }
        lastPollPages = pages
        let (emit, advanced) = TelegramPollPlan.select(messages, serviceIDs: serviceIDs, state: state)
        next.lastID = advanced.lastID
        next.edits = advanced.edits
        let now = Date()
        let posts = emit.map { item in
            TelegramPostMapper.post(item.message, sourceID: sourceID, baseURL: settings.baseURL,
                                    channelTitle: channelTitle, edited: item.message.isEdited ? now : nil)
        }
        consecutiveFailures = 0
        lastError = nil
        if unavailableReported {
            logger.notice("channel is readable again", ["source": sourceID, "channel": settings.channel])
            unavailableReported = false
        }
        return PollResult(posts: posts, cursor: next.cursor, nextPollAfter: nextInterval())
    }

    func statusFields() -> [String: String] {
        var f = ["channel": settings.channel, "pages_last_poll": String(lastPollPages)]
        if let channelTitle { f["title"] = channelTitle }
        if let subscribers { f["subscribers"] = String(subscribers) }
        if let lastError { f["last_error"] = lastError }
        return f
    }

    func nextInterval() -> Duration {
        TelegramSchedule.jittered(settings.pollInterval, jitter: settings.jitter, unit: random())
    }

    func pause() async throws {
        if settings.pageDelay > .zero { try await Task.sleep(for: settings.pageDelay) }
    }

    private func unavailable(_ why: String, cursor: Cursor?) -> PollResult {
        lastError = why
        if !unavailableReported {
            logger.warning("channel cannot be read; retrying rarely",
                           ["source": sourceID, "channel": settings.channel, "reason": why,
                            "retry_in": settings.unavailableRetry])
            unavailableReported = true
        }
        metrics.set("otklik_connector_unavailable", 1, ["source": sourceID])
        return PollResult(posts: [], cursor: cursor, nextPollAfter: settings.unavailableRetry)
    }

    func raiseParseAlarm(_ page: TelegramPage, url: String) {
        lastError = "parsed 0 messages from a 200 page"
        metrics.increment("otklik_connector_parse_alarm_total", ["source": sourceID])
        logger.error("ALARM: parsed 0 messages from a 200 page; the t.me markup may have changed",
                     ["source": sourceID, "url": url, "has_history": page.hasMessageHistory,
                      "containers": page.unreadableContainers])
    }
}
