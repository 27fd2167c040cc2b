import Foundation
import Testing
import OtklikTestSupport

/// `otklik --help` lists the commands; each command's `--help` prints its usage with an example.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct HelpTests {
    /// The command names listed under "Commands:" in `otklik --help`.
    static func commands(_ usage: String) -> [String] {
        guard let start = usage.range(of: "Commands:\n") else { return [] }
        return usage[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("  ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    @Test func help_listsEveryCommand_andEachCommandsHelpShowsUsageAndAnExample() async throws {
        let dir = TestPaths.makeTempDir("otklik-help")
        let top = try await OtklikProcess.run(["--help"], dir: dir)
        #expect(top.status == 0)
        #expect(top.out.contains("Usage: otklik <command>"))
        #expect(top.out.contains("Exit codes:"))
        let names = Self.commands(top.out)
        #expect(Set(["run", "backfill", "validate", "explain", "replay", "tap", "incidents", "status", "report", "bench"])
            .isSubset(of: Set(names)), "\(names)")
        for name in names {
            for flag in ["--help", "-h"] {
                let r = try await OtklikProcess.run([name, flag], dir: dir)
                #expect(r.status == 0, "\(name) \(flag): \(r.err)")
                #expect(r.err.isEmpty, "\(name) \(flag): \(r.err)")
                #expect(r.out.hasPrefix("otklik \(name)"), "\(name): usage line first")
                #expect(r.out.contains("Example"), "\(name): an example")
                let examples = r.out.split(separator: "\n").filter { $0.hasPrefix("  otklik \(name)") }
                #expect(!examples.isEmpty, "\(name): an example command line")
            }
        }
    }

    @Test func help_unknownCommand_isUsageErrorWithASuggestion() async throws {
        let dir = TestPaths.makeTempDir("otklik-help")
        let r = try await OtklikProcess.run(["reprot", "--html", "x.html"], dir: dir)
        #expect(r.status == 64)
        #expect(r.err.contains("unknown command 'reprot' (did you mean 'report'?)"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.html"))
    }
}
