import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct SQLiteSinkTests {
    func dbPath() -> String { TestPaths.makeTempDir("sqlitesink") + "/state/incidents.sqlite" }

    func count(_ path: String, _ sql: String, _ params: [SQLiteValue] = []) throws -> Int64 {
        try SQLiteDatabase(path: path, readOnly: true).query(sql, params).first?.first?.int ?? -1
    }

    @Test func write_sameBatchTwice_keepsOneRowPerIncident() async throws {
        let path = dbPath()
        let sink = SQLiteSink(name: "db", path: path)
        let batch = [SinkFixtures.incident("a", related: ["jsonl:p2"]), SinkFixtures.incident("b")]
        try await sink.write(batch)
        try await sink.write(batch)
        await sink.close()
        #expect(try count(path, "SELECT count(*) FROM incidents") == 2)
        #expect(try count(path, "SELECT count(*) FROM incident_posts") == 3)
        #expect(SinkFixtures.mode(path) == 0o600)
        let db = try SQLiteDatabase(path: path, readOnly: true)
        #expect(try db.query("PRAGMA journal_mode").first?.first?.text == "wal")
        let row = try #require(try db.query(
            "SELECT category, municipality_id, lat, deadline, executor, status, related_count, json FROM incidents WHERE id = 'a'").first)
        #expect(row[0].text == "roads.pothole")
        #expect(row[1].text == "m-1")
        #expect(row[2].double == 47.2)
        #expect(row[3].text == OtklikJSON.formatDate(SinkFixtures.t0.addingTimeInterval(3 * 86400)))
        #expect(row[4].text == "Дорожная служба")
        #expect(row[5].text == "new")
        #expect(row[6].int == 1)
        let decoded = try OtklikJSON.decoder().decode(Incident.self, from: Data(try #require(row[7].text).utf8))
        #expect(decoded == batch[0])
    }

    @Test func write_laterVersion_mergesRelatedPostsAndWidensSeenTimes() async throws {
        let path = dbPath()
        let sink = SQLiteSink(name: "db", path: path)
        try await sink.write([SinkFixtures.incident("a", related: ["jsonl:p2"])])
        var later = SinkFixtures.incident("a", related: ["jsonl:p3"])
        later.lastSeen = SinkFixtures.t0.addingTimeInterval(3600)
        later.severity = .high
        try await sink.write([later])
        await sink.close()
        let db = try SQLiteDatabase(path: path, readOnly: true)
        let posts = try db.query("SELECT post_key FROM incident_posts WHERE incident_id = 'a' ORDER BY post_key").compactMap { $0[0].text }
        #expect(posts == ["jsonl:a", "jsonl:p2", "jsonl:p3"])
        let row = try #require(try db.query("SELECT severity, related_count, last_seen, json FROM incidents").first)
        #expect(row[0].text == "high")
        #expect(row[1].int == 2)
        #expect(row[2].text == OtklikJSON.formatDate(later.lastSeen))
        let json = try OtklikJSON.decoder().decode(Incident.self, from: Data(try #require(row[3].text).utf8))
        #expect(json.relatedPosts == ["jsonl:p2", "jsonl:p3"])
        #expect(json.firstSeen == SinkFixtures.t0)
    }

    @Test func write_newVersion_keepsTheStatusAnOperatorSet() async throws {
        let path = dbPath()
        let sink = SQLiteSink(name: "db", path: path)
        try await sink.write([SinkFixtures.incident("a")])
        try SQLiteDatabase(path: path).execute("UPDATE incidents SET status = 'in_progress' WHERE id = 'a'")
        var later = SinkFixtures.incident("a", related: ["jsonl:p9"])
        later.lastSeen = SinkFixtures.t0.addingTimeInterval(60)
        try await sink.write([later, SinkFixtures.incident("b", status: "new")])
        await sink.close()
        let db = try SQLiteDatabase(path: path, readOnly: true)
        let rows = try db.query("SELECT id, status, json FROM incidents ORDER BY id")
        #expect(rows.map { $0[1].text } == ["in_progress", "new"])
        let json = try OtklikJSON.decoder().decode(Incident.self, from: Data(try #require(rows[0][2].text).utf8))
        #expect(json.status == "in_progress")
        #expect(json.relatedPosts == ["jsonl:p9"])
    }

    @Test func open_whenDatabaseHasANewerSchema_failsWithAClearError() async throws {
        let path = dbPath()
        let db = try SQLiteDatabase(path: path)
        try db.setUserVersion(SQLiteSchema.version + 1)
        let sink = SQLiteSink(name: "db", path: path)
        let error = await #expect(throws: SQLiteSinkError.self) { try await sink.write([SinkFixtures.incident("a")]) }
        #expect(error == .newerSchema(path: path, found: SQLiteSchema.version + 1, supported: SQLiteSchema.version))
        #expect(String(describing: try #require(error)).contains("newer than this otklik supports"))
    }

    @Test func write_whenFileIsNotADatabase_failsWithAClearError() async throws {
        let path = dbPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        let sink = SQLiteSink(name: "db", path: path)
        let error = await #expect(throws: SQLiteSinkError.self) { try await sink.write([SinkFixtures.incident("a")]) }
        #expect(String(describing: try #require(error)).contains("not a valid SQLite database"))
    }

    @Test func write_afterCloseAndReopen_continuesTheSameDatabase() async throws {
        let path = dbPath()
        let first = SQLiteSink(name: "db", path: path)
        try await first.write([SinkFixtures.incident("a")])
        await first.close()
        try await first.write([SinkFixtures.incident("b")])  // a closed sink reopens on demand
        await first.close()
        let second = SQLiteSink(name: "db", path: path)
        try await second.open()
        try await second.write([SinkFixtures.incident("a"), SinkFixtures.incident("c")])
        await second.close()
        #expect(try count(path, "SELECT count(*) FROM incidents") == 3)
        #expect(try SQLiteDatabase(path: path, readOnly: true).userVersion == SQLiteSchema.version)
    }

    @Test func schema_hasTheIndexesOperatorsQueryBy() async throws {
        let path = dbPath()
        let sink = SQLiteSink(name: "db", path: path)
        try await sink.open()
        await sink.close()
        let db = try SQLiteDatabase(path: path, readOnly: true)
        let indexed = Set(try db.query("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents'")
            .compactMap { $0[0].text?.split(separator: "(").last?.split(separator: ",").first?.description.replacingOccurrences(of: ")", with: "") })
        #expect(indexed.isSuperset(of: ["first_seen", "category", "municipality_id", "status", "deadline"]))
    }

    @Test func factory_defaultsToTheStateDir_andDoesNoIO() throws {
        let dir = TestPaths.makeTempDir("sqlitesink")
        let (config, ctx) = try SinkFixtures.load("type: sqlite\nname: db", stateDir: dir)
        let sink = try #require(try SQLiteSink.factory(config, ctx) as? SQLiteSink)
        #expect(sink.path == dir + "/test/incidents.sqlite")
        #expect(!FileManager.default.fileExists(atPath: sink.path))
        #expect(IncidentStoreReader.databasePath(config: ctx.config, pipeline: ctx.pipeline) == sink.path)
    }

    @Test func runner_withSQLiteSink_deliversThroughTheWholePath() async throws {
        let path = dbPath()
        let (logger, _) = SinkFixtures.capturingLogger()
        let config = SinkConfig(name: "db", type: "sqlite", batchSize: 7, batchInterval: .milliseconds(1),
                                node: .emptyMapping(at: SourceMark(file: "t", line: 1, column: 1)))
        let runner = SinkRunner(sink: SQLiteSink(name: "db", path: path), config: config,
                                deadLetterDir: TestPaths.makeTempDir("dead"), logger: logger, metrics: Metrics())
        let acks = AckCounter()
        let loop = Task { await runner.run() }
        for i in 0..<50 { try await runner.submit(SinkFixtures.incident("n\(i % 25)"), ack: acks.ack("n\(i)")) }
        runner.close()
        await loop.value
        #expect(acks.total == 50)
        #expect(try count(path, "SELECT count(*) FROM incidents") == 25)
    }
}

@Suite struct IncidentMergeTests {
    @Test func merge_olderVersionArrivingLate_changesNothingButAddsItsPosts() {
        var newer = SinkFixtures.incident("a", related: ["p2"])
        newer.lastSeen = SinkFixtures.t0.addingTimeInterval(100)
        newer.severity = .critical
        let older = SinkFixtures.incident("a", related: ["p1"])
        let m = IncidentMerge.merge(stored: newer, storedStatus: "new", incoming: older)
        #expect(m.severity == .critical)
        #expect(m.lastSeen == newer.lastSeen)
        #expect(m.relatedPosts == ["p2", "p1"])
    }

    @Test func merge_dropsDuplicateAndOpeningPostsFromRelated() {
        let stored = SinkFixtures.incident("a", related: ["p1", "jsonl:a"])
        let incoming = SinkFixtures.incident("a", related: ["p1", "p2", "p2"])
        #expect(IncidentMerge.merge(stored: stored, storedStatus: nil, incoming: incoming).relatedPosts == ["p1", "p2"])
    }

    @Test func merge_newIncident_isTakenAsIs() {
        let i = SinkFixtures.incident("a", related: ["p1"])
        #expect(IncidentMerge.merge(stored: nil, storedStatus: nil, incoming: i) == i)
    }
}
