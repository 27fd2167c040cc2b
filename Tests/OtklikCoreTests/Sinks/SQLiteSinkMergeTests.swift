import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// The `sqlite` sink merges a new version from the stored row's columns instead of decoding its
/// JSON: the rows must stay exactly what decoding and merging gave, and old databases migrate.
@Suite struct SQLiteSinkMergeTests {
    func dbPath() -> String { TestPaths.makeTempDir("sqlitemerge") + "/incidents.sqlite" }

    /// Versions of a few incidents in a shuffled order: late older versions, repeated and
    /// overlapping related posts, fractional-second times, odd keys.
    static func versions(_ n: Int, seed: UInt64) -> [Incident] {
        var rng = BenchRandom(seed: seed)
        let offsets: [Double] = [0, 60, 0.5, 3600, 3600.25, -30, 86_400, 0.0004, 7200.999]
        let keys = ["tg:c/1", "vk:wall-1_2", "jsonl:\"q\"\\", "jsonl:ё/😀", "vk:wall-1_3", "tg:c/4", "jsonl:x\n"]
        return (0..<n).map { _ in
            let id = "i\(rng.below(4))"
            var i = SinkFixtures.incident(id, related: (0..<rng.below(4)).map { _ in keys[rng.below(keys.count)] })
            if rng.below(5) == 0 { i.relatedPosts.append(i.openedBy) }
            i.firstSeen = SinkFixtures.t0.addingTimeInterval(offsets[rng.below(offsets.count)])
            i.lastSeen = i.firstSeen.addingTimeInterval(offsets[rng.below(offsets.count)].magnitude)
            i.severity = Severity.allCases[rng.below(Severity.allCases.count)]
            i.text = "версия \(rng.below(1000))"
            i.status = rng.below(3) == 0 ? "in_progress" : "new"
            return i
        }
    }

    /// What the sink wrote before: decode the stored JSON, merge, encode.
    struct Reference {
        var json: [String: String] = [:]
        var status: [String: String] = [:]
        var posts: [String: Set<String>] = [:]

        mutating func write(_ incoming: Incident) throws {
            let stored = try json[incoming.id].map { try OtklikJSON.decoder().decode(Incident.self, from: Data($0.utf8)) }
            let m = IncidentMerge.merge(stored: stored, storedStatus: status[incoming.id], incoming: incoming)
            if status[m.id] == nil { status[m.id] = m.status }
            json[m.id] = IncidentJSON.string(m)
            posts[m.id, default: []].formUnion([m.openedBy] + m.relatedPosts)
        }
    }

    func rows(_ path: String) throws -> (json: [String: String], posts: [String: Set<String>]) {
        let db = try SQLiteDatabase(path: path, readOnly: true)
        var json: [String: String] = [:], posts: [String: Set<String>] = [:]
        for r in try db.query("SELECT id, json, related_count, related_posts FROM incidents") {
            let id = try #require(r[0].text), text = try #require(r[1].text)
            json[id] = text
            guard let decoded = try? OtklikJSON.decoder().decode(Incident.self, from: Data(text.utf8)) else { continue }
            #expect(r[2].int == Int64(decoded.relatedPosts.count))
            #expect(r[3].text == SQLiteSink.relatedJSON(decoded.relatedPosts))
        }
        for r in try db.query("SELECT incident_id, post_key FROM incident_posts") {
            posts[try #require(r[0].text), default: []].insert(try #require(r[1].text))
        }
        return (json, posts)
    }

    /// Batches of one to all versions: versions of one incident in one batch merge as if written one by one.
    @Test func write_manyVersionsInAnyOrder_givesTheRowsDecodingAndMergingGave() async throws {
        for (seed, largest) in [(1, 6), (2, 6), (3, 40), (4, 120)] as [(UInt64, Int)] {
            let path = dbPath()
            let sink = SQLiteSink(name: "db", path: path)
            var reference = Reference()
            var rng = BenchRandom(seed: seed &+ 100)
            var pending = Self.versions(120, seed: seed)[...]
            while !pending.isEmpty {
                let batch = Array(pending.prefix(1 + rng.below(largest)))
                pending = pending.dropFirst(batch.count)
                try await sink.write(batch)
                for i in batch { try reference.write(i) }
            }
            await sink.close()
            let got = try rows(path)
            #expect(got.json == reference.json, "seed \(seed)")
            #expect(got.posts == reference.posts, "seed \(seed)")
        }
    }

    @Test func write_afterAnOperatorChangedTheStatus_keepsItInRowAndJSON() async throws {
        let path = dbPath()
        let sink = SQLiteSink(name: "db", path: path)
        try await sink.write([SinkFixtures.incident("a", related: ["p1"])])
        try SQLiteDatabase(path: path).execute("UPDATE incidents SET status = 'done' WHERE id = 'a'")
        var later = SinkFixtures.incident("a", related: ["p2"])
        later.lastSeen = SinkFixtures.t0.addingTimeInterval(10)
        try await sink.write([later])
        await sink.close()
        let json = try #require(try rows(path).json["a"])
        let m = try OtklikJSON.decoder().decode(Incident.self, from: Data(json.utf8))
        #expect(m.status == "done")
        #expect(m.relatedPosts == ["p1", "p2"])
    }

    /// A database written by the previous schema (no `related_posts` column) migrates: the
    /// column is filled from the JSON, and later versions merge as before.
    @Test func open_versionTwoDatabase_migratesAndMergesItsRows() async throws {
        let path = dbPath()
        var reference = Reference()
        do {
            let old = try SQLiteDatabase(path: path)
            for script in SQLiteSchema.migrations.prefix(2) { try old.executeScript(script) }
            try old.setUserVersion(2)
            let first = [SinkFixtures.incident("a", related: ["p1", "jsonl:ё\"x"]), SinkFixtures.incident("b")]
            let names = SQLiteSink.columnNames.dropLast()
            for i in first {
                try reference.write(i)
                let values = Array(SQLiteSink.columns(i, json: IncidentJSON.string(i), now: "2026-11-01T00:00:00Z").dropLast())
                try old.execute("INSERT INTO incidents (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))", values)
                for k in [i.openedBy] + i.relatedPosts {
                    try old.execute("INSERT INTO incident_posts (incident_id, post_key) VALUES (?, ?)", [.text(i.id), .text(k)])
                }
            }
            try old.execute("INSERT INTO incidents (id, category, severity, score, first_seen, last_seen, deadline, status, opened_by, json, updated_at) VALUES ('broken', 'x', 'low', 0, 't', 't', 't', 'new', 'o', 'not json', 't')")
        }
        let sink = SQLiteSink(name: "db", path: path)
        try await sink.open()
        let db = try SQLiteDatabase(path: path, readOnly: true)
        #expect(try db.userVersion == SQLiteSchema.version)
        #expect(try db.query("SELECT related_posts FROM incidents WHERE id = 'a'").first?.first?.text == #"["p1","jsonl:ё\"x"]"#)
        #expect(try db.query("SELECT related_posts FROM incidents WHERE id = 'broken'").first?.first == .null)
        var later = SinkFixtures.incident("a", related: ["p2", "p1"])
        later.lastSeen = SinkFixtures.t0.addingTimeInterval(60)
        let older = SinkFixtures.incident("b", related: ["p3"], seen: SinkFixtures.t0.addingTimeInterval(-60))
        try await sink.write([later, older])
        for i in [later, older] { try reference.write(i) }
        await sink.close()
        let got = try rows(path)
        #expect(got.json["a"] == reference.json["a"])
        #expect(got.json["b"] == reference.json["b"])
        #expect(got.posts["a"] == reference.posts["a"])
    }
}

@Suite struct IncidentMergeColumnsTests {
    /// The merge from columns is the full merge whenever the incoming version is the newer one.
    @Test func mergeFromColumns_equalsTheFullMerge_whenIncomingIsNewer() {
        let versions = SQLiteSinkMergeTests.versions(200, seed: 9)
        var compared = 0
        for (stored, incoming) in zip(versions, versions.dropFirst()) {
            var incoming = incoming
            incoming.id = stored.id; incoming.openedBy = stored.openedBy
            let summary = IncidentMerge.Stored(firstSeen: stored.firstSeen, lastSeen: stored.lastSeen,
                                               relatedPosts: stored.relatedPosts, status: "in_review",
                                               relatedCount: stored.relatedCount)
            let full = IncidentMerge.merge(stored: stored, storedStatus: "in_review", incoming: incoming)
            if let fast = IncidentMerge.merge(stored: summary, incoming: incoming) {
                #expect(fast == full)
                compared += 1
            } else {
                #expect(incoming.lastSeen < stored.lastSeen)
            }
        }
        #expect(compared > 50)
    }
}

@Suite struct SinkBatchSizeTests {
    func runner(_ yaml: String, _ make: (SinkConfig) -> any Sink) throws -> SinkRunner {
        let (config, _) = try SinkFixtures.load(yaml, stateDir: TestPaths.makeTempDir("batch"))
        let (logger, _) = SinkFixtures.capturingLogger()
        return SinkRunner(sink: make(config), config: config, deadLetterDir: TestPaths.makeTempDir("dead"),
                          logger: logger, metrics: Metrics())
    }

    @Test func runner_sqliteSinkWithoutBatchSize_usesTheSinksPreference_andAConfiguredOneWins() throws {
        let sqlite: (SinkConfig) -> any Sink = { SQLiteSink(name: $0.name, path: TestPaths.makeTempDir("b") + "/x.sqlite") }
        #expect(try runner("type: sqlite\nname: db", sqlite).batchSize == 1000)
        #expect(try runner("type: sqlite\nname: db\nbatch_size: 200", sqlite).batchSize == 200)
        #expect(try runner("type: sqlite\nname: db\nbatch_size: 7", sqlite).batchSize == 7)
        let file: (SinkConfig) -> any Sink = { FileSink(name: $0.name, settings: .init(path: TestPaths.makeTempDir("b") + "/x.jsonl")) }
        #expect(try runner("type: file\nname: f\npath: x.jsonl", file).batchSize == 200)
    }
}
