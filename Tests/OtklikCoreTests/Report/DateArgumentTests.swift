import Foundation
import Testing
@testable import OtklikCore

@Suite struct DateArgumentTests {
    let now = OtklikJSON.parseDate("2026-11-24T12:00:00Z")!

    @Test func parse_bareDay_isMidnightUTCAtItsStart() throws {
        #expect(try DateArgument.parse("2026-11-01", now: now) == OtklikJSON.parseDate("2026-11-01T00:00:00Z"))
    }
    @Test func parse_bareDayAsUntil_includesTheWholeDay() throws {
        #expect(try DateArgument.parse("2026-11-10", now: now, endOfDay: true) == OtklikJSON.parseDate("2026-11-11T00:00:00Z"))
    }
    @Test func parse_fullISO8601WithOffset_keepsTheInstant() throws {
        #expect(try DateArgument.parse("2026-11-01T10:00:00+03:00", now: now) == OtklikJSON.parseDate("2026-11-01T07:00:00Z"))
        #expect(try DateArgument.parse("2026-11-01T10:00:00Z", now: now, endOfDay: true) == OtklikJSON.parseDate("2026-11-01T10:00:00Z"))
    }
    @Test(arguments: [("7d", 7 * 86400.0), ("12h", 12 * 3600.0), ("2w", 14 * 86400.0), ("1h30m", 5400.0), ("0d", 0.0)])
    func parse_relativeSpan_countsBackFromNow(text: String, seconds: Double) throws {
        #expect(try DateArgument.parse(text, now: now) == now.addingTimeInterval(-seconds))
    }
    @Test(arguments: ["yesterday", "7", "2026-13-45", "11/01/2026", "", "-7d", "7 days"])
    func parse_junk_throwsNamingTheOptionAndTheForms(text: String) {
        let error = #expect(throws: DateArgument.ParseError.self) { try DateArgument.parse(text, now: now, option: "until") }
        #expect(error?.description.contains("--until") == true)
        #expect(error?.description.contains("7d") == true)
    }
}
