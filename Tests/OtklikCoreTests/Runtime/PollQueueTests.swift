import Testing
@testable import OtklikCore

@Suite struct PollQueueTests {
    @Test func take_returnsOnlySourcesDueByNow_earliestFirst() {
        var q = PollQueue<Int>(maxInFlight: 10)
        q.schedule(0, at: 30)
        q.schedule(1, at: 10)
        q.schedule(2, at: 20)
        #expect(q.take(now: 5).isEmpty)
        #expect(q.wakeTime == 10)
        #expect(q.take(now: 20) == [1, 2])
        #expect(q.wakeTime == 30)
        #expect(q.waiting == 1 && q.inFlight == 2)
    }

    @Test func take_sameDueTime_firstScheduledFirst() {
        var q = PollQueue<Int>(maxInFlight: 10)
        for s in [4, 2, 7, 1] { q.schedule(s, at: 0) }
        #expect(q.take(now: 0) == [4, 2, 7, 1])
    }

    @Test func take_whenSlotsAreFull_waitsForAFinish() {
        var q = PollQueue<Int>(maxInFlight: 2)
        for s in 0..<5 { q.schedule(s, at: 0) }
        #expect(q.take(now: 0) == [0, 1])
        #expect(q.wakeTime == nil, "no slot: nothing to wake for")
        #expect(q.take(now: 100).isEmpty)
        q.finish(0, next: 50)
        #expect(q.wakeTime == 0)
        #expect(q.take(now: 1) == [2])
    }

    @Test func finish_requeuesTheSourceAtItsNextTime_orDropsItWhenStopping() {
        var q = PollQueue<Int>(maxInFlight: 4)
        q.schedule(0, at: 0)
        q.schedule(1, at: 0)
        #expect(q.take(now: 0) == [0, 1])
        q.finish(0, next: 2000)
        q.finish(1, next: nil)
        #expect(q.inFlight == 0 && q.waiting == 1)
        #expect(q.take(now: 1999).isEmpty)
        #expect(q.take(now: 2000) == [0])
    }

    @Test func manySources_comeOutInDueOrder() {
        var q = PollQueue<Int>(maxInFlight: 10_000)
        var rng = SystemRandomNumberGenerator()
        var dues: [Int: Int] = [:]
        for s in 0..<2000 { let d = Int.random(in: 0..<500, using: &rng); dues[s] = d; q.schedule(s, at: d) }
        var last = -1
        for t in 0..<500 {
            for s in q.take(now: t) { #expect(dues[s]! <= t && dues[s]! >= last); last = dues[s]! }
        }
        #expect(q.inFlight == 2000 && q.waiting == 0)
    }
}
