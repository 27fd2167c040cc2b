import Foundation

/// Time for the `vk` connector: Unix seconds and a way to wait. Tests inject their own.
public protocol VKClock: Sendable {
    func now() -> Double
    func sleep(until t: Double) async throws
}

/// The wall clock.
public struct VKSystemClock: VKClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
    public func sleep(until t: Double) async throws {
        let d = t - now()
        if d > 0 { try await Task.sleep(for: .milliseconds(Int64((d * 1000).rounded(.up)))) }
    }
}
