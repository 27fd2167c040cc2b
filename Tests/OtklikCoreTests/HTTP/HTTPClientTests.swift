import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// The real client against the real local server: statuses, headers, bodies, redirects, methods.
@Suite struct HTTPClientTests {
    @Test func get_when200_returnsStatusHeadersAndBody() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/ok", .json("{\"response\":[]}", headers: [("X-Request-Id", "abc")]))
        let r = try await HTTPClient().get(server.url("/ok"))
        #expect(r.status == 200)
        #expect(r.text == "{\"response\":[]}")
        #expect(r.header("content-type") == "application/json")
        #expect(r.header("X-REQUEST-ID") == "abc")
        #expect(r.url == server.url("/ok"))
    }

    @Test func get_when404_returnsTheResponseNotAnError() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/missing", .text("gone", status: 404))
        let r = try await HTTPClient().get(server.url("/missing"))
        #expect(r.status == 404)
        #expect(r.text == "gone")
    }

    @Test func get_when503_returnsStatusAndRetryAfter() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/busy", .status(503, headers: [("Retry-After", "7")], body: "maintenance"))
        let r = try await HTTPClient().get(server.url("/busy"))
        #expect(r.status == 503)
        #expect(r.retryAfter() == .seconds(7))
        #expect(r.text == "maintenance")
    }

    @Test func get_whenServerAnswers429WithDeltaSeconds_exposesRetryAfter() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/limited", .status(429, headers: [("Retry-After", "120")]), .text("fine"))
        let client = HTTPClient()
        let first = try await client.get(server.url("/limited"))
        #expect(first.status == 429)
        #expect(first.retryAfter() == .seconds(120))
        let second = try await client.get(server.url("/limited"))
        #expect(second.status == 200)
        #expect(second.retryAfter() == nil)
    }

    @Test func get_whenServerAnswers429WithHTTPDate_exposesRetryAfterRelativeToNow() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/limited", .status(429, headers: [("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")]))
        let r = try await HTTPClient().get(server.url("/limited"))
        let now = try #require(RetryAfterTests.date("2015-10-21T07:26:30Z"))
        #expect(r.status == 429)
        #expect(r.retryAfter(now: now) == .seconds(90))
    }

    @Test func get_whenRedirectedTwice_followsTheChainToTheFinalResponse() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/a", .redirect(to: "/b"))
        server.route("GET", "/b", .redirect(to: server.url("/c"), status: 302))
        server.route("GET", "/c", .text("arrived", headers: [("X-Final", "yes")]))
        let r = try await HTTPClient().get(server.url("/a"))
        #expect(r.status == 200)
        #expect(r.text == "arrived")
        #expect(r.url == server.url("/c"))
        #expect(r.header("X-Final") == "yes")
        #expect(r.header("Location") == nil)
        #expect(server.requests.map(\.path) == ["/a", "/b", "/c"])
    }

    @Test func get_whenRedirectsLoop_throwsTooManyRedirects() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/ping", .redirect(to: "/pong"))
        server.route("GET", "/pong", .redirect(to: "/ping"))
        var config = HTTPClientConfiguration()
        config.maxRedirects = 3
        await #expect(throws: HTTPError.tooManyRedirects) {
            try await HTTPClient(configuration: config).get(server.url("/ping"))
        }
        #expect(server.requestCount == 4)
    }

    @Test func send_withoutFollowingRedirects_returnsThe301() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/old", .redirect(to: "/new"))
        let r = try await HTTPClient().send(HTTPRequest(url: server.url("/old"), followRedirects: false))
        #expect(r.status == 301)
        #expect(r.header("Location") == "/new")
        #expect(server.requestCount == 1)
    }

    @Test func post_sendsBodyAndHeadersWithoutExpectContinue() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/incidents", handler: { req in .json("{\"accepted\":\(req.body.count)}", status: 202) })
        let payload = Data(String(repeating: "{\"id\":\"инцидент\"}\n", count: 200).utf8)
        let r = try await HTTPClient().send(HTTPRequest(
            method: .post, url: server.url("/incidents"),
            headers: [("Content-Type", "application/x-ndjson"), ("Idempotency-Key", "batch-1")], body: payload))
        #expect(r.status == 202)
        #expect(r.text == "{\"accepted\":\(payload.count)}")
        let seen = try #require(server.requests.first)
        #expect(seen.method == "POST")
        #expect(seen.body == payload)
        #expect(seen.header("Content-Type") == "application/x-ndjson")
        #expect(seen.header("Idempotency-Key") == "batch-1")
        #expect(seen.header("Expect") == nil)
    }

    @Test func post_withEmptyBody_sendsContentLengthZero() async throws {
        let server = try TestHTTPServer.started { _ in .status(204) }
        defer { server.stop() }
        let r = try await HTTPClient().send(HTTPRequest(method: .post, url: server.url("/empty")))
        #expect(r.status == 204)
        #expect(server.requests.first?.method == "POST")
        #expect(server.requests.first?.header("Content-Length") == "0")
    }

    @Test func put_andDelete_useTheirMethods() async throws {
        let server = try TestHTTPServer.started { req in .text(req.method + ":" + req.bodyText) }
        defer { server.stop() }
        let client = HTTPClient()
        let put = try await client.send(HTTPRequest(method: .put, url: server.url("/x"), body: Data("v".utf8)))
        let delete = try await client.send(HTTPRequest(method: .delete, url: server.url("/x")))
        #expect(put.text == "PUT:v")
        #expect(delete.text == "DELETE:")
    }

    @Test func get_sendsTheConfiguredUserAgentAndAcceptEncoding() async throws {
        let server = try TestHTTPServer.started { _ in .text("ok") }
        defer { server.stop() }
        var config = HTTPClientConfiguration()
        config.userAgent = "otklik-test/1.0"
        _ = try await HTTPClient(configuration: config).get(server.url("/ua"))
        let seen = try #require(server.requests.first)
        #expect(seen.header("User-Agent") == "otklik-test/1.0")
        #expect(seen.header("Accept-Encoding")?.contains("gzip") == true)
    }

    @Test func get_whenBodyIsGzipped_returnsItDecoded() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        let text = String(repeating: "Третий день нет горячей воды на улице Ленина. ", count: 500)
        server.route("GET", "/gz", .gzip(text))
        let r = try await HTTPClient().get(server.url("/gz"))
        #expect(r.status == 200)
        #expect(r.text == text)
        #expect(r.header("Content-Encoding") == "gzip")
    }

    @Test func get_whenBodyIsChunked_returnsItWhole() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        let body = Data((0..<10_000).map { UInt8($0 % 251) })
        server.route("GET", "/chunks", .chunked(body, size: 777))
        let r = try await HTTPClient().get(server.url("/chunks"))
        #expect(r.body == body)
    }

    @Test func get_aFixtureFile_returnsItsBytes() async throws {
        let dir = TestPaths.makeTempDir()
        let path = dir + "/page.json"
        try Data("{\"items\":[1,2,3]}".utf8).write(to: URL(fileURLWithPath: path))
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/page", .file(path, contentType: "application/json"))
        let r = try await HTTPClient().get(server.url("/page"))
        #expect(r.text == "{\"items\":[1,2,3]}")
    }

    @Test func head_returnsHeadersWithoutBody() async throws {
        let server = try TestHTTPServer.started { _ in .text("body that HEAD must not read") }
        defer { server.stop() }
        let r = try await HTTPClient().send(HTTPRequest(method: .head, url: server.url("/h")))
        #expect(r.status == 200)
        #expect(r.body.isEmpty)
        #expect(server.requests.first?.method == "HEAD")
    }

    @Test func configuredProxy_receivesTheAbsoluteRequest() async throws {
        let proxy = try TestHTTPServer.started { req in .text("via proxy: " + req.target) }
        defer { proxy.stop() }
        var config = HTTPClientConfiguration()
        config.proxy = proxy.baseURL
        let r = try await HTTPClient(configuration: config).get("http://vk.example/method/wall.get?count=2")
        #expect(r.text == "via proxy: http://vk.example/method/wall.get?count=2")
        #expect(proxy.requests.first?.header("Host") == "vk.example")
    }

    @Test func postHelper_sendsBodyAndHeaders() async throws {
        let server = try TestHTTPServer.started { req in .text("\(req.method) \(req.header("Content-Type") ?? "-") \(req.bodyText)") }
        defer { server.stop() }
        let r = try await HTTPClient().post(server.url("/in"), body: Data("[1]".utf8),
                                            headers: [("Content-Type", "application/json")])
        #expect(r.text == "POST application/json [1]")
    }

    @Test func getWithBody_staysAGet() async throws {
        let server = try TestHTTPServer.started { req in .text(req.method + ":" + req.bodyText) }
        defer { server.stop() }
        let r = try await HTTPClient().send(HTTPRequest(method: .get, url: server.url("/q"), body: Data("{}".utf8)))
        #expect(r.text == "GET:{}")
    }

    @Test func debugLog_recordsEachRequestWithTheTokenRedacted() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/m", .text("hello"))
        let sink = LogSink(level: .debug, journal: true, capturing: true)
        let client = HTTPClient(logger: Logger(label: "http", sink: sink))
        _ = try await client.get(server.url("/m?access_token=SEKRET99&v=1"))
        _ = try? await client.get("http://127.0.0.1:1/refused")
        let lines = sink.captured
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("<7>level=debug component=http msg=http method=GET url=") == true)
        #expect(lines.first?.contains("status=200 bytes=5 ms=") == true)
        #expect(lines.last?.contains("msg=\"http failed\"") == true)
        #expect(!lines.joined().contains("SEKRET99"))
    }
}
