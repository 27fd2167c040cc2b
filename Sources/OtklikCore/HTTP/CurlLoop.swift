import CCurl
import Foundation
import Synchronization

/// The libcurl multi loop: one dedicated thread owns the `CURLM` and every transfer on it.
///
/// Callers post work to a `Mutex`-guarded inbox and call `curl_multi_wakeup` (the only
/// curl function called from other threads). The thread loops `curl_multi_perform` →
/// `curl_multi_info_read` → `curl_multi_poll`. It also enforces the per-host limit:
/// at most `perHostLimit` transfers per `scheme://host:port` are on the multi handle;
/// the rest wait in FIFO order (their timeouts start when they are started).
final class CurlLoop: Sendable {
    private struct Inbox {
        var added: [CurlTransfer] = []
        var cancelled: [UInt64] = []
        var shutdown = false
    }

    private let inbox = Mutex(Inbox())
    /// Touched by the loop thread, plus `curl_multi_wakeup` from anywhere (documented as safe).
    nonisolated(unsafe) private let multi: UnsafeMutableRawPointer
    private let perHostLimit: Int

    init(perHostLimit: Int) {
        CurlGlobal.initialize()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed") }
        self.multi = multi
        self.perHostLimit = max(1, perHostLimit)
        _ = otk_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, self.perHostLimit)
        // Keep idle connections for reuse; libcurl's default cache follows the number of
        // handles attached, which churns connections when transfers come and go.
        _ = otk_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(32, self.perHostLimit * 8))
        let thread = Thread { [self] in run() }
        thread.name = "otklik.http.curl"
        thread.start()
    }

    /// Queues a transfer whose continuation is set; fails it at once if the task is already cancelled.
    func submit(_ transfer: CurlTransfer) {
        let rejected = inbox.withLock { box -> (any Error)? in
            if box.shutdown { return HTTPError.cancelled }
            if Task.isCancelled { return CancellationError() }
            box.added.append(transfer)
            return nil
        }
        if let rejected {
            transfer.continuation?.resume(throwing: rejected)
            transfer.continuation = nil
        } else {
            curl_multi_wakeup(multi)
        }
    }

    /// Asks the loop to stop the transfer and fail it with `CancellationError`.
    func cancel(_ id: UInt64) {
        inbox.withLock { $0.cancelled.append(id) }
        curl_multi_wakeup(multi)
    }

    /// Ends the loop thread; pending transfers fail with `HTTPError.cancelled`.
    func shutdown() {
        inbox.withLock { $0.shutdown = true }
        curl_multi_wakeup(multi)
    }

    // MARK: Loop thread

    private final class Table {
        var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        var waiting: [String: [CurlTransfer]] = [:]
        var active: [String: Int] = [:]
    }

    private func run() {
        let table = Table()
        while true {
            let (added, cancelled, stop) = inbox.withLock { box in
                defer { box.added = []; box.cancelled = [] }
                return (box.added, box.cancelled, box.shutdown)
            }
            for t in added { enqueue(t, table) }
            for id in cancelled { cancelTransfer(id, table) }
            if stop { break }
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            drainFinished(table)
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        let leftovers = Array(table.running.values) + table.waiting.values.flatMap { $0 }
            + inbox.withLock { box in defer { box.added = [] }; return box.added }
        for t in leftovers {
            if table.running[t.easy] != nil { curl_multi_remove_handle(multi, t.easy) }
            resume(t, .failure(HTTPError.cancelled))
        }
        table.running = [:]
        curl_multi_cleanup(multi)
    }

    private func enqueue(_ t: CurlTransfer, _ table: Table) {
        if table.active[t.hostKey, default: 0] < perHostLimit {
            start(t, table)
        } else {
            table.waiting[t.hostKey, default: []].append(t)
        }
    }

    private func start(_ t: CurlTransfer, _ table: Table) {
        let rc = curl_multi_add_handle(multi, t.easy)
        guard rc == CURLM_OK else {
            let message = String(cString: curl_multi_strerror(rc))
            resume(t, .failure(HTTPError.transport(code: Int(rc.rawValue), message: message)))
            return
        }
        table.running[t.easy] = t
        table.active[t.hostKey, default: 0] += 1
    }

    /// Removes a running transfer from the multi handle and starts the next one waiting for its host.
    private func detach(_ t: CurlTransfer, _ table: Table) {
        curl_multi_remove_handle(multi, t.easy)
        table.running[t.easy] = nil
        table.active[t.hostKey, default: 1] -= 1
        if table.active[t.hostKey] == 0 { table.active[t.hostKey] = nil }
        if var queue = table.waiting[t.hostKey], !queue.isEmpty {
            let next = queue.removeFirst()
            table.waiting[t.hostKey] = queue.isEmpty ? nil : queue
            start(next, table)
        }
    }

    private func cancelTransfer(_ id: UInt64, _ table: Table) {
        if let t = table.running.values.first(where: { $0.id == id }) {
            detach(t, table)
            resume(t, .failure(CancellationError()))
            return
        }
        for (host, queue) in table.waiting {
            guard let i = queue.firstIndex(where: { $0.id == id }) else { continue }
            var rest = queue
            let t = rest.remove(at: i)
            table.waiting[host] = rest.isEmpty ? nil : rest
            resume(t, .failure(CancellationError()))
            return
        }
    }

    private func drainFinished(_ table: Table) {
        var left: Int32 = 0
        while let msg = curl_multi_info_read(multi, &left) {
            guard msg.pointee.msg == CURLMSG_DONE, let easy = msg.pointee.easy_handle,
                  let t = table.running[easy] else { continue }
            let code = msg.pointee.data.result
            let result = t.result(for: code)
            detach(t, table)
            resume(t, result)
        }
    }

    private func resume(_ t: CurlTransfer, _ result: Result<HTTPResponse, any Error>) {
        guard let c = t.continuation else { return }
        t.continuation = nil
        c.resume(with: result)
    }
}
