/// Decides, for each source, which cursor may be committed: the newest one whose
/// posts, and every post read before them, are all done.
///
/// A post is "done" when a stage dropped it (duplicate, not a complaint) or when every
/// sink acknowledged its incident. Posts finish out of order (sinks run in parallel,
/// workers too); a cursor only moves past a contiguous prefix of done posts, so after a
/// crash the source is re-read from a point where nothing unfinished lies behind.
///
/// Pure value type: no I/O, no clock, no locks (`CheckpointCoordinator` adds those).
public struct AckTracker: Sendable {
    /// Per-post sequence number within one source, starting at 1.
    public typealias Sequence = UInt64

    struct SourceState: Sendable {
        var nextSeq: Sequence = 1
        /// Every post with a number ≤ this is done.
        var doneThrough: Sequence = 0
        /// Done posts above `doneThrough` (finished out of order).
        var doneAhead: Set<Sequence> = []
        /// Cursors waiting for their posts, in poll order: committable once `doneThrough ≥ lastSeq`.
        var pending: [(lastSeq: Sequence, cursor: Cursor)] = []
        /// The newest cursor that became committable and was not yet taken.
        var ready: Cursor?
    }

    private var sources: [String: SourceState] = [:]

    public init() {}

    /// Registers one poll's posts and the cursor that follows them; returns the
    /// posts' sequence numbers, in order. A poll with no posts makes its cursor
    /// committable as soon as everything before it is done.
    public mutating func register(source: String, postCount: Int, cursor: Cursor?) -> ClosedRange<Sequence>? {
        // Mutated in place through the subscript: a copy of the state would copy its set and list.
        let (first, last) = sources[source, default: SourceState()].register(postCount: postCount, cursor: cursor)
        return postCount > 0 ? first...last : nil
    }

    /// Marks one post done. Marking twice is harmless.
    public mutating func markDone(source: String, seq: Sequence) {
        sources[source]?.markDone(seq)
    }

    /// The newest committable cursor of `source`, once; nil when none became ready since the last call.
    public mutating func takeCommittable(source: String) -> Cursor? {
        guard let c = sources[source]?.ready else { return nil }
        sources[source]!.ready = nil
        return c
    }

    /// Every source's newest committable cursor, once each.
    public mutating func takeAllCommittable() -> [String: Cursor] {
        var out: [String: Cursor] = [:]
        // In place: iterating `keys` while mutating would copy the whole table (every source) each flush.
        var i = sources.values.startIndex
        while i != sources.values.endIndex {
            if let c = sources.values[i].ready { out[sources.keys[i]] = c; sources.values[i].ready = nil }
            sources.values.formIndex(after: &i)
        }
        return out
    }

    /// Puts back a cursor taken for a commit that failed, unless a newer one became ready since.
    public mutating func restoreCommittable(source: String, cursor: Cursor) {
        if sources[source] != nil, sources[source]!.ready == nil { sources[source]!.ready = cursor }
    }

    /// Posts read but not yet done, for the source (or all sources).
    public func outstanding(source: String? = nil) -> Int {
        func open(_ s: SourceState) -> Int { Int(s.nextSeq - 1 - s.doneThrough) - s.doneAhead.count }
        if let source { return sources[source].map(open) ?? 0 }
        return sources.values.reduce(0) { $0 + open($1) }
    }

    /// Cursors waiting for their posts (tests, status).
    func pendingCount(source: String) -> Int { sources[source]?.pending.count ?? 0 }
}

extension AckTracker.SourceState {
    mutating func register(postCount: Int, cursor: Cursor?) -> (first: AckTracker.Sequence, last: AckTracker.Sequence) {
        let first = nextSeq
        nextSeq += AckTracker.Sequence(postCount)
        let last = nextSeq - 1
        if let cursor {
            // Idle polls repeat the position: keep one entry per sequence number.
            if let tail = pending.last, tail.lastSeq == last { pending[pending.count - 1].cursor = cursor }
            else { pending.append((last, cursor)) }
        }
        advance()
        return (first, last)
    }

    mutating func markDone(_ seq: AckTracker.Sequence) {
        guard seq > doneThrough, seq < nextSeq else { return }
        if seq == doneThrough + 1 {
            doneThrough = seq
            while doneAhead.remove(doneThrough + 1) != nil { doneThrough += 1 }
        } else {
            doneAhead.insert(seq)
        }
        advance()
    }

    private mutating func advance() {
        var i = 0
        while i < pending.count, pending[i].lastSeq <= doneThrough { ready = pending[i].cursor; i += 1 }
        if i > 0 { pending.removeFirst(i) }
    }
}
