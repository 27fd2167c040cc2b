import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// A whole report from a realistic database file: store → model → HTML.
@Suite struct ReportRealisticDatabaseTests {
    @Test func report_fromRealisticDatabase_showsEveryMunicipalityCategoryAndDay() throws {
        let dir = TestPaths.makeTempDir()
        let path = dir + "/incidents.sqlite"
        let month = ReportFixtures.month()
        try ReportFixtures.writeDatabase(month, to: path)
        let now = ReportFixtures.now
        let since = try DateArgument.parse("14d", now: now)

        let found = try IncidentStoreReader(path: path).incidents(IncidentFilter(since: since), now: now)
        #expect(found.undecodable.isEmpty)
        #expect(found.incidents.count == month.filter { $0.firstSeen >= since }.count)

        let model = ReportModel.build(found.incidents, options: ReportOptions(
            pipeline: "rostov", region: "Ростовская область", since: since, now: now))
        #expect(model.categories.count == Taxonomy.categories.count)
        #expect(model.matrix.count == ReportFixtures.towns.count + 1)  // + the unknown row
        #expect(model.trend.days.count == 15)
        #expect(model.summary.overdue > 0)
        #expect(model.top.count == 20)

        let html = ReportHTML(model).render()
        for town in ReportFixtures.towns { #expect(html.contains(town.1)) }
        for c in Taxonomy.categories { #expect(html.contains(HTMLText.escape(c.name))) }

        // For the browser check: OTKLIK_REPORT_OUT=/tmp/report.html swift test --filter ReportRealistic
        if let out = ProcessInfo.processInfo.environment["OTKLIK_REPORT_OUT"] {
            try Data(html.utf8).write(to: URL(fileURLWithPath: out))
            try? FileManager.default.copyItem(atPath: path, toPath: out + ".sqlite")
        }
    }
}
