import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

@Suite struct BenchFiguresTests {
    @Test func percentiles_nearestRank() {
        let xs = (1...100).map(Double.init)
        #expect(Percentiles.of(xs, 50) == 50)
        #expect(Percentiles.of(xs, 99) == 99)
        #expect(Percentiles.of(xs, 100) == 100)
        #expect(Percentiles.of([7], 99) == 7)
        #expect(Percentiles.of([], 50) == nil)
    }

    @Test func processMemory_readsKilobyteFieldsWithTabs() {
        let status = "Name:\totklik\nVmHWM:\t  204800 kB\nVmRSS:\t   1024 kB\n"
        #expect(ProcessMemory.field("VmHWM:", in: status) == 204_800 * 1024)
        #expect(ProcessMemory.field("VmRSS:", in: status) == 1024 * 1024)
        #expect(ProcessMemory.field("VmSwap:", in: status) == nil)
        #expect((ProcessMemory.peakResident ?? 0) > 0)
    }

    @Test func report_tableAndJSON_showTargetsAndMisses() throws {
        var r = BenchReport(context: [("commit", "abc1234"), ("build", "release")])
        r.add(.init(key: "a", title: "analysis", value: 123_456.7, unit: "posts/s", goal: .atLeast(100_000)))
        r.add(.init(key: "l", title: "latency p99", value: 300, unit: "ms", goal: .atMost(250), note: "slow"))
        r.add(.init(key: "i", title: "incidents", value: 5, unit: "/s"))
        #expect(!r.allMet)
        let table = r.table()
        #expect(table.contains("123,457 posts/s") && table.contains("≥ 100,000") && table.contains("NO"))
        #expect(table.contains("commit: abc1234"))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as? [String: Any])
        #expect(obj["commit"] as? String == "abc1234")
        #expect(obj["all_met"] as? Bool == false)
        let figs = try #require(obj["figures"] as? [[String: Any]])
        #expect(figs.count == 3)
        #expect(figs[0]["met"] as? Bool == true && figs[1]["met"] as? Bool == false && figs[2]["met"] == nil)
    }

    @Test func telegramBenchPage_holdsTheMessagesAsked() {
        let html = String(decoding: TelegramBenchPage.html(messages: 5), as: UTF8.self)
        #expect(html.components(separatedBy: "data-post=\"bench_news/").count == 6)
    }

    @Test func analysisBench_twoThreads_processEveryPostOnceThroughTheDefaultChain() async throws {
        let setup = BenchSetup(registry: .builtIn(), dataRoot: TestPaths.repoRoot, workDir: TestPaths.makeTempDir("otklik-bench"))
        let posts = BenchCorpus.posts(400, seed: 5, seeds: .load(repoRoot: TestPaths.repoRoot, sharedFixtures: nil), sources: 20)
        let built = try setup.build(label: "t", sourcesYAML: "", dedupeEntries: 1000,
                                    logger: Logger(label: "t", sink: LogSink(level: .error)))
        #expect(built.stageMakers.count == 5)
        let r = try await AnalysisBench.run(posts: posts, pipeline: built, threads: 2)
        #expect(r.threads == 2)
        #expect(r.incidents + r.dropped.values.reduce(0, +) == 400)
        #expect(r.complaints > 0 && r.incidents > 0)
        #expect(r.dropped["duplicate", default: 0] > 0)
    }

    @Test func setup_forTheMemoryFigure_putsEveryPostThroughDedupe() throws {
        let setup = BenchSetup(registry: .builtIn(), dataRoot: TestPaths.repoRoot, workDir: TestPaths.makeTempDir("otklik-bench"))
        let quiet = Logger(label: "t", sink: LogSink(level: .error))
        let chain = try setup.build(label: "a", sourcesYAML: "", dedupeEntries: 1000, logger: quiet)
        #expect(try chain.stageMakers.map { try $0().name } == ["normalize", "classify", "dedupe", "geotag", "incident"])
        let memory = try setup.build(label: "m", sourcesYAML: "", dedupeEntries: 1000, dedupeEveryPost: true, logger: quiet)
        #expect(try memory.stageMakers.map { try $0().name } == ["normalize", "dedupe", "classify", "geotag", "incident"])
    }

    @Test func setup_withoutRulesOrConfig_saysWhatIsMissing() throws {
        let setup = BenchSetup(registry: .builtIn(), dataRoot: nil, workDir: TestPaths.makeTempDir("otklik-bench"))
        #expect(throws: BenchError.self) { try setup.build(label: "x", sourcesYAML: "") }
    }

    @Test func setup_findsTheDataRootFromASubfolder() {
        #expect(BenchSetup.findDataRoot(from: [TestPaths.repoRoot + "/Sources/OtklikCore"]) == TestPaths.repoRoot)
    }
}
