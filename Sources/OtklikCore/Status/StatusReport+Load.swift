import Foundation

extension StatusReport {
    /// Reads a pipeline's state without writing anything: the state database is opened
    /// read-only, so this is safe while the daemon runs.
    public static func load(config: OtklikConfig, pipeline: PipelineConfig, maxFailing: TimeInterval,
                            now: Date = Date()) -> StatusReport {
        let stateDir = config.stateDir + "/" + pipeline.name
        var notes: [String] = []
        var health: [String: SourceHealth] = [:]
        let dbPath = CheckpointStore.path(stateDir: stateDir)
        var unreadable = false
        if FileManager.default.fileExists(atPath: dbPath) {
            do { health = try readHealth(path: dbPath) }
            catch { notes.append("cannot read \(dbPath): \(error)"); unreadable = true }
        } else {
            notes.append("no state yet at \(dbPath) (has the daemon run?)")
        }
        var metrics: PrometheusSamples?
        if let file = config.metricsFile {
            if let text = try? String(contentsOfFile: file, encoding: .utf8) { metrics = PrometheusSamples(text: text) }
            else { notes.append("no metrics file at \(file) yet: sink queues unknown") }
        } else {
            notes.append("no metrics_file configured: sink queues and deliveries unknown")
        }
        var ids = pipeline.sources.map(\.id)
        ids += health.keys.filter { !ids.contains($0) }.sorted()
        let sources = ids.map { id in
            source(id: id, connector: pipeline.sources.first { $0.id == id }?.connector, health: health[id],
                   maxFailing: maxFailing, now: now, connectorStatus: connectorStatus(stateDir: stateDir, source: id))
        }
        let sinks = pipeline.sinks.map { sink(name: $0.name, type: $0.type, pipeline: pipeline.name, metrics: metrics) }
        return StatusReport(pipeline: pipeline.name, sources: sources, sinks: sinks, notes: notes,
                            stateUnreadable: unreadable)
    }

    static func readHealth(path: String) throws -> [String: SourceHealth] {
        let db = try SQLiteDatabase(path: path, readOnly: true)
        var out: [String: SourceHealth] = [:]
        func date(_ v: SQLiteValue) -> Date? {
            switch v {
            case .double(let d): Date(timeIntervalSince1970: d)
            case .int(let i): Date(timeIntervalSince1970: Double(i))
            default: nil
            }
        }
        for r in try db.query("""
            SELECT source_id, last_poll_at, last_success_at, newest_post_at, error_streak, last_error,
                   last_error_at, posts_read FROM source_health
            """) {
            guard case .text(let id) = r[0] else { continue }
            var streak = 0, posts = 0
            if case .int(let n) = r[4] { streak = Int(n) }
            if case .int(let n) = r[7] { posts = Int(n) }
            var err: String?
            if case .text(let e) = r[5] { err = e }
            out[id] = SourceHealth(sourceID: id, lastPollAt: date(r[1]), lastSuccessAt: date(r[2]),
                                   newestPostAt: date(r[3]), errorStreak: streak, lastError: err,
                                   lastErrorAt: date(r[6]), postsRead: posts)
        }
        return out
    }

    /// A connector's own status file in the pipeline's state folder, `<kind>-status-<source>.json`
    /// holding a flat JSON object (the VK connector writes `vk-status-<source>.json`).
    static func connectorStatus(stateDir: String, source: String) -> [String: String]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: stateDir) else { return nil }
        let suffix = "-status-\(source).json"
        var out: [String: String] = [:]
        for name in names.sorted() where name.hasSuffix(suffix) {
            guard let data = FileManager.default.contents(atPath: stateDir + "/" + name),
                  let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            for (k, v) in obj { out[k] = "\(v)" }
        }
        return out.isEmpty ? nil : out
    }
}
