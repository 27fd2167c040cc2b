import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// The test server itself: routing, sequences, recording, keep-alive, gzip.
@Suite struct TestHTTPServerTests {
    @Test func route_whenScriptedWithSequence_answersInTurnThenRepeatsLast() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/seq", .status(429, headers: [("Retry-After", "1")]), .text("first"), .text("last"))
        let client = HTTPClient()
        var statuses: [Int] = []
        var bodies: [String] = []
        for _ in 0..<4 {
            let r = try await client.get(server.url("/seq"))
            statuses.append(r.status)
            bodies.append(r.text)
        }
        #expect(statuses == [429, 200, 200, 200])
        #expect(bodies == ["", "first", "last", "last"])
        #expect(server.requestCount == 4)
        #expect(server.requests.map(\.sequence) == [0, 1, 2, 3])
    }

    @Test func request_isRecordedWithQueryHeadersAndBody() async throws {
        let server = try TestHTTPServer.started { req in .text("echo:" + req.bodyText) }
        defer { server.stop() }
        let client = HTTPClient()
        let r = try await client.send(HTTPRequest(
            method: .post, url: server.url("/api/items?owner_id=-1&q=%D1%8F%D0%BC%D0%B0+%D0%BD%D0%B0"),
            headers: [("X-Test", "42"), ("Content-Type", "application/json")], body: Data("{\"a\":1}".utf8)))
        #expect(r.status == 200)
        #expect(r.text == "echo:{\"a\":1}")
        let seen = try #require(server.requests.first)
        #expect(seen.method == "POST")
        #expect(seen.path == "/api/items")
        #expect(seen.queryValue("owner_id") == "-1")
        #expect(seen.queryValue("q") == "яма на")
        #expect(seen.header("x-test") == "42")
        #expect(seen.bodyText == "{\"a\":1}")
    }

    @Test func unroutedRequest_getsA404NamingThePath() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        let r = try await HTTPClient().get(server.url("/nothing"))
        #expect(r.status == 404)
        #expect(r.text.contains("/nothing"))
    }

    @Test func keepAlive_reusesOneConnectionForSequentialRequests() async throws {
        let server = try TestHTTPServer.started { _ in .text("ok") }
        defer { server.stop() }
        let client = HTTPClient()
        for _ in 0..<3 { _ = try await client.get(server.url("/ka")) }
        #expect(server.requestCount == 3)
        #expect(Set(server.requests.map(\.connectionID)).count <= 3)
    }

    @Test func gzipEncoder_roundTripsThroughTheSystemGunzip() throws {
        let dir = TestPaths.makeTempDir()
        let text = String(repeating: "Во дворе яма, третий день нет воды. ", count: 3000)
        let path = dir + "/t.gz"
        try Gzip.encode(Data(text.utf8)).write(to: URL(fileURLWithPath: path))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-dc", path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self) == text)
        #expect(Gzip.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func stop_endsAStalledConnection() async throws {
        let server = try TestHTTPServer.started { _ in .stall }
        let client = HTTPClient()
        let task = Task { try await client.send(HTTPRequest(url: server.url("/stall"), timeout: .seconds(30))) }
        #expect(await server.waitUntil { $0.requestCount == 1 })
        server.stop()
        await #expect(throws: HTTPError.self) { try await task.value }
        #expect(await server.waitUntil { $0.activeConnections == 0 })
    }
}
