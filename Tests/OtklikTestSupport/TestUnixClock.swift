import Foundation
import Synchronization

/// Unix time that tests can move forward; waits are real sleeps of what remains.
/// The `vk` connector's tests use it as its `VKClock`, so that the source and `FakeVKAPI`
/// agree on the time.
public final class TestUnixClock: Sendable {
    private let offset = Mutex<Double>(0)

    public init() {}

    public func now() -> Double { Date().timeIntervalSince1970 + offset.withLock { $0 } }

    public func advance(_ seconds: Double) { offset.withLock { $0 += seconds } }

    public func sleep(until t: Double) async throws {
        let d = t - now()
        if d > 0 { try await Task.sleep(for: .milliseconds(Int64((d * 1000).rounded(.up)))) }
    }
}
