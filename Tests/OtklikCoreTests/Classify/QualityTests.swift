import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct QualityReportTests {
    @Test func report_countsDetectionAndCategories() {
        var r = QualityReport()
        r.add(goldComplaint: true, goldCategory: "roads", predictedComplaint: true, predictedCategory: "roads", map: nil)
        r.add(goldComplaint: true, goldCategory: "roads", predictedComplaint: false, predictedCategory: "waste", map: nil)
        r.add(goldComplaint: false, goldCategory: nil, predictedComplaint: true, predictedCategory: "waste", map: nil)
        r.add(goldComplaint: false, goldCategory: nil, predictedComplaint: false, predictedCategory: "other", map: nil)
        #expect(r.detection.truePositives == 1 && r.detection.falsePositives == 1 && r.detection.falseNegatives == 1)
        #expect(r.detection.f1 == 0.5)
        #expect(r.categories["roads"]?.recall == 0.5 && r.categories["roads"]?.precision == 1)
        #expect(r.categories["waste"]?.falsePositives == 1)
        #expect(abs(r.macroF1 - 2.0 / 3.0) < 1e-9)   // waste has no support: not averaged
        #expect(r.table(title: "t").contains("complaint (detection)"))
        #expect(r.json(title: "t").contains("\"macro_f1\":0.667"))
    }

    @Test func kurskMap_acceptsBlocksAndMapsWrongAnswersBack() {
        let m = LabelMap.kursk
        #expect(m.predictedLabel(gold: "housing_and_landscaping", predicted: "housing.water") == "housing_and_landscaping")
        #expect(m.predictedLabel(gold: "housing_and_landscaping", predicted: "landscaping") == "housing_and_landscaping")
        #expect(m.predictedLabel(gold: "roads", predicted: "housing.water") == "housing_and_landscaping")
        #expect(m.predictedLabel(gold: "transport", predicted: "waste") == "ecology_and_waste")
        #expect(m.predictedLabel(gold: "stray_animals", predicted: "animals") == "stray_animals")
        #expect(Set(m.accepted.keys).count == 16)
    }
}

@Suite struct QualityPartTests {
    @Test func part_splitsIdsIntoDisjointStableHalves() throws {
        let first = try #require(QualityPart("1/2")), second = try #require(QualityPart("2/2"))
        let ids = (0..<200).map { "kursk-\($0)" }
        let a = ids.filter(first.contains), b = ids.filter(second.contains)
        #expect(Set(a).isDisjoint(with: b) && a.count + b.count == ids.count)
        #expect(a.count > 60 && b.count > 60)
        #expect(QualityPart.hash("a") == 0xaf63_dc4c_8601_ec8c)   // FNV-1a 64: the split never changes
    }

    @Test func error_namesTheLabelAWrongAnswerCountsFor_andIgnoresAcceptedOnes() {
        let wrong = QualityError(id: "k1", goldComplaint: true, goldCategory: "roads", predictedComplaint: true,
                                 predictedCategory: "housing.water", predictedLabel: "housing_and_landscaping",
                                 score: 3.5, rules: ["water.sewage"])
        #expect(wrong.isError)
        #expect(wrong.line == "k1\texpected complaint/roads\tgot complaint/housing.water (housing_and_landscaping)\tscore 3.50\twater.sewage")
        let accepted = QualityError(id: "k2", goldComplaint: true, goldCategory: "roads", predictedComplaint: true,
                                    predictedCategory: "landscaping", predictedLabel: "roads", score: 3, rules: [])
        #expect(!accepted.isError)
        let missed = QualityError(id: "k3", goldComplaint: true, goldCategory: "roads", predictedComplaint: false,
                                  predictedCategory: "roads", predictedLabel: "roads", score: 1, rules: [])
        #expect(missed.isError && missed.line.contains("got not_complaint/roads\t"))
    }

    @Test func part_rejectsMalformedSpecs() {
        for bad in ["", "1", "0/2", "3/2", "a/b", "1/0", "1/2/3"] { #expect(QualityPart(bad) == nil, "\(bad)") }
    }

    @Test func bench_listsWrongAnswersWithoutText_andMeasuresOnlyThePart() throws {
        let dir = TestPaths.makeTempDir()
        let file = dir + "/set.jsonl"
        try """
        {"id": "w1", "text": "Третий день нет воды в доме, сколько можно", "is_complaint": true, "category": "housing.water"}
        {"id": "w2", "text": "Третий день нет воды в доме, сколько можно", "is_complaint": true, "category": "roads"}
        {"id": "n1", "text": "Продам диван, недорого, самовывоз", "is_complaint": false}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let explainer = Explainer(rules: try RulePackQualityTests.options.get())
        let result = try QualityBench.run(file: file, explainer: explainer, map: nil)
        #expect(result.report.total == 3)
        #expect(result.errors.map(\.id) == ["w2"])
        let line = try #require(result.errors.first?.line)
        #expect(line.hasPrefix("w2\texpected complaint/roads\tgot complaint/housing.water\t"))
        #expect(line.contains("water.no_water") && !line.contains("воды"))
        let part = try #require(QualityPart("1/2"))
        let half = try QualityBench.run(file: file, explainer: explainer, map: nil, part: part)
        #expect(half.report.total == ["w1", "w2", "n1"].filter(part.contains).count)
    }
}

/// Quality of the shipped rule pack: the dev set in the repository, and the real Kursk
/// appeals when `../shared/fixtures` is present. Quality (not speed) is asserted.
@Suite struct RulePackQualityTests {
    static let options = Result {
        try ClassifyStage.options(StageConfig(name: "classify", node: .emptyMapping(at: SourceMark(file: "t", line: 1, column: 1))),
                                  configFile: nil, diagnostics: ConfigDiagnostics(), environment: [:],
                                  rulesOverride: TestPaths.repoRoot + "/rules")
    }

    @Test func devSet_meetsTheTargets() throws {
        let file = try #require(Bundle.module.path(forResource: "devset", ofType: "jsonl", inDirectory: "Fixtures/quality"))
        let result = try QualityBench.run(file: file, explainer: Explainer(rules: try Self.options.get()), map: nil)
        #expect(result.badLines.isEmpty)
        #expect(result.report.total >= 500)
        #expect(result.report.detection.f1 >= 0.93, "\(result.report.table(title: "devset"))")
        #expect(result.report.macroF1 >= 0.75, "\(result.report.table(title: "devset"))")
        for c in ["education", "social", "other", "communications", "construction", "public_services"] {
            #expect((result.report.categories[c]?.support ?? 0) >= 19, "the dev set checks \(c) too")
        }
    }

    @Test func kurskAppeals_realData() throws {
        guard let shared = TestPaths.sharedFixtures else {
            print("skipped: ../shared/fixtures is not present (real Kursk appeals)"); return
        }
        let result = try QualityBench.run(file: shared + "/complaints/kursk-appeals.jsonl",
                                          explainer: Explainer(rules: try Self.options.get()), map: .kursk)
        #expect(result.report.total > 1900)
        #expect(result.report.detection.f1 >= 0.85, "\(result.report.table(title: "kursk"))")
        #expect(result.report.macroF1 >= 0.75, "\(result.report.table(title: "kursk"))")
    }
}

@Suite struct PostLinesTests {
    @Test func read_reportsBadLinesAndKeepsTheRest() throws {
        let dir = TestPaths.makeTempDir()
        let file = dir + "/in.jsonl"
        try """
        {"id": "a", "text": "Нет воды"}
        not json

        {"post_id": 7, "text": "Яма", "source_id": "vk_city", "source_kind": "vk"}
        {"id": "c"}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        var posts: [(String, Post)] = [], bad: [String] = []
        try PostLines.read(file) { line in
            switch line {
            case .post(let id, let p): posts.append((id, p))
            case .bad(let w, let m): bad.append("\(w): \(m)")
            }
        }
        #expect(posts.map(\.0) == ["a", "7"])
        #expect(posts[1].1.sourceID == "vk_city" && posts[1].1.sourceKind == "vk")
        #expect(bad == ["\(file):2: not a JSON object", "\(file):5: missing string field 'text'"])
    }

    @Test func jsonLine_keepsKeyOrderAndEscapes() {
        var item = AnalysisItem(post: Explainer.post(id: "x", text: "t"))
        item.verdict = Verdict(isComplaint: true, category: "roads", subcategory: "pothole", severity: .high, score: 3.5,
                               hits: [RuleHit(rule: "r", category: "roads", weight: 3, matched: ["Яма \"big\""])])
        #expect(Explainer.jsonLine(id: "x", item: item, dropped: nil) ==
                #"{"id":"x","is_complaint":true,"category":"roads","subcategory":"pothole","severity":"high","score":3.5,"rules":["r"],"matched":["Яма \"big\""]}"#)
    }
}
