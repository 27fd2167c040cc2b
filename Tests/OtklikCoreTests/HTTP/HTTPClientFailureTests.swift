import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// Transport failures: timeouts, resets, truncation, size caps, refused connections, bad URLs.
@Suite struct HTTPClientFailureTests {
    @Test func get_whenServerStalls_throwsTimeoutAndClosesTheConnection() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/stall", .stall)
        await #expect(throws: HTTPError.timeout) {
            try await HTTPClient().send(HTTPRequest(url: server.url("/stall"), timeout: .milliseconds(300)))
        }
        #expect(await server.waitUntil { $0.clientDisconnects == 1 })
    }

    @Test func get_whenConfiguredTimeoutElapses_throwsTimeout() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/late", TestResponse.text("late").delayed(.seconds(20)))
        var config = HTTPClientConfiguration()
        config.timeout = .milliseconds(250)
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient(configuration: config).get(server.url("/late"))
        }
        #expect(error == .timeout)
        #expect(error?.isTransient == true)
    }

    @Test func get_whenConnectionIsReset_throwsATransientTransportError() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/reset", .reset)
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().get(server.url("/reset"))
        }
        #expect(error?.isTransient == true)
        guard case .transport = error else { Issue.record("expected .transport, got \(String(describing: error))"); return }
    }

    @Test func get_whenBodyIsTruncated_throwsInsteadOfReturningPartialData() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/cut", .truncated(Data(repeating: 65, count: 5000), sending: 1200))
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().get(server.url("/cut"))
        }
        guard case .transport(let code, _) = error else {
            Issue.record("expected .transport, got \(String(describing: error))"); return
        }
        #expect(code == 18) // CURLE_PARTIAL_FILE
        #expect(error?.isTransient == true)
    }

    @Test func get_whenDeclaredLengthExceedsTheCap_throwsBodyTooLarge() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/big", .json(Data(repeating: 32, count: 50_000)))
        await #expect(throws: HTTPError.bodyTooLarge(limit: 10_000)) {
            try await HTTPClient().send(HTTPRequest(url: server.url("/big"), maxBodyBytes: 10_000))
        }
    }

    @Test func get_whenUndeclaredBodyExceedsTheCap_abortsWhileReading() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/stream", .chunked(Data(repeating: 33, count: 200_000), size: 4096))
        var config = HTTPClientConfiguration()
        config.maxBodyBytes = 64 * 1024
        await #expect(throws: HTTPError.bodyTooLarge(limit: 64 * 1024)) {
            try await HTTPClient(configuration: config).get(server.url("/stream"))
        }
    }

    @Test func get_whenDecodedGzipExceedsTheCap_throwsBodyTooLarge() async throws {
        // A small, really compressed body that inflates past the cap (a "gzip bomb").
        let text = String(repeating: "x", count: 300_000)
        let packed = try Self.systemGzip(Data(text.utf8))
        #expect(packed.count < 10_000)
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/bomb", TestResponse(headers: [("Content-Encoding", "gzip")], body: packed))
        await #expect(throws: HTTPError.bodyTooLarge(limit: 100_000)) {
            try await HTTPClient().send(HTTPRequest(url: server.url("/bomb"), maxBodyBytes: 100_000))
        }
        let ok = try await HTTPClient().send(HTTPRequest(url: server.url("/bomb"), maxBodyBytes: 300_000))
        #expect(ok.text == text)
    }

    static func systemGzip(_ data: Data) throws -> Data {
        let dir = TestPaths.makeTempDir()
        let path = dir + "/plain"
        try data.write(to: URL(fileURLWithPath: path))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-9", "-c", path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let packed = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return packed
    }

    @Test func get_whenNothingListens_throwsConnect() async throws {
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().get("http://127.0.0.1:1/")
        }
        guard case .connect = error else { Issue.record("expected .connect, got \(String(describing: error))"); return }
        #expect(error?.isTransient == true)
    }

    @Test(arguments: ["not a url", "ftp://127.0.0.1/file", "file:///etc/passwd", "http://"])
    func send_withUnsupportedURL_throwsInvalidURL(url: String) async throws {
        await #expect(throws: HTTPError.invalidURL(url)) { try await HTTPClient().get(url) }
    }

    @Test func get_whenRedirectedToAnotherScheme_refusesToFollow() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/sneaky", .redirect(to: "file:///etc/passwd"))
        await #expect(throws: HTTPError.self) { try await HTTPClient().get(server.url("/sneaky")) }
    }

    @Test func invalidURLError_redactsTokens() {
        let text = HTTPError.invalidURL("https://api.vk.com/method/wall.get?access_token=SECRETVALUE1").description
        #expect(!text.contains("SECRETVALUE1"))
    }

    @Test func insecureSkipTLSVerify_logsAWarningAtEveryClientCreation() {
        let sink = LogSink(level: .debug, capturing: true)
        var config = HTTPClientConfiguration()
        config.insecureSkipTLSVerify = true
        _ = HTTPClient(configuration: config, logger: Logger(label: "http", sink: sink))
        _ = HTTPClient(configuration: config, logger: Logger(label: "http", sink: sink))
        _ = HTTPClient(logger: Logger(label: "http", sink: sink))
        #expect(sink.captured.count == 2)
        #expect(sink.captured.allSatisfy { $0.contains("level=warning") && $0.contains("TLS") })
    }

    @Test func isTransient_separatesNetworkTroubleFromPermanentMistakes() {
        #expect(HTTPError.timeout.isTransient)
        #expect(HTTPError.connect("refused").isTransient)
        #expect(HTTPError.transport(code: 56, message: "reset").isTransient)
        #expect(!HTTPError.transport(code: 60, message: "certificate").isTransient)
        #expect(!HTTPError.invalidURL("x").isTransient)
        #expect(!HTTPError.bodyTooLarge(limit: 1).isTransient)
        #expect(!HTTPError.tooManyRedirects.isTransient)
        #expect(!HTTPError.cancelled.isTransient)
    }

    @Test func get_whenConnectHangs_throwsTimeoutAfterTheConnectTimeout() async throws {
        let listener = try FullBacklogListener()
        var config = HTTPClientConfiguration()
        config.connectTimeout = .milliseconds(300)
        config.timeout = .seconds(60)
        await #expect(throws: HTTPError.timeout) {
            try await HTTPClient(configuration: config).get("http://127.0.0.1:\(listener.port)/")
        }
        withExtendedLifetime(listener) {}
    }

    @Test(arguments: [("X-Evil", "a\r\nX-Injected: 1"), ("Bad\nName", "v"), ("", "v"), ("A:B", "v")])
    func send_withHeaderThatWouldSplitTheRequest_throwsWithoutSending(name: String, value: String) async throws {
        let server = try TestHTTPServer.started { _ in .text("ok") }
        defer { server.stop() }
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().get(server.url("/h"), headers: [(name, value)])
        }
        #expect(error?.isTransient == false)
        #expect(server.requestCount == 0)
    }
}
