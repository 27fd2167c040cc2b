import Foundation
import OtklikCore

enum RunCommand: Command {
    static let name = "run"
    static let summary = "run the daemon: read sources, analyse, deliver incidents"
    static let help = """
    otklik run [--config FILE] [--pipeline NAME] [--log-level LEVEL]

    Runs the pipelines of the config (or only NAME) until SIGTERM or SIGINT: polls
    every source, analyses the posts, delivers incidents to every sink, and commits
    each source's position once everything read before it is delivered.

    Signals: SIGTERM/SIGINT drain the queues, flush the sinks within
    shutdown_timeout, commit checkpoints and exit 0. SIGHUP re-reads the config:
    if it is invalid, every error is logged and the running pipelines go on.
    Under systemd (Type=notify) it reports READY=1, STATUS= and WATCHDOG=1 over
    NOTIFY_SOCKET; see deploy/README.md.

    Exit codes: 0 stopped cleanly, 64 usage, 73 state not writable, 75 state database
    locked by another process (try again), 78 bad config or an unusable state database
    (corrupt, or written by a newer otklik; it is left untouched — see docs/reliability.md).

    Example:
      otklik run --config /etc/otklik/pipelines.yaml --pipeline rostov
    """
    static let options = ["pipeline"]
    static let flags: [String] = []

    static func run(_ args: Arguments) async throws -> ExitCode {
        let daemon = Daemon(configPath: try CommandRunner.configPath(args), pipelineName: args.value("pipeline"),
                            registry: makeRegistry(), logLevelOverride: args.value("log-level").flatMap(LogLevel.init))
        return try await daemon.run()
    }
}
