import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Listening, accepting and stopping.
extension TestHTTPServer {
    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    /// A port on 127.0.0.1 that nothing listens on now, below the kernel's ephemeral range
    /// (32768 and up): a test that starts a server on it later must not find it taken by
    /// another test's client socket, which an ephemeral port can be.
    public static func unusedPort() throws -> Int {
        for port in (20_000..<32_000).shuffled().prefix(200) {
            let probe = TestHTTPServer()
            if (try? probe.start(port: port)) != nil { probe.stop(); return port }
        }
        throw StartError(description: "no free port in 20000..<32000")
    }

    /// Binds 127.0.0.1 on an ephemeral port (or `port`, e.g. one a stopped server had, to
    /// bring a "crashed" service back at the same address) and starts accepting.
    public func start(port: Int = 0) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, len) == 0 && listen(fd, 256) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard bound else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw StartError(description: "bind/listen on 127.0.0.1: \(message)")
        }
        state.withLock { s in
            s.listenFD = fd
            s.port = Int(UInt16(bigEndian: addr.sin_port))
            s.stopped = false
        }
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "TestHTTPServer.accept"
        thread.start()
    }

    /// Stops accepting and ends every connection (stalled and slow answers included).
    /// Idempotent; the threads finish on their own shortly after.
    public func stop() {
        state.withLock { s in
            s.stopped = true
            if s.listenFD >= 0 { shutdown(s.listenFD, Int32(SHUT_RDWR)) }
            for fd in s.openFDs { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop(_ listenFD: Int32) {
        var nextID = 0
        while !isStopped {
            var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 50)
            if ready <= 0 { continue }
            let fd = accept(listenFD, nil, nil)
            if fd < 0 { if errno == EINTR || errno == EAGAIN { continue } else { break } }
            nextID += 1
            let id = nextID
            let accepted = state.withLock { s -> Bool in
                guard !s.stopped else { return false }
                s.openFDs.insert(fd)
                s.connectionsAccepted += 1
                s.activeConnections += 1
                s.maxActiveConnections = max(s.maxActiveConnections, s.activeConnections)
                return true
            }
            guard accepted else { close(fd); break }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in
                serve(TestConnection(fd: fd, server: self), id: id)
                state.withLock { s in
                    s.openFDs.remove(fd)
                    s.activeConnections -= 1
                }
                close(fd)
            }
            thread.name = "TestHTTPServer.conn\(id)"
            thread.start()
        }
        state.withLock { $0.listenFD = -1 }
        close(listenFD)
    }
}
