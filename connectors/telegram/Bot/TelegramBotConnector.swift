import Foundation
import OtklikCore

/// Reads the chats and channels where the operator's bot is a member through the Bot API:
/// `getUpdates` long polling, the `offset` kept as the cursor, so updates not yet
/// acknowledged by the sinks are fetched again after a restart (Telegram keeps them 24 h).
///
/// The token comes from `PluginContext.secret` (registered with the redactor) and is
/// never logged. The Bot API has no history: `backfill` explains that and fails.
actor TelegramBotConnector: Connector, ConnectorStatusReporting {
    nonisolated let sourceID: String
    nonisolated let rateLimits = RateLimits(requestsPerSecond: 1, minPollInterval: .zero)
    let settings: TelegramBotSettings
    let http: HTTPClient
    let logger: Logger
    let token: String?
    var consecutiveFailures = 0
    var lastError: String?
    var skippedChats = 0
    /// The status of the refusal last logged in the current failure streak (one line per kind).
    var loggedRefusal: Int?

    init(sourceID: String, settings: TelegramBotSettings, context: PluginContext) {
        self.sourceID = sourceID
        self.settings = settings
        self.http = context.http
        self.logger = context.logger.with(label: "telegram_bot")
        self.token = context.secret(settings.tokenEnv)
    }

    struct State: Codable { var offset: Int64 }

    func poll(after cursor: Cursor?) async throws -> PollResult {
        guard let token else {
            throw ConnectorError.fatal("telegram_bot '\(sourceID)': no bot token; set \(settings.tokenEnv) or \(settings.tokenEnv)_FILE")
        }
        var offset: Int64?
        if let cursor {
            guard let s = try? JSONDecoder().decode(State.self, from: Data(cursor.value.utf8)) else {
                throw ConnectorError.fatal("telegram_bot '\(sourceID)': unreadable cursor; reset the source's checkpoint")
            }
            offset = s.offset
        }
        let timeout = Int(settings.longPoll.components.seconds)
        var url = "\(settings.baseURL)/bot\(token)/getUpdates?timeout=\(timeout)"
        url += "&allowed_updates=%5B%22message%22%2C%22edited_message%22%2C%22channel_post%22%2C%22edited_channel_post%22%5D"
        if let offset { url += "&offset=\(offset)" }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(url: url, timeout: settings.longPoll + .seconds(15)))
        } catch let e as HTTPError {
            consecutiveFailures += 1
            lastError = e.description
            throw ConnectorError.unavailable("telegram_bot '\(sourceID)': \(Redactor.redact(e.description))")
        }
        let body = try? BotAPI.decoder().decode(BotAPI.Response<[BotAPI.Update]>.self, from: response.body)
        guard response.status == 200, let body, body.ok, let updates = body.result else {
            throw failure(response, body)
        }
        consecutiveFailures = 0
        lastError = nil
        loggedRefusal = nil
        var posts: [Post] = []
        var next = offset
        for u in updates {
            next = max(next ?? 0, u.updateId + 1)
            guard let (m, isEdit) = u.carried else { continue }
            guard settings.allows(m.chat) else { skippedChats += 1; continue }
            posts.append(TelegramBotPostMapper.post(m, isEdit: isEdit, sourceID: sourceID))
        }
        let nextCursor = next.map { Cursor("{\"offset\":\($0)}") } ?? cursor
        // Long polling already waited; poll again at once.
        return PollResult(posts: posts, cursor: nextCursor, nextPollAfter: .zero)
    }

    /// Classifies a refused `getUpdates` into the error the runtime acts on.
    private func failure(_ r: HTTPResponse, _ body: BotAPI.Response<[BotAPI.Update]>?) -> ConnectorError {
        let description = Redactor.redact(body?.description ?? "HTTP \(r.status)")
        lastError = description
        switch body?.errorCode ?? r.status {
        case 409:
            let hint = description.lowercased().contains("webhook")
                ? "a webhook is set for this bot, and getUpdates cannot work while it is; remove it (deleteWebhook) or use a separate bot"
                : "another process is polling getUpdates with the same bot token; run only one"
            logger.error("bot API conflict (409)", ["source": sourceID, "telegram": description, "fix": hint])
            return .fatal("telegram_bot '\(sourceID)': 409 Conflict: \(description): \(hint)")
        case 401, 403, 404:
            return .fatal("telegram_bot '\(sourceID)': the bot token was rejected (\(description)); check \(settings.tokenEnv)")
        case 429:
            consecutiveFailures += 1
            let wait = body?.parameters?.retryAfter.map { Duration.seconds($0) } ?? r.retryAfter()
                ?? TelegramSchedule.backoff(failures: consecutiveFailures, base: settings.retryBase, max: settings.retryMax)
            logRefusal(r.status, description, wait: wait)
            return .retryAfter(wait)
        default:
            consecutiveFailures += 1
            if r.status >= 500 || r.status == 200 {
                let wait = r.retryAfter() ?? TelegramSchedule.backoff(
                    failures: consecutiveFailures, base: settings.retryBase, max: settings.retryMax)
                logRefusal(r.status, r.status == 200 ? "unreadable answer" : description, wait: wait)
                return .retryAfter(wait)
            }
            return .unavailable("telegram_bot '\(sourceID)': \(description)")
        }
    }

    /// One warning per kind of refusal in a failure streak (a 429 storm is one line, not one per poll).
    private func logRefusal(_ status: Int, _ description: String, wait: Duration) {
        guard loggedRefusal != status else { return }
        loggedRefusal = status
        logger.warning("Bot API refused getUpdates; backing off",
                       ["source": sourceID, "status": status, "telegram": description, "wait": wait])
    }

    func backfill(from: Date, to: Date, resume: Cursor?,
                  emit: @Sendable ([Post], Cursor, BackfillProgress) async throws -> Void) async throws {
        throw ConnectorError.fatal("telegram_bot '\(sourceID)': the Bot API cannot read history (a bot sees only messages that arrive while it is a member); backfill a public channel with 'connector: telegram' instead")
    }

    func statusFields() -> [String: String] {
        var f = ["token_env": settings.tokenEnv, "token": token == nil ? "missing" : "set",
                 "skipped_other_chats": String(skippedChats)]
        if let lastError { f["last_error"] = lastError }
        return f
    }
}
