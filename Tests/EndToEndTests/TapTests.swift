import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct TapTests {
    @Test func tap_printsEachPoint_andTouchesNoState() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try DaemonLifecycleTests.config().write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        try Feed(path: dir + "/feed.jsonl").append(1...10)

        let posts = try await OtklikProcess.run(["tap", "--config", "p.yaml", "--pipeline", "e2e"], dir: dir)
        #expect(posts.status == 0)
        #expect(posts.out.split(separator: "\n").count == 10)

        let complaints = try await OtklikProcess.run(["tap", "--config", "p.yaml", "--pipeline", "e2e", "--at", "complaints"], dir: dir)
        let lines = complaints.out.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { $0.contains(#""is_complaint":true"#) })

        let incidents = try await OtklikProcess.run(["tap", "--config", "p.yaml", "--pipeline", "e2e", "--at", "incidents",
                                                     "--limit", "2", "--source", "feed"], dir: dir)
        let decoded = try incidents.out.split(separator: "\n").map {
            try OtklikJSON.decoder().decode(Incident.self, from: Data($0.utf8))
        }
        #expect(decoded.map(\.openedBy) == ["test:p2", "test:p4"])
        #expect(!FileManager.default.fileExists(atPath: dir + "/state"))
    }

    @Test func tap_withStatefulStages_leavesTheStateDirUntouched() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        let yaml = DaemonLifecycleTests.config().replacingOccurrences(
            of: "      - keyword: {words: [яма], category: roads, make_incidents: true}",
            with: "      - normalize\n      - dedupe\n      - keyword: {words: [яма], category: roads}\n      - incident")
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        try Feed(path: dir + "/feed.jsonl").append(1...10)
        let r = try await OtklikProcess.run(["tap", "--config", "p.yaml", "--pipeline", "e2e", "--at", "incidents"], dir: dir)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.split(separator: "\n").count == 5)
        #expect(!FileManager.default.fileExists(atPath: dir + "/state"))
    }

    @Test func tap_unknownSource_isConfigError() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try DaemonLifecycleTests.config().write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let r = try await OtklikProcess.run(["tap", "--config", "p.yaml", "--pipeline", "e2e", "--source", "nope"], dir: dir)
        #expect(r.status == 78)
        #expect(r.err.contains("no source 'nope'"))
    }
}

@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct StdinFeedTests {
    @Test func tap_readsPostsFromStandardInput() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        let yaml = DaemonLifecycleTests.config().replacingOccurrences(of: "path: feed.jsonl", with: #"path: "-""#)
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let input = Feed(path: dir + "/input.jsonl")
        try input.append(1...6)
        try input.append(raw: #"{"id": 77, "text": "яма у школы"}"#)   // minimal line, no newline at the end
        let p = try OtklikProcess(["tap", "--config", "p.yaml", "--pipeline", "e2e", "--at", "incidents"], dir: dir,
                                  stdin: try FileHandle(forReadingFrom: URL(fileURLWithPath: input.path)))
        #expect(await p.waitForExit() == 0)
        let ids = p.stdout.split(separator: "\n").compactMap {
            try? OtklikJSON.decoder().decode(Incident.self, from: Data($0.utf8)).openedBy
        }
        #expect(ids == ["test:p2", "test:p4", "test:p6", "jsonl:77"])
    }
}
