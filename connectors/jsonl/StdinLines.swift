import Foundation
import Synchronization

/// Lines from standard input, read on a thread of their own (a blocking `read` must
/// never hold a pool thread) and taken by `JSONLFeed.poll`.
final class StdinLines: Sendable {
    private struct State { var pending: [UInt8] = []; var line = 0; var eof = false }
    private let state = Mutex(State())

    init() {
        let t = Thread { [self] in
            var buf = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { self.state.withLock { $0.eof = true }; return }
                self.state.withLock { $0.pending.append(contentsOf: buf[0..<n]) }
            }
        }
        t.name = "otklik-stdin"
        t.start()
    }

    var isFinished: Bool { state.withLock { $0.eof && $0.pending.isEmpty } }
    /// Standard input was closed (what is pending can still be taken).
    var isEnded: Bool { state.withLock { $0.eof } }
    var hasCompleteLine: Bool { state.withLock { $0.pending.contains(0x0A) } }

    /// Up to `max` complete lines (a last line without newline counts once input ended).
    func take(max: Int) -> (lines: [(data: Data, number: Int)], more: Bool) {
        state.withLock { s in
            var out: [(data: Data, number: Int)] = []
            var start = 0
            var i = 0
            while i < s.pending.count && out.count < max {
                if s.pending[i] == 0x0A {
                    s.line += 1
                    if i > start { out.append((Data(s.pending[start..<i]), s.line)) }
                    start = i + 1
                }
                i += 1
            }
            if s.eof && out.count < max && start < s.pending.count && !s.pending[start...].contains(0x0A) {
                s.line += 1
                out.append((Data(s.pending[start...]), s.line))
                start = s.pending.count
            }
            s.pending.removeFirst(start)
            return (out, s.pending.contains(0x0A))
        }
    }
}
