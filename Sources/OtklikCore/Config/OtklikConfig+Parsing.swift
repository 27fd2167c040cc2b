import Foundation

extension OtklikConfig {
    /// The stages a pipeline runs when it names none. Dedupe follows classify: only complaints
    /// become incidents, so only they need their repeats found (a few times fewer posts to window).
    public static let defaultStages = ["normalize", "classify", "dedupe", "geotag", "incident"]

    /// Loads and types a config file. Throws `ConfigErrors` holding every problem found
    /// (plugin sections are checked later, by `PipelineBuilder.validate`).
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                            diagnostics: ConfigDiagnostics = ConfigDiagnostics()) throws -> OtklikConfig {
        let loader = ConfigLoader(environment: environment, diagnostics: diagnostics)
        let root = try loader.loadFile(path)
        let config = parse(root, file: path, diagnostics: diagnostics)
        try diagnostics.throwIfAny()
        return config!
    }

    /// Types the tree; nil only when the root is not a mapping.
    public static func parse(_ root: YAMLNode, file: String, diagnostics d: ConfigDiagnostics) -> OtklikConfig? {
        guard let r = MappingReader(root, diagnostics: d, context: "config") else { return nil }
        let stateDir = r.path("state_dir") ?? MappingReader.resolve("state", relativeTo: file)
        var level = LogLevel.info
        if let s = r.choice("log_level", LogLevel.allCases.map(\.rawValue)) { level = LogLevel(rawValue: s)! }
        let metrics = r.path("metrics_file")
        let metricsInterval = r.duration("metrics_interval") ?? .seconds(5)
        let shutdown = r.duration("shutdown_timeout") ?? .seconds(15)
        var http = HTTPClientConfiguration()
        if let h = r.mapping("http", context: "http") {
            if let v = h.string("user_agent") { http.userAgent = v }
            if let v = h.duration("timeout") { http.timeout = v }
            if let v = h.duration("connect_timeout") { http.connectTimeout = v }
            if let v = h.size("max_body") { http.maxBodyBytes = v }
            if let v = h.int("per_host_connections", range: 1...256) { http.perHostConnections = v }
            if let v = h.int("max_redirects", range: 0...20) { http.maxRedirects = v }
            if let v = h.bool("insecure_skip_tls_verify") { http.insecureSkipTLSVerify = v }
            if let v = h.string("proxy") { http.proxy = v }
            h.finish()
        }
        var pipelines: [PipelineConfig] = []
        if let list = r.list("pipelines", required: true) {
            if list.isEmpty { d.error("'pipelines' must name at least one pipeline", at: root.mark) }
            for node in list {
                if let p = parsePipeline(node, diagnostics: d) {
                    if pipelines.contains(where: { $0.name == p.name }) {
                        d.error("duplicate pipeline name '\(p.name)'", at: node.mark)
                    }
                    pipelines.append(p)
                }
            }
        }
        r.finish()
        return OtklikConfig(file: file, stateDir: stateDir, logLevel: level, metricsFile: metrics,
                            metricsInterval: metricsInterval, shutdownTimeout: shutdown, http: http,
                            pipelines: pipelines)
    }

    static func parsePipeline(_ node: YAMLNode, diagnostics d: ConfigDiagnostics) -> PipelineConfig? {
        guard let r = MappingReader(node, diagnostics: d, context: "pipeline") else { return nil }
        let name = r.string("name", required: true) ?? "?"
        let region = r.string("region")
        let capacity = r.int("channel_capacity", range: 1...1_000_000) ?? 512
        let workers = r.int("workers", range: 0...256) ?? 0
        var sources: [SourceConfig] = []
        for s in r.list("sources", required: true) ?? [] {
            guard let sr = MappingReader(s, diagnostics: d, context: "source") else { continue }
            let id = sr.string("id", required: true) ?? "?"
            let connector = sr.string("connector", required: true) ?? "?"
            let poll = sr.duration("poll_interval") ?? .seconds(60)
            let place = sr.string("place")
            let enabled = sr.bool("enabled") ?? true
            if sources.contains(where: { $0.id == id }) { d.error("duplicate source id '\(id)'", at: s.mark) }
            sources.append(SourceConfig(id: id, connector: connector, pollInterval: poll, place: place,
                                        enabled: enabled, node: s))
        }
        var stages: [StageConfig] = []
        if let list = r.list("stages") {
            for s in list {
                if let n = s.scalar { stages.append(StageConfig(name: n, node: .emptyMapping(at: s.mark))); continue }
                if let m = s.mapping, m.count == 1, let n = m[0].key.scalar {
                    stages.append(StageConfig(name: n, node: m[0].value.isNull ? .emptyMapping(at: s.mark) : m[0].value))
                    continue
                }
                d.error("a stage is a name or 'name: {settings}'", at: s.mark)
            }
        } else {
            stages = defaultStages.map { StageConfig(name: $0, node: .emptyMapping(at: node.mark)) }
        }
        var sinks: [SinkConfig] = []
        for s in r.list("sinks", required: true) ?? [] {
            guard let sr = MappingReader(s, diagnostics: d, context: "sink") else { continue }
            let type = sr.string("type", required: true) ?? "?"
            let name = sr.string("name") ?? type
            var c = SinkConfig(name: name, type: type, node: s)
            if let v = sr.int("queue", range: 1...10_000_000) { c.queueCapacity = v }
            if let v = sr.int("batch_size", range: 1...100_000) { c.batchSize = v }
            if let v = sr.duration("batch_interval") { c.batchInterval = v }
            if let v = sr.int("max_attempts", range: 0...1_000_000) { c.maxAttempts = v }
            if let v = sr.duration("retry_base") { c.retryBase = v }
            if let v = sr.duration("retry_max") { c.retryMax = v }
            if let v = sr.choice("when_full", ["block", "drop_oldest"]) { c.whenFull = WhenFull(rawValue: v)! }
            if sinks.contains(where: { $0.name == name }) { d.error("duplicate sink name '\(name)'", at: s.mark) }
            sinks.append(c)
        }
        r.finish()
        return PipelineConfig(name: name, region: region, channelCapacity: capacity, workers: workers,
                              sources: sources, stages: stages, sinks: sinks, mark: node.mark)
    }
}
