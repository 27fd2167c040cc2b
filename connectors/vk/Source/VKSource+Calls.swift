import Foundation
import OtklikCore

/// Why a call was not made or did not succeed, as the poll loop needs to know it.
enum VKCallError: Error {
    /// No token may make this call before `until` (daily spread, a blocked method, a pause).
    case budget(until: Double)
    /// Every usable token has a request on its way; try again in a moment.
    case busy
    /// Every token is stopped.
    case stopped(String)
    /// VK answered with an error (its reaction already applied to the budget).
    case api(VKAPIError)
}

extension VKSource {
    /// Makes one request through the budget: picks a token that may call now, waits for its
    /// pacing slot, sends, and returns the parsed body. Errors 6 and 10 are retried here
    /// (twice); every VK error's reaction is applied to the token's budget.
    func perform(_ method: String, _ params: [(String, String)], charge: [String: Int]) async throws -> (VKJSON, Token) {
        var attempt = 0
        while true {
            attempt += 1
            let (token, at) = try await acquireWaiting(charge)
            let body: Data
            do {
                try await clock.sleep(until: at)
                metrics.increment("otklik_vk_requests_total", ["source": sourceID, "method": method])
                body = try await token.client.call(method, params)
            } catch {
                registry.completed(token.hash, at: clock.now())
                throw error
            }
            registry.completed(token.hash, at: clock.now())
            let json: VKJSON
            do { json = try VKJSONParser.parse(body, skipping: VKJSONParser.vkUnused) } catch {
                throw ConnectorError.unavailable("VK \(method): \(error)")
            }
            guard let errJSON = json["error"] else { return (json, token) }
            let e = VKAPIError.from(errJSON) ?? VKAPIError(code: 0, message: "error without a code", method: method)
            try react(e, method: method, token: token)
            // A stopped or paused token: the same call on another token, if there is one.
            if e.reaction == .stopToken || e.reaction == .pauseToken { continue }
            if attempt < 3, e.reaction == .slowDown || e.reaction == .retry {
                if e.reaction == .retry { try await clock.sleep(until: clock.now() + 0.5 * Double(attempt)) }
                continue
            }
            throw VKCallError.api(e)
        }
    }

    /// Applies an error's reaction to the token and raises the alarms it calls for.
    func react(_ e: VKAPIError, method: String, token: Token) throws {
        let now = clock.now()
        metrics.increment("otklik_vk_errors_total", ["source": sourceID, "code": String(e.code)])
        registry.record(token.hash, error: e, method: method, now: now)
        switch e.reaction {
        case .stopToken:
            alarm("stop:\(token.hash)", .error, "VK token stopped: authorization failed; replace the token",
                  ["token": token.hash, "code": e.code, "error": e.message])
        case .pauseToken:
            alarm("pause:\(token.hash)", .error, "VK token paused for an hour: captcha required",
                  ["token": token.hash, "code": e.code])
        case .slowDown:
            logger.notice("VK asked to slow down (error 6); pacing widened", ["token": token.hash, "method": method])
        case .methodBackoff:
            logger.warning("VK method limit reached; backing off", ["token": token.hash, "method": method, "code": e.code])
        default: break
        }
    }

    /// `acquire`, waiting while every usable token has a request on its way.
    func acquireWaiting(_ charge: [String: Int]) async throws -> (Token, Double) {
        while true {
            do { return try acquire(charge) } catch VKCallError.busy {
                try await clock.sleep(until: clock.now() + 0.02)
            }
        }
    }

    /// The token to use now and the time its slot opens, or why none may call. The token
    /// returned is marked in flight until `registry.completed`.
    func acquire(_ charge: [String: Int]) throws -> (Token, Double) {
        if let m = missingTokenMessage { throw ConnectorError.fatal(m) }
        let now = clock.now()
        var earliest: Double?
        var stopReason: String?
        let ordered = tokens.sorted { a, b in
            let ra = registry.budget(a.hash)?.remaining(at: now)["wall.get"] ?? 0
            let rb = registry.budget(b.hash)?.remaining(at: now)["wall.get"] ?? 0
            return ra > rb
        }
        var busy = false
        for t in ordered {
            guard registry.begin(t.hash) else { busy = true; continue }
            switch registry.request(t.hash, charge, now: now) {
            case .at(let time): return (t, time)
            case .notBefore(let time, _): earliest = min(earliest ?? time, time)
            case .stopped(let r): stopReason = r
            }
            registry.cancel(t.hash)
        }
        if busy { throw VKCallError.busy }
        if let earliest { throw VKCallError.budget(until: earliest) }
        throw VKCallError.stopped(stopReason ?? "no usable token")
    }
}
