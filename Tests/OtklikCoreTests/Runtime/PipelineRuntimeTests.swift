import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct PipelineRuntimeTests {
    static let yaml = """
    state_dir: state
    shutdown_timeout: 2s
    pipelines:
      - name: t
        workers: 2
        sources:
          - {id: a, connector: paged}
          - {id: b, connector: paged}
        stages:
          - keyword: {words: [яма], category: roads, make_incidents: true}
        sinks:
          - {type: collect, batch_size: 3, retry_base: 1ms, retry_max: 5ms}
    """

    func pages(_ source: String) -> [[Post]] {
        (0..<4).map { p in (0..<5).map { i in
            let n = p * 5 + i
            return RuntimeFixture.post(source, n, n % 2 == 0 ? "глубокая яма №\(n)" : "спасибо №\(n)")
        } }
    }

    @Test func run_deliversIncidentsInSourceOrder_andCommitsCursors() async throws {
        let dir = TestPaths.makeTempDir()
        let config = try RuntimeFixture.config(Self.yaml, dir: dir)
        let sink = CollectingSink(failures: 2)
        let a = PagedConnector(sourceID: "a", pages: pages("a")), b = PagedConnector(sourceID: "b", pages: pages("b"))
        let metrics = Metrics()
        let built = try PipelineBuilder.build(config: config, pipeline: config.pipelines[0],
                                              registry: RuntimeFixture.registry(connectors: ["a": a, "b": b], sink: sink),
                                              http: HTTPClient(), logger: Logger(label: "t", sink: LogSink(capturing: true)),
                                              metrics: metrics, environment: [:])
        let store = try CheckpointStore(path: CheckpointStore.path(stateDir: built.context.stateDir))
        let runtime = PipelineRuntime(built: built, checkpoints: try CheckpointCoordinator(store: store),
                                      checkpointInterval: .milliseconds(20))
        let run = Task { await runtime.run() }
        #expect(await RuntimeFixture.eventually { await sink.incidents.count == 20 })
        #expect(await RuntimeFixture.eventually { (try? store.cursors()) == ["a": Cursor("4"), "b": Cursor("4")] })
        runtime.requestStop()
        #expect(await run.value == true)
        #expect(await sink.closed)

        let got = await sink.incidents
        for s in ["a", "b"] {
            let order = got.filter { $0.sourceID == s }.map(\.openedBy)
            #expect(order == (0..<20).filter { $0 % 2 == 0 }.map { "test:\(s)-\($0)" })
        }
        #expect(metrics.value("otklik_posts_read_total", ["pipeline": "t", "source": "a"]) == 20)
        #expect(metrics.value("otklik_posts_dropped_total", ["pipeline": "t", "reason": "not_complaint"]) == 20)
        #expect(metrics.value("otklik_incidents_total", ["pipeline": "t", "category": "roads"]) == 20)
    }

    @Test func restart_resumesFromCommittedCursor() async throws {
        let dir = TestPaths.makeTempDir()
        let config = try RuntimeFixture.config(Self.yaml, dir: dir)
        let stateDir = config.stateDir + "/t"
        let store = try CheckpointStore(path: CheckpointStore.path(stateDir: stateDir))
        try await store.save(cursors: ["a": Cursor("3")], health: [])
        let sink = CollectingSink()
        let a = PagedConnector(sourceID: "a", pages: pages("a")), b = PagedConnector(sourceID: "b", pages: [])
        let built = try PipelineBuilder.build(config: config, pipeline: config.pipelines[0],
                                              registry: RuntimeFixture.registry(connectors: ["a": a, "b": b], sink: sink),
                                              http: HTTPClient(), logger: Logger(label: "t", sink: LogSink(capturing: true)),
                                              metrics: Metrics(), environment: [:])
        let runtime = PipelineRuntime(built: built, checkpoints: try CheckpointCoordinator(store: store),
                                      checkpointInterval: .milliseconds(20))
        let run = Task { await runtime.run() }
        #expect(await RuntimeFixture.eventually { await sink.incidents.count == 2 })
        runtime.requestStop()
        _ = await run.value
        #expect(await a.seenCursors.first == Cursor("3"))
        #expect(await sink.incidents.map(\.openedBy) == ["test:a-16", "test:a-18"])
    }

    @Test func stop_whenSinkNeverSucceeds_timesOutWithoutCommitting() async throws {
        let dir = TestPaths.makeTempDir()
        let yaml = Self.yaml.replacingOccurrences(of: "shutdown_timeout: 2s", with: "shutdown_timeout: 200ms")
        let config = try RuntimeFixture.config(yaml, dir: dir)
        let sink = CollectingSink(failures: -1)
        let a = PagedConnector(sourceID: "a", pages: pages("a")), b = PagedConnector(sourceID: "b", pages: [])
        let built = try PipelineBuilder.build(config: config, pipeline: config.pipelines[0],
                                              registry: RuntimeFixture.registry(connectors: ["a": a, "b": b], sink: sink),
                                              http: HTTPClient(), logger: Logger(label: "t", sink: LogSink(capturing: true)),
                                              metrics: Metrics(), environment: [:])
        let store = try CheckpointStore(path: CheckpointStore.path(stateDir: built.context.stateDir))
        let runtime = PipelineRuntime(built: built, checkpoints: try CheckpointCoordinator(store: store),
                                      checkpointInterval: .milliseconds(20))
        let run = Task { await runtime.run() }
        #expect(await RuntimeFixture.eventually { await a.seenCursors.count >= 2 })
        runtime.requestStop()
        #expect(await run.value == false)
        #expect(try store.cursors()["a"] == nil)
    }

    @Test func build_withUnknownPlugins_reportsEveryError() throws {
        let dir = TestPaths.makeTempDir()
        let yaml = Self.yaml.replacingOccurrences(of: "connector: paged}", with: "connector: nope}")
            .replacingOccurrences(of: "type: collect", with: "type: nosink")
        let config = try RuntimeFixture.config(yaml, dir: dir)
        #expect {
            _ = try PipelineBuilder.build(config: config, pipeline: config.pipelines[0], registry: .builtIn(),
                                          http: HTTPClient(), logger: Logger(label: "t"), metrics: Metrics(), environment: [:])
        } throws: { e in (e as? ConfigErrors)?.errors.count == 3 }
    }

    @Test func shard_isStableAndInRange() {
        for id in ["a", "b", "vk_bataysk", ""] {
            let w = PipelineRuntime.shard(id, count: 3)
            #expect((0..<3).contains(w))
            #expect(PipelineRuntime.shard(id, count: 3) == w)
        }
    }
}
