import Testing
@testable import VKConnector

/// The wall walk as pure logic over an in-memory wall (ids newest first).
@Suite struct VKWallWalkTests {
    func page(_ wall: [Int64], _ offset: Int, _ n: Int) -> [VKPost] {
        guard offset < wall.count else { return [] }
        return wall[offset..<min(wall.count, offset + n)].map { VKPost(ownerID: -1, id: $0, date: $0) }
    }

    @Test func walk_whenPostDeletedBetweenPages_overlapStillFindsEveryNewPost() {
        var wall: [Int64] = Array((1...40).reversed())
        var walk = VKWallWalk(mark: VKWallMark(last: 5), pageSize: 10, overlap: 2)
        walk.consume(page(wall, walk.offset, 10), total: wall.count)
        wall.removeAll { $0 == 38 }            // deleted while paging: everything moves up one
        while !walk.done { walk.consume(page(wall, walk.offset, 10), total: wall.count) }
        let ids = walk.collected.map(\.id)
        #expect(Set(ids) == Set(wall.filter { $0 > 5 } + [38]))
        #expect(ids.count == Set(ids).count)
        #expect(walk.finish()?.last == 40 && walk.finish()?.gaps == [])
    }

    @Test func walk_whenFirstRead_takesOnePageAndMarksNewest() {
        var walk = VKWallWalk(mark: nil, pageSize: 10)
        walk.consume(page(Array((1...40).reversed()), 0, 10), total: 40)
        #expect(walk.done && walk.collected.count == 10)
        #expect(walk.finish()?.last == 40 && walk.finish()?.gaps == [])
    }

    @Test func walk_whenCutShort_recordsGapAndNextWalkJumpsToIt() {
        let wall: [Int64] = Array((1...50).reversed())
        var walk = VKWallWalk(mark: VKWallMark(last: 10), pageSize: 10, overlap: 2)
        walk.consume(page(wall, 0, 10), total: 50)
        let mark = walk.finish()!
        #expect(mark.last == 50 && mark.gaps.count == 1 && mark.gaps[0].floor == 10 && mark.gaps[0].below == 41)
        let newer: [Int64] = Array((51...53).reversed()) + wall
        var next = VKWallWalk(mark: mark, pageSize: 10, overlap: 2)
        while !next.done { next.consume(page(newer, next.offset, 10), total: newer.count) }
        #expect(Set(next.collected.map(\.id)) == Set((51...53).map { Int64($0) } + (11...40).map { Int64($0) }))
        #expect(next.pages <= 6)
    }

    @Test func walk_whenOldPostEditedSinceLastRead_readsItAgainOnce() {
        var items = (1...10).reversed().map { VKPost(ownerID: -1, id: Int64($0), date: Int64($0)) }
        items[7].edited = 500                      // post 3, edited after the last read
        items[5].edited = 90                       // post 5, edited before it
        var walk = VKWallWalk(mark: VKWallMark(last: 8, lastEdit: 100), pageSize: 20)
        walk.consume(items, total: 10)
        #expect(walk.collected.map(\.id) == [10, 9, 3])
        #expect(walk.finish()?.lastEdit == 500)
    }
}
