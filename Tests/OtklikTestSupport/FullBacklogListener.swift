import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A socket on 127.0.0.1 that listens but never accepts, with its accept queue filled:
/// the kernel drops further SYNs, so a client's connect hangs until its connect timeout.
public final class FullBacklogListener {
    public let port: Int
    private var fds: [Int32] = []

    public init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(listener, sa, len) == 0 && listen(listener, 0) == 0 && getsockname(listener, sa, &len) == 0
            }
        }
        guard listener >= 0, ok else {
            if listener >= 0 { close(listener) }
            throw TestHTTPServer.StartError(description: "FullBacklogListener: \(String(cString: strerror(errno)))")
        }
        fds.append(listener)
        port = Int(UInt16(bigEndian: addr.sin_port))
        // Fill the accept queue (backlog 0 holds one connection; a few more to be sure).
        for _ in 0..<4 {
            let c = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            _ = withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(c, $0, len) }
            }
            fds.append(c)
        }
        usleep(50_000)
    }

    deinit { for fd in fds { close(fd) } }
}
