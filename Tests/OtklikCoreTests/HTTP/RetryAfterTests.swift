import Foundation
import Testing
import OtklikCore

/// `Retry-After` parsing, pure: both forms, with a fixed `now`.
@Suite struct RetryAfterTests {
    static func date(_ iso: String) -> Date? { ISO8601DateFormatter().date(from: iso) }

    @Test func deltaSeconds_areSeconds() {
        #expect(RetryAfter.parse("120") == .seconds(120))
        #expect(RetryAfter.parse(" 0 ") == .seconds(0))
    }

    @Test func junkAndNegatives_areNil() {
        #expect(RetryAfter.parse("-5") == nil)
        #expect(RetryAfter.parse("soon") == nil)
        #expect(RetryAfter.parse("") == nil)
        #expect(RetryAfter.parse("1.5") == nil)
    }

    @Test func imfFixdate_isRelativeToNow() throws {
        let now = try #require(Self.date("2015-10-21T07:27:00Z"))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(60))
    }

    @Test func obsoleteDateForms_areAccepted() throws {
        let now = try #require(Self.date("2015-10-21T07:27:00Z"))
        #expect(RetryAfter.parse("Wednesday, 21-Oct-15 07:28:00 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.parse("Wed Oct 21 07:28:00 2015", now: now) == .seconds(60))
    }

    @Test func dateInThePast_meansNow() throws {
        let now = try #require(Self.date("2015-10-21T08:00:00Z"))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .zero)
    }

    @Test func responseHelper_readsTheHeaderCaseInsensitively() throws {
        let now = try #require(Self.date("2015-10-21T07:27:00Z"))
        let r = HTTPResponse(status: 429, headers: [("retry-after", "Wed, 21 Oct 2015 07:29:00 GMT")], body: Data(), url: "")
        #expect(r.retryAfter(now: now) == .seconds(120))
        #expect(HTTPResponse(status: 200, headers: [], body: Data(), url: "").retryAfter() == nil)
    }
}
