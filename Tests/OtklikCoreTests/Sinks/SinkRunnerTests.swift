import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct SinkRunnerTests {
    struct Harness {
        let runner: SinkRunner
        let metrics: Metrics
        let log: LogSink
        let dir: String
        var labels: KeyValuePairs<String, String> { ["sink": runner.name] }
        func value(_ metric: String) -> Double { metrics.value(metric, labels) ?? 0 }
    }

    func harness(_ sink: any Sink, queue: Int = 100, batchSize: Int = 50, interval: Duration = .milliseconds(5),
                 maxAttempts: Int = 0, whenFull: WhenFull = .block) -> Harness {
        let dir = TestPaths.makeTempDir("sinkrunner")
        let config = SinkConfig(name: sink.name, type: "scripted", queueCapacity: queue, batchSize: batchSize,
                                batchInterval: interval, maxAttempts: maxAttempts, retryBase: .milliseconds(1),
                                retryMax: .milliseconds(4), whenFull: whenFull,
                                node: .emptyMapping(at: SourceMark(file: "t", line: 1, column: 1)))
        let (logger, log) = SinkFixtures.capturingLogger()
        let metrics = Metrics()
        return Harness(runner: SinkRunner(sink: sink, config: config, deadLetterDir: dir + "/dead",
                                          logger: logger, metrics: metrics),
                       metrics: metrics, log: log, dir: dir)
    }

    func submit(_ h: Harness, _ ids: [String], acks: AckCounter) async throws {
        for id in ids { try await h.runner.submit(SinkFixtures.incident(id), ack: acks.ack(id)) }
    }

    static let failure = SinkError.retryable("server said no")

    @Test func run_whenSinkFailsThenRecovers_deliversEverythingAndAcksEachOnce() async throws {
        let sink = ScriptedSink(script: [Self.failure, Self.failure, Self.failure])
        let h = harness(sink, batchSize: 4)
        let acks = AckCounter()
        let loop = Task { await h.runner.run() }
        let ids = (1...10).map { "i\($0)" }
        try await submit(h, ids, acks: acks)
        h.runner.close()
        await loop.value
        #expect(Set(await sink.ids) == Set(ids))
        #expect(acks.snapshot == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }))
        #expect(h.value(SinkRunner.Metric.delivered) == 10)
        #expect(h.value(SinkRunner.Metric.failures) == 3)
        #expect(h.value(SinkRunner.Metric.retries) == 3)
        #expect(h.runner.queueDepth == 0)
        #expect(h.runner.lastDelivery != nil)
        #expect(await sink.closed)
        #expect(!FileManager.default.fileExists(atPath: h.dir + "/dead/scripted.dead.jsonl"))
    }

    @Test func run_whenSinkAlwaysFails_withMaxAttempts_writesDeadLetterFileAndAcks() async throws {
        let sink = ScriptedSink(name: "hook", otherwise: SinkError.retryable("HTTP 503"))
        let h = harness(sink, maxAttempts: 3)
        let acks = AckCounter()
        let ids = ["a", "b", "c"]
        try await submit(h, ids, acks: acks)
        h.runner.close()
        await h.runner.run()
        let path = h.dir + "/dead/hook.dead.jsonl"
        let lines = SinkFixtures.lines(path)
        #expect(lines.count == 3)
        #expect(SinkFixtures.mode(path) == 0o600)
        struct Entry: Decodable { var sink: String; var attempts: Int; var error: String; var incident: Incident }
        let entries = try lines.map { try OtklikJSON.decoder().decode(Entry.self, from: Data($0.utf8)) }
        #expect(entries.map(\.incident.id) == ids)
        #expect(entries.allSatisfy { $0.attempts == 3 && $0.sink == "hook" && $0.error.contains("503") })
        #expect(await sink.attempts == 3)
        #expect(acks.total == 3)
        #expect(h.value(SinkRunner.Metric.deadLetter) == 3)
        #expect(h.value(SinkRunner.Metric.delivered) == 0)
        #expect(h.runner.lastDelivery == nil)
    }

    @Test func run_whenSinkRefusesBatchPermanently_deadLettersAtOnceEvenWithRetryForever() async throws {
        let sink = ScriptedSink(name: "api", script: [SinkError.permanent("HTTP 400 bad request")])
        let h = harness(sink, maxAttempts: 0)
        let acks = AckCounter()
        try await submit(h, ["x", "y"], acks: acks)
        h.runner.close()
        await h.runner.run()
        #expect(await sink.attempts == 1)
        #expect(SinkFixtures.lines(h.dir + "/dead/api.dead.jsonl").count == 2)
        #expect(acks.total == 2)
        #expect(h.value(SinkRunner.Metric.retries) == 0)
        #expect(h.log.captured.contains { $0.contains("level=error") && $0.contains("HTTP 400") })
    }

    @Test func submit_withDropOldest_whenQueueFull_dropsOldestAndStillAcksIt() async throws {
        let sink = ScriptedSink()
        let h = harness(sink, queue: 2, whenFull: .dropOldest)
        let acks = AckCounter()
        try await submit(h, ["1", "2", "3", "4", "5"], acks: acks)
        #expect(acks.snapshot == ["1": 1, "2": 1, "3": 1])
        #expect(h.runner.queueDepth == 2)
        #expect(h.value(SinkRunner.Metric.dropped) == 3)
        #expect(h.value(SinkRunner.Metric.queueDepth) == 2)
        h.runner.close()
        await h.runner.run()
        #expect(await sink.ids == ["4", "5"])
        #expect(acks.total == 5)
    }

    @Test func submit_whenQueueFullAndSinkStalled_suspendsUntilTheSinkCatchesUp() async throws {
        let sink = ScriptedSink(held: true)
        let h = harness(sink, queue: 2, batchSize: 1)
        let acks = AckCounter()
        let loop = Task { await h.runner.run() }
        // One item in flight (held by the sink), two queued: the queue is full.
        try await submit(h, ["1", "2", "3"], acks: acks)
        let blocked = Task { try await submit(h, ["4"], acks: acks) }
        for _ in 0..<50 { await Task.yield() }
        #expect(h.runner.queueDepth == 3)
        #expect(acks.total == 0)
        await sink.release()
        try await blocked.value
        h.runner.close()
        await loop.value
        #expect(await sink.ids == ["1", "2", "3", "4"])
        #expect(acks.total == 4)
    }

    @Test func run_batchesBySize() async throws {
        let sink = ScriptedSink()
        let h = harness(sink, batchSize: 3)
        let acks = AckCounter()
        try await submit(h, (1...7).map { "b\($0)" }, acks: acks)
        h.runner.close()
        await h.runner.run()
        #expect(await sink.batches.map(\.count) == [3, 3, 1])
        #expect(await sink.flushes >= 3)
    }

    @Test func run_batchesByTime_collectsItemsArrivingWithinTheInterval() async throws {
        let sink = ScriptedSink()
        let h = harness(sink, batchSize: 100, interval: .seconds(30))
        let acks = AckCounter()
        let loop = Task { await h.runner.run() }
        try await submit(h, ["t1"], acks: acks)
        try await submit(h, ["t2", "t3"], acks: acks)
        h.runner.close()  // ends the collection before the 30 s are up
        await loop.value
        #expect(await sink.batches.map(\.count) == [3])
        #expect(acks.total == 3)
    }

    @Test func submit_afterClose_throwsChannelClosed() async throws {
        let h = harness(ScriptedSink())
        h.runner.close()
        await #expect(throws: ChannelClosedError.self) {
            try await h.runner.submit(SinkFixtures.incident("late"), ack: {})
        }
    }

    @Test func run_whenCancelledWhileRetrying_returnsWithoutAcking() async throws {
        let sink = ScriptedSink(otherwise: Self.failure)
        let h = harness(sink)
        let acks = AckCounter()
        try await submit(h, ["c1"], acks: acks)
        let loop = Task { await h.runner.run() }
        while await sink.attempts < 3 { await Task.yield() }
        loop.cancel()
        await loop.value
        #expect(acks.total == 0)
        #expect(await sink.closed)
    }
}
