import Foundation

/// A value behind an `NSLock`. The test server uses it instead of `Synchronization.Mutex`
/// because ThreadSanitizer does not model `Mutex`'s futex on Linux and reports false races,
/// which would drown real reports when the suite runs under `--sanitize=thread`.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
