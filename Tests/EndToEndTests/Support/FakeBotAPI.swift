import Foundation
import Synchronization
import OtklikTestSupport

/// A fake Telegram Bot API `getUpdates` on the local `TestHTTPServer`, for fault injection.
///
/// It holds channel posts with `update_id` = message id = n, answers `offset`-filtered pages
/// of at most `pageSize` updates (an empty answer waits a little, like long polling), and
/// serves queued faults instead of the real answer for the next calls.
final class FakeBotAPI: Sendable {
    /// What one `getUpdates` call gets instead of its real answer.
    enum Fault: Sendable {
        /// An HTTP status with a Bot API error body (`retry_after` in `parameters` and the header).
        case status(Int, retryAfter: Int? = nil)
        /// The real page with its full `Content-Length` announced, cut after `sending` bytes.
        case truncated(sending: Int)
        /// A TCP reset instead of an answer.
        case reset
        /// The request is accepted and never answered.
        case stall
    }

    struct State {
        var count = 0
        var faults: [Fault] = []
        var offsets: [Int] = []
        var faultsServed = 0
    }

    static let chatID: Int64 = -1_009_000_000_001
    let server: TestHTTPServer
    let token: String
    let pageSize: Int
    private let state = Mutex(State())

    init(token: String = "123456789:AAFakeFaultInjectionTokenForTestsOnly_x", pageSize: Int = 5) throws {
        self.token = token
        self.pageSize = pageSize
        server = try TestHTTPServer.started()
        server.route("GET", "/bot\(token)/getUpdates") { [self] req in answer(req) }
    }

    func stop() { server.stop() }

    var baseURL: String { server.baseURL }

    /// Publishes posts `count+1 … count+n` (every one a complaint with "яма").
    func publish(_ n: Int) { state.withLock { $0.count += n } }

    /// Queues faults for the next `getUpdates` calls, in order.
    func inject(_ faults: [Fault]) { state.withLock { $0.faults += faults } }

    /// Faults still queued.
    var faultsLeft: Int { state.withLock { $0.faults.count } }
    var faultsServed: Int { state.withLock { $0.faultsServed } }

    /// The text of post n.
    static func text(_ n: Int) -> String { "Во дворе дома \(n) глубокая яма, машины бьют колёса" }

    private func answer(_ req: TestRequest) -> TestResponse {
        let offset = Int(req.queryValue("offset") ?? "") ?? 1
        let (fault, count) = state.withLock { s -> (Fault?, Int) in
            s.offsets.append(offset)
            guard !s.faults.isEmpty else { return (nil, s.count) }
            s.faultsServed += 1
            return (s.faults.removeFirst(), s.count)
        }
        let first = max(offset, 1)
        let last = min(count, first + pageSize - 1)
        let page = Data(Self.page(first > last ? [] : Array(first...last)).utf8)
        switch fault {
        case nil:
            let r = TestResponse.json(page)
            return first > last ? r.delayed(.milliseconds(200)) : r
        case .status(let code, let after)?:
            var headers: [(name: String, value: String)] = []
            var params = ""
            if let after { headers.append(("Retry-After", String(after))); params = #","parameters":{"retry_after":\#(after)}"# }
            let description = code == 429 ? "Too Many Requests: retry after \(after ?? 1)" : "Internal Server Error"
            return .json(#"{"ok":false,"error_code":\#(code),"description":"\#(description)"\#(params)}"#,
                         status: code, headers: headers)
        case .truncated(let sending)?:
            return TestResponse(status: 200, headers: [("Content-Type", "application/json")], body: page,
                                delivery: .truncated(sending: min(sending, max(page.count - 1, 0))))
        case .reset?:
            return .reset
        case .stall?:
            return .stall
        }
    }

    /// A `getUpdates` answer carrying channel posts `ids`.
    static func page(_ ids: [Int]) -> String {
        let updates = ids.map { n in
            #"{"update_id":\#(n),"channel_post":{"message_id":\#(n),"date":\#(1_763_600_000 + n * 60),"chat":{"id":\#(chatID),"type":"channel","title":"Fault channel","username":"fault_chan"},"text":"\#(text(n))"}}"#
        }
        return #"{"ok":true,"result":[\#(updates.joined(separator: ","))]}"#
    }
}
