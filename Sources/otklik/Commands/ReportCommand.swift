import OtklikCore

enum ReportCommand: Command {
    static let name = "report"
    static let summary = "write the heat-map report (HTML or JSON)"
    static let help = """
    otklik report — write the heat-map report (HTML or JSON)

    Not available yet (issue #8).
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        throw CommandError(.unavailable, "'report' is not available yet (issue #8)")
    }
}
