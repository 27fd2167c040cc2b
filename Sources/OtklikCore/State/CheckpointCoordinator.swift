import Foundation
import Synchronization

/// The live side of checkpoints: numbers posts as they are read, learns when each is
/// done, and writes the cursors that became committable (and sources' health) to the
/// `CheckpointStore` when `flush()` is called.
public final class CheckpointCoordinator: Sendable {
    private struct State {
        var tracker = AckTracker()
        var health: [String: SourceHealth] = [:]
        var dirtyHealth: Set<String> = []
        var committed: [String: Cursor] = [:]
    }
    private let state: Mutex<State>
    public let store: CheckpointStore?

    /// `store` nil: nothing persists (`otklik tap`, tests).
    public init(store: CheckpointStore?) throws {
        self.store = store
        var s = State()
        if let store {
            s.committed = try store.cursors()
            s.health = try store.health()
        }
        state = Mutex(s)
    }

    /// The cursor a source resumes from after a restart.
    public func committedCursor(source: String) -> Cursor? { state.withLock { $0.committed[source] } }

    public func health(source: String) -> SourceHealth? { state.withLock { $0.health[source] } }

    /// Numbers the posts of one poll; see `AckTracker.register`.
    public func register(source: String, result: PollResult, now: Date = Date()) -> ClosedRange<AckTracker.Sequence>? {
        state.withLock { s in
            s.health[source, default: SourceHealth(sourceID: source)].recordSuccess(at: now, posts: result.posts)
            s.dirtyHealth.insert(source)
            return s.tracker.register(source: source, postCount: result.posts.count, cursor: result.cursor)
        }
    }

    public func recordFailure(source: String, message: String, now: Date = Date()) {
        state.withLock { s in
            s.health[source, default: SourceHealth(sourceID: source)].recordFailure(at: now, message: message)
            s.dirtyHealth.insert(source)
        }
    }

    public func markDone(source: String, seq: AckTracker.Sequence) {
        state.withLock { $0.tracker.markDone(source: source, seq: seq) }
    }

    /// `markDone` of several posts under one lock (a worker hands over the posts it dropped since its last flush).
    public func markDone(_ done: [(source: String, seq: AckTracker.Sequence)]) {
        guard !done.isEmpty else { return }
        state.withLock { s in for d in done { s.tracker.markDone(source: d.source, seq: d.seq) } }
    }

    /// Posts read and not yet done.
    public var outstanding: Int { state.withLock { $0.tracker.outstanding() } }

    /// Persists the cursors that became committable and the changed health rows.
    /// On failure they stay pending and the next flush tries again.
    public func flush(now: Date = Date()) async throws {
        let (cursors, health) = state.withLock { s -> ([String: Cursor], [SourceHealth]) in
            let c = s.tracker.takeAllCommittable()
            let h = s.dirtyHealth.compactMap { s.health[$0] }
            s.dirtyHealth = []
            return (c, h)
        }
        if cursors.isEmpty && health.isEmpty { return }
        do {
            try await store?.save(cursors: cursors, health: health, now: now)
            state.withLock { s in for (k, v) in cursors { s.committed[k] = v } }
        } catch {
            state.withLock { s in
                for (k, v) in cursors { s.tracker.restoreCommittable(source: k, cursor: v) }
                for h in health { s.dirtyHealth.insert(h.sourceID) }
            }
            throw error
        }
    }
}
