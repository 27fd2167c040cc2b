import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct IncidentStoreReaderTests {
    let now = ReportFixtures.now
    func hoursAgo(_ h: Double) -> Date { now.addingTimeInterval(-h * 3600) }

    func database(_ incidents: [Incident]) throws -> String {
        let path = TestPaths.makeTempDir() + "/incidents.sqlite"
        try ReportFixtures.writeDatabase(incidents, to: path)
        return path
    }

    @Test func query_categoryBlockAndWindow_returnsMatchesNewestFirst() throws {
        let path = try database([
            ReportFixtures.incident(id: "a", category: "housing.water", firstSeen: hoursAgo(30)),
            ReportFixtures.incident(id: "b", category: "housing", firstSeen: hoursAgo(2)),
            ReportFixtures.incident(id: "c", category: "roads", firstSeen: hoursAgo(3)),
            ReportFixtures.incident(id: "d", category: "housing.heating", firstSeen: hoursAgo(24 * 9)),
            ReportFixtures.incident(id: "e", category: "housingx", firstSeen: hoursAgo(1)),
        ])
        let store = try IncidentStoreReader(path: path)
        let r = try store.incidents(IncidentFilter(since: try DateArgument.parse("7d", now: now), category: "housing"), now: now)
        #expect(r.incidents.map(\.id) == ["b", "a"])
        #expect(try store.incidents(now: now).incidents.count == 5)
        #expect(try store.incidents(limit: 2, now: now).incidents.map(\.id) == ["e", "b"])
    }

    @Test func query_overdue_listsOpenPastDeadlineMostOverdueFirst() throws {
        let path = try database([
            ReportFixtures.incident(id: "late2", category: "housing.water", firstSeen: hoursAgo(20)),  // 12 h deadline
            ReportFixtures.incident(id: "late1", category: "housing.water", firstSeen: hoursAgo(40)),
            ReportFixtures.incident(id: "closed", category: "housing.water", firstSeen: hoursAgo(40), status: "closed"),
            ReportFixtures.incident(id: "intime", category: "roads", firstSeen: hoursAgo(20)),       // 72 h deadline
        ])
        let r = try IncidentStoreReader(path: path).incidents(IncidentFilter(overdue: true), order: .deadline, now: now)
        #expect(r.incidents.map(\.id) == ["late1", "late2"])
    }

    @Test func query_municipalityAndStatus_filterTogether() throws {
        let path = try database([
            ReportFixtures.incident(id: "a", category: "roads", town: 2, firstSeen: hoursAgo(1), status: "in_progress"),
            ReportFixtures.incident(id: "b", category: "roads", town: 2, firstSeen: hoursAgo(2)),
            ReportFixtures.incident(id: "c", category: "roads", town: 1, firstSeen: hoursAgo(3), status: "in_progress"),
        ])
        let r = try IncidentStoreReader(path: path).incidents(IncidentFilter(municipality: "ШАХТЫ", status: "in_progress"), now: now)
        #expect(r.incidents.map(\.id) == ["a"])
    }

    @Test func query_rowWithBadJSON_isReportedNotDroppedSilently() throws {
        let path = try database([ReportFixtures.incident(id: "good", category: "roads", firstSeen: hoursAgo(1))])
        let w = try SQLiteDatabase(path: path)
        try w.execute("INSERT INTO incidents VALUES ('bad', '2026-11-24T10:00:00Z', '2026-11-24T10:00:00Z', '2026-11-25T10:00:00Z', 'roads', NULL, NULL, 'new', '{\"id\": \"bad\"}')")
        let r = try IncidentStoreReader(path: path).incidents(now: now)
        #expect(r.incidents.map(\.id) == ["good"])
        #expect(r.undecodable.map(\.id) == ["bad"])
        #expect(r.undecodable.first?.reason.contains("missing key") == true)
    }

    @Test func query_timesWrittenWithAnOffset_areStillFilteredExactly() throws {
        let path = try database([])
        let w = try SQLiteDatabase(path: path)
        for (id, local) in [("in", "2026-11-20T02:30:00+03:00"), ("out", "2026-11-20T01:30:00+03:00")] {
            let i = ReportFixtures.incident(id: id, category: "roads", firstSeen: OtklikJSON.parseDate(local)!)
            try w.execute("INSERT INTO incidents VALUES (?, ?, ?, ?, 'roads', NULL, NULL, 'new', ?)",
                          [.text(id), .text(local), .text(local), .text(local), .text(try OtklikJSON.line(i))])
        }
        let since = OtklikJSON.parseDate("2026-11-19T23:00:00Z")!  // 02:00 in Moscow
        #expect(try IncidentStoreReader(path: path).incidents(IncidentFilter(since: since), now: now).incidents.map(\.id) == ["in"])
    }

    @Test func query_statusChangedInTheColumn_winsOverTheJSON() throws {
        let path = try database([ReportFixtures.incident(id: "a", category: "housing.water", firstSeen: hoursAgo(40))])
        let store = try IncidentStoreReader(path: path)
        #expect(try store.incidents(IncidentFilter(overdue: true), now: now).incidents.map(\.id) == ["a"])
        try SQLiteDatabase(path: path).execute("UPDATE incidents SET status = 'closed' WHERE id = 'a'")
        #expect(try store.incidents(IncidentFilter(overdue: true), now: now).incidents.isEmpty)
        #expect(try store.incidents(IncidentFilter(status: "closed"), now: now).incidents.first?.status == "closed")
    }

    @Test func query_incidentPostsTable_addsRepeatsToRelatedPosts() throws {
        let path = try database([ReportFixtures.incident(id: "a", category: "roads", firstSeen: hoursAgo(1), related: ["tg:x/1"])])
        let w = try SQLiteDatabase(path: path)
        try w.execute("INSERT INTO incident_posts VALUES ('a', 'vk:wall-9_9')")
        let i = try #require(try IncidentStoreReader(path: path).incidents(now: now).incidents.first)
        #expect(Set(i.relatedPosts) == ["tg:x/1", "vk:wall-9_9"])
        #expect(ReportModel.repeats(i) == 2)
    }

    @Test func query_whileWriterHoldsATransaction_readsTheLastCommittedSnapshot() throws {
        let path = try database([ReportFixtures.incident(id: "a", category: "roads", firstSeen: hoursAgo(1))])
        let writer = try SQLiteDatabase(path: path)
        let store = try IncidentStoreReader(path: path)
        try writer.execute("BEGIN IMMEDIATE")
        try writer.execute("INSERT INTO incidents (id, first_seen, last_seen, deadline, category, status, json) VALUES ('b', '', '', '', 'roads', 'new', ?)",
                           [.text(try OtklikJSON.line(ReportFixtures.incident(id: "b", category: "roads", firstSeen: hoursAgo(1))))])
        #expect(try store.incidents(now: now).incidents.map(\.id) == ["a"])
        try writer.execute("COMMIT")
        #expect(try store.incidents(now: now).incidents.count == 2)
    }

    @Test func open_missingFile_saysWhatToDo() {
        let error = #expect(throws: IncidentStoreError.self) { try IncidentStoreReader(path: TestPaths.makeTempDir() + "/none.sqlite") }
        #expect(error?.description.contains("--db") == true)
    }

    @Test func open_fileThatIsNotADatabase_failsClearly() throws {
        let path = TestPaths.makeTempDir() + "/junk.sqlite"
        try Data(String(repeating: "not a database at all\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: IncidentStoreError.self) { try IncidentStoreReader(path: path) }
        #expect(error?.description.contains("not a readable SQLite database") == true)
    }

    @Test func open_databaseWithoutIncidentsTable_saysSo() throws {
        let path = TestPaths.makeTempDir() + "/other.sqlite"
        try SQLiteDatabase(path: path).execute("CREATE TABLE t (x)")
        let error = #expect(throws: IncidentStoreError.self) { try IncidentStoreReader(path: path) }
        #expect(error?.description.contains("no 'incidents' table") == true)
    }

    @Test func databasePath_comesFromTheSqliteSinkOrTheStateDir() throws {
        let dir = TestPaths.makeTempDir()
        let file = dir + "/pipelines.yaml"
        try """
        state_dir: ./state
        pipelines:
          - name: rostov
            sources: []
            sinks:
              - name: db
                type: sqlite
                path: data/rostov.sqlite
          - name: demo
            sources: []
            sinks: []
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let config = try OtklikConfig.load(path: file, environment: [:])
        #expect(IncidentStoreReader.databasePath(config: config, pipeline: config.pipeline(named: "rostov")!) == dir + "/data/rostov.sqlite")
        #expect(IncidentStoreReader.databasePath(config: config, pipeline: config.pipeline(named: "demo")!) == dir + "/state/demo/incidents.sqlite")

        let loc = try IncidentDatabaseLocation.resolve(db: nil, configPath: { file }, pipeline: "demo", environment: [:])
        #expect(loc.path == dir + "/state/demo/incidents.sqlite")
        let typo = #expect(throws: CommandError.self) {
            try IncidentDatabaseLocation.resolve(db: nil, configPath: { file }, pipeline: "rostv", environment: [:])
        }
        #expect(typo?.message.contains("did you mean 'rostov'") == true)
    }

    @Test func location_configWithUnsetSecret_isStillUsedWithAWarning() throws {
        let dir = TestPaths.makeTempDir()
        let file = dir + "/pipelines.yaml"
        try """
        state_dir: /var/lib/otklik
        pipelines:
          - name: rostov
            sources:
              - id: vk
                connector: vk
                token: ${VK_TOKEN}
            sinks: []
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let loc = try IncidentDatabaseLocation.resolve(db: nil, configPath: { file }, pipeline: "rostov", environment: [:])
        #expect(loc.path == "/var/lib/otklik/rostov/incidents.sqlite")
        #expect(loc.warnings.contains { $0.contains("VK_TOKEN") })
    }
}
