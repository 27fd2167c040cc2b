import Foundation
import OtklikCore
import Testing
@testable import TelegramConnector

@Suite struct TelegramPollPlanTests {
    func message(_ id: Int, _ text: String = "t", edited: Bool = false) -> TelegramMessage {
        var m = TelegramMessage(channel: "c", id: id, published: Date(timeIntervalSince1970: Double(id)))
        m.text = text; m.isEdited = edited
        return m
    }

    @Test func nextBefore_stopsOnceThePageReachesTheLastSeen() {
        var page = TelegramPage()
        page.messages = [message(41), message(60)]
        page.before = 41
        #expect(TelegramPollPlan.nextBefore(page: page, lastID: 10) == 41)
        #expect(TelegramPollPlan.nextBefore(page: page, lastID: 40) == nil, "41 directly follows 40")
        #expect(TelegramPollPlan.nextBefore(page: page, lastID: nil) == nil, "a first poll reads one page")
    }

    @Test func select_emitsNewOldestFirstAndAdvancesOverServiceMessages() {
        let (emit, next) = TelegramPollPlan.select([message(12), message(11), message(9)], serviceIDs: [13],
                                                   state: TelegramChannelCursor(lastID: 10))
        #expect(emit.map(\.message.id) == [11, 12])
        #expect(emit.allSatisfy { !$0.isUpdate })
        #expect(next.lastID == 13)
    }

    @Test func select_reportsAnEditOnceAndAgainWhenTheTextChanges() {
        let s0 = TelegramChannelCursor(lastID: 10)
        let (e1, s1) = TelegramPollPlan.select([message(9, "a", edited: true)], serviceIDs: [], state: s0)
        #expect(e1.map(\.isUpdate) == [true])
        let (e2, s2) = TelegramPollPlan.select([message(9, "a", edited: true)], serviceIDs: [], state: s1)
        #expect(e2.isEmpty)
        let (e3, _) = TelegramPollPlan.select([message(9, "b", edited: true)], serviceIDs: [], state: s2)
        #expect(e3.map(\.message.text) == ["b"])
    }

    @Test func select_forgetsEditMarksFarBehindTheNewest() {
        var s = TelegramChannelCursor(lastID: 5000)
        s.edits = ["10": "x", "4990": "y"]
        let (_, next) = TelegramPollPlan.select([message(5001)], serviceIDs: [], state: s)
        #expect(next.edits.keys.sorted() == ["4990"])
    }

    @Test func cursor_roundTripsAsCompactJSON() throws {
        var c = TelegramChannelCursor(lastID: 42)
        c.edits = ["41": "abc"]
        c.etag = "\"e\""
        #expect(c.cursor.value == #"{"edits":{"41":"abc"},"etag":"\"e\"","last_id":42}"#)
        #expect(try TelegramChannelCursor(c.cursor) == c)
        #expect(throws: ConnectorError.self) { try TelegramChannelCursor(Cursor("not json")) }
    }

    @Test func jitter_staysWithinTheBand() {
        #expect(TelegramSchedule.jittered(.seconds(300), jitter: .seconds(30), unit: 0) == .seconds(270))
        #expect(TelegramSchedule.jittered(.seconds(300), jitter: .seconds(30), unit: 0.5) == .seconds(300))
        #expect(TelegramSchedule.jittered(.seconds(300), jitter: .seconds(30), unit: 0.999) < .seconds(330))
    }

    @Test func backoff_doublesUpToTheCap() {
        let d = (1...6).map { TelegramSchedule.backoff(failures: $0, base: .seconds(30), max: .seconds(600)) }
        #expect(d == [.seconds(30), .seconds(60), .seconds(120), .seconds(240), .seconds(480), .seconds(600)])
    }

    @Test func textHash_isStable() {
        #expect(TelegramPollPlan.textHash("нет воды") == TelegramPollPlan.textHash("нет воды"))
        #expect(TelegramPollPlan.textHash("a") != TelegramPollPlan.textHash("b"))
    }
}
