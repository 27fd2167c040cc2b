import Testing
@testable import OtklikCore

@Suite struct RuleErrorTests {
    func errors(_ yaml: String) throws -> [String] {
        let h = try RuleHarness(yaml)
        return h.diagnostics.errors.map(\.description)
    }

    @Test func badRules_reportFileLineColumn() throws {
        let e = try errors("""
        - id: a
          category: housing.watr
          any: [вода]
        - id: b
          category: roads
          any: ["*"]
        - id: c
          kind: topik
          category: roads
          any: [{near: [a, b, 99]}]
        - id: d
          category: roads
          any: [{regex: "("}]
          wieght: 2
        - {id: f, category: roads, any: [яма]}
        - {id: f, category: roads, any: [яма]}
        - id: e
          category: roads
        """)
        #expect(e.contains("test-rules.yaml:2:13: rule 'a': unknown category 'housing.watr'; did you mean 'housing.water'?"))
        #expect(e.contains { $0.hasPrefix("test-rules.yaml:6:9: rule 'b':") })
        #expect(e.contains { $0.hasPrefix("test-rules.yaml:8:9: 'kind' must be one of topic, marker, noise") })
        #expect(e.contains { $0.hasPrefix("test-rules.yaml:10:23: rule 'c': near distance") })
        #expect(e.contains { $0.hasPrefix("test-rules.yaml:13:17: rule 'd': invalid regex") })
        #expect(e.contains("test-rules.yaml:14:3: rule: unknown key 'wieght'; did you mean 'weight'?"))
        #expect(e.contains { $0.hasPrefix("test-rules.yaml:16:3: duplicate rule id 'f'") })
        #expect(e.contains { $0.hasPrefix("test-rules.yaml:17:3: rule 'e': needs terms") })
        #expect(!e.contains { $0.hasPrefix("test-rules.yaml:4:3: rule 'b': needs terms") })
    }

    @Test func topicRuleWithoutCategory_isAnError() throws {
        let e = try errors("- {id: x, any: [яма]}")
        #expect(e.count == 1 && e[0].contains("needs 'category'"))
    }

    @Test func badTermShapes_areErrors() throws {
        let e = try errors("""
        - {id: x, kind: marker, any: [{nearby: [a, b, 2]}, [nested]]}
        """)
        #expect(e.contains { $0.contains("unknown term kind 'nearby'; did you mean 'near'?") })
        #expect(e.contains { $0.contains("a term is a string") })
    }
}
