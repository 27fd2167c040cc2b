import OtklikCore

enum StatusCommand: Command {
    static let name = "status"
    static let summary = "show sources' and sinks' health from the state"
    static let help = """
    otklik status — show sources' and sinks' health from the state

    Not available yet (issue #8).
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        throw CommandError(.unavailable, "'status' is not available yet (issue #8)")
    }
}
