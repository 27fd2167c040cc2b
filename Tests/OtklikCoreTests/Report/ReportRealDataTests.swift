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

/// The map over the real places of Ростовская область (GeoNames, from ../shared/fixtures).
@Suite struct ReportRealGazetteerTests {
    @Test func map_everyRealPlaceOfTheRegion_landsInsideTheDrawing() throws {
        guard let fixtures = TestPaths.sharedFixtures else {
            print("skipped: ../shared/fixtures is not here (a user's clone); the real-gazetteer map test needs it")
            return
        }
        let csv = try String(contentsOfFile: fixtures + "/gazetteer/geonames_ru_rostov_oblast.csv", encoding: .utf8)
        var places: [(name: String, lat: Double, lon: Double)] = []
        for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 9, let lat = Double(f[f.count - 5]), let lon = Double(f[f.count - 4]) else { continue }
            places.append((f[2].isEmpty ? f[1] : f[2], lat, lon))
        }
        #expect(places.count > 100)
        let cats = Taxonomy.categories.map(\.id)
        let now = ReportFixtures.now
        let incidents = places.enumerated().map { n, p -> Incident in
            var i = ReportFixtures.incident(id: "real-\(n)", category: cats[n % cats.count], town: 0,
                                            firstSeen: now.addingTimeInterval(-Double(n) * 3000))
            i.geo = GeoTag(municipality: p.name, settlement: p.name, lat: p.lat, lon: p.lon, method: .text, confidence: 0.7)
            return i
        }
        let model = ReportModel.build(incidents, options: ReportOptions(region: "Ростовская область", now: now))
        let extent = try #require(model.extent)
        let projection = MapProjection(extent: extent, maxWidth: 860, maxHeight: 760)
        for p in model.points {
            let (x, y) = projection.point(lat: p.lat, lon: p.lon)
            #expect((0...projection.width).contains(x) && (0...projection.height).contains(y), "\(p.id) is off the map")
        }
        #expect(model.points.count == places.count)
        let labels = MapLabels.place(model.places, projection: projection)
        #expect(!labels.isEmpty && labels.count <= model.places.count)
        let html = ReportHTML(model).render()
        #expect(html.components(separatedBy: "<circle ").count - 1 == places.count)
        if let out = ProcessInfo.processInfo.environment["OTKLIK_REPORT_OUT_REAL"] {
            try Data(html.utf8).write(to: URL(fileURLWithPath: out))
        }
    }
}
