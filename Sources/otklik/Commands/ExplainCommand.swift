import OtklikCore

enum ExplainCommand: Command {
    static let name = "explain"
    static let summary = "classify texts and print one JSON verdict per post"
    static let help = """
    otklik explain — classify texts and print one JSON verdict per post

    Not available yet (issue #4).
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        throw CommandError(.unavailable, "'explain' is not available yet (issue #4)")
    }
}
