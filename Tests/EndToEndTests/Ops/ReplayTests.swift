import Foundation
import Testing
import OtklikTestSupport

/// `otklik replay` on the repository's own default config and rules.
@Suite struct ReplayTests {
    private func config(in dir: String) throws -> String {
        let root = TestPaths.repoRoot
        let yaml = """
        state_dir: \(dir)/state
        pipelines:
          - name: t
            region: Ростовская область
            sources: []
            stages:
              - normalize
              - dedupe
              - geotag:
                  gazetteer: [\(root)/data/rostov-oblast.tsv]
                  region: Ростовская область
              - classify:
                  rules: \(root)/rules/
              - incident
            sinks:
              - name: db
                type: sqlite
                path: \(dir)/out/incidents.sqlite
        """
        let path = dir + "/pipelines.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private let posts = """
    {"id": "p1", "text": "Третий день нет воды на Ленина 15 в Батайске, сколько можно"}
    {"id": "p2", "text": "Продам диван, недорого, самовывоз"}
    not json at all
    {"source_kind": "vk", "post_id": "wall-1_7", "published": "2026-11-20T10:00:00Z", "text": "Огромная яма на Садовой в Таганроге, уже два колеса пробили. Примите меры!"}
    """

    @Test func replay_dryRun_printsOneVerdictPerPostAndWritesNothing() async throws {
        guard OtklikProcess.binaryExists else { Issue.record("otklik binary not built"); return }
        let dir = TestPaths.makeTempDir("replay")
        try posts.write(toFile: dir + "/posts.jsonl", atomically: true, encoding: .utf8)
        let cfg = try config(in: dir)
        let (status, out, err) = try await OtklikProcess.run(["replay", "--config", cfg, "--pipeline", "t",
                                                             dir + "/posts.jsonl", "--dry-run"], dir: dir)
        #expect(status == 0, "\(err)")
        let lines = out.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.count == 3)
        #expect(lines[0]["is_complaint"] as? Bool == true)
        #expect(lines[0]["category"] as? String == "housing.water")
        #expect(lines[0]["municipality"] as? String == "Батайск")
        #expect(lines[1]["is_complaint"] as? Bool == false)
        #expect(lines[1]["dropped"] as? String == "not_complaint")
        #expect(lines[2]["category"] as? String == "roads")
        #expect(err.contains("malformed=1"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/incidents.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/state"))
    }

    @Test func replay_intoSinks_twice_givesTheSameIncidentsOnce() async throws {
        guard OtklikProcess.binaryExists else { Issue.record("otklik binary not built"); return }
        let dir = TestPaths.makeTempDir("replay")
        try posts.write(toFile: dir + "/posts.jsonl", atomically: true, encoding: .utf8)
        let cfg = try config(in: dir)
        for _ in 0..<2 {
            let (status, _, err) = try await OtklikProcess.run(["replay", "--config", cfg, "--pipeline", "t",
                                                               dir + "/posts.jsonl"], dir: dir)
            #expect(status == 0, "\(err)")
        }
        let db = dir + "/out/incidents.sqlite"
        let (_, out, _) = try await OtklikProcess.run(["incidents", "--db", db], dir: dir)
        let ids = Set(out.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String
        })
        #expect(ids.count == 2)
    }
}
