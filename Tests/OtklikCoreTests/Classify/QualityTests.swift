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
        #expect(result.report.total >= 400)
        #expect(result.report.detection.f1 >= 0.85, "\(result.report.table(title: "devset"))")
        #expect(result.report.macroF1 >= 0.75, "\(result.report.table(title: "devset"))")
    }

    @Test func kurskAppeals_realData() throws {
        guard let shared = TestPaths.sharedFixtures else {
            print("skipped: ../shared/fixtures is not present (real Kursk appeals)"); return
        }
        let result = try QualityBench.run(file: shared + "/complaints/kursk-appeals.jsonl",
                                          explainer: Explainer(rules: try Self.options.get()), map: .kursk)
        #expect(result.report.total > 1900)
        #expect(result.report.detection.f1 >= 0.85, "\(result.report.table(title: "kursk"))")
        #expect(result.report.macroF1 >= 0.6, "\(result.report.table(title: "kursk"))")
    }
}
