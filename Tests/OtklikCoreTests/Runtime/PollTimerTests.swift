import Foundation
import Synchronization
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// A connector that counts its polls and how many run at once; always idle.
actor CountingConnector: Connector {
    nonisolated let sourceID: String
    nonisolated let rateLimits = RateLimits(minPollInterval: .zero)
    nonisolated let polls = Mutex(0)
    nonisolated let shared: ConcurrencyGauge

    init(sourceID: String, shared: ConcurrencyGauge) { self.sourceID = sourceID; self.shared = shared }

    func poll(after cursor: Cursor?) async throws -> PollResult {
        shared.enter()
        defer { shared.leave() }
        try await Task.sleep(for: .milliseconds(2))
        polls.withLock { $0 += 1 }
        return PollResult(posts: [], cursor: cursor, nextPollAfter: .milliseconds(5))
    }

    func backfill(from: Date, to: Date, resume: Cursor?,
                  emit: @Sendable ([Post], Cursor, BackfillProgress) async throws -> Void) async throws {}
}

/// The most polls seen running at once.
final class ConcurrencyGauge: Sendable {
    private let state = Mutex((now: 0, peak: 0))
    func enter() { state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) } }
    func leave() { state.withLock { $0.now -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
}

@Suite struct PollTimerTests {
    @Test func run_withManyIdleSources_pollsEachRepeatedly_andAtMostMaxConcurrentPollsAtOnce() async throws {
        let dir = TestPaths.makeTempDir()
        let ids = (0..<40).map { "s\($0)" }
        let config = try RuntimeFixture.config("""
            state_dir: state
            shutdown_timeout: 5s
            pipelines:
              - name: t
                sources:
            \(ids.map { "      - {id: \($0), connector: paged}" }.joined(separator: "\n"))
                stages: []
                sinks: []
            """, dir: dir)
        let gauge = ConcurrencyGauge()
        let connectors = Dictionary(uniqueKeysWithValues: ids.map { ($0, CountingConnector(sourceID: $0, shared: gauge)) })
        let built = try PipelineBuilder.build(config: config, pipeline: config.pipelines[0],
                                              registry: RuntimeFixture.registry(connectors: connectors, sink: CollectingSink()),
                                              http: HTTPClient(), logger: Logger(label: "t", sink: LogSink(capturing: true)),
                                              metrics: Metrics(), environment: [:])
        let runtime = PipelineRuntime(built: built, checkpoints: try CheckpointCoordinator(store: nil), maxConcurrentPolls: 3)
        let run = Task { await runtime.run() }
        #expect(await RuntimeFixture.eventually { connectors.values.allSatisfy { $0.polls.withLock { $0 } >= 3 } })
        runtime.requestStop()
        #expect(await run.value == true)
        #expect(gauge.peak <= 3)
        #expect(gauge.peak >= 1)
    }

    @Test func next_whenAPollFinishesDueSoonerThanTheWait_wakesForIt() async {
        let timer = PollTimer(maxInFlight: 8)
        timer.schedule(0, after: .seconds(600))
        timer.schedule(1)
        #expect(await timer.next() == [1])
        let second = Task { await timer.next() }
        try? await Task.sleep(for: .milliseconds(20))   // let it park on the 600 s wait
        timer.finish(1, after: .milliseconds(1))
        let woke = await RuntimeFixture.eventually(.seconds(10)) { timer.inFlight == 1 }
        #expect(woke, "source 1 should be taken again long before source 0 is due")
        timer.close()
        #expect(await second.value == [1])
    }

    @Test func next_whenEverySlotIsBusy_waitsForAFinish() async {
        let timer = PollTimer(maxInFlight: 1)
        timer.schedule(0)
        timer.schedule(1)
        #expect(await timer.next() == [0])
        let second = Task { await timer.next() }
        try? await Task.sleep(for: .milliseconds(20))
        #expect(timer.inFlight == 1)
        timer.finish(0, after: nil)
        #expect(await second.value == [1])
    }

    @Test func next_afterCloseOrCancel_returnsNil() async {
        let closed = PollTimer(maxInFlight: 1)
        closed.schedule(0, after: .seconds(600))
        let waiting = Task { await closed.next() }
        try? await Task.sleep(for: .milliseconds(20))
        closed.close()
        #expect(await waiting.value == nil)

        let cancelled = PollTimer(maxInFlight: 1)
        cancelled.schedule(0, after: .seconds(600))
        let task = Task { await cancelled.next() }
        task.cancel()
        #expect(await task.value == nil)
    }
}
