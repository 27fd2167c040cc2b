import OtklikCore

enum RunCommand: Command {
    static let name = "run"
    static let summary = "run the daemon: read sources, analyse, deliver incidents"
    static let help = """
    otklik run — run the daemon: read sources, analyse, deliver incidents

    Not available yet (issue #3).
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        throw CommandError(.unavailable, "'run' is not available yet (issue #3)")
    }
}
