import Synchronization

/// Thrown by `send` on a finished channel.
public struct ChannelClosedError: Error, Sendable {}

/// A multi-producer, single-consumer FIFO with a fixed capacity: `send` suspends while
/// the channel is full. This is Otklik's backpressure: a slow sink fills its queue,
/// the analysis waits, the channel before it fills, and connectors poll later.
///
/// Cancellation: a cancelled parked `send` throws `CancellationError` and its element is
/// not enqueued; a cancelled parked `next` returns nil. `finish()` fails parked senders
/// and lets the consumer drain what is buffered.
public final class BoundedChannel<Element: Sendable>: Sendable {
    private struct Producer {
        var id: UInt64
        var element: Element
        var continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var buffer: [Element?]
        var head = 0
        var count = 0
        var producers: [Producer] = []
        var consumer: (id: UInt64, continuation: CheckedContinuation<Element?, Never>)?
        var finished = false
        var nextID: UInt64 = 0

        mutating func push(_ e: consuming Element) {
            buffer[(head + count) % buffer.count] = e
            count += 1
        }
        mutating func pop() -> Element? {
            guard count > 0 else { return nil }
            // Moved out, not copied and then released: an element's fields are retained once.
            var e: Element?
            swap(&e, &buffer[head])
            head = (head + 1) % buffer.count
            count -= 1
            return e
        }
    }

    private enum SendStep { case parked, done, closed, cancelled, wake(CheckedContinuation<Element?, Never>), park(UInt64) }
    private enum NextStep { case parked, end, value(Element, CheckedContinuation<Void, any Error>?), park(UInt64) }

    private let state: Mutex<State>
    public let capacity: Int

    public init(capacity: Int) {
        precondition(capacity > 0, "channel capacity must be positive")
        self.capacity = capacity
        state = Mutex(State(buffer: Array(repeating: nil, count: capacity)))
    }

    /// Elements buffered now (parked senders not counted).
    public var count: Int { state.withLock { $0.count } }
    public var isFinished: Bool { state.withLock { $0.finished } }

    /// Appends `element`, suspending while the channel is full.
    public func send(_ element: Element) async throws {
        let fast: SendStep = state.withLock { s in
            if s.finished { return .closed }
            if let c = s.consumer { s.consumer = nil; return .wake(c.continuation) }
            if s.count < s.buffer.count { s.push(element); return .done }
            s.nextID += 1
            return .park(s.nextID)
        }
        switch fast {
        case .done: return
        case .closed: throw ChannelClosedError()
        case .wake(let c): c.resume(returning: element); return
        case .parked, .cancelled: preconditionFailure("unreachable")
        case .park(let id):
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
                    let slow: SendStep = state.withLock { s in
                        if s.finished { return .closed }
                        if Task.isCancelled { return .cancelled }
                        if let c = s.consumer { s.consumer = nil; return .wake(c.continuation) }
                        if s.count < s.buffer.count { s.push(element); return .done }
                        s.producers.append(Producer(id: id, element: element, continuation: cont))
                        return .parked
                    }
                    switch slow {
                    case .parked: break
                    case .closed: cont.resume(throwing: ChannelClosedError())
                    case .cancelled: cont.resume(throwing: CancellationError())
                    case .done: cont.resume()
                    case .wake(let c): c.resume(returning: element); cont.resume()
                    case .park: preconditionFailure("unreachable")
                    }
                }
            } onCancel: {
                let p: Producer? = state.withLock { s in
                    guard let i = s.producers.firstIndex(where: { $0.id == id }) else { return nil }
                    return s.producers.remove(at: i)
                }
                p?.continuation.resume(throwing: CancellationError())
            }
        }
    }

    /// Appends without waiting; false when full or finished.
    public func trySend(_ element: Element) -> Bool {
        let r: (Bool, CheckedContinuation<Element?, Never>?) = state.withLock { s in
            if s.finished { return (false, nil) }
            if let c = s.consumer { s.consumer = nil; return (true, c.continuation) }
            if s.count < s.buffer.count { s.push(element); return (true, nil) }
            return (false, nil)
        }
        r.1?.resume(returning: element)
        return r.0
    }

    /// The next element if one is buffered, without waiting (the consumer's `next()` without suspending).
    public func tryNext() -> Element? { dropOldest() }

    /// Removes and returns the oldest buffered element without waiting (for `drop_oldest`).
    public func dropOldest() -> Element? {
        // The element is moved into `out`, not returned in a tuple (which copied and released it).
        var out: Element?
        let wake: CheckedContinuation<Void, any Error>? = state.withLock { s in
            out = s.pop()
            guard case .some = out, !s.producers.isEmpty else { return nil }
            let p = s.producers.removeFirst()
            s.push(p.element)
            return p.continuation
        }
        wake?.resume()
        return out
    }

    /// The next element, suspending while empty; nil once finished and drained, or when cancelled.
    public func next() async -> Element? {
        let fast: NextStep = state.withLock { s in
            if let e = s.pop() {
                if !s.producers.isEmpty {
                    let p = s.producers.removeFirst()
                    s.push(p.element)
                    return .value(e, p.continuation)
                }
                return .value(e, nil)
            }
            if s.finished { return .end }
            s.nextID += 1
            return .park(s.nextID)
        }
        switch fast {
        case .value(let e, let wake): wake?.resume(); return e
        case .end: return nil
        case .parked: preconditionFailure("unreachable")
        case .park(let id):
            return await withTaskCancellationHandler {
                await withCheckedContinuation { (cont: CheckedContinuation<Element?, Never>) in
                    let slow: NextStep = state.withLock { s in
                        if let e = s.pop() {
                            if !s.producers.isEmpty {
                                let p = s.producers.removeFirst()
                                s.push(p.element)
                                return .value(e, p.continuation)
                            }
                            return .value(e, nil)
                        }
                        if s.finished || Task.isCancelled { return .end }
                        precondition(s.consumer == nil, "BoundedChannel has a single consumer")
                        s.consumer = (id, cont)
                        return .parked
                    }
                    switch slow {
                    case .parked: break
                    case .end: cont.resume(returning: nil)
                    case .value(let e, let wake): wake?.resume(); cont.resume(returning: e)
                    case .park: preconditionFailure("unreachable")
                    }
                }
            } onCancel: {
                let c: CheckedContinuation<Element?, Never>? = state.withLock { s in
                    guard let c = s.consumer, c.id == id else { return nil }
                    s.consumer = nil
                    return c.continuation
                }
                c?.resume(returning: nil)
            }
        }
    }

    /// Ends the channel: parked and later senders fail; the consumer drains, then gets nil.
    public func finish() {
        let (producers, consumer): ([Producer], CheckedContinuation<Element?, Never>?) = state.withLock { s in
            s.finished = true
            let p = s.producers; s.producers = []
            var c: CheckedContinuation<Element?, Never>?
            if s.count == 0 { c = s.consumer?.continuation; s.consumer = nil }
            return (p, c)
        }
        for p in producers { p.continuation.resume(throwing: ChannelClosedError()) }
        consumer?.resume(returning: nil)
    }
}

extension BoundedChannel: AsyncSequence {
    public struct AsyncIterator: AsyncIteratorProtocol {
        let channel: BoundedChannel
        public mutating func next() async -> Element? { await channel.next() }
    }
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(channel: self) }
}
