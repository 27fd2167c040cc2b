import Foundation

/// Settings shared by every request of one `HTTPClient` (the `http:` config section).
public struct HTTPClientConfiguration: Sendable {
    public var userAgent = "otklik/0.1 (+https://github.com/otklik/otklik)"
    public var timeout: Duration = .seconds(30)
    public var connectTimeout: Duration = .seconds(10)
    public var maxBodyBytes = 32 * 1024 * 1024
    public var perHostConnections = 6
    public var maxRedirects = 5
    /// A proxy URL for every request; nil means libcurl's environment variables
    /// (`http_proxy`, `https_proxy`, `all_proxy`, `no_proxy`).
    public var proxy: String?
    /// Only by explicit config; logged as a warning at every start.
    public var insecureSkipTLSVerify = false
    public init() {}
}

public enum HTTPMethod: String, Sendable { case get = "GET", post = "POST", put = "PUT", delete = "DELETE", head = "HEAD" }

public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: String
    /// In order; names are case-insensitive.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Overrides of the client's defaults for this request.
    public var timeout: Duration?
    public var connectTimeout: Duration?
    public var maxBodyBytes: Int?
    public var followRedirects: Bool

    public init(method: HTTPMethod = .get, url: String, headers: [(name: String, value: String)] = [],
                body: Data? = nil, timeout: Duration? = nil, connectTimeout: Duration? = nil,
                maxBodyBytes: Int? = nil, followRedirects: Bool = true) {
        self.method = method; self.url = url; self.headers = headers; self.body = body
        self.timeout = timeout; self.connectTimeout = connectTimeout; self.maxBodyBytes = maxBodyBytes
        self.followRedirects = followRedirects
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Headers of the final response, in order, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// The URL after redirects.
    public var url: String

    public init(status: Int, headers: [(name: String, value: String)], body: Data, url: String) {
        self.status = status; self.headers = headers; self.body = body; self.url = url
    }

    /// The first header of that name, case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// `Retry-After` in either form (delta-seconds or HTTP-date), relative to `now`.
    public func retryAfter(now: Date = Date()) -> Duration? {
        header("Retry-After").flatMap { RetryAfter.parse($0, now: now) }
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Transport failures; HTTP statuses (404, 503) are responses, not errors.
public enum HTTPError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalidURL(String)
    case connect(String)
    case timeout
    case bodyTooLarge(limit: Int)
    case tooManyRedirects
    case cancelled
    case transport(code: Int, message: String)

    public var description: String {
        switch self {
        case .invalidURL(let u): return "invalid URL: \(Redactor.redact(u))"
        case .connect(let m): return "connection failed: \(m)"
        case .timeout: return "timed out"
        case .bodyTooLarge(let l): return "response body larger than \(l) bytes"
        case .tooManyRedirects: return "too many redirects"
        case .cancelled: return "cancelled"
        case .transport(let c, let m): return "transfer failed (curl \(c)): \(m)"
        }
    }

    /// Worth retrying later (network trouble), as opposed to a permanent mistake.
    public var isTransient: Bool {
        switch self {
        case .connect, .timeout: return true
        case .transport(let code, _): return !Self.permanentCurlCodes.contains(code)
        default: return false
        }
    }

    /// libcurl codes that retrying cannot fix: a bad argument (43, e.g. an invalid header) and
    /// TLS certificate and key problems (58 cert, 59 cipher, 60 peer verification, 77 CA file,
    /// 83 issuer, 90 pinned key, 91 status).
    static let permanentCurlCodes: Set<Int> = [43, 58, 59, 60, 77, 83, 90, 91]
}

/// Parses `Retry-After`: `120` or `Wed, 21 Oct 2015 07:28:00 GMT`.
public enum RetryAfter {
    public static func parse(_ value: String, now: Date = Date()) -> Duration? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let n = Int(v) { return n >= 0 ? .seconds(n) : nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            f.dateFormat = format
            if let d = f.date(from: v) {
                let delta = d.timeIntervalSince(now)
                return .milliseconds(Int64(max(0, delta) * 1000))
            }
        }
        return nil
    }
}
