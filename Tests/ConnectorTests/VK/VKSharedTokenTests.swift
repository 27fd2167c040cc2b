import Foundation
import OtklikCore
import OtklikTestSupport
import Testing
@testable import VKConnector

@Suite struct VKSharedTokenTests {
    @Test func poll_whenTwoSourcesShareOneToken_pacesThemTogetherWithoutError6() async throws {
        let registry = VKBudgetRegistry()
        let a = try VKHarness.make("communities: [-1, -2, -3]\nexecute: false\npage_size: 2\n", registry: registry)
        let b = try VKHarness.make("communities: [-4, -5, -6]\nexecute: false\npage_size: 2\n", api: a.api, registry: registry)
        for o: Int64 in [-1, -2, -3, -4, -5, -6] { a.api.post(o, count: 1) }
        async let ra = a.source.poll(after: nil)
        async let rb = b.source.poll(after: nil)
        let (x, y) = try await (ra, rb)
        #expect(x.posts.count == 3 && y.posts.count == 3)
        #expect(a.api.error6 == 0)
        let status = await a.source.statusFields()
        let hash = VKBudgetRegistry.hash(token: a.token)
        #expect(status["token.\(hash).wall.get.remaining"] == String(4850 - 6))
        #expect(status["token.\(hash).state"] == "ok")
        #expect(status["community.-1.freshness_s"] != nil && status["community.-1.interval_s"] != nil)
    }
}
