import Foundation
import OtklikCore
import OtklikTestSupport
import Testing
@testable import VKConnector

/// `connector: vk` built the way the runtime builds it: registry, config file, secrets.
@Suite struct VKFactoryTests {
    @Test func factory_whenTokenInAFile_readsItRegistersItWithTheRedactorAndPolls() async throws {
        let api = try FakeVKAPI(token: "file-token-\(UUID().uuidString)")
        api.post(-5, count: 2)
        let dir = TestPaths.makeTempDir("vk-factory")
        try api.token.write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        let yaml = """
        state_dir: \(dir)/state
        pipelines:
          - name: demo
            sources:
              - id: walls
                connector: vk
                owner: -5
                base_url: \(api.baseURL)
            stages: []
            sinks: []
        """
        try yaml.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let d = ConfigDiagnostics()
        let env = ["VK_TOKEN_FILE": dir + "/token"]
        let config = try #require(try? OtklikConfig.load(path: dir + "/p.yaml", environment: env, diagnostics: d))
        let pipeline = try #require(config.pipelines.first)
        var registry = PluginRegistry()
        VKConnector.register(in: &registry)
        let factory = try #require(registry.connectors["vk"])
        let ctx = PluginContext(config: config, pipeline: pipeline, http: HTTPClient(), logger: Logger(label: "t", sink: LogSink(capturing: true)),
                                metrics: Metrics(), diagnostics: d, environment: env)
        let connector = try factory(pipeline.sources[0], ctx)
        #expect(d.isEmpty)
        #expect(connector.sourceID == "walls")
        let result = try await connector.poll(after: nil)
        #expect(result.posts.map(\.postID).sorted() == ["wall-5_1", "wall-5_2"])
        #expect(Redactor.redact("x \(api.token) y") == "x *** y")
        #expect(FileManager.default.fileExists(atPath: dir + "/state/demo/vk-budget.json"))
    }
}
