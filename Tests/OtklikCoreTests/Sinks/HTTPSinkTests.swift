import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct HTTPSinkTests {
    func runner(_ sink: HTTPSink, maxAttempts: Int = 0) -> (SinkRunner, LogSink, String) {
        let config = SinkConfig(name: sink.name, type: "http", batchSize: 10, batchInterval: .milliseconds(10),
                                maxAttempts: maxAttempts, retryBase: .milliseconds(5), retryMax: .milliseconds(20),
                                node: .emptyMapping(at: SourceMark(file: "t", line: 1, column: 1)))
        let (logger, log) = SinkFixtures.capturingLogger()
        let dir = TestPaths.makeTempDir("httpsink")
        return (SinkRunner(sink: sink, config: config, deadLetterDir: dir, logger: logger, metrics: Metrics()), log, dir)
    }

    func ids(_ server: TestHTTPServer) -> Set<String> {
        var ids = Set<String>()
        for r in server.requests(path: "/in") {
            if let arr = try? OtklikJSON.decoder().decode([Incident].self, from: r.body) { ids.formUnion(arr.map(\.id)) }
        }
        return ids
    }

    @Test func classify_statuses_mapToRetryOrPermanent() {
        #expect(throws: Never.self) { try HTTPSink.classify(status: 204, retryAfter: nil, url: "http://x") }
        for s in [408, 429, 500, 502, 503] {
            #expect { try HTTPSink.classify(status: s, retryAfter: nil, url: "http://x") } throws: { e in
                if case .retryable? = e as? SinkError { return true }; return false
            }
        }
        for s in [400, 401, 404, 422] {
            #expect { try HTTPSink.classify(status: s, retryAfter: nil, url: "http://x") } throws: { e in
                if case .permanent? = e as? SinkError { return true }; return false
            }
        }
    }

    @Test func write_ndjson_sendsHeadersAndHonoursRetryAfter() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", .status(429, headers: [("Retry-After", "7")]), .text("ok"))
        var settings = HTTPSink.Settings(url: server.url("/in"))
        settings.headers = [("Authorization", "Bearer s3cr3t-token")]
        settings.format = .ndjson
        let sink = HTTPSink(name: "h", settings: settings, http: HTTPClient())
        await #expect { try await sink.write([SinkFixtures.incident("inc-1")]) } throws: { e in
            if case .retryable(_, let after)? = e as? SinkError { return after == .seconds(7) }; return false
        }
        try await sink.write([SinkFixtures.incident("inc-1"), SinkFixtures.incident("inc-2")])
        let last = try #require(server.requests(path: "/in").last)
        #expect(String(decoding: last.body, as: UTF8.self).split(separator: "\n").count == 2)
        #expect(last.header("Authorization") == "Bearer s3cr3t-token")
        #expect(last.header("Content-Type") == "application/x-ndjson")
    }

    @Test func write_json_postsOneArray() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", .status(204))
        let sink = HTTPSink(name: "h", settings: HTTPSink.Settings(url: server.url("/in")), http: HTTPClient())
        try await sink.write([SinkFixtures.incident("a"), SinkFixtures.incident("b")])
        let r = try #require(server.requests(path: "/in").first)
        #expect(r.header("Content-Type") == "application/json")
        #expect(try OtklikJSON.decoder().decode([Incident].self, from: r.body).map(\.id) == ["a", "b"])
    }

    @Test func runner_whenServerAnswers503Then429ThenResets_deliversEverything() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", .status(503), .status(503), .status(429, headers: [("Retry-After", "0")]),
                     .reset, .text("ok"))
        let (r, _, dir) = runner(HTTPSink(name: "h", settings: HTTPSink.Settings(url: server.url("/in")), http: HTTPClient()))
        let acks = AckCounter()
        let loop = Task { await r.run() }
        for i in 0..<5 { try await r.submit(SinkFixtures.incident("inc-\(i)"), ack: acks.ack("inc-\(i)")) }
        r.close()
        await loop.value
        #expect(acks.total == 5)
        #expect(ids(server) == Set((0..<5).map { "inc-\($0)" }))
        #expect(!FileManager.default.fileExists(atPath: dir + "/h.dead.jsonl"))
    }

    @Test func runner_whenServerAnswers400_deadLettersAtOnce_andRedactsTheToken() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", .text("bad token s3cr3t-value-42", status: 400))
        Redactor.register(secret: "s3cr3t-value-42")
        var settings = HTTPSink.Settings(url: server.url("/in") + "?token=s3cr3t-value-42")
        settings.headers = [("X-Api-Token", "s3cr3t-value-42")]
        let (r, log, dir) = runner(HTTPSink(name: "h", settings: settings, http: HTTPClient()))
        let acks = AckCounter()
        try await r.submit(SinkFixtures.incident("x"), ack: acks.ack("x"))
        r.close()
        await r.run()
        #expect(acks.total == 1)
        #expect(server.requests(path: "/in").count == 1)
        let dead = SinkFixtures.lines(dir + "/h.dead.jsonl")
        #expect(dead.count == 1)
        let lines = log.captured.joined(separator: "\n")
        #expect(lines.contains("HTTP 400"))
        #expect(!lines.contains("s3cr3t-value-42"))
        #expect(!dead[0].contains("s3cr3t-value-42"))
    }

    @Test func factory_readsKeys_andReportsABadURL() throws {
        let dir = TestPaths.makeTempDir("httpsink")
        let (config, ctx) = try SinkFixtures.load("""
        type: http
        url: http://127.0.0.1:9/in
        format: ndjson
        timeout: 5s
        headers: {Authorization: "Bearer ${HOOK_TOKEN}"}
        """, stateDir: dir, environment: ["HOOK_TOKEN": "tok-123456"])
        let sink = try #require(try HTTPSink.factory(config, ctx) as? HTTPSink)
        #expect(sink.settings.format == .ndjson)
        #expect(sink.settings.timeout == .seconds(5))
        #expect(sink.settings.headers.map(\.value) == ["Bearer tok-123456"])
        #expect(Redactor.redact("x tok-123456 y") == "x *** y")

        let d = ConfigDiagnostics()
        let (bad, badCtx) = try SinkFixtures.load("type: http\nurl: ftp://x/in\nformatt: json", stateDir: dir, diagnostics: d)
        #expect(throws: ConfigErrors.self) { _ = try HTTPSink.factory(bad, badCtx) }
        #expect(d.errors.contains { $0.message.contains("http:// or https://") })
        #expect(d.errors.contains { $0.message.contains("did you mean 'format'") })
    }
}
