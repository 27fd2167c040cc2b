import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Blocking reads and writes on one accepted socket, owned by that connection's thread.
/// Waits poll in short slices so a stopped server ends them promptly.
final class TestConnection {
    let fd: Int32
    unowned let server: TestHTTPServer
    private var buffer: [UInt8] = []

    init(fd: Int32, server: TestHTTPServer) {
        self.fd = fd
        self.server = server
    }

    /// Receives more bytes; false on end of stream, error or server stop.
    private func fill() -> Bool {
        while !server.isStopped {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 50)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        return false
    }

    /// The bytes before the next `\r\n\r\n` (consumed), or nil at end of stream.
    func readHead(limit: Int = 1 << 20) -> [UInt8]? {
        var searchFrom = 0
        while true {
            if buffer.count >= 4 {
                var i = searchFrom
                while i + 3 < buffer.count {
                    if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
                        let head = Array(buffer[0..<i])
                        buffer.removeFirst(i + 4)
                        return head
                    }
                    i += 1
                }
                searchFrom = max(0, buffer.count - 3)
            }
            if buffer.count > limit || !fill() { return nil }
        }
    }

    /// Exactly `count` bytes, or nil if the stream ends first.
    func read(count: Int) -> [UInt8]? {
        while buffer.count < count { if !fill() { return nil } }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }

    /// One CRLF-terminated line without the CRLF.
    func readLine() -> String? {
        while true {
            if let i = buffer.firstIndex(of: 10) {
                let line = buffer[0..<i].last == 13 ? Array(buffer[0..<(i - 1)]) : Array(buffer[0..<i])
                buffer.removeFirst(i + 1)
                return String(decoding: line, as: UTF8.self)
            }
            if !fill() { return nil }
        }
    }

    /// Sends all bytes; false when the peer is gone.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { p in
                send(fd, p.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    /// True when the peer has closed its side (a zero-byte read) or the socket failed.
    func peerClosed() -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if n == 0 { return true }
        if n < 0 { return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR }
        return false
    }

    /// Sleeps up to `duration` in short slices; false if the server stopped or the peer left.
    func pause(_ duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            if server.isStopped || peerClosed() { return false }
            let left = deadline - ContinuousClock.now
            usleep(UInt32(max(1_000, min(20_000, Self.micros(left)))))
        }
        return !server.isStopped
    }

    /// Waits until the peer closes the connection (true) or the server stops (false).
    func waitForPeerClose() -> Bool {
        while !server.isStopped {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) > 0 {
                if peerClosed() { return true }
                var sink = [UInt8](repeating: 0, count: 4096)
                _ = sink.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            }
        }
        return false
    }

    /// Makes the coming `close` send a TCP RST.
    func armReset() {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
    }

    static func micros(_ d: Duration) -> Int {
        let c = d.components
        return Int(c.seconds) * 1_000_000 + Int(c.attoseconds / 1_000_000_000_000)
    }
}
