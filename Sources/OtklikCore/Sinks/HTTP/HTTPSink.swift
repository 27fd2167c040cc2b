import Foundation

/// `type: http`: POSTs each batch as a JSON array (or NDJSON) to a URL.
///
/// 2xx = delivered. 429 and 503 are retried after their `Retry-After`; other 5xx, 408 and
/// connection errors are retried with backoff; any other 4xx is permanent (the batch goes to
/// the dead-letter file) — a request the server refuses will not get better by repeating it.
public actor HTTPSink: Sink {
    public enum Format: String, Sendable { case json, ndjson }
    public struct Settings: Sendable {
        public var url: String
        public var headers: [(name: String, value: String)] = []
        public var format: Format = .json
        public var timeout: Duration = .seconds(30)
        public init(url: String) { self.url = url }
    }

    public nonisolated let name: String
    public nonisolated let settings: Settings
    private let http: HTTPClient

    public init(name: String, settings: Settings, http: HTTPClient) {
        self.name = name; self.settings = settings; self.http = http
    }

    public func write(_ batch: [Incident]) async throws {
        guard !batch.isEmpty else { return }
        let body: Data
        var headers = settings.headers
        switch settings.format {
        case .json:
            var w = JSONBytes()
            w.array(batch) { w, incident in IncidentJSON.write(incident, to: &w) }
            body = Data(w.bytes)
            headers.append(("Content-Type", "application/json"))
        case .ndjson:
            body = try batch.jsonLines()
            headers.append(("Content-Type", "application/x-ndjson"))
        }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(method: .post, url: settings.url, headers: headers, body: body,
                                                       timeout: settings.timeout))
        } catch let e as HTTPError {
            switch e {
            case .cancelled: throw CancellationError()
            case .invalidURL: throw SinkError.permanent("POST \(Redactor.redact(settings.url)): \(e)")
            default:  // connection trouble, timeouts, resets, an oversized answer: try again later
                throw SinkError.retryable("POST \(Redactor.redact(settings.url)): \(e)")
            }
        }
        try Self.classify(status: response.status, retryAfter: response.retryAfter(), url: settings.url,
                          body: response.text)
    }

    /// What a status means for the batch (pure; unit-tested).
    /// `body` (the server's explanation) is quoted, shortened and redacted in the error.
    static func classify(status: Int, retryAfter: Duration?, url: String, body: String = "") throws {
        let request = "POST \(Redactor.redact(url))"
        let said = body.isEmpty ? "" : ": " + Redactor.redact(String(body.prefix(200)))
        switch status {
        case 200..<300: return
        case 429, 503: throw SinkError.retryable("\(request): HTTP \(status)\(said)", after: retryAfter)
        case 408, 500..<600: throw SinkError.retryable("\(request): HTTP \(status)\(said)", after: retryAfter)
        default: throw SinkError.permanent("\(request): HTTP \(status) (not retried)\(said)")
        }
    }

    public func flush() {}
    public func close() {}
}

extension HTTPSink {
    /// Keys: `url` (required), `headers` (map; `${TOKEN}` interpolation for secrets),
    /// `format: json|ndjson`, `timeout`.
    public static let factory: SinkFactory = { config, ctx in
        let settings = try config.readKeys(ctx) { r -> Settings in
            var s = Settings(url: r.string("url", required: true) ?? "")
            if !s.url.isEmpty, !(s.url.hasPrefix("http://") || s.url.hasPrefix("https://")) {
                ctx.diagnostics.error("'url' must start with http:// or https://", at: r.node("url")?.mark)
            }
            if let h = r.mapping("headers", context: "headers of sink '\(config.name)'") {
                for key in h.keys {
                    if let v = h.string(key) {
                        s.headers.append((key, v))
                        if key.lowercased() == "authorization" || key.lowercased().contains("token") {
                            Redactor.register(secret: v)
                            if let space = v.firstIndex(of: " ") { Redactor.register(secret: String(v[v.index(after: space)...])) }
                        }
                    }
                }
            }
            if let f = r.choice("format", ["json", "ndjson"]) { s.format = Format(rawValue: f)! }
            if let t = r.duration("timeout") { s.timeout = t }
            return s
        }
        return HTTPSink(name: config.name, settings: settings, http: ctx.http)
    }
}
