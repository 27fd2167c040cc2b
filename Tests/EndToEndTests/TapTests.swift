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

    @Test func tap_unknownSource_isConfigError() async throws {
        let dir = TestPaths.makeTempDir("otklik-e2e")
        try DaemonLifecycleTests.config().write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let r = try await OtklikProcess.run(["tap", "--config", "p.yaml", "--pipeline", "e2e", "--source", "nope"], dir: dir)
        #expect(r.status == 78)
        #expect(r.err.contains("no source 'nope'"))
    }
}
