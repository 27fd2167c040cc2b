import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct ClassifyStageTests {
    func context(_ yaml: String, dir: String) throws -> (OtklikConfig, ConfigDiagnostics) {
        let path = dir + "/pipelines.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let d = ConfigDiagnostics()
        return (try OtklikConfig.load(path: path, environment: [:], diagnostics: d), d)
    }

    func item(_ text: String) -> AnalysisItem {
        AnalysisItem(post: Post(sourceKind: "vk", sourceID: "city", postID: "1", published: Date(), text: text))
    }

    @Test func stage_dropsNonComplaintsAndPassesComplaints() throws {
        let dir = TestPaths.makeTempDir()
        try FileManager.default.createDirectory(atPath: dir + "/rules", withIntermediateDirectories: true)
        try """
        - {id: hole, category: roads, subcategory: pothole, any: [яма], weight: 3}
        """.write(toFile: dir + "/rules/roads.yaml", atomically: true, encoding: .utf8)
        let (config, _) = try context("""
        state_dir: ./state
        pipelines:
          - name: p
            sources: []
            stages:
              - normalize
              - classify: {rules: {include: rules/*.yaml}, threshold: 2.5}
            sinks: []
        """, dir: dir)
        let p = config.pipelines[0]
        let ctx = PluginContext(config: config, pipeline: p, http: HTTPClient(configuration: config.http),
                                logger: Logger(label: "t"), metrics: Metrics(), diagnostics: ConfigDiagnostics())
        let normalize = try NormalizeStage.factory(p.stages[0], ctx)()
        let classify = try ClassifyStage.factory(p.stages[1], ctx)()
        var hole = item("Яма у подъезда")
        #expect(try normalize.process(&hole) == .pass)
        #expect(hole.tokens.map { $0.word(in: hole.post.text) } == ["яма", "у", "подъезда"])
        #expect(try classify.process(&hole) == .pass)
        #expect(hole.verdict?.category == "roads")
        var calm = item("Хорошего дня")
        _ = try normalize.process(&calm)
        #expect(try classify.process(&calm) == .drop(reason: "not_complaint"))
        #expect(calm.verdict?.isComplaint == false)
        #expect(ctx.metrics.value("otklik_complaints_total", ["category": "roads"]) == 1)
    }

    @Test func stage_defaultRulesNextToTheConfig_andKeepNonComplaints() throws {
        let dir = TestPaths.makeTempDir()
        try FileManager.default.createDirectory(atPath: dir + "/rules", withIntermediateDirectories: true)
        try "- {id: w, category: housing.water, any: [нет воды], weight: 3}\n"
            .write(toFile: dir + "/rules/water.yaml", atomically: true, encoding: .utf8)
        let (config, _) = try context("""
        pipelines:
          - name: p
            sources: []
            stages: [normalize, {classify: {keep_non_complaints: true}}]
            sinks: []
        """, dir: dir)
        let p = config.pipelines[0]
        let ctx = PluginContext(config: config, pipeline: p, http: HTTPClient(configuration: config.http),
                                logger: Logger(label: "t"), metrics: Metrics(), diagnostics: ConfigDiagnostics(),
                                environment: [:])
        let classify = try ClassifyStage.factory(p.stages[1], ctx)()
        var calm = item("Хорошего дня")
        calm.tokens = Tokenizer().tokenize(calm.post.text)
        #expect(try classify.process(&calm) == .pass)
        var water = item("У нас нет воды")
        water.tokens = Tokenizer().tokenize(water.post.text)
        _ = try classify.process(&water)
        #expect(water.verdict?.isComplaint == true && water.verdict?.category == "housing.water")
    }

    @Test func validate_reportsBadRulesAndKeysWithMarks() throws {
        let dir = TestPaths.makeTempDir()
        try FileManager.default.createDirectory(atPath: dir + "/rules", withIntermediateDirectories: true)
        try """
        - id: ok
          category: roads
          any: [яма]
        - id: bad
          category: roadz
          any: [{near: [яма, 2]}]
        """.write(toFile: dir + "/rules/a.yaml", atomically: true, encoding: .utf8)
        try """
        state_dir: ./state
        pipelines:
          - name: p
            sources: []
            stages:
              - classify:
                  rules: {include: rules/*.yaml}
                  treshold: 3
            sinks: []
        """.write(toFile: dir + "/pipelines.yaml", atomically: true, encoding: .utf8)
        var registry = PluginRegistry()
        BuiltInStages.register(in: &registry)
        do {
            _ = try PipelineValidator.loadAndValidate(path: dir + "/pipelines.yaml", registry: registry, environment: [:])
            Issue.record("expected errors")
        } catch let e as ConfigErrors {
            let text = e.errors.map(\.description)
            #expect(text.contains { $0.hasSuffix("rules/a.yaml:5:13: rule 'bad': unknown category 'roadz'; did you mean 'roads'?") })
            #expect(text.contains { $0.contains("rules/a.yaml:6:16: rule 'bad': 'near' takes [A, B, N]") })
            #expect(text.contains { $0.hasSuffix("pipelines.yaml:8:11: stage 'classify': unknown key 'treshold'; did you mean 'threshold'?") })
        }
    }

    @Test func ruleSet_fromRulePackPathString() throws {
        let dir = TestPaths.makeTempDir()
        try "- {id: a, kind: marker, any: [яма]}\n".write(toFile: dir + "/one.yaml", atomically: true, encoding: .utf8)
        try "- {id: b, kind: marker, any: [лужа]}\n".write(toFile: dir + "/two.yml", atomically: true, encoding: .utf8)
        let d = ConfigDiagnostics()
        #expect(RulePack.load(path: dir, diagnostics: d).map(\.id) == ["a", "b"])
        #expect(RulePack.load(path: dir + "/*.yaml", diagnostics: d).map(\.id) == ["a"])
        #expect(d.isEmpty)
        _ = RulePack.load(path: dir + "/none/*.yaml", diagnostics: d)
        #expect(d.errors.count == 1)
    }
}
