import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

@Suite struct IncidentStageTests {
    static let stagesYAML = """
              - incident:
                  join_window: 2d
                  deadlines: {housing.water: 3h}
                  routing:
                    - {category: "housing.*", municipality: Батайск, executor: Водоканал, contact: "vk@example.org"}
                    - {category: "*", executor: ЦУР}
        """

    func complaint(_ id: String, _ text: String, hours: Double = 0, street: String? = "Ленина") -> AnalysisItem {
        var i = AnalysisItem(post: Post(sourceKind: "vk", sourceID: "s", postID: id,
                                        published: Date(timeIntervalSince1970: 1_790_000_000 + hours * 3600), text: text))
        i.geo = GeoTag(municipalityID: "60707000", municipality: "Батайск", settlement: "Батайск", street: street,
                       method: .text, confidence: 0.9)
        i.verdict = Verdict(isComplaint: true, category: "housing.water", severity: .high, score: 0.9)
        return i
    }

    @Test func incidentStage_readsConfigAndRoutes() throws {
        let h = try StageHarness.make(stages: Self.stagesYAML)
        let (_, item) = try h.run(complaint("wall-1_1", "Нет воды на Ленина 5"))
        let inc = try #require(item.incident)
        #expect(inc.executor == Executor(name: "Водоканал", contact: "vk@example.org"))
        #expect(inc.deadline.timeIntervalSince(inc.firstSeen) == 3 * 3600)
    }

    @Test func incidentStage_whenConfigIsWrong_reportsEveryProblem() {
        let errors = StageHarness.errors(stages: """
                  - incident:
                      join_windw: 2d
                      deadlines: {housing.wter: 3h}
                      routing:
                        - {category: "housing.*"}
            """)
        #expect(errors.contains { $0.contains("unknown key 'join_windw'") && $0.contains("join_window") })
        #expect(errors.contains { $0.contains("unknown category 'housing.wter'") })
        #expect(errors.contains { $0.contains("missing required key 'executor'") })
    }

    @Test func incidentStage_whenRestarted_keepsJoiningTheSameIncident() throws {
        let dir = TestPaths.makeTempDir()
        var firstID: String?
        do {
            let h = try StageHarness.make(stages: Self.stagesYAML, dir: dir)
            firstID = try h.run(complaint("wall-1_1", "Нет воды на Ленина 5")).1.incident?.id
        }
        let h2 = try StageHarness.make(stages: Self.stagesYAML, dir: dir)
        let (_, joined) = try h2.run(complaint("wall-1_2", "Опять нет воды, Ленина 7", hours: 3))
        #expect(joined.incident?.id == firstID)
        #expect(joined.incident?.relatedPosts == ["vk:wall-1_2"])
        #expect(FileManager.default.fileExists(atPath: h2.stateDir + "/incidents-index.sqlite"))
    }

    @Test func incidentStage_givesTheSameIdsOnEveryRun() throws {
        func runAll() throws -> [String] {
            let h = try StageHarness.make(stages: Self.stagesYAML)
            return try [complaint("a", "Нет воды на Ленина"), complaint("b", "Нет воды на Садовой", street: "Садовая"),
                        complaint("c", "Нет воды на Ленина снова", hours: 1)].compactMap { try h.run($0).1.incident?.id }
        }
        let a = try runAll(), b = try runAll()
        #expect(a == b)
        #expect(a.count == 3 && a[0] == a[2] && a[0] != a[1])
    }
}
