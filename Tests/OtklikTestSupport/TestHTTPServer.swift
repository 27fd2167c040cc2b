import Foundation

/// A small real HTTP/1.1 server on 127.0.0.1 for tests, serving scripted responses.
///
/// It binds an ephemeral port, accepts on its own thread and serves each connection on
/// its own thread with blocking POSIX sockets, so it never occupies Swift's cooperative
/// pool. Connections are kept alive unless the request or the script says otherwise.
///
/// Script it with routes (a sequence of answers per `METHOD path`; the last one repeats)
/// and/or a handler closure for everything else:
///
/// ```swift
/// let server = try TestHTTPServer.started()
/// defer { server.stop() }
/// server.route("GET", "/wall", .status(429, headers: [("Retry-After", "1")]), .json(page))
/// server.setHandler { req in .text("echo \(req.path)") }
/// let r = try await client.get(server.url("/wall"))
/// #expect(server.requests.count == 1)
/// ```
///
/// Everything it received is recorded (`requests`), with connection-level counters
/// (`maxConcurrentConnections`, `maxConcurrentRequests`, `clientDisconnects`) for assertions.
public final class TestHTTPServer: Sendable {
    public typealias Handler = @Sendable (TestRequest) -> TestResponse

    enum Script {
        case sequence([TestResponse], next: Int)
        case handler(Handler)
    }

    struct State {
        var listenFD: Int32 = -1
        var port = 0
        var stopped = false
        var routes: [String: Script] = [:]
        var handler: Handler?
        var requests: [TestRequest] = []
        var openFDs: Set<Int32> = []
        var connectionsAccepted = 0
        var activeConnections = 0
        var maxActiveConnections = 0
        var activeRequests = 0
        var maxActiveRequests = 0
        var clientDisconnects = 0
    }

    let state = Locked(State())

    /// A server (not yet listening) answering unrouted requests with `handler`, or 404.
    public init(handler: Handler? = nil) {
        state.withLock { $0.handler = handler }
    }

    /// A server already listening.
    public static func started(handler: Handler? = nil) throws -> TestHTTPServer {
        let server = TestHTTPServer(handler: handler)
        try server.start()
        return server
    }

    deinit { stop() }

    // MARK: Scripting

    /// Answers `method path` (path without query) with `responses` in turn; the last repeats.
    /// `method` may be `*` for any method.
    public func route(_ method: String, _ path: String, _ responses: TestResponse...) {
        route(method, path, responses: responses)
    }

    public func route(_ method: String, _ path: String, responses: [TestResponse]) {
        precondition(!responses.isEmpty, "a route needs at least one response")
        state.withLock { $0.routes[Self.key(method, path)] = .sequence(responses, next: 0) }
    }

    /// Answers `method path` with a closure (computed answers, echoing the request…).
    public func route(_ method: String, _ path: String, handler: @escaping Handler) {
        state.withLock { $0.routes[Self.key(method, path)] = .handler(handler) }
    }

    /// The answer for requests that match no route.
    public func setHandler(_ handler: @escaping Handler) {
        state.withLock { $0.handler = handler }
    }

    // MARK: Addresses

    public var port: Int { state.withLock { $0.port } }
    /// `http://127.0.0.1:<port>`
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// `baseURL` + `path` (which starts with `/`).
    public func url(_ path: String) -> String { baseURL + path }

    // MARK: What it saw

    /// Every request received, in arrival order.
    public var requests: [TestRequest] { state.withLock { $0.requests } }
    public func requests(path: String) -> [TestRequest] { requests.filter { $0.path == path } }
    public var requestCount: Int { state.withLock { $0.requests.count } }
    public var connectionsAccepted: Int { state.withLock { $0.connectionsAccepted } }
    public var activeConnections: Int { state.withLock { $0.activeConnections } }
    /// The most connections open at the same time.
    public var maxConcurrentConnections: Int { state.withLock { $0.maxActiveConnections } }
    /// The most requests being answered at the same time.
    public var maxConcurrentRequests: Int { state.withLock { $0.maxActiveRequests } }
    /// How often the client closed a connection while an answer was pending or being sent
    /// (a timeout, a cancellation, a size cap).
    public var clientDisconnects: Int { state.withLock { $0.clientDisconnects } }

    /// Polls `condition` until it holds or `timeout` passes; returns whether it held.
    /// (For conditions that become true on the server's threads, e.g. a disconnect.)
    public func waitUntil(timeout: Duration = .seconds(30),
                          _ condition: @Sendable (TestHTTPServer) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(self)
    }

    // MARK: Internals used by the connection threads

    var isStopped: Bool { state.withLock { $0.stopped } }

    static func key(_ method: String, _ path: String) -> String { method.uppercased() + " " + path }

    /// Records the request and picks its answer.
    func answer(_ request: inout TestRequest) -> TestResponse {
        let script: Script? = state.withLock { s in
            request.sequence = s.requests.count
            s.requests.append(request)
            s.activeRequests += 1
            s.maxActiveRequests = max(s.maxActiveRequests, s.activeRequests)
            for k in [Self.key(request.method, request.path), Self.key("*", request.path)] {
                guard let script = s.routes[k] else { continue }
                if case .sequence(let list, let next) = script {
                    s.routes[k] = .sequence(list, next: min(next + 1, list.count - 1))
                    return .sequence([list[next]], next: 0)
                }
                return script
            }
            return s.handler.map { .handler($0) }
        }
        switch script {
        case .sequence(let one, _): return one[0]
        case .handler(let h): return h(request)
        case nil: return .text("no route for \(request.method) \(request.path)", status: 404)
        }
    }

    func requestFinished() { state.withLock { $0.activeRequests -= 1 } }
    func clientDisconnected() { state.withLock { $0.clientDisconnects += 1 } }
}
