import Foundation
import Testing
@testable import OtklikCore

/// The YAML layer: `${VAR}`, `include:`, relative paths, syntax errors, hostile input.
@Suite struct ConfigLoaderTests {
    @Test func interpolation_substitutesVariablesDefaultsAndEscapes() throws {
        let files = ConfigFiles()
        try files.write("c.yaml", """
        token: ${VK_TOKEN}
        dir: ${STATE:-/var/lib/otklik}
        mixed: "https://${HOST}/api?v=${V:-5.199}"
        literal: "$${NOT_A_VAR}"
        empty_default: "${UNSET:-}"
        """)
        let (tree, errors) = files.tree("c.yaml", environment: ["VK_TOKEN": "abc123", "HOST": "api.vk.com"])
        #expect(errors == [])
        let t = try #require(tree)
        #expect(t["token"]?.scalar == "abc123")
        #expect(t["dir"]?.scalar == "/var/lib/otklik")
        #expect(t["mixed"]?.scalar == "https://api.vk.com/api?v=5.199")
        #expect(t["literal"]?.scalar == "${NOT_A_VAR}")
        #expect(t["empty_default"]?.scalar == "")
    }

    @Test func interpolation_whenVariableIsMissing_reportsItsPlace() throws {
        let files = ConfigFiles()
        try files.write("c.yaml", "a: 1\ntoken: ${VK_TOKEN}\nbroken: ${OOPS\n")
        let (_, errors) = files.tree("c.yaml")
        #expect(errors == [
            "c.yaml:2:8: environment variable 'VK_TOKEN' is not set (use ${VK_TOKEN:-default})",
            "c.yaml:3:9: unterminated '${' in '${OOPS'",
        ])
    }

    @Test func interpolation_ofCredentialVariables_registersThemForRedaction() throws {
        let token = "tok-\(UUID().uuidString)"
        let plain = "region-\(UUID().uuidString)"
        let files = ConfigFiles()
        try files.write("c.yaml", "token: ${TG_BOT_TOKEN}\nregion: ${REGION}\nempty: ${EMPTY}\n")
        let (_, errors) = files.tree("c.yaml", environment: ["TG_BOT_TOKEN": token, "REGION": plain, "EMPTY": ""])
        #expect(errors == ["c.yaml:3:8: environment variable 'EMPTY' is empty (use ${EMPTY:-default})"])
        #expect(Redactor.redact("t=\(token)") == "t=***")
        #expect(Redactor.redact("r=\(plain)") == "r=\(plain)")
    }

    @Test func include_ofMappingsAndListGlobs_buildsOneConfig() throws {
        let files = ConfigFiles()
        try files.write("main.yaml", """
        state_dir: ./state
        include: [conf.d/http.yaml, conf.d/metrics.yaml]
        pipelines:
          include: pipelines/*.yaml
        """)
        try files.write("conf.d/http.yaml", "http:\n  timeout: 10s\n")
        try files.write("conf.d/metrics.yaml", "metrics_file: out/metrics.prom\n")
        try files.write("pipelines/b.yaml", "- name: b\n  sources: []\n  sinks: []\n")
        try files.write("pipelines/a.yaml", "- name: a\n  sources: []\n  sinks: []\n")
        let (config, errors) = files.load("main.yaml")
        #expect(errors == [])
        let c = try #require(config)
        #expect(c.http.timeout == .seconds(10))
        #expect(c.pipelines.map(\.name) == ["a", "b"])
        #expect(c.stateDir == files.dir + "/state")
        #expect(c.metricsFile == files.dir + "/conf.d/out/metrics.prom")
    }

    @Test func include_ofRulePackLists_concatenatesInOrderWithTheirOwnMarks() throws {
        let files = ConfigFiles()
        try files.write("stage.yaml", """
        rules:
          include:
            - rules/water.yaml
            - rules/roads.yaml
        """)
        try files.write("rules/water.yaml", "- {id: no_water, words: [вода, отключить]}\n- {id: leak, words: [течь]}\n")
        try files.write("rules/roads.yaml", "# roads\n- {id: pothole, words: [яма]}\n")
        let (tree, errors) = files.tree("stage.yaml")
        #expect(errors == [])
        let rules = try #require(tree?["rules"]?.sequence)
        #expect(rules.compactMap { $0["id"]?.scalar } == ["no_water", "leak", "pothole"])
        #expect(rules[2].mark.description == files.dir + "/rules/roads.yaml:2:3")
    }

    @Test func include_asAListItem_splicesTheIncludedListInPlace() throws {
        let files = ConfigFiles()
        try files.write("stage.yaml", """
        rules:
          - {id: first}
          - include: packs/*.yaml
          - {id: last}
        """)
        try files.write("packs/a.yaml", "- {id: a1}\n- {id: a2}\n")
        try files.write("packs/b.yaml", "- {id: b1}\n")
        let (tree, errors) = files.tree("stage.yaml")
        #expect(errors == [])
        let ids = tree?["rules"]?.sequence?.compactMap { $0["id"]?.scalar }
        #expect(ids == ["first", "a1", "a2", "b1", "last"])
    }

    @Test func include_whenFilesIncludeEachOther_reportsTheCycle() throws {
        let files = ConfigFiles()
        try files.write("a.yaml", "x: 1\ninclude: sub/b.yaml\n")
        try files.write("sub/b.yaml", "y: 2\ninclude: ../a.yaml\n")
        let (_, errors) = files.tree("a.yaml")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("sub/b.yaml:2:10: include cycle:") == true)
    }

    @Test func include_ofItself_reportsTheCycle() throws {
        let files = ConfigFiles()
        try files.write("a.yaml", "include: ./a.yaml\n")
        let (_, errors) = files.tree("a.yaml")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("a.yaml:1:10: include cycle:") == true)
    }

    @Test func include_whenFileIsMissingOrKeyRepeats_reportsBoth() throws {
        let files = ConfigFiles()
        try files.write("main.yaml", "http: {}\ninclude: [extra.yaml, nope.yaml]\n")
        try files.write("extra.yaml", "state_dir: /tmp\nhttp: {timeout: 1s}\n")
        let (_, errors) = files.tree("main.yaml")
        #expect(errors.sorted() == [
            "extra.yaml:2:1: included key 'http' is already defined",
            "main.yaml:2:23: include: no file matches 'nope.yaml'",
        ])
    }

    @Test func include_whenIncludedFileHasASyntaxError_reportsItAlongsideOthers() throws {
        let files = ConfigFiles()
        try files.write("main.yaml", "include: bad.yaml\nfoo: ${MISSING}\n")
        try files.write("bad.yaml", "a: [1, 2\n")
        let (_, errors) = files.tree("main.yaml")
        #expect(errors.count == 2)
        #expect(errors.contains { $0.hasPrefix("bad.yaml:2:1: YAML syntax:") })
        #expect(errors.contains { $0.hasPrefix("main.yaml:2:6: environment variable 'MISSING'") })
    }

    @Test func paths_resolveAgainstTheFileTheyAreWrittenIn() {
        #expect(MappingReader.resolve("state", relativeTo: "/etc/otklik/pipelines.yaml") == "/etc/otklik/state")
        #expect(MappingReader.resolve("../data/g.tsv", relativeTo: "/etc/otklik/rules/x.yaml") == "/etc/otklik/data/g.tsv")
        #expect(MappingReader.resolve("/abs/x", relativeTo: "/etc/otklik/pipelines.yaml") == "/abs/x")
        #expect(MappingReader.resolve("-", relativeTo: "/etc/p.yaml") == "-")
    }

    @Test(arguments: [
        ("pipelines:\n  - name: a\n   sources: []\n", "p.yaml:3:4: YAML syntax: while parsing a block collection"),
        ("a: 1\nb:\n\t- x\n", "p.yaml:3:1: YAML syntax:"),
        ("list: [1, 2\nother: 3\n", "p.yaml:2:6: YAML syntax:"),
        ("a: \"unterminated\n", "p.yaml:2:1: YAML syntax:"),
    ])
    func syntaxErrors_carryTheirMark(text: String, prefix: String) throws {
        let files = ConfigFiles()
        try files.write("p.yaml", text)
        let (config, errors) = files.load("p.yaml")
        #expect(config == nil)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(prefix) == true, "\(errors)")
    }

    @Test func aliasBomb_isRejectedQuickly() throws {
        var text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"]
        var previous = "a"
        for n in names {
            text += "\(n): &\(n) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = n
        }
        let files = ConfigFiles()
        try files.write("bomb.yaml", text)
        let (tree, errors) = files.tree("bomb.yaml")
        #expect(tree == nil)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("alias") == true, "\(errors)")
    }

    @Test func deepNesting_isRejectedInsteadOfOverflowingTheStack() throws {
        let files = ConfigFiles()
        try files.write("deep.yaml", "a: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000) + "\n")
        let (tree, errors) = files.tree("deep.yaml")
        #expect(tree == nil)
        #expect(errors == ["deep.yaml:1:203: YAML nested deeper than 200 levels"])
    }

    @Test func smallAliasesAndMergeKeys_stillWork() throws {
        let files = ConfigFiles()
        try files.write("c.yaml", """
        defaults: &d {poll_interval: 5m, enabled: true}
        base2: &e {place: Батайск}
        one: {<<: *d, id: x}
        two: {<<: [*d, *e], id: y, enabled: false}
        """)
        let (tree, errors) = files.tree("c.yaml")
        #expect(errors == [])
        let t = try #require(tree)
        #expect(t["one"]?["poll_interval"]?.scalar == "5m")
        #expect(t["two"]?["place"]?.scalar == "Батайск")
        #expect(t["two"]?["enabled"]?.scalar == "false")
    }

    @Test func nulByte_isRejectedWithItsPlace() throws {
        let files = ConfigFiles()
        try files.write("n.yaml", "a: 1\nbb: x\u{0}y\n")
        let (_, errors) = files.tree("n.yaml")
        #expect(errors == ["n.yaml:2:6: NUL byte in YAML text"])
    }

    @Test func invalidUTF8_isRejected() throws {
        let files = ConfigFiles()
        let path = files.dir + "/bad.yaml"
        try Data([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]).write(to: URL(fileURLWithPath: path))
        let (_, errors) = files.tree("bad.yaml")
        #expect(errors == ["bad.yaml:1:1: not valid UTF-8"])
    }

    @Test func severalDocuments_areRejected() throws {
        let files = ConfigFiles()
        try files.write("d.yaml", "a: 1\n---\nb: 2\n")
        let (_, errors) = files.tree("d.yaml")
        #expect(errors == ["d.yaml:2:1: only one YAML document per file is supported"])
    }

    @Test func missingFile_isAClearError() {
        let files = ConfigFiles()
        let (_, errors) = files.load("absent.yaml")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("absent.yaml:1:1: cannot read config") == true)
    }

    @Test func emptyFile_isAnEmptyMappingThatLacksPipelines() throws {
        let files = ConfigFiles()
        try files.write("e.yaml", "# nothing yet\n")
        let (_, errors) = files.load("e.yaml")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("missing required key 'pipelines'") == true)
    }
}
