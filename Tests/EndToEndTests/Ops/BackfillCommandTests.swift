import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct BackfillCommandTests {
    static func config(batchLines: Int = 2000, sinkInterval: String = "20ms") -> String {
        """
        state_dir: state
        metrics_file: metrics.prom
        metrics_interval: 100ms
        shutdown_timeout: 5s
        pipelines:
          - name: e2e
            sources:
              - {id: feed, connector: jsonl, path: feed.jsonl, poll_interval: 50ms, batch_lines: \(batchLines)}
            stages:
              - keyword: {words: [яма], category: roads, make_incidents: true}
            sinks:
              - {type: sqlite, path: out/incidents.sqlite, batch_interval: \(sinkInterval)}
        """
    }

    static func prepare(posts: ClosedRange<Int>, batchLines: Int = 2000, sinkInterval: String = "20ms") throws -> String {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try config(batchLines: batchLines, sinkInterval: sinkInterval).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        try Feed(path: dir + "/feed.jsonl").append(posts)
        return dir
    }

    @Test func backfill_overJSONLFeed_givesTheSameIncidentIDsAsTheLiveDaemon() async throws {
        let live = try Self.prepare(posts: 1...40)
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: live)
        let want = DeliveryTests.expectedIDs(1...40)
        #expect(await eventually { Set(IncidentIDs.inSQLite(live + "/out/incidents.sqlite")) == want })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)

        let dir = try Self.prepare(posts: 1...40)
        let r = try await OtklikProcess.run(["backfill", "--config", "p.yaml", "--pipeline", "e2e",
                                             "--since", "2026-11-01", "--until", "2026-11-03"], dir: dir)
        #expect(r.status == 0, "stderr: \(r.err.suffix(2000))")
        #expect(Set(IncidentIDs.inSQLite(dir + "/out/incidents.sqlite")) == Set(IncidentIDs.inSQLite(live + "/out/incidents.sqlite")))
        #expect(r.err.contains("40 posts read, 20 complaints, 20 incidents"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/e2e/state.sqlite"), "the live cursors are not touched")
    }

    @Test func backfill_rangeLimitsPosts_andStdoutSinkPrintsIncidents() async throws {
        let dir = try Self.prepare(posts: 1...40)
        // Feed post n is published at 2026-11-02T00:nn:00Z: 00:10 up to 00:20 holds posts 10…20.
        let r = try await OtklikProcess.run(["backfill", "--config", "p.yaml", "--pipeline", "e2e", "--since",
                                             "2026-11-02T00:10:00Z", "--until", "2026-11-02T00:20:00Z", "--sink", "stdout"], dir: dir)
        #expect(r.status == 0, "stderr: \(r.err.suffix(2000))")
        #expect(Set(IncidentIDs.inJSON(r.out)) == DeliveryTests.expectedIDs(10...20))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/incidents.sqlite"))
    }

    @Test func backfill_killedHalfwayAndRestarted_losesNothingAndDuplicatesNothing() async throws {
        // The analysis waits for the sink (a 500 ms batch) after every 100 posts: about 20 s
        // in all, so even a loaded machine (a full parallel test run beside other builds)
        // that polls late kills it before the end.
        let total = 4000
        let dir = try Self.prepare(posts: 1...total, batchLines: 2, sinkInterval: "500ms")
        let args = ["backfill", "--config", "p.yaml", "--pipeline", "e2e", "--since", "2026-11-01", "--until", "2026-11-03"]
        let first = try OtklikProcess(args, dir: dir)
        // The walk spools the feed first (pages of 2 posts), then analyses it: killed in
        // the walk or early in the analysis, whichever a loaded machine lets it reach.
        #expect(await first.killWhen({ Self.spooled(dir) >= 200 || IncidentIDs.inSQLite(dir + "/out/incidents.sqlite").count >= 10 }))
        _ = await first.waitForExit()
        let partial = IncidentIDs.inSQLite(dir + "/out/incidents.sqlite").count
        #expect(partial < total / 2, "killed before the end")

        let second = try await OtklikProcess.run(args, dir: dir, timeout: .seconds(120))
        #expect(second.status == 0, "stderr: \(second.err.suffix(2000))")
        #expect(second.err.contains("resumed after"))
        let ids = IncidentIDs.inSQLite(dir + "/out/incidents.sqlite")
        #expect(ids.count == Set(ids).count)
        #expect(Set(ids) == DeliveryTests.expectedIDs(1...total))
        #expect(second.err.contains("\(total) posts read, \(total / 2) complaints, \(total / 2) incidents"), "\(second.err.suffix(1000))")

        let again = try await OtklikProcess.run(args, dir: dir)
        #expect(again.status == 0)
        #expect(again.err.contains(", done"))
    }

    /// Posts a running backfill has spooled so far.
    static func spooled(_ dir: String) -> Int {
        guard let db = try? SQLiteDatabase(path: dir + "/state/e2e/backfill.sqlite", readOnly: true),
              case .int(let n)? = try? db.query("SELECT count(*) FROM backfill_posts").first?.first else { return 0 }
        return Int(n)
    }

    @Test func backfill_badDate_isUsageError() async throws {
        let dir = try Self.prepare(posts: 1...2)
        let r = try await OtklikProcess.run(["backfill", "--config", "p.yaml", "--pipeline", "e2e", "--since", "yesterdayish"], dir: dir)
        #expect(r.status == 64)
    }
}
