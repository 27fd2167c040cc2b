import Foundation
import Testing
import OtklikTestSupport

/// `otklik incidents` on a store the real binary wrote (see `IncidentStoreFixture` for the rows).
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct IncidentsCommandTests {
    @Test func incidents_withoutFilters_listsEveryIncidentNewestFirstAsJSONL() async throws {
        let store = try await IncidentStoreFixture.make()
        let r = try await store.run(["incidents", "--config", "pipelines.yaml", "--pipeline", "t"])
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(jsonlIDs(r.out) == store.ids([10, 7, 6, 9, 5, 4, 3, 2, 1]))
        let first = try #require(try JSONSerialization.jsonObject(with: Data(r.out.split(separator: "\n")[1].utf8)) as? [String: Any])
        #expect(first["category"] as? String == "roads")
        #expect(first["opened_by"] as? String == "vk:wall-1_7")
        #expect((first["geo"] as? [String: Any])?["municipality"] as? String == "Азов")
        #expect(first["text"] as? String == IncidentStoreFixture.hostile + " В Азове на Московской улице огромная яма, машины бьют колёса")
    }

    @Test func incidents_filters_giveExactlyTheMatchingRows() async throws {
        let store = try await IncidentStoreFixture.make()
        let cases: [([String], [Int])] = [
            (["--category", "housing"], [6, 5, 1]),
            (["--category", "housing.water"], [6, 1]),
            (["--category", "Дороги"], [10, 7, 9, 4, 2]),
            (["--municipality", "таганрог"], [6, 2]),
            (["--municipality", "Шахты", "--category", "roads"], [10]),
            (["--status", "in_progress"], [4]),
            (["--status", "closed"], [2]),
            (["--since", "2026-10-05", "--until", "2026-10-08"], [9, 5, 4, 3]),
            (["--since", "2026-10-06T12:00:00Z", "--until", "2026-10-07T13:00:00Z"], [4]),
            (["--since", "7d"], [10]),
            (["--limit", "2"], [10, 7]),
            // Most overdue first; closed (2) and not yet due (10) are left out.
            (["--overdue"], [1, 3, 5, 4, 6, 9, 7]),
            (["--overdue", "--municipality", "Батайск", "--limit", "2"], [1, 4]),
        ]
        for (filters, posts) in cases {
            let r = try await store.run(["incidents", "--db", "out/incidents.sqlite", "--format", "jsonl"] + filters)
            #expect(r.status == 0, "\(filters): \(r.err)")
            #expect(jsonlIDs(r.out) == store.ids(posts), "\(filters)")
        }
    }

    @Test func incidents_table_showsOneAlignedRowPerIncident() async throws {
        let store = try await IncidentStoreFixture.make()
        let r = try await store.run(["incidents", "--db", "out/incidents.sqlite", "--format", "table", "--timezone", "UTC",
                                     "--category", "roads", "--until", "2026-10-31"])
        #expect(r.status == 0, "stderr: \(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 6, "header, 4 rows, count: \(r.out)")
        #expect(lines.first?.hasPrefix("ID") == true)
        #expect(lines.last == "4 incident(s)")
        let rows = lines.dropFirst().dropLast().map { $0.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        #expect(rows.map { $0.first } == store.ids([7, 9, 4, 2]))
        let azov = try #require(rows.first)
        #expect(Array(azov.prefix(6)) == [store.ids[7]!, "12.10 15:00", "Дороги", "средняя", "Азов", "15.10 15:00 просрочен"])
        #expect(azov.last?.hasPrefix("<script>document.title=") == true, "a terminal shows the text as it is")
        let taganrog = try #require(rows.last)
        #expect(taganrog.contains("Таганрог") && !taganrog.contains { $0.contains("просрочен") }, "closed: not overdue")
    }

    @Test(.enabled(if: Terminal.available, "needs util-linux script"))
    func incidents_onATerminal_printsTheTableByDefault() async throws {
        let store = try await IncidentStoreFixture.make()
        let (status, screen) = try await Terminal.run(["incidents", "--db", "out/incidents.sqlite", "--timezone", "UTC",
                                                       "--municipality", "Батайск"], dir: store.dir)
        #expect(status == 0)
        let lines = Terminal.lines(screen).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        #expect(lines.first?.hasPrefix("ID") == true, "\(screen)")
        #expect(lines.dropFirst().prefix(3).map { String($0.prefix { $0 != " " }) } == store.ids([9, 4, 1]))
        #expect(lines.last == "3 incident(s)")
        #expect(!screen.contains("{\""), "no JSON on a terminal")
    }

    @Test func incidents_nothingMatches_saysSoWithAHintAndExitsZero() async throws {
        let store = try await IncidentStoreFixture.make()
        let typo = try await store.run(["incidents", "--db", "out/incidents.sqlite", "--format", "table", "--category", "roadz"])
        #expect(typo.status == 0)
        #expect(typo.out.isEmpty)
        #expect(typo.err.contains("no incidents match; category 'roadz' is unknown (did you mean 'roads'?)"), "\(typo.err)")
        let place = try await store.run(["incidents", "--db", "out/incidents.sqlite", "--format", "table", "--municipality", "Батайс"])
        #expect(place.err.contains("no municipality 'Батайс' (did you mean 'Батайск'?)"), "\(place.err)")
        let jsonl = try await store.run(["incidents", "--db", "out/incidents.sqlite", "--status", "rejected"])
        #expect(jsonl.status == 0)
        #expect(jsonl.out.isEmpty)
    }

    @Test func incidents_emptyStore_printsNothingAndExitsZero() async throws {
        let store = try await IncidentStoreFixture.makeEmpty()
        let r = try await store.run(["incidents", "--config", "pipelines.yaml"])
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.out.isEmpty)
        let table = try await store.run(["incidents", "--config", "pipelines.yaml", "--format", "table"])
        #expect(table.status == 0)
        #expect(table.err.contains("no incidents match"))
    }

    @Test func incidents_missingOrForeignStoreAndBadArguments_exitWithSysexitsCodes() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try IncidentStoreFixture.config(dir: dir, dbPath: dir + "/out/incidents.sqlite")
            .write(toFile: dir + "/pipelines.yaml", atomically: true, encoding: .utf8)
        try "not a database at all, just text\n".write(toFile: dir + "/notes.sqlite", atomically: true, encoding: .utf8)
        let cases: [([String], Int32, String)] = [
            (["--config", "pipelines.yaml"], 66, "no incidents database at"),
            (["--db", "missing.sqlite"], 66, "missing.sqlite"),
            (["--db", "notes.sqlite"], 65, "is not a readable SQLite database"),
            (["--config", "pipelines.yaml", "--pipeline", "nope"], 64, "no pipeline 'nope'"),
            (["--config", "absent.yaml"], 78, "absent.yaml"),
            (["--db", "notes.sqlite", "--since", "someday"], 64, "--since"),
            (["--db", "notes.sqlite", "--since", "2026-10-08", "--until", "2026-10-01"], 64, "earlier"),
            (["--db", "notes.sqlite", "--format", "xml"], 64, "--format"),
            (["--db", "notes.sqlite", "--limit", "0"], 64, "--limit"),
            (["--db", "notes.sqlite", "--timezone", "Mars/Olympus"], 64, "--timezone"),
            (["--db", "notes.sqlite", "--colour"], 64, "--colour"),
        ]
        for (args, code, message) in cases {
            let r = try await OtklikProcess.run(["incidents"] + args, dir: dir)
            #expect(r.status == code, "\(args): \(r.err)")
            #expect(r.err.contains(message), "\(args): \(r.err)")
            #expect(r.out.isEmpty, "\(args)")
        }
    }
}
