import Foundation

extension BenchRunner {
    /// Figure 4: peak resident memory with `posts` posts in the dedupe window and `idleSources`
    /// configured `jsonl` sources (empty files, polled by the running pipeline).
    ///
    /// Measured in a child process when other figures ran first (their corpus would count
    /// towards the peak); `childArguments` are the bench's own arguments for it.
    func memory() async throws -> [BenchReport.Figure] {
        if let exe = executable, options.figures != [.memory] {
            progress("memory (child process)")
            let args = ["bench", "--only", "memory", "--json", "--allow-debug", "--posts", String(options.posts),
                        "--seed", String(options.seed)] + childArguments
            let r = try ChildProcess.run(exe, args)
            guard let obj = try? JSONSerialization.jsonObject(with: r.output) as? [String: Any],
                  let figs = obj["figures"] as? [[String: Any]], let f = figs.first,
                  let v = f["value"] as? Double else {
                throw BenchError("the memory bench child exited \(r.status) without figures")
            }
            return [.init(key: "peak_memory", title: "peak memory", value: v, unit: "MB", goal: .atMost(200),
                          note: (f["note"] as? String) ?? "")]
        }
        progress("memory: \(options.idleSources) sources, \(options.posts) posts in the window")
        let dir = setup.workDir + "/memory-feeds"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var sources = ""
        for i in 0..<options.idleSources {
            let path = "\(dir)/s\(i).jsonl"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            sources += "      - {id: s\(i), connector: jsonl, path: \"\(path)\", poll_interval: 2s}\n"
        }
        // Every post enters the dedupe window (dedupe moved before classify if configured after it).
        let built = try setup.build(label: "memory", sourcesYAML: sources, dedupeEntries: max(options.posts, 1000),
                                    dedupeEveryPost: true, logger: quiet)
        let runtime = PipelineRuntime(built: built, checkpoints: try CheckpointCoordinator(
            store: CheckpointStore(path: CheckpointStore.path(stateDir: built.context.stateDir))))
        let running = Task { await runtime.run() }
        let chain = UncheckedBox(try StageChain(makers: built.stageMakers))
        let (posts, seed, seeds, chars) = (options.posts, options.seed, self.seeds, options.textChars)
        await BenchThreads.run(1) { _ in
            var corpus = BenchCorpus(seed: seed, seeds: seeds, textChars: chars)
            for _ in 0..<posts {
                var item = AnalysisItem(post: corpus.next().post)
                _ = chain.value.run(&item)
            }
        }
        let peak = Double(ProcessMemory.peakResident ?? 0) / 1_048_576
        runtime.requestStop()
        _ = await running.value
        return [.init(key: "peak_memory", title: "peak memory", value: peak, unit: "MB", goal: .atMost(200),
                      note: "VmHWM; \(posts) posts through the chain, every one into the dedupe window; \(options.idleSources) jsonl sources polling")]
    }
}
