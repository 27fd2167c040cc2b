import Foundation
import OtklikCore
import OtklikTestSupport
import Testing

/// Hostile rule packs through the real loader and parser: file:line:col errors, never a crash
/// or a hang; what does load still classifies.
@Suite struct BadRulePackInputTests {
    func load(_ yaml: String) throws -> (rules: [Rule], errors: [String]) {
        let dir = TestPaths.makeTempDir()
        try yaml.write(toFile: dir + "/pack.yaml", atomically: true, encoding: .utf8)
        let d = ConfigDiagnostics()
        let rules = RulePack.load(path: dir, diagnostics: d, environment: [:])
        return (rules, d.errors.map(\.description))
    }

    @Test func rules_whenAliasBombOfTerms_stopsAtNodeLimit() throws {
        var yaml = "a0: &a0 [яма, яма, яма, яма, яма, яма, яма, яма, яма]\n"
        for n in 1...9 { yaml += "a\(n): &a\(n) [" + Array(repeating: "*a\(n - 1)", count: 9).joined(separator: ", ") + "]\n" }
        yaml = "- id: bomb\n  category: roads\n  any: *a9\n  x:\n" + yaml.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        let r = try load(yaml)
        #expect(r.rules.isEmpty)
        #expect(!r.errors.isEmpty && r.errors.allSatisfy { $0.contains("pack.yaml:") }, "\(r.errors.prefix(3))")
    }

    @Test func rules_whenMergeKeysAndAnchorsAreHostile_reportClearly() throws {
        let yaml = """
        - &r {id: x, category: roads, any: [яма]}
        - {<<: *r, id: y}
        - {<<: [*r, *r, *r], id: z}
        - *r
        - {id: w, category: roads, any: *nowhere}
        """
        let r = try load(yaml)
        #expect(!r.errors.isEmpty, "an undefined alias must be reported")
        #expect(r.errors.allSatisfy { $0.contains("pack.yaml:") }, "\(r.errors)")
    }

    @Test func rules_whenNumbersOverflowOrAreNotFinite_reportTheWeight() throws {
        for weight in ["1e400", "-1e400", ".nan", ".inf", "99999999999999999999999", "0x7FFFFFFFFFFFFFFFFF"] {
            let r = try load("- {id: r, category: roads, weight: \(weight), any: [яма]}\n")
            #expect(r.rules.isEmpty, "weight \(weight) must be refused")
            #expect(r.errors.contains { $0.contains("pack.yaml:1:") && $0.contains("weight") }, "\(weight): \(r.errors)")
        }
        let near = try load("- {id: r, category: roads, any: [{near: [яма, дорога, 99999999999999999999999]}]}\n")
        #expect(near.rules.isEmpty && !near.errors.isEmpty)
    }

    @Test func rules_whenTermsHoldNULRTLAndInvalidText_loadOrFailClearly() throws {
        let r = try load("- {id: r, category: roads, any: [\"я\\u200Fма\", \"\\u202Eдорога\", \"\\t\", \"  \", \"*\", \"=\"]}\n")
        #expect(!r.errors.isEmpty)
        #expect(r.errors.allSatisfy { $0.contains("pack.yaml:1:") }, "\(r.errors)")
        let nul = try load("- {id: r, category: roads, any: [\"я\\0ма\"]}\n")
        #expect(nul.errors.allSatisfy { $0.contains("pack.yaml:") }, "\(nul.errors)")
    }

    @Test func rules_whenTenThousandTermsInOneRule_compileAndMatch() throws {
        let terms = (0..<10_000).map { "\"слово\($0) яма\"" }.joined(separator: ", ")
        let r = try load("- {id: r, category: roads, any: [\(terms), яма]}\n")
        #expect(r.errors.isEmpty, "\(r.errors.prefix(3))")
        let classifier = Classifier(rules: RuleSet.compile(r.rules))
        let text = "Огромная яма у дома"
        let verdict = classifier.classify(tokens: Tokenizer().tokenize(text), text: text)
        #expect(verdict.category == "roads")
    }
}
