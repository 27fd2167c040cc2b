import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// Cancellation, many requests at once, and the per-host limit.
@Suite struct HTTPClientConcurrencyTests {
    @Test func send_whenCancelledMidBody_throwsCancellationAndClosesTheConnection() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/slow", .slow(Data(repeating: 1, count: 100_000), chunk: 100, every: .milliseconds(20)))
        let client = HTTPClient()
        let task = Task { try await client.get(server.url("/slow")) }
        #expect(await server.waitUntil { $0.requestCount == 1 })
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(await server.waitUntil { $0.clientDisconnects == 1 })
    }

    @Test func send_whenCancelledWhileServerStalls_throwsCancellation() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/stall", .stall)
        let client = HTTPClient()
        let task = Task { try await client.get(server.url("/stall")) }
        #expect(await server.waitUntil { $0.requestCount == 1 })
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(await server.waitUntil { $0.clientDisconnects == 1 })
    }

    @Test func send_inAnAlreadyCancelledTask_throwsWithoutSending() async throws {
        let server = try TestHTTPServer.started { _ in .text("ok") }
        defer { server.stop() }
        let client = HTTPClient()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.get(server.url("/never"))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(server.requestCount == 0)
    }

    @Test func send_fiftyAtOnce_allSucceedWithTheirOwnBodies() async throws {
        let server = try TestHTTPServer.started { req in .text("n=" + (req.queryValue("n") ?? "?")) }
        defer { server.stop() }
        let client = HTTPClient()
        let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for n in 0..<50 {
                group.addTask { (n, try await client.get(server.url("/item?n=\(n)")).text) }
            }
            var out: [Int: String] = [:]
            for try await (n, text) in group { out[n] = text }
            return out
        }
        #expect(bodies.count == 50)
        #expect((0..<50).allSatisfy { bodies[$0] == "n=\($0)" })
        #expect(server.requestCount == 50)
    }

    @Test func send_manyToOneHost_neverExceedsThePerHostLimit() async throws {
        let server = try TestHTTPServer.started { _ in TestResponse.text("ok").delayed(.milliseconds(40)) }
        defer { server.stop() }
        var config = HTTPClientConfiguration()
        config.perHostConnections = 2
        let client = HTTPClient(configuration: config)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<12 { group.addTask { try await client.get(server.url("/p?n=\(n)")).status } }
            for try await status in group { #expect(status == 200) }
        }
        #expect(server.requestCount == 12)
        #expect(server.maxConcurrentRequests <= 2)
        #expect(server.maxConcurrentConnections <= 2)
        #expect(server.connectionsAccepted <= 2, "connections are kept alive and reused")
    }

    @Test func cancellingAWaitingRequest_leavesTheOthersRunning() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/slow", TestResponse.text("slow").delayed(.milliseconds(300)))
        server.route("GET", "/quick", .text("quick"))
        var config = HTTPClientConfiguration()
        config.perHostConnections = 1
        let client = HTTPClient(configuration: config)
        let first = Task { try await client.get(server.url("/slow")) }
        #expect(await server.waitUntil { $0.requestCount == 1 })
        let queued = Task { try await client.get(server.url("/quick")) }
        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }
        #expect(try await first.value.text == "slow")
        #expect(try await client.get(server.url("/quick")).text == "quick")
    }

    @Test func clientReleasedAfterUse_shutsDownCleanly() async throws {
        let server = try TestHTTPServer.started { _ in .text("ok") }
        defer { server.stop() }
        for _ in 0..<5 {
            let client = HTTPClient()
            #expect(try await client.get(server.url("/x")).status == 200)
        }
    }
}
