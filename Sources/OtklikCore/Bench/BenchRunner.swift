import Foundation

/// The figures `otklik bench` can measure (`--only`).
public enum BenchFigure: String, CaseIterable, Sendable {
    case analysis, e2e, latency, memory, parsers, startup
}

/// Measures the figures of issue 9 and compares them with their targets.
///
/// Connector code is reached through closures (`telegramParse`, `vkDecode`, the registry), so the
/// core does not depend on connector targets.
public struct BenchRunner: Sendable {
    public struct Options: Sendable {
        public var posts = 1_000_000
        public var seed: UInt64 = 1
        public var figures = Set(BenchFigure.allCases)
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        /// Sources configured for the memory figure.
        public var idleSources = 10_000
        /// Characters per post text (`--chars`); nil keeps the corpus's natural mix of lengths.
        public var textChars: Int?
        public init() {}
    }

    public var setup: BenchSetup
    public var options: Options
    public var seeds: BenchSeeds
    /// Parses one `t.me/s` page; returns the messages found.
    public var telegramParse: @Sendable (Data) -> Int
    /// Decodes one VK `wall.get` body; returns the posts decoded.
    public var vkDecode: @Sendable (Data) throws -> Int
    /// A VK `wall.get` body of n posts.
    public var vkSample: @Sendable (Int) -> Data
    /// This program, for figures measured in a child process (start-up, memory); nil: in-process.
    public var executable: String?
    /// Arguments a child bench needs to measure the same chain (`--config`, `--pipeline`).
    public var childArguments: [String] = []
    public var progress: @Sendable (String) -> Void

    public init(setup: BenchSetup, options: Options, seeds: BenchSeeds,
                telegramParse: @escaping @Sendable (Data) -> Int, vkDecode: @escaping @Sendable (Data) throws -> Int,
                vkSample: @escaping @Sendable (Int) -> Data, executable: String?, progress: @escaping @Sendable (String) -> Void) {
        self.setup = setup; self.options = options; self.seeds = seeds; self.telegramParse = telegramParse
        self.vkDecode = vkDecode; self.vkSample = vkSample; self.executable = executable; self.progress = progress
    }

    var quiet: Logger { Logger(label: "bench", sink: LogSink(level: .error)) }

    public func run(into report: inout BenchReport) async throws {
        let f = options.figures
        if f.contains(.startup) { report.add(try startup()) }
        if f.contains(.parsers) { for x in try parsers() { report.add(x) } }
        if f.contains(.analysis) { for x in try await analysis() { report.add(x) } }
        if f.contains(.e2e) { for x in try await endToEnd() { report.add(x) } }
        if f.contains(.latency) { for x in try await latency() { report.add(x) } }
        if f.contains(.memory) { for x in try await memory() { report.add(x) } }
    }

    // MARK: 1. analysis

    func analysis() async throws -> [BenchReport.Figure] {
        progress("generating \(options.posts) posts (seed \(options.seed))")
        let posts = BenchCorpus.posts(options.posts, seed: options.seed, seeds: seeds, textChars: options.textChars)
        let meanBytes = posts.reduce(0) { $0 + $1.text.utf8.count } / max(1, posts.count)
        let meanChars = posts.prefix(20_000).reduce(0) { $0 + $1.text.unicodeScalars.count } / max(1, min(20_000, posts.count))
        var out: [BenchReport.Figure] = []
        var counts = Set([1, options.threads]).sorted()
        if counts.isEmpty { counts = [1] }
        for n in counts {
            progress("analysis on \(n) thread(s)")
            let built = try setup.build(label: "analysis-\(n)", sourcesYAML: "", dedupeEntries: max(options.posts, 1000), logger: quiet)
            let r = try await AnalysisBench.run(posts: posts, pipeline: built, threads: n)
            let complaintShare = 100 * Double(r.complaints) / Double(max(1, r.posts))
            out.append(.init(key: "analysis_\(n)_core", title: "analysis, \(n) core\(n > 1 ? "s" : "")",
                             value: r.postsPerSecond, unit: "posts/s",
                             goal: .atLeast(n == 1 ? 100_000 : 180_000),
                             note: String(format: "%d posts (%d characters, %d B of text each on average) in %.2f s (%.0f posts per CPU-second); %.1f%% complaints, %d incident versions, %d duplicates",
                                          r.posts, meanChars, meanBytes, r.seconds, Double(r.posts) / max(r.cpuSeconds, 1e-9), complaintShare,
                                          r.incidents, r.dropped["duplicate", default: 0]) + "; " + r.workerSummary))
        }
        progress("per-stage profile")
        let profiled = try StageProfile.run(posts: posts.prefix(50_000),
                                            pipeline: try setup.build(label: "profile", sourcesYAML: "", logger: quiet))
        out.append(.init(key: "analysis_profile", title: "analysis, per post", value: profiled.reduce(0) { $0 + $1.microsPerPost },
                         unit: "µs", note: StageProfile.summary(profiled)))
        return out
    }

    // MARK: 5. parsers

    func parsers() throws -> [BenchReport.Figure] {
        progress("parsers")
        let page = TelegramBenchPage.html(texts: Array(seeds.complaints.prefix(10)) + Array(seeds.noise.prefix(10)))
        let tg = Repeated.measure(minSeconds: 1) { telegramParse(page) > 0 ? page.count : 0 }
        let body = vkSample(100)
        let vk = try Repeated.measure(minSeconds: 1) { try vkDecode(body) }
        return [
            .init(key: "telegram_parse", title: "Telegram page parsing", value: Double(tg.units) / 1e6 / tg.seconds,
                  unit: "MB/s", goal: .atLeast(50), note: "\(page.count / 1024) KiB page of 20 messages"),
            .init(key: "vk_decode", title: "VK wall.get decoding", value: Double(vk.units) / vk.seconds,
                  unit: "posts/s", goal: .atLeast(20_000), note: "\(body.count / 1024) KiB body of 100 posts"),
        ]
    }

    // MARK: 6. start-up

    /// A child `otklik validate` over the bench config: process start, config load, rule pack
    /// compiled, gazetteer loaded, every plugin built. The best of three runs.
    func startup() throws -> BenchReport.Figure {
        progress("start-up")
        _ = try setup.build(label: "startup", sourcesYAML: "      - {id: feed, connector: jsonl, path: feed.jsonl}", logger: quiet)
        let file = setup.workDir + "/startup/bench.yaml"
        guard let exe = executable else {
            let start = BenchThreads.now()
            _ = try setup.build(label: "startup", sourcesYAML: "      - {id: feed, connector: jsonl, path: feed.jsonl}", logger: quiet)
            return .init(key: "startup", title: "start-up (config + plugins)", value: (BenchThreads.now() - start) * 1000,
                         unit: "ms", goal: .atMost(1000), note: "in-process")
        }
        var best = Double.infinity
        for _ in 0..<3 {
            let start = BenchThreads.now()
            let status = try ChildProcess.run(exe, ["validate", "--config", file]).status
            guard status == 0 else { throw BenchError("otklik validate of the bench config exited \(status)") }
            best = min(best, BenchThreads.now() - start)
        }
        return .init(key: "startup", title: "start-up (config + plugins)", value: best * 1000, unit: "ms",
                     goal: .atMost(1000), note: "`otklik validate`: rules + gazetteer, best of 3")
    }
}
