import Foundation
import OtklikCore
import OtklikTestSupport
import Testing
@testable import VKConnector

@Suite struct VKSettingsTests {
    func settings(_ yaml: String) throws -> (VKSettings, ConfigDiagnostics) {
        let d = ConfigDiagnostics()
        let node = try YAMLLoader.load("id: s\nconnector: vk\n" + yaml, file: "p.yaml", diagnostics: d)
        return (VKSettings(SourceConfig(id: "s", connector: "vk", node: node), diagnostics: d), d)
    }

    @Test func settings_readCommunitiesInEveryWrittenFormAndTokenList() throws {
        let (s, d) = try settings("""
        communities: [https://vk.com/club123, public45, "@city_news", -7, vk.com/id99]
        token_env: [VK_A, VK_B]
        token_type: user
        quotas: {wall.get: 4000}
        comments: true
        """)
        #expect(d.isEmpty)
        #expect(s.communities == ["-123", "-45", "city_news", "-7", "99"])
        #expect(s.tokenEnvs == ["VK_A", "VK_B"] && s.tokenType == .user)
        #expect(s.quotas["wall.get"] == 4000 && s.quotas["newsfeed.search"] == 1000)
        #expect(s.comments?.days == 2)
    }

    @Test func settings_whenKeyMisspelledOrNothingToRead_reportsWithPosition() throws {
        let (_, d) = try settings("comunities: [-1]\n")
        let text = d.errors.map(\.description).joined(separator: "\n")
        #expect(text.contains("p.yaml:3:1") && text.contains("did you mean 'communities'"))
        #expect(text.contains("give 'communities'"))
    }

    @Test func factory_whenTokenMissing_buildsButFirstPollFailsClearly() async throws {
        let d = ConfigDiagnostics()
        let node = try YAMLLoader.load("id: s\nconnector: vk\nowner: -1\ntoken_env: VK_NOT_SET_ANYWHERE\n", file: "p.yaml", diagnostics: d)
        let settings = VKSettings(SourceConfig(id: "s", connector: "vk", node: node), diagnostics: d)
        #expect(d.isEmpty)
        let source = VKSource(sourceID: "s", settings: settings, tokens: [], http: HTTPClient(),
                              logger: Logger(label: "t", sink: LogSink(capturing: true)), metrics: Metrics(),
                              stateDir: nil, registry: VKBudgetRegistry())
        await #expect(throws: ConnectorError.fatal("no VK token: set VK_NOT_SET_ANYWHERE (or VK_NOT_SET_ANYWHERE_FILE)")) {
            try await source.poll(after: nil)
        }
    }
}
