import OtklikCore

enum TapCommand: Command {
    static let name = "tap"
    static let summary = "run a pipeline's sources once and print what flows"
    static let help = """
    otklik tap — run a pipeline's sources once and print what flows

    Not available yet (issue #3).
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        throw CommandError(.unavailable, "'tap' is not available yet (issue #3)")
    }
}
