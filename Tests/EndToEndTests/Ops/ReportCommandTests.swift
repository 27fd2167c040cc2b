import Foundation
import Testing
import OtklikTestSupport

/// `otklik report` on a store the real binary wrote (see `IncidentStoreFixture` for the rows).
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct ReportCommandTests {
    static let october = ["--since", "2026-10-01", "--until", "2026-10-31", "--timezone", "UTC"]

    /// Every heat-map cell: (municipality, category name) → count, from `<td data-v="n" … title="M · C: n">`.
    static func heatCells(_ html: String) -> [String: Int] {
        var out: [String: Int] = [:]
        var rest = Substring(html)
        while let r = rest.range(of: "<td data-v=\"") {
            rest = rest[r.upperBound...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let tag = rest[..<close]
            guard let v = Int(tag.prefix { $0.isNumber }), let t = tag.range(of: "title=\"") else { continue }
            let title = tag[t.upperBound...].prefix { $0 != "\"" }
            guard let colon = title.range(of: ": ", options: .backwards), Int(title[colon.upperBound...]) == v else { continue }
            out[String(title[..<colon.lowerBound])] = v
        }
        return out
    }

    @Test func report_html_heatMapCountsEachMunicipalityAndCategory() async throws {
        let store = try await IncidentStoreFixture.make()
        let r = try await store.run(["report", "--config", "pipelines.yaml", "--pipeline", "t", "--html", "out/report.html"] + Self.october)
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.err.contains("8 incident(s), 5 municipalit(ies), 4 categor(ies) → out/report.html"), "\(r.err)")
        let html = try String(contentsOfFile: store.dir + "/out/report.html", encoding: .utf8)
        let cells = Self.heatCells(html)
        let want: [String: Int] = [
            "Батайск · Дороги": 2, "Батайск · ЖКХ: вода и канализация": 1,
            "Таганрог · Дороги": 1, "Таганрог · ЖКХ: вода и канализация": 1,
            "Новочеркасск · ЖКХ: отопление и горячая вода": 1, "Шахты · Мусор и экология": 1, "Азов · Дороги": 1,
        ]
        #expect(cells.count == 5 * 4, "5 municipalities × 4 categories: \(cells.keys.sorted())")
        #expect(cells.filter { $0.value > 0 } == want)
        let batajsk = try #require(html.range(of: "<th class=\"rowhead\" data-v=\"Батайск\">"))
        let taganrog = try #require(html.range(of: "<th class=\"rowhead\" data-v=\"Таганрог\">"))
        #expect(batajsk.lowerBound < taganrog.lowerBound, "busiest municipality first")
        for section in ["Тепловая карта", "Динамика по дням", "Просроченные инциденты", "Главные инциденты", "Карта обращений"] {
            #expect(html.contains("<h2>" + section), "section \(section)")
        }
        #expect(html.components(separatedBy: "<circle ").count - 1 >= 5, "incidents drawn on the map")
        #expect(html.contains("href=\"https://vk.com/wall-1_4\""), "links to the original posts")
    }

    @Test func report_html_showsHostileTextAsTextAndIsSelfContained() async throws {
        let store = try await IncidentStoreFixture.make()
        let r = try await store.run(["report", "--db", "out/incidents.sqlite", "--html", "report.html"] + Self.october)
        #expect(r.status == 0, "stderr: \(r.err)")
        let html = try String(contentsOfFile: store.dir + "/report.html", encoding: .utf8)
        #expect(html.contains(IncidentStoreFixture.hostileEscaped + " В Азове"))
        #expect(!html.contains("<script>document") && !html.contains("<img"))
        #expect(!html.contains("alert(2)"), "a javascript: url is not made a link")
        #expect(!html.lowercased().contains("href=\"javascript"))
        let lower = html.lowercased()
        #expect(!lower.contains("<script src") && !lower.contains("<link") && !lower.contains("@import"))
        #expect(!lower.contains("src=\"http") && !lower.contains("url(http") && !lower.contains("url(\"http"),
                "no external scripts, fonts, images or tiles")
    }

    @Test func report_json_givesTheSameFigures() async throws {
        let store = try await IncidentStoreFixture.make()
        let r = try await store.run(["report", "--db", "out/incidents.sqlite", "--format", "json", "--category", "housing"] + Self.october)
        #expect(r.status == 0, "stderr: \(r.err)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let summary = try #require(obj["summary"] as? [String: Any])
        #expect(summary["incidents"] as? Int == 3)
        #expect(summary["municipalities"] as? Int == 3)
        #expect(summary["overdue"] as? Int == 3)
        let categories = try #require(obj["categories"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(Set(categories) == ["housing.water", "housing.heating"])
        let trend = try #require(obj["trend"] as? [String: Any])
        let days = try #require(trend["days"] as? [String])
        #expect(days.first == "2026-10-01" && days.last == "2026-10-31", "\(days.first ?? "") … \(days.last ?? "")")
    }

    @Test func report_emptyStore_writesAReportThatSaysSo() async throws {
        let store = try await IncidentStoreFixture.makeEmpty()
        let r = try await store.run(["report", "--config", "pipelines.yaml", "--html", "out/empty.html"] + Self.october)
        #expect(r.status == 0, "stderr: \(r.err)")
        #expect(r.err.contains("0 incident(s)"))
        let html = try String(contentsOfFile: store.dir + "/out/empty.html", encoding: .utf8)
        #expect(html.contains("За выбранный период инцидентов нет."))
    }

    @Test func report_missingStoreAndBadArguments_exitWithSysexitsCodes() async throws {
        let store = try await IncidentStoreFixture.make()
        try "not a database at all, just text\n".write(toFile: store.dir + "/notes.sqlite", atomically: true, encoding: .utf8)
        let cases: [([String], Int32, String)] = [
            (["--db", "missing.sqlite", "--html", "r.html"], 66, "no incidents database at missing.sqlite"),
            (["--db", "notes.sqlite", "--html", "r.html"], 65, "is not a readable SQLite database"),
            (["--db", "out/incidents.sqlite"], 64, "--html FILE, or --format json"),
            (["--db", "out/incidents.sqlite", "--format", "pdf"], 64, "--format"),
            (["--db", "out/incidents.sqlite", "--format", "html"], 64, "--html"),
            (["--db", "out/incidents.sqlite", "--html", "r.html", "--top", "zero"], 64, "--top"),
            (["--db", "out/incidents.sqlite", "--html", "r.html", "--since", "last autumn"], 64, "--since"),
            (["--config", "pipelines.yaml", "--pipeline", "nope", "--html", "r.html"], 64, "no pipeline 'nope'"),
            (["--db", "out/incidents.sqlite", "--html", "notes.sqlite/r.html"], 73,
             "cannot write notes.sqlite/r.html: notes.sqlite is a file, not a folder"),
            (["--db", "out/incidents.sqlite", "--html", "/proc/otklik-none/r.html"], 73,
             "cannot write /proc/otklik-none/r.html: No such file or directory"),
        ]
        for (args, code, message) in cases {
            let r = try await store.run(["report"] + args)
            #expect(r.status == code, "\(args): \(r.err)")
            #expect(r.err.contains(message), "\(args): \(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: store.dir + "/r.html"))
    }
}
