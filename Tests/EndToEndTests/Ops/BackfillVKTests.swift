import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

/// Backfill over the real `vk` connector against `FakeVKAPI`: a local VK API that pages
/// walls, enforces 3 requests a second with error 6 and answers error 5 to a wrong token.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct BackfillVKTests {
    /// 2025-11-20T00:00:00Z; post n of a wall is published n × 10 minutes later.
    static let day: Int64 = 1_763_596_800

    static func text(_ id: Int64) -> String {
        id % 2 == 0 ? "Во дворе дома \(id) глубокая яма" : "Спасибо за концерт номер \(id)"
    }

    /// A fake VK API whose walls `-owner` hold `count` posts each, n = 1…count.
    static func api(token: String = "tok-\(UUID().uuidString)", walls: [Int64: Int]) throws -> FakeVKAPI {
        let api = try FakeVKAPI(token: token)
        for (owner, count) in walls.sorted(by: { $0.key < $1.key }) {
            api.post(owner, count: count, text: text, dated: { day + $0 * 600 })
        }
        return api
    }

    static func config(_ api: FakeVKAPI, communities: [Int64], pageSize: Int = 10,
                       sinks: String = "- {type: sqlite, path: out/incidents.sqlite, batch_interval: 20ms}") -> String {
        """
        state_dir: state
        metrics_file: metrics.prom
        metrics_interval: 100ms
        shutdown_timeout: 5s
        pipelines:
          - name: e2e
            sources:
              - {id: vkw, connector: vk, communities: [\(communities.map(String.init).joined(separator: ", "))], base_url: "\(api.baseURL)", page_size: \(pageSize), min_interval: 1h}
            stages:
              - keyword: {words: [яма], category: roads, make_incidents: true}
            sinks:
              \(sinks)
        """
    }

    static func prepare(_ api: FakeVKAPI, communities: [Int64], pageSize: Int = 10) throws -> String {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try config(api, communities: communities, pageSize: pageSize).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    static func backfillArgs(since: String = "2025-11-19", until: String = "2025-11-21") -> [String] {
        ["backfill", "--config", "p.yaml", "--pipeline", "e2e", "--since", since, "--until", until]
    }

    /// The posts that opened the incidents in a SQLite sink: `vk:wall-101_12`, …
    static func openers(_ dir: String) -> [String] {
        let path = dir + "/out/incidents.sqlite"
        guard FileManager.default.fileExists(atPath: path),
              let db = try? SQLiteDatabase(path: path, readOnly: true),
              let rows = try? db.query("SELECT opened_by FROM incidents") else { return [] }
        return rows.compactMap { $0.first?.text }
    }

    static func keys(_ owner: Int64, _ ids: some Sequence<Int>) -> Set<String> {
        Set(ids.filter { $0 % 2 == 0 }.map { "vk:wall\(owner)_\($0)" })
    }

    @Test func backfill_overFakeVK_givesTheSameIncidentIDsAsTheLiveDaemon() async throws {
        let walls: [Int64: Int] = [-101: 30, -202: 20]
        let liveAPI = try Self.api(walls: walls)
        // Pages of 100: the live daemon's first poll reads each wall's first page only.
        let live = try Self.prepare(liveAPI, communities: [-101, -202], pageSize: 100)
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: live, environment: ["VK_TOKEN": liveAPI.token])
        #expect(await eventually { IncidentIDs.inSQLite(live + "/out/incidents.sqlite").count == 25 }, "stderr: \(daemon.stderr.suffix(2000))")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)

        let api = try Self.api(walls: walls)
        let dir = try Self.prepare(api, communities: [-101, -202])
        let r = try await OtklikProcess.run(Self.backfillArgs(), dir: dir, environment: ["VK_TOKEN": api.token])
        #expect(r.status == 0, "stderr: \(r.err.suffix(2000))")
        let ids = IncidentIDs.inSQLite(dir + "/out/incidents.sqlite")
        #expect(ids.count == 25)
        #expect(Set(ids) == Set(IncidentIDs.inSQLite(live + "/out/incidents.sqlite")))
        #expect(Set(ids) == Self.expectedIDs(-101, 1...30).union(Self.expectedIDs(-202, 1...20)))
        #expect(Set(Self.openers(dir)) == Self.keys(-101, 1...30).union(Self.keys(-202, 1...20)))
        #expect(api.calls("wall.get") >= 5 + 3, "several pages of 10 with an overlap of 5 per wall")
        #expect(r.err.contains("otklik backfill: vkw: "), "a progress line")
        #expect(r.err.contains("50 posts read, 25 complaints, 25 incidents"), "stderr: \(r.err.suffix(2000))")
        #expect(r.err.contains("  roads ("))
        #expect(api.error6 == 0, "never more than 3 requests in a second")
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/e2e/state.sqlite"), "the live cursors are not touched")
    }

    /// The repository's whole analysis chain (rules, gazetteer, incidents that join related posts).
    static func fullConfig(_ api: FakeVKAPI, pageSize: Int) -> String {
        let root = TestPaths.repoRoot
        return """
        state_dir: state
        shutdown_timeout: 5s
        pipelines:
          - name: e2e
            region: Ростовская область
            sources:
              - {id: vkw, connector: vk, communities: [-101], base_url: "\(api.baseURL)", page_size: \(pageSize), min_interval: 1h}
            stages:
              - normalize
              - dedupe
              - geotag: {gazetteer: [\(root)/data/rostov-oblast.tsv], region: Ростовская область}
              - classify: {rules: \(root)/rules/}
              - incident
            sinks:
              - {type: sqlite, path: out/incidents.sqlite, batch_interval: 20ms}
        """
    }

    /// Three reports of one outage, on three different pages of the wall, among neutral posts.
    static func outageWall(token: String = "tok-\(UUID().uuidString)") throws -> FakeVKAPI {
        let api = try FakeVKAPI(token: token)
        let reports: [Int64: String] = [
            3: "Третий день нет воды на улице Ленина 15 в Батайске, сколько можно",
            14: "В Батайске на Ленина 15 до сих пор нет воды, водоканал не отвечает",
            24: "Батайск, улица Ленина 15: воды так и нет, люди носят вёдрами",
        ]
        api.post(-101, count: 25, text: { reports[$0] ?? "Спасибо организаторам за концерт номер \($0) в парке" },
                 dated: { day + $0 * 600 })
        return api
    }

    static func incidentRows(_ dir: String) -> [String: String] {
        guard let db = try? SQLiteDatabase(path: dir + "/out/incidents.sqlite", readOnly: true),
              let rows = try? db.query("SELECT id, opened_by FROM incidents") else { return [:] }
        return Dictionary(rows.compactMap { r in r[0].text.flatMap { id in r[1].text.map { (id, $0) } } }, uniquingKeysWith: { a, _ in a })
    }

    @Test func backfill_fullAnalysis_relatedPostsOnDifferentPages_giveTheLiveIncident() async throws {
        let liveAPI = try Self.outageWall()
        let live = TestPaths.makeTempDir("otklik-e2e")
        try Self.fullConfig(liveAPI, pageSize: 100).write(toFile: live + "/p.yaml", atomically: true, encoding: .utf8)
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: live, environment: ["VK_TOKEN": liveAPI.token])
        #expect(await eventually { !Self.incidentRows(live).isEmpty }, "stderr: \(daemon.stderr.suffix(2000))")
        try await Task.sleep(for: .milliseconds(500))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let liveRows = Self.incidentRows(live)

        let api = try Self.outageWall()
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try Self.fullConfig(api, pageSize: 10).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let r = try await OtklikProcess.run(Self.backfillArgs(), dir: dir, environment: ["VK_TOKEN": api.token])
        #expect(r.status == 0, "stderr: \(r.err.suffix(2000))")
        #expect(liveRows.count == 1, "one outage, one incident: \(liveRows)")
        #expect(Self.incidentRows(dir) == liveRows, "live \(liveRows), backfill \(Self.incidentRows(dir))")
    }

    @Test func backfill_dateRangeOverSeveralPages_readsOnlyThatRange() async throws {
        let api = try Self.api(walls: [-101: 40])
        let dir = try Self.prepare(api, communities: [-101])
        // Post n is published at 00:00 + n × 10 min: 02:00 up to 04:00 holds posts 12…24.
        let r = try await OtklikProcess.run(Self.backfillArgs(since: "2025-11-20T02:00:00Z", until: "2025-11-20T04:00:00Z"),
                                            dir: dir, environment: ["VK_TOKEN": api.token])
        #expect(r.status == 0, "stderr: \(r.err.suffix(2000))")
        #expect(Set(Self.openers(dir)) == Self.keys(-101, 12...24))
        #expect(r.err.contains("13 posts read, 7 complaints, 7 incidents"), "stderr: \(r.err.suffix(2000))")
        #expect(r.err.contains("vkw: reached 2025-11-20"))
        // 40 posts, pages of 10 advancing by 5: the walk stops at the first page older than 02:00
        // (post 11), well before the bottom of the wall.
        #expect(api.calls("wall.get") <= 7)
    }

    @Test func backfill_whenVKAnswersError6_waitsAndStillReadsEveryPost() async throws {
        let api = try Self.api(walls: [-101: 20])
        api.script("wall.get", errors: [6, 6, 6])
        let dir = try Self.prepare(api, communities: [-101])
        let r = try await OtklikProcess.run(Self.backfillArgs(), dir: dir, environment: ["VK_TOKEN": api.token])
        #expect(r.status == 0, "stderr: \(r.err.suffix(2000))")
        #expect(Set(Self.openers(dir)) == Self.keys(-101, 1...20))
        #expect(api.server.requests(path: "/method/wall.get").count == api.calls("wall.get") + 3, "the three refusals were retried")
        #expect(api.error6 == 0, "after error 6 it slows down instead of hammering")
        #expect(r.err.contains("20 posts read, 10 complaints, 10 incidents"), "stderr: \(r.err.suffix(2000))")
    }

    @Test func backfill_whenAWallKeepsFailing_exits69AndResumesWithoutReadingAgain() async throws {
        let api = try Self.api(walls: [-101: 20, -202: 20])
        api.failWall(-202, code: 10)
        let dir = try Self.prepare(api, communities: [-101, -202])
        let env = ["VK_TOKEN": api.token]
        let failed = try await OtklikProcess.run(Self.backfillArgs(), dir: dir, environment: env, timeout: .seconds(120))
        #expect(failed.status == 69, "stderr: \(failed.err.suffix(2000))")
        #expect(failed.err.contains("backfill stopped: source 'vkw': VK community -202 at offset 0: VK error 10"), "\(failed.err.suffix(1000))")
        #expect(failed.err.contains("run the same command again to resume"))
        #expect(Self.openers(dir).isEmpty, "incidents are written once the walk is over, oldest post first")

        api.healWall(-202)
        let resumed = try await OtklikProcess.run(Self.backfillArgs(), dir: dir, environment: env)
        #expect(resumed.status == 0, "stderr: \(resumed.err.suffix(2000))")
        #expect(resumed.err.contains("40 posts read, 20 complaints, 20 incidents"), "\(resumed.err.suffix(1000))")
        #expect(resumed.err.contains("resumed after 20 posts"))
        #expect(Set(Self.openers(dir)) == Self.keys(-101, 1...20).union(Self.keys(-202, 1...20)))
        #expect(api.server.requests(path: "/method/wall.get").filter { $0.bodyText.contains("owner_id=-101") }.count <= 4,
                "the wall read before the failure is kept, not read again")
    }

    @Test func backfill_withBadToken_failsClearlyWithExit78AndNeverPrintsTheToken() async throws {
        let api = try Self.api(walls: [-101: 10])
        let dir = try Self.prepare(api, communities: [-101])
        let wrong = "wrong-token-\(UUID().uuidString)"
        let r = try await OtklikProcess.run(Self.backfillArgs(), dir: dir, environment: ["VK_TOKEN": wrong])
        #expect(r.status == 78, "stderr: \(r.err.suffix(2000))")
        #expect(r.err.contains("VK error 5"), "stderr: \(r.err.suffix(2000))")
        #expect(r.err.lowercased().contains("token"))
        #expect(!r.err.contains(wrong) && !r.out.contains(wrong))
        #expect(api.badTokenCalls >= 1 && api.badTokenCalls <= 3, "it stops at the first refusal")
        #expect(Self.openers(dir).isEmpty)
    }

    @Test func backfill_overFakeVK_killedInTheWalkAndInTheAnalysis_readsEveryPostExactlyOnce() async throws {
        let total = 300
        let pages = 60   // of 10 posts, advancing by 5
        let api = try Self.api(walls: [-101: total])
        let dir = try Self.prepare(api, communities: [-101])
        let env = ["VK_TOKEN": api.token]
        let args = Self.backfillArgs(until: "2025-11-23")   // post n at 00:00 + n × 10 min: 300 posts reach 2025-11-22
        // Killed in the walk (about 2.5 pages a second).
        let first = try OtklikProcess(args, dir: dir, environment: env)
        #expect(await first.killWhen({ api.calls("wall.get") >= 12 }))
        _ = await first.waitForExit()
        #expect(api.calls("wall.get") < pages, "killed before the end of the walk")

        // Killed again once the analysis has written its first incidents.
        let second = try OtklikProcess(args, dir: dir, environment: env)
        #expect(await second.killWhen({ Self.openers(dir).count >= 10 }), "stderr: \(second.stderr.suffix(1500))")
        _ = await second.waitForExit()
        #expect(api.calls("wall.get") <= pages + 2, "the second run went on from the first one's last page")

        let third = try await OtklikProcess.run(args, dir: dir, environment: env, timeout: .seconds(180))
        #expect(third.status == 0, "stderr: \(third.err.suffix(2000))")
        #expect(third.err.contains("resumed after \(total) posts"), "\(third.err.suffix(1000))")
        #expect(third.err.contains("\(total) posts read, \(total / 2) complaints, \(total / 2) incidents"),
                "every post counted once: stderr: \(third.err.suffix(2000))")
        #expect(api.calls("wall.get") <= pages + 2, "the third run read no page again")
        let openers = Self.openers(dir)
        #expect(openers.count == Set(openers).count)
        #expect(Set(openers) == Self.keys(-101, 1...total))
        #expect(Set(IncidentIDs.inSQLite(dir + "/out/incidents.sqlite")) == Self.expectedIDs(-101, 1...total))
    }

    /// The ids the live daemon gives the complaints (even ids) of wall `owner` with the keyword
    /// stage: they depend on the post's key only (checked against a live run in the first test).
    static func expectedIDs(_ owner: Int64, _ ids: ClosedRange<Int>) -> Set<String> {
        Set(ids.filter { $0 % 2 == 0 }.map {
            KeywordStage.bareIncident(for: Post(sourceKind: "vk", sourceID: "vkw", postID: "wall\(owner)_\($0)",
                                                published: Date(), text: ""),
                                      verdict: Verdict(isComplaint: true, category: "roads", score: 1)).id
        })
    }
}
