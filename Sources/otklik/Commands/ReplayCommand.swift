import OtklikCore

enum ReplayCommand: Command {
    static let name = "replay"
    static let summary = "run stored posts (JSONL) through a pipeline"
    static let help = """
    otklik replay — run stored posts (JSONL) through a pipeline

    Not available yet (issue #8).
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        throw CommandError(.unavailable, "'replay' is not available yet (issue #8)")
    }
}
