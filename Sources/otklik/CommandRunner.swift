import Foundation
import OtklikCore

/// One subcommand of `otklik`.
protocol Command {
    static var name: String { get }
    static var summary: String { get }
    /// Full `--help` text, with an example.
    static var help: String { get }
    static var options: [String] { get }
    static var flags: [String] { get }
    static func run(_ args: Arguments) async throws -> ExitCode
}

enum CommandRunner {
    static var commands: [any Command.Type] { [
        RunCommand.self, BackfillCommand.self, ValidateCommand.self, ExplainCommand.self,
        ReplayCommand.self, TapCommand.self, IncidentsCommand.self, StatusCommand.self,
        ReportCommand.self, BenchCommand.self,
    ] }

    static var usage: String {
        var s = """
        otklik — turns residents' complaints in VK and Telegram into incidents.

        Usage: otklik <command> [options]    (otklik <command> --help for details)

        Commands:

        """
        for c in commands { s += "  " + c.name.padding(toLength: 11, withPad: " ", startingAt: 0) + c.summary + "\n" }
        s += "\nExit codes: 0 ok, 64 usage, 65 bad data, 66 no input, 69 unavailable, 70 internal, 73 cannot create, 74 I/O, 78 config.\n"
        return s
    }

    static func main(_ argv: [String]) async -> ExitCode {
        guard let first = argv.first else { FileHandle.standardError.write(Data(usage.utf8)); return .usage }
        if first == "--help" || first == "-h" || first == "help" { print(usage, terminator: ""); return .ok }
        if first == "--version" { print("otklik 0.1.0"); return .ok }
        guard let cmd = commands.first(where: { $0.name == first }) else {
            let hint = suggestion(for: first, among: commands.map { $0.name }).map { " (did you mean '\($0)'?)" } ?? ""
            FileHandle.standardError.write(Data("otklik: unknown command '\(first)'\(hint)\n\n\(usage)".utf8))
            return .usage
        }
        do {
            let args = try Arguments(Array(argv.dropFirst()), options: cmd.options + ["config", "log-level"],
                                     flags: cmd.flags)
            if args.wantsHelp { print(cmd.help); return .ok }
            if let l = args.value("log-level") {
                guard let level = LogLevel(rawValue: l) else {
                    throw CommandError(.usage, "--log-level must be one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                LogSink.shared.setLevel(level)
            }
            return try await cmd.run(args)
        } catch let e as CommandError {
            FileHandle.standardError.write(Data("otklik \(cmd.name): \(Redactor.redact(e.message))\n".utf8))
            return e.code
        } catch let e as ConfigErrors {
            // Redacted: an error may quote a value that came from a secret `${VAR}`.
            FileHandle.standardError.write(Data((Redactor.redact(e.description) + "\n").utf8))
            return .config
        } catch {
            FileHandle.standardError.write(Data("otklik \(cmd.name): \(Redactor.redact(String(describing: error)))\n".utf8))
            return .software
        }
    }

    /// `--config`, else `./pipelines.yaml`, else `/etc/otklik/pipelines.yaml`.
    static func configPath(_ args: Arguments) throws -> String {
        if let p = args.value("config") { return p }
        for p in ["pipelines.yaml", "/etc/otklik/pipelines.yaml"] where FileManager.default.fileExists(atPath: p) {
            return p
        }
        throw CommandError(.noInput, "no config: pass --config FILE, or create ./pipelines.yaml or /etc/otklik/pipelines.yaml")
    }
}
