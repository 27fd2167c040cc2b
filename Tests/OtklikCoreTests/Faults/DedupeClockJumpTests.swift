import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

/// The dedupe window under a jumping wall clock (it is the only stage that reads the clock;
/// poll schedules, batching and timeouts use the monotonic clock and do not see jumps).
struct DedupeClockJumpTests {
    static let text = "Во дворе дома пять глубокая яма, машины бьют колёса уже неделю"

    @Test func window_whenClockJumpsBackADay_stillDropsTheSamePost() throws {
        let h = DedupeHarness()
        #expect(try h.run(DedupeHarness.post("wall-1_1", Self.text)).0 == .pass)
        h.clock.now -= 86_400
        #expect(try h.run(DedupeHarness.post("wall-1_1", Self.text)).0 == .drop(reason: "duplicate"))
    }

    @Test func window_whenClockJumpsPastTheWindow_forgetsThePost() throws {
        let h = DedupeHarness { $0.window = .seconds(7 * 86_400) }
        #expect(try h.run(DedupeHarness.post("wall-1_1", Self.text)).0 == .pass)
        h.clock.now += 8 * 86_400
        // Documented: the window is wall time; a post seen 8 "days" ago is new again (sinks upsert).
        #expect(try h.run(DedupeHarness.post("wall-1_1", Self.text)).0 == .pass)
    }

    @Test func window_whenClockStepsBack_stillPersistsPendingEntries() throws {
        let path = TestPaths.makeTempDir("otklik-dedupe") + "/dedupe.sqlite"
        let first = DedupeHarness(path: path) { $0.batchSize = 10_000 }
        try first.run(DedupeHarness.post("wall-1_1", Self.text))
        first.clock.now -= 3600
        try first.run(DedupeHarness.post("wall-1_2", "Спасибо за праздник, всё было прекрасно организовано"))
        // The step back still hands the batch to the store (written on its own queue).
        try first.window.waitForQueuedWrites()
        // A second process (a restart) at the real time sees both, while the first is still alive.
        let second = DedupeHarness(path: path)
        second.clock.now = first.clock.now + 3602
        let again = try second.run(DedupeHarness.post("wall-1_1", Self.text)).0
        #expect(again == .drop(reason: "duplicate"))
        withExtendedLifetime(first) {}
    }
}
