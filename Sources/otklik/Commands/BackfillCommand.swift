import OtklikCore

enum BackfillCommand: Command {
    static let name = "backfill"
    static let summary = "walk sources' history over a date range"
    static let help = """
    otklik backfill — walk sources' history over a date range

    Not available yet (issue #8).
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        throw CommandError(.unavailable, "'backfill' is not available yet (issue #8)")
    }
}
