import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct CheckpointStoreTests {
    @Test func cursorsAndHealth_surviveReopen() async throws {
        let dir = TestPaths.makeTempDir()
        let path = CheckpointStore.path(stateDir: dir + "/demo")
        do {
            let store = try CheckpointStore(path: path)
            var h = SourceHealth(sourceID: "a")
            h.recordFailure(at: Date(timeIntervalSince1970: 100), message: "boom")
            try await store.save(cursors: ["a": Cursor("c1"), "b": Cursor("c2")], health: [h])
            try await store.save(cursors: ["a": Cursor("c3")], health: [])
        }
        let again = try CheckpointStore(path: path)
        #expect(try again.cursors() == ["a": Cursor("c3"), "b": Cursor("c2")])
        let health = try again.health()
        #expect(health["a"]?.errorStreak == 1)
        #expect(health["a"]?.lastError == "boom")
        #expect(health["a"]?.lastErrorAt == Date(timeIntervalSince1970: 100))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func coordinator_commitsOnlyBehindDonePosts() async throws {
        let dir = TestPaths.makeTempDir()
        let store = try CheckpointStore(path: CheckpointStore.path(stateDir: dir))
        let c = try CheckpointCoordinator(store: store)
        let post = Post(sourceKind: "jsonl", sourceID: "a", postID: "1", published: Date(), text: "x")
        let seqs = c.register(source: "a", result: PollResult(posts: [post, post], cursor: Cursor("after2")))!
        c.markDone(source: "a", seq: seqs.upperBound)
        try await c.flush()
        #expect(try store.cursors()["a"] == nil)
        c.markDone(source: "a", seq: seqs.lowerBound)
        try await c.flush()
        #expect(try store.cursors()["a"] == Cursor("after2"))
        #expect(try store.health()["a"]?.postsRead == 2)
        let reopened = try CheckpointCoordinator(store: store)
        #expect(reopened.committedCursor(source: "a") == Cursor("after2"))
    }

    /// A worker marks the posts it dropped in one call: out of order, over two sources, the
    /// cursors commit exactly when every post behind them is done.
    @Test func coordinator_postsMarkedDoneInABatch_commitBehindTheDoneOnly() async throws {
        let dir = TestPaths.makeTempDir()
        let store = try CheckpointStore(path: CheckpointStore.path(stateDir: dir))
        let c = try CheckpointCoordinator(store: store)
        let post = Post(sourceKind: "jsonl", sourceID: "a", postID: "1", published: Date(), text: "x")
        let a = c.register(source: "a", result: PollResult(posts: [post, post, post], cursor: Cursor("a3")))!
        let b = c.register(source: "b", result: PollResult(posts: [post], cursor: Cursor("b1")))!
        c.markDone([("a", a.upperBound), ("b", b.lowerBound), ("a", a.lowerBound)])
        #expect(c.outstanding == 1)
        try await c.flush()
        #expect(try store.cursors() == ["b": Cursor("b1")])
        c.markDone([])
        c.markDone([("a", a.lowerBound + 1)])
        #expect(c.outstanding == 0)
        try await c.flush()
        #expect(try store.cursors() == ["a": Cursor("a3"), "b": Cursor("b1")])
    }
}
