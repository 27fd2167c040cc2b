import Foundation
import OtklikCore

enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "measure throughput, latency and memory; or classification quality"
    static let help = """
    otklik bench --quality FILE.jsonl [--map kursk] [--json] [--rules PATH] [--config FILE] [--pipeline NAME]

    --quality: classifies every line of FILE.jsonl ({"id", "text", "is_complaint", "category"})
    and prints precision, recall and F1 for complaint detection and per category, and the
    category macro-F1. Categories are taxonomy ids (housing.water, roads, …), or another
    dataset's labels translated by --map (kursk: the Kursk appeals' 16 groups; the table
    is in rules/README.md). --json prints the figures as one JSON object.
    Rules are found as for `otklik explain` (see its --help).

    Example:
      otklik bench --quality Tests/OtklikCoreTests/Fixtures/quality/devset.jsonl
      otklik bench --quality ../shared/fixtures/complaints/kursk-appeals.jsonl --map kursk

    The throughput bench is not available yet (issue #9).
    """
    static let options = ["quality", "map", "rules", "pipeline"]
    static let flags = ["json"]

    static func run(_ args: Arguments) async throws -> ExitCode {
        guard let file = args.value("quality") else {
            throw CommandError(.unavailable, "the throughput bench is not available yet (issue #9); try --quality FILE.jsonl")
        }
        var map: LabelMap?
        if let name = args.value("map") {
            guard let m = LabelMap.named(name) else { throw CommandError(.usage, "--map: unknown map '\(name)' (known: kursk)") }
            map = m
        }
        let explainer = try ExplainCommand.makeExplainer(args)
        let result = try QualityBench.run(file: file, explainer: explainer, map: map)
        for b in result.badLines { FileHandle.standardError.write(Data((b + "\n").utf8)) }
        let title = file + (map.map { " (map: \($0.name))" } ?? "")
        print(args.flag("json") ? result.report.json(title: title) : result.report.table(title: title))
        if !args.flag("json") {
            print(String(format: "analysis: %d posts in %.2f s of CPU, %.0f posts/s on one core (JSON reading excluded)",
                         result.report.total, result.analysisSeconds, result.postsPerSecond))
        }
        return result.badLines.isEmpty ? .ok : .dataError
    }
}
