import Foundation
import OtklikCore

/// What one page request gave.
enum TelegramFetch {
    case page(TelegramPage, validators: (etag: String?, lastModified: String?))
    case notModified
    /// The channel does not exist or hides its preview (redirect or landing page).
    case unavailable(String)
}

extension TelegramChannelConnector {
    func pageURL(before: Int?) -> String {
        var url = "\(settings.baseURL)/s/\(settings.channel)"
        if let before { url += "?before=\(before)" }
        return url
    }

    /// Fetches one page and sorts the answer: a page, not modified, unavailable, or a
    /// thrown `ConnectorError` (`retryAfter` for 429/5xx, `unavailable` for network trouble).
    func fetch(before: Int?, conditional: TelegramChannelCursor?) async throws -> TelegramFetch {
        let url = pageURL(before: before)
        var headers: [(name: String, value: String)] = [("Accept", "text/html")]
        if let etag = conditional?.etag { headers.append(("If-None-Match", etag)) }
        if let lm = conditional?.lastModified { headers.append(("If-Modified-Since", lm)) }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(url: url, headers: headers, followRedirects: false))
        } catch let e as HTTPError {
            consecutiveFailures += 1
            lastError = e.description
            throw ConnectorError.unavailable("telegram \(settings.channel): \(e.description)")
        }
        switch response.status {
        case 200:
            let page = TelegramPageParser.parse(html: response.body)
            if page.isLandingPage {
                return .unavailable(page.isNotFoundPage ? "no such channel" : "the channel's web preview is disabled")
            }
            if let t = page.channelTitle { channelTitle = t }
            if let s = page.subscribers { subscribers = s; metrics.set("otklik_telegram_subscribers", Double(s), ["source": sourceID]) }
            metrics.set("otklik_connector_unavailable", 0, ["source": sourceID])
            return .page(page, validators: (response.header("ETag"), response.header("Last-Modified")))
        case 304:
            return .notModified
        case 301, 302, 303, 307, 308:
            let location = response.header("Location") ?? ""
            if location.contains("/s/") {
                return .unavailable("redirected to \(location) (check the channel name's spelling)")
            }
            return .unavailable("redirected to \(location.isEmpty ? "the channel page" : location): no public preview")
        case 404, 410:
            return .unavailable("HTTP \(response.status)")
        case 429, 500...599:
            consecutiveFailures += 1
            let wait = response.retryAfter() ?? TelegramSchedule.backoff(
                failures: consecutiveFailures, base: settings.retryBase, max: settings.retryMax)
            lastError = "HTTP \(response.status)"
            logger.warning("t.me refused; backing off", ["source": sourceID, "status": response.status, "wait": wait])
            throw ConnectorError.retryAfter(wait)
        default:
            consecutiveFailures += 1
            lastError = "HTTP \(response.status)"
            throw ConnectorError.unavailable("telegram \(settings.channel): HTTP \(response.status) from \(url)")
        }
    }
}
