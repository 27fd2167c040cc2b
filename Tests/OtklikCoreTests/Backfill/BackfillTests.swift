import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

struct BackfillTests {
    let from = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func progressLine_halfway_estimatesTheRestFromTheRate() {
        var s = BackfillStats(source: "tg", from: from, to: from.addingTimeInterval(100 * 86400))
        s.reached = from.addingTimeInterval(50 * 86400)
        s.posts = 200; s.complaints = 20
        let line = s.progressLine(elapsed: 60)
        #expect(line.hasPrefix("tg: reached "))
        #expect(line.contains("200 posts, 20 complaints, 3.3 posts/s"))
        #expect(line.hasSuffix("ETA 1m0s"))
    }

    @Test func progressLine_resumed_rateCountsOnlyThisRun() {
        var s = BackfillStats(source: "a", from: from, to: from.addingTimeInterval(10))
        s.posts = 150; s.resumedPosts = 100; s.done = true
        #expect(s.progressLine(elapsed: 10) == "a: starting, 150 posts, 0 complaints, 5.0 posts/s, done")
    }

    @Test func checkpoint_savedEntry_isReadBackUnderTheSameArguments() throws {
        let store = try BackfillCheckpointStore(path: TestPaths.makeTempDir() + "/backfill.sqlite")
        let key = BackfillCheckpointStore.key(pipeline: "p", source: "s", since: "7d", until: nil)
        #expect(try store.entry(key) == nil)
        let e = BackfillCheckpointStore.Entry(from: from, to: from.addingTimeInterval(3600), cursor: Cursor("c1"), posts: 5,
                                              complaints: 2, incidents: 1)
        try store.save(key, e)
        #expect(try store.entry(key) == e)
        #expect(try store.entry(BackfillCheckpointStore.key(pipeline: "p", source: "s", since: "8d", until: nil)) == nil)
    }

    @Test func summary_listsCategoriesAndTotals() {
        var a = BackfillStats(source: "a", from: from, to: from)
        a.posts = 10; a.complaints = 4; a.incidents = 3; a.byCategory = ["roads": 2, "housing.water": 1]
        let text = BackfillSummary(sources: [a], duration: 75).render()
        #expect(text.hasPrefix("backfill done in 1m15s: 10 posts read, 4 complaints, 3 incidents"))
        #expect(text.contains("  roads ("))
    }

    @Test func pageAcks_waitReturnsAfterEveryAck() async {
        let acks = PageAcks()
        acks.expect(); acks.expect()
        Task { acks.ack(); acks.ack() }
        await acks.wait()
        await PageAcks().wait()
    }
}
