import Foundation
import OtklikCore
import TelegramConnector
import VKConnector

enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "measure throughput, latency and memory; or classification quality"
    static let help = """
    otklik bench [--posts N] [--seed S] [--only FIGURES] [--sources M] [--chars C] [--json] [--allow-debug] [--config FILE] [--pipeline NAME]
    otklik bench --quality FILE.jsonl [--map kursk] [--part K/N] [--errors] [--json] [--rules PATH] [--config FILE] [--pipeline NAME]

    Throughput (the default): measures, on a deterministic corpus of N posts (default 1000000)
    recombined from built-in texts, the repository's demo feed and dev set, and ../shared/fixtures
    when present, and compares with the targets of issue 9:
      analysis  the analysis chain (normalize, classify, dedupe, geotag, incident), posts/s on one
                core and on all cores
      e2e       jsonl connector → analysis → SQLite and file sinks through the real runtime
      latency   a line appended to a followed feed → its incident in the SQLite sink, p50 and p99
      memory    peak resident memory with N posts in the dedupe window and 10000 sources
                (--sources M to configure another number)
      parsers   Telegram page parsing (MB/s) and VK wall.get decoding (posts/s)
      startup   `otklik validate` of a config with the full rule pack and gazetteer
    --chars C fills up or cuts every post's text to about C characters (the issue's speed
    target is for 300-character posts; without it the mix averages about 115 characters).
    --only analysis,parsers,… measures a subset. The chain is the `demo` pipeline's of --config
    (or ./pipelines.yaml) when it has stages, else the default chain over ./rules and ./data.
    Needs a release build (swift build -c release); --allow-debug measures a debug build anyway.
    Exit 0 when every target is met, 1 when one is not.

    --quality: classifies every line of FILE.jsonl ({"id", "text", "is_complaint", "category"})
    and prints precision, recall and F1 for complaint detection and per category, and the
    category macro-F1. Categories are taxonomy ids (housing.water, roads, …), or another
    dataset's labels translated by --map (kursk: the Kursk appeals' 16 groups; the table
    is in rules/README.md). --json prints the figures as one JSON object.
    --part K/N measures only part K of N, chosen by a fixed hash of each id (tune rules on
    --part 1/2, check them on --part 2/2). --errors lists the wrongly answered posts after
    the table: id, expected, got (and the label it counts as), score, the rules that fired.
    Rules are found as for `otklik explain` (see its --help).

    Examples:
      otklik bench --posts 200000 --only analysis,parsers
      otklik bench --posts 200000 --only analysis --chars 300
      otklik bench --quality Tests/OtklikCoreTests/Fixtures/quality/devset.jsonl
      otklik bench --quality ../shared/fixtures/complaints/kursk-appeals.jsonl --map kursk
    """
    static let options = ["quality", "map", "part", "rules", "pipeline", "posts", "seed", "only", "sources", "chars"]
    static let flags = ["json", "allow-debug", "errors"]

    static func run(_ args: Arguments) async throws -> ExitCode {
        if let file = args.value("quality") { return try quality(file, args) }
        let debugBuild = isDebugBuild()
        if debugBuild {
            guard args.flag("allow-debug") else {
                throw CommandError(.usage, "this is a debug build: its figures mean nothing. Build with `swift build -c release`, or pass --allow-debug")
            }
            FileHandle.standardError.write(Data("WARNING: DEBUG BUILD — figures are not representative\n".utf8))
        }
        var options = BenchRunner.Options()
        if let s = args.value("posts") {
            guard let n = Int(s.replacingOccurrences(of: "_", with: "")), n > 0 else { throw CommandError(.usage, "--posts: a positive number") }
            options.posts = n
        }
        if let s = args.value("chars") {
            guard let n = Int(s), n > 0 else { throw CommandError(.usage, "--chars: a number of characters > 0") }
            options.textChars = n
        }
        if let s = args.value("sources") {
            guard let n = Int(s.replacingOccurrences(of: "_", with: "")), n >= 0 else { throw CommandError(.usage, "--sources: a number ≥ 0") }
            options.idleSources = n
        }
        if let s = args.value("seed") {
            guard let n = UInt64(s) else { throw CommandError(.usage, "--seed: a non-negative number") }
            options.seed = n
        }
        if let s = args.value("only") {
            var set = Set<BenchFigure>()
            for part in s.split(separator: ",") {
                guard let f = BenchFigure(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                    throw CommandError(.usage, "--only: unknown figure '\(part)' (known: \(BenchFigure.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                set.insert(f)
            }
            options.figures = set
        }
        let cwd = FileManager.default.currentDirectoryPath
        let exe = executablePath()
        let dataRoot = BenchSetup.findDataRoot(from: [cwd] + (exe.map { [($0 as NSString).deletingLastPathComponent] } ?? []))
        var config = args.value("config")
        if config == nil, FileManager.default.fileExists(atPath: "pipelines.yaml") { config = "pipelines.yaml" }
        let work = NSTemporaryDirectory() + "otklik-bench-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let setup = BenchSetup(registry: makeRegistry(), dataRoot: dataRoot, configFile: config,
                               pipelineName: args.value("pipeline"), workDir: work)
        let shared = dataRoot.map { ($0 as NSString).deletingLastPathComponent + "/shared/fixtures" }
        let seeds = BenchSeeds.load(repoRoot: dataRoot,
                                    sharedFixtures: shared.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil })
        let json = args.flag("json")
        var runner = BenchRunner(
            setup: setup, options: options, seeds: seeds,
            telegramParse: { TelegramPageParser.parse(html: $0).messages.count },
            vkDecode: { data in
                let page = try VKDecoder.decodeWall(data: data)
                let mapper = VKPostMapper(sourceID: "bench")
                return page.items.reduce(0) { n, p in
                    if case .success = mapper.map(p, names: page.names) { return n + 1 }
                    return n
                }
            },
            vkSample: { VKDecoder.benchSample(posts: $0) },
            executable: exe,
            progress: { if !json { FileHandle.standardError.write(Data("… \($0)\n".utf8)) } })
        runner.childArguments = (args.value("config").map { ["--config", $0] } ?? []) + (args.value("pipeline").map { ["--pipeline", $0] } ?? [])
            + (args.value("sources").map { ["--sources", $0] } ?? [])
            + (args.value("chars").map { ["--chars", $0] } ?? [])
        var report = BenchReport(context: [
            ("commit", dataRoot.flatMap(commit) ?? "unknown"), ("build", debugBuild ? "debug" : "release"),
            ("cores", String(ProcessInfo.processInfo.activeProcessorCount)), ("posts", String(options.posts)),
            ("seed", String(options.seed)), ("texts", seeds.origins.joined(separator: "+")),
        ])
        do { try await runner.run(into: &report) } catch let e as BenchError { throw CommandError(.unavailable, e.description) }
        print(json ? report.json() : report.table())
        return report.allMet ? .ok : .failure
    }

    static func quality(_ file: String, _ args: Arguments) throws -> ExitCode {
        var map: LabelMap?
        if let name = args.value("map") {
            guard let m = LabelMap.named(name) else { throw CommandError(.usage, "--map: unknown map '\(name)' (known: kursk)") }
            map = m
        }
        var part: QualityPart?
        if let p = args.value("part") {
            guard let q = QualityPart(p) else { throw CommandError(.usage, "--part: expected K/N with 1 ≤ K ≤ N, got '\(p)'") }
            part = q
        }
        let explainer = try ExplainCommand.makeExplainer(args)
        let result = try QualityBench.run(file: file, explainer: explainer, map: map, part: part)
        for b in result.badLines { FileHandle.standardError.write(Data((b + "\n").utf8)) }
        let title = file + (map.map { " (map: \($0.name))" } ?? "") + (part.map { " (part \($0.index)/\($0.count))" } ?? "")
        print(args.flag("json") ? result.report.json(title: title) : result.report.table(title: title))
        if !args.flag("json") {
            print(String(format: "analysis: %d posts in %.2f s of CPU, %.0f posts/s on one core (JSON reading excluded)",
                         result.report.total, result.analysisSeconds, result.postsPerSecond))
        }
        if args.flag("errors") {
            print("misclassified: \(result.errors.count)")
            for e in result.errors { print(e.line) }
        }
        return result.badLines.isEmpty ? .ok : .dataError
    }

    /// Whether this binary was compiled without optimisation (figures would be meaningless).
    static func isDebugBuild() -> Bool {
        #if DEBUG
        return true
        #else
        return false
        #endif
    }

    /// This program's path, for the figures measured in a child process.
    static func executablePath() -> String? {
        let p = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
        return p.flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    /// The checked-out commit of the repository at `root`, when it is one.
    static func commit(_ root: String) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        p.arguments = ["-C", root, "rev-parse", "--short", "HEAD"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let s = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return p.terminationStatus == 0 && !s.isEmpty ? s : nil
    }
}
