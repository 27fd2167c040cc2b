/// Which sources are due for a poll, and when the next one is: a min-heap of due times
/// with at most `maxInFlight` polls running at once.
///
/// This is what lets thousands of idle sources cost a heap entry each instead of a task
/// sleeping in a timer: `PollTimer` waits on it and a poll task exists only while a source
/// is being polled. A source is either waiting in the heap or in flight, never both, so
/// its polls never overlap.
///
/// Pure: time comes in as arguments, so tests need no clock or sleeps.
public struct PollQueue<Instant: Comparable & Sendable>: Sendable {
    private struct Entry: Sendable {
        var due: Instant
        /// Insertion order: sources due at the same instant are taken first-come first-served.
        var order: UInt64
        var source: Int32
        func before(_ o: Entry) -> Bool { due < o.due || (due == o.due && order < o.order) }
    }

    private var heap: [Entry] = []
    private var nextOrder: UInt64 = 0
    /// Polls running now (taken and not yet finished).
    public private(set) var inFlight = 0
    public let maxInFlight: Int

    public init(maxInFlight: Int) { self.maxInFlight = max(1, maxInFlight) }

    /// Sources waiting for their time.
    public var waiting: Int { heap.count }
    /// The earliest due time, when a poll could start then (nil: nothing waits, or every slot is busy).
    public var wakeTime: Instant? { inFlight < maxInFlight ? heap.first?.due : nil }

    /// Puts a source in the queue, due at `due`.
    public mutating func schedule(_ source: Int, at due: Instant) {
        heap.append(Entry(due: due, order: nextOrder, source: Int32(source)))
        nextOrder &+= 1
        siftUp(heap.count - 1)
    }

    /// The sources due at `now`, earliest first, as many as there are free slots; they are in flight until `finish`.
    public mutating func take(now: Instant) -> [Int] {
        var out: [Int] = []
        while inFlight < maxInFlight, let first = heap.first, first.due <= now {
            out.append(Int(first.source))
            removeFirst()
            inFlight += 1
        }
        return out
    }

    /// A poll ended: frees its slot and, unless `next` is nil (the source stops), queues the source again.
    public mutating func finish(_ source: Int, next: Instant?) {
        inFlight = max(0, inFlight - 1)
        if let next { schedule(source, at: next) }
    }

    private mutating func removeFirst() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ i: Int) {
        var child = i
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].before(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ i: Int) {
        var parent = i
        while true {
            let l = 2 * parent + 1, r = l + 1
            var best = parent
            if l < heap.count, heap[l].before(heap[best]) { best = l }
            if r < heap.count, heap[r].before(heap[best]) { best = r }
            if best == parent { return }
            heap.swapAt(parent, best)
            parent = best
        }
    }
}
