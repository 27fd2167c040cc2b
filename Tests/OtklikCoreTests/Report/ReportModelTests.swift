import Foundation
import Testing
@testable import OtklikCore

@Suite struct ReportModelTests {
    let now = ReportFixtures.now
    func hoursAgo(_ h: Double) -> Date { now.addingTimeInterval(-h * 3600) }
    func build(_ list: [Incident], since: Date? = nil, until: Date? = nil) -> ReportModel {
        ReportModel.build(list, options: ReportOptions(since: since, until: until, now: now))
    }

    @Test func matrix_countsMunicipalityByCategory_busiestFirstUnknownLast() {
        let m = build([
            ReportFixtures.incident(id: "1", category: "roads", town: 1, firstSeen: hoursAgo(1)),
            ReportFixtures.incident(id: "2", category: "housing.water", town: 1, firstSeen: hoursAgo(2)),
            ReportFixtures.incident(id: "3", category: "roads", town: 1, firstSeen: hoursAgo(3)),
            ReportFixtures.incident(id: "4", category: "roads", town: 2, firstSeen: hoursAgo(4)),
            ReportFixtures.incident(id: "5", category: "health", town: nil, firstSeen: hoursAgo(5)),
            ReportFixtures.incident(id: "6", category: "health", town: nil, firstSeen: hoursAgo(6)),
        ])
        // Columns in taxonomy order: health, roads, housing.water.
        #expect(m.categories.map(\.id) == ["health", "roads", "housing.water"])
        #expect(m.categories.map(\.name) == ["Здравоохранение", "Дороги", "ЖКХ: вода и канализация"])
        #expect(m.matrix.map(\.municipality) == ["Таганрог", "Шахты", ReportModel.unknownMunicipality])
        #expect(m.matrix[0].counts == [0, 2, 1] && m.matrix[0].total == 3)
        #expect(m.matrix[2].counts == [2, 0, 0])
        #expect(m.categories.map(\.total) == [2, 3, 1])
        #expect(m.summary.municipalities == 2)
    }

    @Test func trend_coversEveryDayOfTheWindowIncludingEmptyOnes() {
        let since = OtklikJSON.parseDate("2026-11-20")!
        let m = build([
            ReportFixtures.incident(id: "1", category: "roads", firstSeen: OtklikJSON.parseDate("2026-11-20T08:00:00Z")!),
            ReportFixtures.incident(id: "2", category: "roads", firstSeen: OtklikJSON.parseDate("2026-11-20T23:59:00Z")!),
            ReportFixtures.incident(id: "3", category: "waste", firstSeen: OtklikJSON.parseDate("2026-11-23T10:00:00Z")!),
        ], since: since)
        #expect(m.trend.days == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"])
        #expect(m.trend.series.map(\.category) == ["roads", "waste"])
        #expect(m.trend.series[0].counts == [2, 0, 0, 0, 0])
        #expect(m.trend.series[1].counts == [0, 0, 0, 1, 0])
    }

    @Test func trend_countsDaysInTheReportsTimeZone() {
        let late = OtklikJSON.parseDate("2026-11-20T22:30:00Z")!  // 01:30 on the 21st in Moscow
        let m = ReportModel.build([ReportFixtures.incident(id: "1", category: "roads", firstSeen: late)],
                                  options: ReportOptions(now: now, timeZone: TimeZone(identifier: "Europe/Moscow")!))
        #expect(m.trend.days == ["2026-11-21"])
    }

    @Test func trend_longWindow_keepsDaysWithIncidents() {
        let m = ReportModel.build(
            [ReportFixtures.incident(id: "1", category: "roads", firstSeen: OtklikJSON.parseDate("2026-01-10T10:00:00Z")!)],
            options: ReportOptions(since: OtklikJSON.parseDate("2026-01-01")!, now: now, maxTrendDays: 30))
        #expect(m.trend.days.count == 10)
        #expect(m.trend.days.last == "2026-01-10")
        #expect(m.trend.series[0].counts.last == 1)
    }

    @Test func overdue_listsOpenPastDeadlineMostOverdueFirst() {
        let m = build([
            ReportFixtures.incident(id: "a", category: "housing.water", firstSeen: hoursAgo(20)),
            ReportFixtures.incident(id: "b", category: "housing.water", firstSeen: hoursAgo(50)),
            ReportFixtures.incident(id: "c", category: "housing.water", firstSeen: hoursAgo(50), status: "closed"),
            ReportFixtures.incident(id: "d", category: "roads", firstSeen: hoursAgo(20)),
        ])
        #expect(m.overdue.map(\.id) == ["b", "a"])
        #expect(m.summary.overdue == 2 && m.summary.open == 3)
    }

    @Test func top_ranksSeverityRepeatsAndRecency() {
        let m = build([
            ReportFixtures.incident(id: "low-fresh", category: "roads", firstSeen: hoursAgo(1), severity: .low),
            ReportFixtures.incident(id: "crit", category: "housing.gas", firstSeen: hoursAgo(5), severity: .critical),
            ReportFixtures.incident(id: "med-repeated", category: "waste", firstSeen: hoursAgo(5), severity: .medium,
                                    related: (1...8).map { "tg:c/\($0)" }),
            ReportFixtures.incident(id: "crit-old", category: "housing.gas", firstSeen: hoursAgo(24 * 40), severity: .critical),
        ])
        #expect(m.top.map(\.id) == ["crit", "med-repeated", "low-fresh", "crit-old"])
        #expect(m.top[1].repeats == 8)
        #expect(m.summary.repeats == 8)
    }

    @Test func points_andExtent_comeFromCoordinates() {
        let m = build([
            ReportFixtures.incident(id: "1", category: "roads", town: 0, firstSeen: hoursAgo(1)),
            ReportFixtures.incident(id: "2", category: "roads", town: 4, firstSeen: hoursAgo(1)),
            ReportFixtures.incident(id: "3", category: "roads", town: nil, firstSeen: hoursAgo(1)),
        ])
        #expect(m.points.count == 2 && m.summary.located == 2)
        let e = try! #require(m.extent)
        #expect(e.minLon < 39.7015 && e.maxLon > 42.1985 && e.minLat < 47.2357 && e.maxLat > 47.5165)
        #expect(Set(m.places.map(\.municipality)) == ["Ростов-на-Дону", "Волгодонск"])
    }

    @Test func empty_givesAnEmptyModel() {
        let m = build([])
        #expect(m.summary.incidents == 0 && m.matrix.isEmpty && m.trend.days.isEmpty && m.extent == nil)
    }

    @Test func excerpt_flattensLinesAndCutsAtAWord() {
        #expect(ReportModel.excerpt("Нет воды\n\nтретий   день", max: 100) == "Нет воды третий день")
        #expect(ReportModel.excerpt("Нет воды третий день", max: 12) == "Нет воды…")
    }

    @Test func json_usesSnakeCaseKeysAndISODates() throws {
        let m = build([ReportFixtures.incident(id: "1", category: "roads", firstSeen: hoursAgo(1))])
        let json = try OtklikJSON.line(m)
        #expect(json.contains("\"generated_at\":\"2026-11-24T12:00:00Z\""))
        #expect(json.contains("\"category_name\":\"Дороги\""))
        let back = try OtklikJSON.decoder().decode(ReportModel.self, from: Data(json.utf8))
        #expect(back == m)
    }
}
