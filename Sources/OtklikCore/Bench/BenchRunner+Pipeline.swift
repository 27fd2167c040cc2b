import Foundation
import Synchronization

extension BenchRunner {
    /// The sink list (YAML items) of the end-to-end and latency pipelines, or why it cannot be built.
    func sinksYAML(_ dir: String, sqliteOnly: Bool = false) -> Result<String, BenchError> {
        let have = setup.registry.sinks
        guard have["sqlite"] != nil, sqliteOnly || have["file"] != nil else {
            return .failure(BenchError("not measured: needs the sqlite\(sqliteOnly ? "" : " and file") sinks"))
        }
        var s = "      - {name: db, type: sqlite, path: \"\(dir)/incidents.sqlite\"}"
        if !sqliteOnly { s += "\n      - {name: file, type: file, path: \"\(dir)/incidents.jsonl\"}" }
        return .success(s)
    }

    // MARK: 2. end to end

    /// Figure 2: posts written to 8 JSONL feeds beforehand, read by the `jsonl` connector through
    /// the real `PipelineRuntime` into the SQLite and file sinks; timed from start until every post
    /// is done (dropped or acknowledged by both sinks) and the sinks are closed.
    func endToEnd() async throws -> [BenchReport.Figure] {
        let dir = setup.workDir + "/e2e-data"
        let sinks: String
        switch sinksYAML(dir) {
        case .success(let s): sinks = s
        case .failure(let e): return [.init(key: "e2e", title: "end to end (jsonl → SQLite + file)", value: 0, unit: "posts/s", note: e.description)]
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        progress("e2e: writing \(options.posts) posts to 8 feeds")
        let feeds = 8
        var handles = try (0..<feeds).map { i -> FileHandle in
            let path = "\(dir)/feed\(i).jsonl"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        var buffers = Array(repeating: Data(), count: feeds)
        var corpus = BenchCorpus(seed: options.seed, seeds: seeds, textChars: options.textChars)
        let encoder = OtklikJSON.encoder()
        for _ in 0..<options.posts {
            let p = corpus.next().post
            let i = PipelineRuntime.shard(p.sourceID, count: feeds)
            buffers[i].append(try encoder.encode(p))
            buffers[i].append(0x0A)
            if buffers[i].count > 1 << 20 { try handles[i].write(contentsOf: buffers[i]); buffers[i].removeAll(keepingCapacity: true) }
        }
        for i in 0..<feeds { try handles[i].write(contentsOf: buffers[i]); try handles[i].close() }
        handles.removeAll()
        let sources = (0..<feeds).map {
            "      - {id: feed\($0), connector: jsonl, path: \"\(dir)/feed\($0).jsonl\", poll_interval: 10ms, batch_lines: 2000}"
        }.joined(separator: "\n")
        let metrics = Metrics()
        let built = try setup.build(label: "e2e", sourcesYAML: sources, sinksYAML: sinks,
                                    dedupeEntries: max(options.posts, 1000), logger: quiet, metrics: metrics)
        let runtime = PipelineRuntime(built: built, checkpoints: try CheckpointCoordinator(
            store: CheckpointStore(path: CheckpointStore.path(stateDir: built.context.stateDir))))
        progress("e2e: running the pipeline")
        let start = BenchThreads.now()
        let cpuStart = BenchThreads.processCPU()
        let running = Task { await runtime.run() }
        let total = Double(options.posts)
        var lastReport = start
        while true {
            try await Task.sleep(for: .milliseconds(20))
            let read = (0..<feeds).reduce(0.0) { $0 + (metrics.value("otklik_posts_read_total", ["pipeline": "bench", "source": "feed\($1)"]) ?? 0) }
            let outstanding = runtime.checkpoints.outstanding
            if read >= total, outstanding == 0 { break }
            if BenchThreads.now() - lastReport >= 1 {
                lastReport = BenchThreads.now()
                progress(String(format: "e2e: %.0f s, %.0f of %.0f posts read, %d outstanding", lastReport - start, read, total, outstanding))
            }
        }
        runtime.requestStop()
        _ = await running.value
        let seconds = BenchThreads.now() - start
        let cpu = BenchThreads.processCPU() - cpuStart
        let db = try SQLiteDatabase(path: dir + "/incidents.sqlite", readOnly: true)
        let incidents = Double(try db.query("SELECT count(*) FROM incidents").first?.first?.int ?? 0)
        return [
            .init(key: "e2e_posts", title: "end to end (jsonl → SQLite + file)", value: total / seconds, unit: "posts/s",
                  goal: .atLeast(50_000), note: String(format: "%d posts in %.2f s, %d workers; %.1f µs CPU a post (%.0f posts per CPU-second)",
                                            options.posts, seconds, runtime.workerCount, cpu / total * 1e6, total / max(cpu, 1e-9))),
            .init(key: "e2e_incidents", title: "end to end, incidents", value: incidents / seconds, unit: "incidents/s",
                  note: "\(Int(incidents)) incidents in the SQLite sink"),
        ]
    }

    // MARK: 3. latency

    /// Figure 3: a steady 2,000 posts/s appended to a followed feed for 5 s; each complaint that
    /// opens an incident is timed from its append to the moment its row is seen in the SQLite sink.
    /// The feed is polled every 10 ms, so up to 10 ms of each figure is poll wait.
    func latency() async throws -> [BenchReport.Figure] {
        let dir = setup.workDir + "/latency-data"
        let sinks: String
        switch sinksYAML(dir, sqliteOnly: true) {
        case .success(let s): sinks = s
        case .failure(let e): return [.init(key: "latency_p99", title: "latency p99 (feed → SQLite row)", value: 0, unit: "ms", note: e.description)]
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let feed = dir + "/feed.jsonl"
        _ = FileManager.default.createFile(atPath: feed, contents: nil)
        let built = try setup.build(label: "latency", sourcesYAML: "      - {id: feed, connector: jsonl, path: \"\(feed)\", poll_interval: 10ms}",
                                    sinksYAML: sinks, logger: quiet)
        let runtime = PipelineRuntime(built: built, checkpoints: try CheckpointCoordinator(
            store: CheckpointStore(path: CheckpointStore.path(stateDir: built.context.stateDir))))
        let running = Task { await runtime.run() }
        progress("latency: 2000 posts/s for 5 s")
        let appended = Stamps()
        let seen = Stamps()
        let writing = Stamps()
        let (seed, seeds, chars) = (options.seed, self.seeds, options.textChars)
        await BenchThreads.run(2) { role in
            if role == 0 { Self.appendSteadily(to: feed, seed: seed, seeds: seeds, chars: chars, appended: appended) ; writing.set("writing", 1) }
            else { Self.watchRows(dir + "/incidents.sqlite", seen: seen, while: { writing.all.isEmpty }) }
        }
        runtime.requestStop()
        _ = await running.value
        let sent = appended.all
        let rows = seen.all
        let samples = sent.compactMap { id, t in rows[id].map { ($0 - t) * 1000 } }
        let note = "\(samples.count) of \(sent.count) new-incident complaints seen; includes ≤10 ms poll wait"
        return [
            .init(key: "latency_p50", title: "latency p50 (feed → SQLite row)", value: Percentiles.of(samples, 50) ?? 0, unit: "ms", note: note),
            .init(key: "latency_p99", title: "latency p99 (feed → SQLite row)", value: Percentiles.of(samples, 99) ?? .infinity, unit: "ms",
                  goal: .atMost(250)),
        ]
    }

    /// 20 lines every 10 ms for 5 s; every tenth a complaint whose incident id is recorded with its time.
    static func appendSteadily(to path: String, seed: UInt64, seeds: BenchSeeds, chars: Int?, appended: Stamps) {
        guard let h = FileHandle(forWritingAtPath: path) else { return }
        defer { try? h.close() }
        var corpus = BenchCorpus(seed: seed &+ 7, seeds: seeds, textChars: chars)
        var random = BenchRandom(seed: seed &+ 11)
        let encoder = OtklikJSON.encoder()
        let start = BenchThreads.now()
        var n = 0
        for tick in 0..<500 {
            var lines = Data()
            var ids: [String] = []
            for k in 0..<20 {
                var p = corpus.next().post
                p.postID = "lat-\(n)"
                n += 1
                if k % 10 == 0 {
                    p.text = random.pick(seeds.complaints) + " \(random.pick(BenchSeeds.places).capitalized), ул. \(random.pick(BenchSeeds.streets)) \(n)."
                    ids.append(IncidentBuilder.id(forOpeningKey: p.key))
                }
                lines.append((try? encoder.encode(p)) ?? Data())
                lines.append(0x0A)
            }
            try? h.write(contentsOf: lines)
            let now = BenchThreads.now()
            for id in ids { appended.set(id, now) }
            let next = start + Double(tick + 1) * 0.01
            if next > now { usleep(UInt32((next - now) * 1e6)) }
        }
        usleep(500_000)  // let the last ones arrive
    }

    /// Reads new rows of the sink's `incidents` table every 2 ms while `active()`, noting when each id appeared.
    static func watchRows(_ path: String, seen: Stamps, while active: () -> Bool) {
        var db: SQLiteDatabase?
        var last: Int64 = 0
        while active() {
            if db == nil, FileManager.default.fileExists(atPath: path) { db = try? SQLiteDatabase(path: path, readOnly: true) }
            if let db, let rows = try? db.query("SELECT rowid, id FROM incidents WHERE rowid > ?", [.int(last)]) {
                let now = BenchThreads.now()
                for r in rows {
                    if case .int(let rid) = r[0] { last = max(last, rid) }
                    if let id = r[1].text { seen.setIfAbsent(id, now) }
                }
            }
            usleep(2000)
        }
    }
}

/// Times by name, shared between the bench's threads.
final class Stamps: Sendable {
    private let map = Mutex<[String: Double]>([:])
    func set(_ k: String, _ t: Double) { map.withLock { $0[k] = t } }
    func setIfAbsent(_ k: String, _ t: Double) { map.withLock { if $0[k] == nil { $0[k] = t } } }
    var all: [String: Double] { map.withLock { $0 } }
}
