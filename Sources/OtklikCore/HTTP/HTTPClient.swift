import CCurl
import Foundation
import Synchronization

/// The shared HTTP client: libcurl's multi interface driven by one dedicated thread.
///
/// `send` suspends the calling task without blocking any thread of Swift's cooperative
/// pool; cancelling the task removes the transfer from libcurl at once (the connection is
/// closed) and `send` throws `CancellationError`. Bodies are decoded (gzip, brotli, zstd),
/// redirects followed up to `maxRedirects`, bodies capped at `maxBodyBytes`, and at most
/// `perHostConnections` requests per host run at a time (others wait their turn).
///
/// Proxies come from the environment as libcurl reads them: `http_proxy` (lowercase only),
/// `https_proxy`/`HTTPS_PROXY`, `all_proxy`, and `no_proxy` for exceptions — unless
/// `HTTPClientConfiguration.proxy` names one.
///
/// At `debug` level every request is logged (method, URL with tokens redacted, status,
/// bytes, milliseconds).
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    private let loop: CurlLoop
    private let nextID = Atomic<UInt64>(1)
    private let logger: Logger

    /// `announceInsecure`: log the TLS warning when verification is off (every client that
    /// will send requests does; a throwaway client built only to validate plugins does not).
    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration(),
                logger: Logger = Logger(label: "http"), announceInsecure: Bool = true) {
        self.configuration = configuration
        self.logger = logger
        self.loop = CurlLoop(perHostLimit: configuration.perHostConnections)
        if configuration.insecureSkipTLSVerify && announceInsecure {
            logger.warning("TLS certificate verification is OFF (http.insecure_skip_tls_verify): "
                           + "traffic can be intercepted; use only against a test server")
        }
    }

    deinit { loop.shutdown() }

    /// Sends the request and returns the final response (after redirects), whatever its status.
    /// Throws `HTTPError` for transport failures and `CancellationError` when the task is cancelled.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let transfer = try CurlTransfer(id: id, request: request, configuration: configuration)
        let loop = self.loop
        let started = ContinuousClock.now
        do {
            let response = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    transfer.continuation = continuation
                    loop.submit(transfer)
                }
            } onCancel: {
                loop.cancel(id)
            }
            logger.debug("http", ["method": request.method.rawValue, "url": request.url, "status": response.status,
                                  "bytes": response.body.count, "ms": Self.millis(ContinuousClock.now - started)])
            return response
        } catch {
            logger.debug("http failed", ["method": request.method.rawValue, "url": request.url, "error": error,
                                         "ms": Self.millis(ContinuousClock.now - started)])
            throw error
        }
    }

    private static func millis(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }

    /// A POST of `body` with optional headers (say the `Content-Type`).
    public func post(_ url: String, body: Data,
                     headers: [(name: String, value: String)] = []) async throws -> HTTPResponse {
        try await send(HTTPRequest(method: .post, url: url, headers: headers, body: body))
    }

    /// A GET with optional headers.
    public func get(_ url: String, headers: [(name: String, value: String)] = []) async throws -> HTTPResponse {
        try await send(HTTPRequest(url: url, headers: headers))
    }
}
