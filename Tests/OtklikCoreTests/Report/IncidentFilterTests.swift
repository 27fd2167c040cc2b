import Foundation
import Testing
@testable import OtklikCore

@Suite struct IncidentFilterTests {
    let now = ReportFixtures.now
    func make(_ category: String = "housing.water", town: Int? = 2, hoursAgo: Double = 1, status: String = "new") -> Incident {
        ReportFixtures.incident(id: "x", category: category, town: town, firstSeen: now.addingTimeInterval(-hoursAgo * 3600), status: status)
    }

    @Test func category_block_matchesItsTopicsAndItself() {
        #expect(IncidentFilter.category("housing.water", isIn: "housing"))
        #expect(IncidentFilter.category("housing", isIn: "housing"))
        #expect(IncidentFilter.category("housing.water", isIn: "housing.water"))
        #expect(!IncidentFilter.category("housing.water", isIn: "housing.w"))
        #expect(!IncidentFilter.category("housingx", isIn: "housing"))
        #expect(!IncidentFilter.category("roads", isIn: "housing"))
    }

    @Test func municipality_matchesIdOrNameIgnoringCaseAndYo() {
        let i = make(town: 2)  // Шахты
        #expect(IncidentFilter(municipality: "60740000").matches(i, now: now))
        #expect(IncidentFilter(municipality: "шахты").matches(i, now: now))
        #expect(!IncidentFilter(municipality: "Таганрог").matches(i, now: now))
        #expect(!IncidentFilter(municipality: "Шахты").matches(make(town: nil), now: now))
        var yo = make(town: 2)
        yo.geo?.municipality = "Семикаракорск Ёлкино"
        #expect(IncidentFilter(municipality: "семикаракорск елкино").matches(yo, now: now))
    }

    @Test func window_sinceIsInclusiveUntilIsExclusive() {
        let i = make(hoursAgo: 0)
        #expect(IncidentFilter(since: now).matches(i, now: now))
        #expect(!IncidentFilter(until: now).matches(i, now: now))
        #expect(IncidentFilter(until: now.addingTimeInterval(1)).matches(i, now: now))
    }

    @Test func overdue_isPastDeadlineAndNotClosed() {
        // housing.water has a 12 h deadline.
        #expect(IncidentFilter(overdue: true).matches(make(hoursAgo: 13), now: now))
        #expect(!IncidentFilter(overdue: true).matches(make(hoursAgo: 11), now: now))
        #expect(!IncidentFilter(overdue: true).matches(make(hoursAgo: 13, status: "closed"), now: now))
        #expect(!IncidentFilter(overdue: true).matches(make(hoursAgo: 13, status: "Resolved"), now: now))
    }

    @Test func status_isExact() {
        #expect(IncidentFilter(status: "in_progress").matches(make(status: "in_progress"), now: now))
        #expect(!IncidentFilter(status: "new").matches(make(status: "in_progress"), now: now))
    }
}
