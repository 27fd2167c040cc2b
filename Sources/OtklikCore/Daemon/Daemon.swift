import Foundation

/// `otklik run`: loads the config, runs its pipelines until SIGTERM/SIGINT, reloads on
/// SIGHUP, and keeps systemd informed (`READY=1`, `STATUS=`, `WATCHDOG=1`, `STOPPING=1`).
///
/// A reload validates the new config first: when it is invalid every error is logged
/// and the running pipelines go on untouched; when it is valid, the old pipelines drain
/// (commit their checkpoints) and the new ones start from those checkpoints.
public struct Daemon: Sendable {
    public var configPath: String
    /// Only this pipeline; nil runs every pipeline of the config.
    public var pipelineName: String?
    public var registry: PluginRegistry
    public var environment: [String: String]
    /// `--log-level` given on the command line wins over the config's `log_level`.
    public var logLevelOverride: LogLevel?
    let logger = Logger(label: "daemon")

    public init(configPath: String, pipelineName: String? = nil, registry: PluginRegistry,
                environment: [String: String] = ProcessInfo.processInfo.environment, logLevelOverride: LogLevel? = nil) {
        self.configPath = configPath; self.pipelineName = pipelineName; self.registry = registry
        self.environment = environment; self.logLevelOverride = logLevelOverride
    }

    /// A pipeline that runs, and the task awaiting its end.
    struct Running {
        var runtime: PipelineRuntime
        var task: Task<Bool, Never>
    }

    /// Runs until a stop signal; returns the exit code. Config errors at start are thrown (`ConfigErrors`).
    public func run() async throws -> ExitCode {
        let signals = SignalWatcher([SIGTERM, SIGINT, SIGHUP])
        let (events, eventSink) = AsyncStream.makeStream(of: Event.self)
        let forwarder = Task { for await sig in signals.signals { eventSink.yield(.signal(sig)) } }
        defer { forwarder.cancel() }
        var generation = 0
        let notifier = SystemdNotifier(environment: environment)
        let metrics = Metrics()
        metrics.describe("otklik_config_reloads_total", "Config reloads (SIGHUP) by result.")
        var config = try PipelineValidator.loadAndValidate(path: configPath, registry: registry, environment: environment)
        LogSink.shared.setLevel(logLevelOverride ?? config.logLevel)
        let http = HTTPClient(configuration: config.http)
        var running = try start(try build(config, http: http, metrics: metrics), generation: generation, events: eventSink)
        var metricsTask = startMetricsWriter(config, metrics: metrics)
        let watchdogTask = SystemdNotifier.watchdogInterval(environment: environment).map { interval in
            Task {
                while !Task.isCancelled {
                    notifier.notify("WATCHDOG=1")
                    try? await Task.sleep(for: interval)
                }
            }
        }
        notifier.notify("READY=1\nSTATUS=\(status(running))")
        logger.notice("otklik started", ["config": configPath, "pipelines": running.map(\.runtime.name).joined(separator: ","),
                                         "pid": getpid()])

        var exitCode = ExitCode.ok
        for await event in events {
            let sig: Int32
            switch event {
            case .signal(let n): sig = n
            case .pipelineEnded(let name, let gen):
                guard gen == generation else { continue }
                logger.error("a pipeline stopped on its own; stopping the daemon so that it is restarted", ["pipeline": name])
                notifier.notify("STOPPING=1\nSTATUS=pipeline \(name) failed")
                await stop(running)
                exitCode = .software
                sig = 0
            }
            if sig == 0 { break }
            if sig == SIGHUP {
                notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())")
                logger.notice("reloading the config", ["config": configPath])
                let fresh: OtklikConfig, built: [BuiltPipeline]
                do {
                    fresh = try PipelineValidator.loadAndValidate(path: configPath, registry: registry, environment: environment)
                    built = try build(fresh, http: HTTPClient(configuration: fresh.http), metrics: metrics)
                } catch {
                    metrics.increment("otklik_config_reloads_total", ["result": "failed"])
                    for line in Self.errorLines(error) {
                        logger.error("config reload failed; keeping the running config", ["error": line])
                    }
                    notifier.notify("READY=1\nSTATUS=reload failed, still running the previous config")
                    continue
                }
                generation += 1
                await stop(running)
                do {
                    running = try start(built, generation: generation, events: eventSink)
                    config = fresh
                    LogSink.shared.setLevel(logLevelOverride ?? config.logLevel)
                    metricsTask?.cancel()
                    metricsTask = startMetricsWriter(config, metrics: metrics)
                    metrics.increment("otklik_config_reloads_total", ["result": "ok"])
                    logger.notice("config reloaded", ["pipelines": running.map(\.runtime.name).joined(separator: ",")])
                    notifier.notify("READY=1\nSTATUS=\(status(running))")
                } catch {
                    // The old pipelines are already stopped: nothing left to run.
                    logger.error("cannot start the reloaded pipelines; exiting", ["error": error])
                    notifier.notify("STOPPING=1\nSTATUS=reload failed to start")
                    watchdogTask?.cancel(); metricsTask?.cancel()
                    throw error
                }
                continue
            }
            generation += 1
            logger.notice("stopping", ["signal": SignalWatcher.name(sig)])
            notifier.notify("STOPPING=1\nSTATUS=draining")
            await stop(running)
            break
        }
        watchdogTask?.cancel()
        metricsTask?.cancel()
        if let path = config.metricsFile {
            MetricsFileWriter(path: path, interval: config.metricsInterval, metrics: metrics, logger: logger).writeNow()
        }
        logger.notice("otklik stopped")
        return exitCode
    }

    /// Builds the selected pipelines (no I/O yet: the state databases open in `start`).
    func build(_ config: OtklikConfig, http: HTTPClient, metrics: Metrics) throws -> [BuiltPipeline] {
        let selected: [PipelineConfig]
        if let name = pipelineName {
            guard let p = config.pipeline(named: name) else {
                let names = config.pipelines.map(\.name)
                let hint = suggestion(for: name, among: names).map { "; did you mean '\($0)'?" } ?? ""
                throw CommandError(.usage, "no pipeline '\(name)' in \(config.file) (it has: \(names.joined(separator: ", ")))\(hint)")
            }
            selected = [p]
        } else {
            selected = config.pipelines
        }
        return try selected.map {
            try PipelineBuilder.build(config: config, pipeline: $0, registry: registry, http: http,
                                      logger: Logger(label: "pipeline"), metrics: metrics, environment: environment)
        }
    }

    /// What the daemon reacts to.
    enum Event: Sendable {
        case signal(Int32)
        /// A pipeline's run ended; `generation` tells a deliberate stop (older) from a failure.
        case pipelineEnded(String, generation: Int)
    }

    func start(_ built: [BuiltPipeline], generation: Int, events: AsyncStream<Event>.Continuation) throws -> [Running] {
        try built.map { b in
            let checkpoints: CheckpointCoordinator
            let path = CheckpointStore.path(stateDir: b.context.stateDir)
            do {
                checkpoints = try CheckpointCoordinator(store: try CheckpointStore(path: path))
            } catch {
                if let e = StateDatabaseError.classify(error, path: path) {
                    throw CommandError(e.exitCode, "pipeline '\(b.config.name)': \(e)")
                }
                throw CommandError(.cantCreate, "cannot open the state database of pipeline '\(b.config.name)': \(error)")
            }
            let runtime = PipelineRuntime(built: b, checkpoints: checkpoints)
            return Running(runtime: runtime, task: Task {
                let drained = await runtime.run()
                events.yield(.pipelineEnded(b.config.name, generation: generation))
                return drained
            })
        }
    }

    /// Asks every pipeline to drain and waits for them (each bounded by `shutdown_timeout`).
    func stop(_ running: [Running]) async {
        for r in running { r.runtime.requestStop() }
        for r in running { _ = await r.task.value }
    }

    func startMetricsWriter(_ config: OtklikConfig, metrics: Metrics) -> Task<Void, Never>? {
        guard let path = config.metricsFile else { return nil }
        let w = MetricsFileWriter(path: path, interval: config.metricsInterval, metrics: metrics, logger: logger)
        return Task { await w.run() }
    }

    func status(_ running: [Running]) -> String {
        "running " + running.map { "\($0.runtime.name) (\($0.runtime.built.sources.count) sources)" }.joined(separator: ", ")
    }

    static func errorLines(_ error: any Error) -> [String] {
        if let e = error as? ConfigErrors { return e.errors.map(\.description) }
        return [String(describing: error)]
    }

    static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}
