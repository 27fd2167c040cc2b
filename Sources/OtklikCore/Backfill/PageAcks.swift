import Synchronization

/// Waits until every incident of one page is acknowledged by every sink, so the page's
/// checkpoint is committed only after its incidents are durably written.
final class PageAcks: Sendable {
    private let state = Mutex<(remaining: Int, waiter: CheckedContinuation<Void, Never>?)>((0, nil))

    /// One more ack to wait for; call before submitting.
    func expect() { state.withLock { $0.remaining += 1 } }

    /// The sinks' ack callback.
    func ack() {
        let w = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.remaining -= 1
            guard s.remaining == 0, let w = s.waiter else { return nil }
            s.waiter = nil
            return w
        }
        w?.resume()
    }

    /// Returns once every expected ack has arrived.
    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { s -> Bool in
                if s.remaining == 0 { return true }
                s.waiter = c
                return false
            }
            if ready { c.resume() }
        }
    }
}
