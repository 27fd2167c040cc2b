import Foundation

/// Talks to systemd over `NOTIFY_SOCKET` (`Type=notify`): readiness, status lines,
/// watchdog pings. A plain `AF_UNIX` datagram per message, no libsystemd; names
/// starting with `@` are abstract sockets. Without `NOTIFY_SOCKET` it does nothing.
public struct SystemdNotifier: Sendable {
    public let socketPath: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let p = environment["NOTIFY_SOCKET"]
        socketPath = (p?.isEmpty ?? true) ? nil : p
    }

    public var isEnabled: Bool { socketPath != nil }

    /// Sends `state` (e.g. `"READY=1\nSTATUS=running"`); false when there is no socket or sending failed.
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let path = socketPath else { return false }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var name = Array(path.utf8)
        if name.first == UInt8(ascii: "@") { name[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard name.count < capacity else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: name)
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + name.count + (name[0] == 0 ? 0 : 1))
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(state.utf8)
        // Never block on a supervisor that does not read: a full datagram queue must not hang
        // the daemon (it once hung shutdown). Watchdog pings are dropped at once; state changes
        // (READY, STOPPING, STATUS) get a few short retries.
        let attempts = state.hasPrefix("WATCHDOG=") ? 1 : 20
        for attempt in 0..<attempts {
            let sent = withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    bytes.withUnsafeBytes {
                        sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), sa, length)
                    }
                }
            }
            if sent == bytes.count { return true }
            guard errno == EAGAIN || errno == EWOULDBLOCK, attempt + 1 < attempts else { return false }
            usleep(5_000)
        }
        return false
    }

    /// How often to send `WATCHDOG=1`: half of `WATCHDOG_USEC`, when it is meant for this process.
    public static func watchdogInterval(environment: [String: String] = ProcessInfo.processInfo.environment,
                                        pid: Int32 = getpid()) -> Duration? {
        guard let s = environment["WATCHDOG_USEC"], let usec = UInt64(s), usec > 0 else { return nil }
        if let p = environment["WATCHDOG_PID"], let owner = Int32(p), owner != pid { return nil }
        return .microseconds(Int64(usec / 2))
    }
}
