import OtklikCore

enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "measure throughput, latency and memory"
    static let help = """
    otklik bench — measure throughput, latency and memory

    Not available yet (issue #9).
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        throw CommandError(.unavailable, "'bench' is not available yet (issue #9)")
    }
}
