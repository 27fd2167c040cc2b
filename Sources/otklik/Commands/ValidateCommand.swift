import Foundation
import OtklikCore

enum ValidateCommand: Command {
    static let name = "validate"
    static let summary = "check a config and every plugin section in it"
    static let help = """
    otklik validate [--config FILE]

    Checks the config: YAML syntax, types, unknown or misspelled keys, durations,
    sizes, includes, environment variables, and every connector, stage and sink
    section. Prints `ok` and exits 0, or prints every error as file:line:col: message
    and exits 78.

    Example:
      otklik validate --config /etc/otklik/pipelines.yaml
    """
    static let options: [String] = []
    static let flags: [String] = []
    static func run(_ args: Arguments) async throws -> ExitCode {
        let path = try CommandRunner.configPath(args)
        _ = try PipelineValidator.loadAndValidate(path: path, registry: makeRegistry())
        print("ok")
        return .ok
    }
}
