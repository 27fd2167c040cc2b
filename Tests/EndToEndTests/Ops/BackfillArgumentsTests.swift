import Foundation
import Testing
import OtklikTestSupport

/// `otklik backfill` refuses bad arguments before reading anything: exit 64 and a line that
/// says what to change; the sinks stay untouched.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct BackfillArgumentsTests {
    @Test func backfill_badArguments_exit64WithAClearLineAndWriteNothing() async throws {
        let dir = try BackfillCommandTests.prepare(posts: 1...4)
        let base = ["backfill", "--config", "p.yaml"]
        let cases: [([String], String)] = [
            ([], "--pipeline NAME is required"),
            (["--pipeline", "e2e"], "--since WHEN is required"),
            (["--pipeline", "nope", "--since", "7d"], "no pipeline 'nope' (have: e2e)"),
            (["--pipeline", "e2e", "--since", "7d", "--source", "fead"], "no source 'fead' in pipeline 'e2e' (have: feed); did you mean 'feed'?"),
            (["--pipeline", "e2e", "--since", "7d", "--sink", "nope"], "no sink 'nope' in pipeline 'e2e' (have: sqlite, stdout)"),
            (["--pipeline", "e2e", "--since", "2026-11-05", "--until", "2026-11-01"], "--since must be earlier than --until"),
            (["--pipeline", "e2e", "--since", "2026-11-01", "--until", "later"], "--until: cannot read 'later' as a date"),
            (["--pipeline", "e2e", "--since", "2026-11-01", "--dry"], "unknown option --dry"),
        ]
        for (args, message) in cases {
            let r = try await OtklikProcess.run(base + args, dir: dir)
            #expect(r.status == 64, "\(args): \(r.err)")
            #expect(r.err.contains(message), "\(args): \(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/incidents.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/e2e/backfill.sqlite"), "no checkpoint for a refused run")
    }

    @Test func backfill_missingConfig_exits66() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        let r = try await OtklikProcess.run(["backfill", "--pipeline", "e2e", "--since", "7d"], dir: dir)
        #expect(r.status == 66, "\(r.err)")
        #expect(r.err.contains("no config"))
    }
}
