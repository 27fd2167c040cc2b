import Testing
@testable import OtklikCore

@Suite struct AckTrackerTests {
    @Test func cursor_whenAllPostsDone_becomesCommittable() {
        var t = AckTracker()
        let seqs = t.register(source: "a", postCount: 3, cursor: Cursor("c1"))!
        #expect(Array(seqs) == [1, 2, 3])
        t.markDone(source: "a", seq: 1)
        t.markDone(source: "a", seq: 2)
        #expect(t.takeCommittable(source: "a") == nil)
        t.markDone(source: "a", seq: 3)
        #expect(t.takeCommittable(source: "a") == Cursor("c1"))
        #expect(t.takeCommittable(source: "a") == nil)
    }

    @Test func cursor_whenLaterPollFinishesFirst_waitsForEarlierPosts() {
        var t = AckTracker()
        _ = t.register(source: "a", postCount: 2, cursor: Cursor("c1"))
        _ = t.register(source: "a", postCount: 2, cursor: Cursor("c2"))
        t.markDone(source: "a", seq: 3)
        t.markDone(source: "a", seq: 4)
        #expect(t.takeCommittable(source: "a") == nil)
        t.markDone(source: "a", seq: 2)
        #expect(t.takeCommittable(source: "a") == nil)
        t.markDone(source: "a", seq: 1)
        #expect(t.takeCommittable(source: "a") == Cursor("c2"))
        #expect(t.outstanding() == 0)
    }

    @Test func emptyPoll_afterDonePosts_commitsAtOnce() {
        var t = AckTracker()
        #expect(t.register(source: "a", postCount: 0, cursor: Cursor("c0")) == nil)
        #expect(t.takeCommittable(source: "a") == Cursor("c0"))
    }

    @Test func emptyPoll_behindUnfinishedPost_waits() {
        var t = AckTracker()
        _ = t.register(source: "a", postCount: 1, cursor: Cursor("c1"))
        _ = t.register(source: "a", postCount: 0, cursor: Cursor("c2"))
        #expect(t.takeCommittable(source: "a") == nil)
        t.markDone(source: "a", seq: 1)
        #expect(t.takeCommittable(source: "a") == Cursor("c2"))
    }

    @Test func sources_areIndependent() {
        var t = AckTracker()
        _ = t.register(source: "a", postCount: 1, cursor: Cursor("a1"))
        _ = t.register(source: "b", postCount: 1, cursor: Cursor("b1"))
        t.markDone(source: "b", seq: 1)
        #expect(t.takeAllCommittable() == ["b": Cursor("b1")])
        #expect(t.outstanding(source: "a") == 1)
        #expect(t.outstanding() == 1)
    }

    @Test func markDone_twiceOrUnknown_isHarmless() {
        var t = AckTracker()
        _ = t.register(source: "a", postCount: 2, cursor: Cursor("c"))
        t.markDone(source: "a", seq: 2)
        t.markDone(source: "a", seq: 2)
        t.markDone(source: "a", seq: 9)
        t.markDone(source: "zz", seq: 1)
        #expect(t.outstanding() == 1)
        t.markDone(source: "a", seq: 1)
        #expect(t.outstanding() == 0)
        #expect(t.takeCommittable(source: "a") == Cursor("c"))
    }

    @Test func restoreCommittable_afterFailedCommit_offersCursorAgain() {
        var t = AckTracker()
        _ = t.register(source: "a", postCount: 0, cursor: Cursor("c"))
        let c = t.takeCommittable(source: "a")!
        t.restoreCommittable(source: "a", cursor: c)
        #expect(t.takeCommittable(source: "a") == Cursor("c"))
    }

    @Test func idlePolls_behindStuckPost_keepOnePendingEntry() {
        var t = AckTracker()
        _ = t.register(source: "a", postCount: 1, cursor: Cursor("c1"))
        for i in 2...1000 { _ = t.register(source: "a", postCount: 0, cursor: Cursor("c\(i)")) }
        #expect(t.pendingCount(source: "a") == 1)
        t.markDone(source: "a", seq: 1)
        #expect(t.takeCommittable(source: "a") == Cursor("c1000"))
    }
}
