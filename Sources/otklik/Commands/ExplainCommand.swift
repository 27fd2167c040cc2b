import Foundation
import OtklikCore

enum ExplainCommand: Command {
    static let name = "explain"
    static let summary = "classify texts and print one JSON verdict per post"
    static let help = """
    otklik explain [--config FILE] [--pipeline NAME] [--rules PATH] (TEXT | --jsonl FILE)

    Runs a pipeline's analysis stages (all but dedupe and incident) over texts and prints
    one JSON object per post, in a fixed key order:
      id, is_complaint, category, subcategory, severity, score, rules, matched
    plus municipality, settlement, street, lat, lon, geo_method, geo_confidence when a
    geotag stage placed the post. `matched` holds the words as written in the text.

    Input: TEXT (the rest of the command line, one post with id "text"), or
    --jsonl FILE with one post per line: {"id": …, "text": …} or a full Post
    ("-" reads standard input). Bad lines are reported on stderr (FILE:LINE: …);
    the others are still explained, and the exit code is then 65.

    Rules: with --config (or ./pipelines.yaml) the pipeline's classify section decides;
    with no config, the rule packs in $OTKLIK_RULES, ./rules or /usr/share/otklik/rules.
    --rules PATH (a directory, file or glob of rule packs) overrides both.

    Examples:
      otklik explain "Третий день нет воды на Ленина 15, сколько можно"
      otklik explain --rules rules/ --jsonl posts.jsonl > verdicts.jsonl
      otklik explain --config /etc/otklik/pipelines.yaml --pipeline rostov --jsonl -
    """
    static let options = ["pipeline", "rules", "jsonl"]
    static let flags: [String] = []

    static func run(_ args: Arguments) async throws -> ExitCode {
        let explainer = try makeExplainer(args)
        if let file = args.value("jsonl") {
            guard args.positionals.isEmpty else { throw CommandError(.usage, "give TEXT or --jsonl FILE, not both") }
            var bad = 0
            try PostLines.read(file) { line in
                switch line {
                case .post(let id, let post):
                    let (item, dropped) = try explainer.run(post)
                    print(Explainer.jsonLine(id: id, item: item, dropped: dropped))
                case .bad(let where_, let message):
                    bad += 1
                    FileHandle.standardError.write(Data("\(where_): \(message)\n".utf8))
                }
            }
            return bad > 0 ? .dataError : .ok
        }
        guard !args.positionals.isEmpty else {
            throw CommandError(.usage, "nothing to explain: give TEXT or --jsonl FILE (see otklik explain --help)")
        }
        let text = args.positionals.joined(separator: " ")
        let (item, dropped) = try explainer.run(Explainer.post(id: "text", text: text))
        print(Explainer.jsonLine(id: "text", item: item, dropped: dropped))
        return .ok
    }

    static func makeExplainer(_ args: Arguments) throws -> Explainer {
        var path = args.value("config")
        if path == nil, FileManager.default.fileExists(atPath: "pipelines.yaml") { path = "pipelines.yaml" }
        guard let path else { return try Explainer.standalone(rules: args.value("rules")) }
        let config = try OtklikConfig.load(path: path)
        guard let pipeline = config.pipeline(named: args.value("pipeline")) else {
            throw CommandError(.usage, "no pipeline '\(args.value("pipeline") ?? "")' in \(path)")
        }
        return try Explainer.make(config: config, pipeline: pipeline, registry: makeRegistry(),
                                  rulesOverride: args.value("rules"))
    }
}
