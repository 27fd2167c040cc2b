import Foundation

/// A scripted answer of the `TestHTTPServer`: status, headers, body, and how to deliver it.
///
/// `Content-Length` is added by the server unless the script sets it (or the body is
/// withheld by `.stall` / `.reset`). Build answers with the static helpers:
/// `.text("ok")`, `.json(data)`, `.file(path)`, `.status(429, headers: [("Retry-After", "2")])`,
/// `.redirect(to: "/next")`, `.gzip(text)`, `.slow(body, chunk: 64, every: .milliseconds(50))`,
/// `.chunked(body)`, `.stall`, `.reset`, `.truncated(body, sending: 10)`.
public struct TestResponse: Sendable {
    /// How the server delivers the answer.
    public enum Delivery: Sendable, Equatable {
        /// Headers and body at once.
        case normal
        /// The body in `chunk`-byte pieces with `every` between them (Content-Length exact).
        case slow(chunk: Int, every: Duration)
        /// Accept the request and never answer; the connection stays open until the
        /// client gives up or the server stops.
        case stall
        /// Close the connection with a TCP reset (SO_LINGER 0) instead of answering.
        case reset
        /// Announce the full Content-Length, send only the first `sending` body bytes, then close.
        case truncated(sending: Int)
        /// `Transfer-Encoding: chunked` in `size`-byte chunks: the client cannot know the length up front.
        case chunked(size: Int)
    }

    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
    public var delivery: Delivery
    /// Wait this long before sending anything (ends early when the server stops).
    public var delay: Duration
    /// Close the connection after this answer (adds `Connection: close`).
    public var closeConnection: Bool

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Data = Data(),
                delivery: Delivery = .normal, delay: Duration = .zero, closeConnection: Bool = false) {
        self.status = status; self.headers = headers; self.body = body
        self.delivery = delivery; self.delay = delay; self.closeConnection = closeConnection
    }

    public static func text(_ text: String, status: Int = 200,
                            headers: [(name: String, value: String)] = []) -> TestResponse {
        TestResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")] + headers,
                     body: Data(text.utf8))
    }

    public static func json(_ json: String, status: Int = 200,
                            headers: [(name: String, value: String)] = []) -> TestResponse {
        TestResponse.json(Data(json.utf8), status: status, headers: headers)
    }

    public static func json(_ data: Data, status: Int = 200,
                            headers: [(name: String, value: String)] = []) -> TestResponse {
        TestResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: data)
    }

    public static func html(_ html: String, status: Int = 200) -> TestResponse {
        TestResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Data(html.utf8))
    }

    /// A file's bytes as the body; a missing file is a 500 naming the path, so the test fails loudly.
    public static func file(_ path: String, contentType: String = "application/octet-stream",
                            status: Int = 200) -> TestResponse {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .text("TestHTTPServer: fixture not found: \(path)", status: 500)
        }
        return TestResponse(status: status, headers: [("Content-Type", contentType)], body: data)
    }

    /// An empty-bodied answer with a status and headers (429 with `Retry-After`, 503, 204…).
    public static func status(_ status: Int, headers: [(name: String, value: String)] = [],
                              body: String = "") -> TestResponse {
        TestResponse(status: status, headers: headers, body: Data(body.utf8))
    }

    public static func redirect(to location: String, status: Int = 301) -> TestResponse {
        TestResponse(status: status, headers: [("Location", location)])
    }

    /// The text gzip-compressed, with `Content-Encoding: gzip`.
    public static func gzip(_ text: String, contentType: String = "text/plain; charset=utf-8") -> TestResponse {
        TestResponse(status: 200, headers: [("Content-Type", contentType), ("Content-Encoding", "gzip")],
                     body: Gzip.encode(Data(text.utf8)))
    }

    public static func slow(_ body: Data, chunk: Int = 16, every: Duration = .milliseconds(50)) -> TestResponse {
        TestResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body,
                     delivery: .slow(chunk: max(1, chunk), every: every))
    }

    public static func chunked(_ body: Data, size: Int = 1024) -> TestResponse {
        TestResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body,
                     delivery: .chunked(size: max(1, size)))
    }

    public static var stall: TestResponse { TestResponse(delivery: .stall) }
    public static var reset: TestResponse { TestResponse(delivery: .reset) }

    public static func truncated(_ body: Data, sending: Int) -> TestResponse {
        TestResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body,
                     delivery: .truncated(sending: sending))
    }

    /// The same answer after `delay`.
    public func delayed(_ delay: Duration) -> TestResponse {
        var copy = self
        copy.delay = delay
        return copy
    }

    /// The same answer with one more header.
    public func with(header name: String, _ value: String) -> TestResponse {
        var copy = self
        copy.headers.append((name, value))
        return copy
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
