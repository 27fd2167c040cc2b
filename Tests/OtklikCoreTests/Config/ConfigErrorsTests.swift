import Foundation
import Testing
@testable import OtklikCore

/// Every config problem reported at once, each as `file:line:col: message`.
@Suite struct ConfigErrorsTests {
    @Test func load_whenMisspelledKeyBadDurationAndDuplicateKey_reportsExactlyThoseThreeWithPlaces() throws {
        let files = ConfigFiles()
        try files.write("pipelines.yaml", """
        state_dir: ./state
        log_levle: info
        shutdown_timeout: 5 parsecs
        pipelines:
          - name: demo
            sources:
              - id: feed
                connector: jsonl
                poll_interval: 1m
                id: other
            sinks:
              - type: file
        """)
        let (config, errors) = files.load("pipelines.yaml")
        #expect(config == nil)
        #expect(errors == [
            "pipelines.yaml:2:1: config: unknown key 'log_levle'; did you mean 'log_level'?",
            "pipelines.yaml:3:19: 'shutdown_timeout': bad duration '5 parsecs' (use e.g. 500ms, 90s, 5m, 2h, 7d)",
            "pipelines.yaml:10:9: duplicate key 'id' (first defined at 7:9)",
        ])
    }

    @Test func load_whenValuesHaveWrongTypes_namesEachWithItsPlace() throws {
        let files = ConfigFiles()
        try files.write("p.yaml", """
        state_dir: [a, b]
        http:
          timeout: 30
          per_host_connections: lots
          insecure_skip_tls_verify: yes
          max_redirects: 99
        pipelines: 5
        """)
        let (_, errors) = files.load("p.yaml")
        #expect(errors == [
            "p.yaml:1:12: 'state_dir' must be a path, found a list",
            "p.yaml:3:12: 'timeout': bad duration '30' (use e.g. 500ms, 90s, 5m, 2h, 7d)",
            "p.yaml:4:25: 'per_host_connections' must be an integer, found 'lots'",
            "p.yaml:5:29: 'insecure_skip_tls_verify' must be true or false, found 'yes'",
            "p.yaml:6:18: 'max_redirects' must be between 0 and 20, found 99",
            "p.yaml:7:12: 'pipelines' must be a list, found a scalar",
        ])
    }

    @Test func load_whenRequiredKeysAreMissing_reportsEachAtItsMapping() throws {
        let files = ConfigFiles()
        try files.write("p.yaml", """
        pipelines:
          - sources:
              - connector: vk
          - name: second
            sources: []
        """)
        let (_, errors) = files.load("p.yaml")
        #expect(errors == [
            "p.yaml:2:5: pipeline: missing required key 'name'",
            "p.yaml:2:5: pipeline: missing required key 'sinks'",
            "p.yaml:3:9: source: missing required key 'id'",
            "p.yaml:4:5: pipeline: missing required key 'sinks'",
        ])
    }

    @Test func load_withoutPipelines_saysSoAndSuggestsTheMisspelling() throws {
        let files = ConfigFiles()
        try files.write("p.yaml", "pipelnes: []\nhttp:\n  user_agnet: x\n")
        let (_, errors) = files.load("p.yaml")
        #expect(errors == [
            "p.yaml:1:1: config: missing required key 'pipelines'",
            "p.yaml:1:1: config: unknown key 'pipelnes'; did you mean 'pipelines'?",
            "p.yaml:3:3: http: unknown key 'user_agnet'; did you mean 'user_agent'?",
        ])
    }

    @Test func load_whenChoiceIsMisspelled_suggestsTheClosest() throws {
        let files = ConfigFiles()
        try files.write("p.yaml", "log_level: warnng\n" + minimalPipeline)
        let (_, errors) = files.load("p.yaml")
        #expect(errors == ["p.yaml:1:12: 'log_level' must be one of debug, info, notice, warning, error, "
                           + "found 'warnng'; did you mean 'warning'?"])
    }

    @Test func load_aValidConfig_typesEverything() throws {
        let files = ConfigFiles()
        try files.write("p.yaml", """
        state_dir: /var/lib/otklik
        log_level: debug
        http:
          timeout: 45s
          max_body: 8MB
          per_host_connections: 3
          proxy: http://127.0.0.1:3128
        \(minimalPipeline)
            stages: [normalize, {classify: {min_score: 2}}]
        """)
        let (config, errors) = files.load("p.yaml")
        #expect(errors == [])
        let c = try #require(config)
        #expect(c.stateDir == "/var/lib/otklik")
        #expect(c.logLevel == .debug)
        #expect(c.http.timeout == .seconds(45))
        #expect(c.http.maxBodyBytes == 8 * 1024 * 1024)
        #expect(c.http.perHostConnections == 3)
        #expect(c.http.proxy == "http://127.0.0.1:3128")
        #expect(c.pipelines.map(\.name) == ["demo"])
        #expect(c.pipelines[0].stages.map(\.name) == ["normalize", "classify"])
        #expect(c.pipelines[0].sources.first?.pollInterval == .seconds(60))
    }

    @Test func load_whenDuplicateNamesRepeat_reportsEachRepeat() throws {
        let files = ConfigFiles()
        try files.write("p.yaml", """
        pipelines:
          - name: a
            sources: [{id: x, connector: vk}, {id: x, connector: vk}]
            sinks: [{type: file}, {type: file}]
          - name: a
            sources: []
            sinks: []
        """)
        let (_, errors) = files.load("p.yaml")
        #expect(errors == [
            "p.yaml:3:39: duplicate source id 'x'",
            "p.yaml:4:27: duplicate sink name 'file'",
            "p.yaml:5:5: duplicate pipeline name 'a'",
        ])
    }

    @Test func marks_countColumnsInCharactersAfterCyrillicText() throws {
        let files = ConfigFiles()
        try files.write("p.yaml", """
        # Ростовская область, Батайск и окрестности
        pipelines:
          - name: "Батайск"
            region: "Ростовская область"
            sources: [{id: "Новости", connector: vk, poll_interval: "пять минут"}]
            sinks: []
        """)
        let (_, errors) = files.load("p.yaml")
        #expect(errors == ["p.yaml:5:61: 'poll_interval': bad duration 'пять минут' (use e.g. 500ms, 90s, 5m, 2h, 7d)"])
    }
}
