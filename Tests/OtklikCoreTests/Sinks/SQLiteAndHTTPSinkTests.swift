import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

private func incident(_ id: String, related: [String] = [], status: String = "new") -> Incident {
    let t = Date(timeIntervalSince1970: 1_795_000_000)
    return Incident(id: id, category: "housing.water", severity: .high, score: 3.5,
                    geo: GeoTag(municipality: "Батайск", method: .text, confidence: 0.8),
                    firstSeen: t, lastSeen: t, deadline: t.addingTimeInterval(12 * 3600), status: status,
                    openedBy: "vk:wall-1_1", url: "https://vk.com/wall-1_1", sourceID: "s",
                    text: "Третий день нет воды", relatedPosts: related)
}

@Suite struct SQLiteSinkTests {
    @Test func write_sameIncidentTwice_keepsOneRowAndMergesRelatedPosts() async throws {
        let path = TestPaths.makeTempDir() + "/incidents.sqlite"
        let sink = SQLiteSink(name: "db", path: path)
        try await sink.write([incident("inc-1")])
        try await sink.write([incident("inc-1", related: ["vk:wall-2_5"]), incident("inc-2")])
        await sink.close()
        let db = try SQLiteDatabase(path: path, readOnly: true)
        #expect(try db.query("SELECT count(*) FROM incidents").first?.first?.int == 2)
        #expect(try db.query("SELECT related_count FROM incidents WHERE id = ?", [.text("inc-1")]).first?.first?.int == 1)
        #expect(try db.query("SELECT count(*) FROM incident_posts WHERE incident_id = ?", [.text("inc-1")]).first?.first?.int == 2)
        let json = try db.query("SELECT json FROM incidents WHERE id = ?", [.text("inc-1")]).first?.first?.text ?? ""
        let decoded = try OtklikJSON.decoder().decode(Incident.self, from: Data(json.utf8))
        #expect(decoded.relatedPosts == ["vk:wall-2_5"])
    }

    @Test func write_whenOperatorChangedStatus_keepsIt() async throws {
        let path = TestPaths.makeTempDir() + "/incidents.sqlite"
        let sink = SQLiteSink(name: "db", path: path)
        try await sink.write([incident("inc-1")])
        let rw = try SQLiteDatabase(path: path)
        try rw.execute("UPDATE incidents SET status = 'in_progress' WHERE id = ?", [.text("inc-1")])
        try await sink.write([incident("inc-1", related: ["vk:wall-3_1"])])
        let row = try rw.query("SELECT status, json_extract(json, '$.status') FROM incidents").first ?? []
        #expect(row.first?.text == "in_progress")
        #expect(row.last?.text == "in_progress")
    }

    @Test func write_whenDatabaseIsFromNewerVersion_failsPermanentlyWithClearMessage() async throws {
        let path = TestPaths.makeTempDir() + "/incidents.sqlite"
        let db = try SQLiteDatabase(path: path)
        try db.setUserVersion(99)
        let sink = SQLiteSink(name: "db", path: path)
        await #expect {
            try await sink.write([incident("inc-1")])
        } throws: { error in
            guard case .permanent(let m)? = error as? SinkError else { return false }
            return m.contains("newer")
        }
    }

    @Test func write_whenFileIsNotADatabase_failsPermanently() async throws {
        let path = TestPaths.makeTempDir() + "/incidents.sqlite"
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        let sink = SQLiteSink(name: "db", path: path)
        await #expect(throws: SinkError.self) { try await sink.write([incident("inc-1")]) }
    }
}

@Suite struct HTTPSinkTests {
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

    @Test func write_postsBatchWithHeaders_andHonoursRetryAfter() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", .status(429, headers: [("Retry-After", "7")]), .text("ok"))
        var settings = HTTPSink.Settings(url: server.url("/in"))
        settings.headers = [("Authorization", "Bearer s3cr3t-token")]
        settings.format = .ndjson
        let sink = HTTPSink(name: "h", settings: settings, http: HTTPClient())
        await #expect { try await sink.write([incident("inc-1")]) } throws: { e in
            if case .retryable(_, let after)? = e as? SinkError { return after == .seconds(7) }; return false
        }
        try await sink.write([incident("inc-1"), incident("inc-2")])
        let last = try #require(server.requests(path: "/in").last)
        #expect(String(decoding: last.body, as: UTF8.self).split(separator: "\n").count == 2)
        #expect(last.header("Authorization") == "Bearer s3cr3t-token")
    }

    @Test func write_throughRunner_whenServerFailsThenRecovers_deliversEverything() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("POST", "/in", .status(503), .status(503), .text("ok"))
        let sink = HTTPSink(name: "h", settings: HTTPSink.Settings(url: server.url("/in")), http: HTTPClient())
        var config = SinkConfig(name: "h", type: "http", batchSize: 10, batchInterval: .milliseconds(10),
                                node: .emptyMapping(at: SourceMark(file: "t", line: 1, column: 1)))
        config.retryBase = .milliseconds(5)
        config.retryMax = .milliseconds(20)
        let runner = SinkRunner(sink: sink, config: config, deadLetterDir: TestPaths.makeTempDir(),
                                logger: Logger(label: "t", sink: LogSink(capturing: true)), metrics: Metrics())
        let acks = Counter()
        let loop = Task { await runner.run() }
        for i in 0..<5 { try await runner.submit(incident("inc-\(i)")) { acks.add() } }
        runner.close()
        await loop.value
        #expect(acks.value == 5)
        var ids = Set<String>()
        for r in server.requests(path: "/in") {
            if let arr = try? OtklikJSON.decoder().decode([Incident].self, from: r.body) { ids.formUnion(arr.map(\.id)) }
        }
        #expect(ids.count == 5)
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
