import OtklikCore

enum IncidentsCommand: Command {
    static let name = "incidents"
    static let summary = "list incidents from the SQLite sink"
    static let help = """
    otklik incidents — list incidents from the SQLite sink

    Not available yet (issue #8).
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        throw CommandError(.unavailable, "'incidents' is not available yet (issue #8)")
    }
}
