import Foundation

/// The fault tests' daemon config, written to `dir/p.yaml`: one `e2e` pipeline whose keyword
/// stage makes an incident of every post with «яма». A test passes only what it is about —
/// the source, the sink, top-level lines (metrics) and pipeline lines (channel capacity).
enum FaultConfig {
    static let feedSource = "{id: feed, connector: jsonl, path: feed.jsonl, poll_interval: 50ms}"

    static func write(_ dir: String, source: String = feedSource, sink: String, shutdown: String = "5s",
                      top: [String] = [], pipeline: [String] = []) throws {
        let lines = ["state_dir: state"] + top + ["shutdown_timeout: \(shutdown)", "pipelines:", "  - name: e2e"]
            + pipeline.map { "    " + $0 }
            + ["    sources:", "      - " + source,
               "    stages:", "      - keyword: {words: [яма], category: roads, make_incidents: true}",
               "    sinks:", "      - " + sink]
        try lines.joined(separator: "\n").write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
    }
}
