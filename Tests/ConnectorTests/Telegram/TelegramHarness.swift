import Foundation
import OtklikCore
import OtklikTestSupport
@testable import TelegramConnector

/// Builds Telegram connectors the way the daemon does: from a YAML source section,
/// through the registry, with a capturing log and fresh metrics.
struct TelegramHarness {
    let connector: any Connector
    let logs: LogSink
    let metrics: Metrics
    let diagnostics: ConfigDiagnostics

    /// `sourceYAML` is the body of one `sources:` item, indented by 8 spaces.
    static func make(_ sourceYAML: String, env: [String: String] = [:]) throws -> TelegramHarness {
        let dir = TestPaths.makeTempDir("otklik-tg")
        let path = dir + "/pipelines.yaml"
        let yaml = """
        state_dir: \(dir)/state
        pipelines:
          - name: test
            sources:
              - \(sourceYAML.trimmingCharacters(in: .whitespacesAndNewlines))
            sinks: []

        """
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let d = ConfigDiagnostics()
        let config = try OtklikConfig.load(path: path, environment: env, diagnostics: d)
        let logs = LogSink(level: .debug, capturing: true)
        let metrics = Metrics()
        let pipeline = config.pipelines[0]
        let ctx = PluginContext(config: config, pipeline: pipeline, http: HTTPClient(), logger: Logger(label: "test", sink: logs),
                                metrics: metrics, diagnostics: d, environment: env)
        var registry = PluginRegistry()
        TelegramConnector.register(in: &registry)
        let source = pipeline.sources[0]
        let connector: any Connector
        do { connector = try registry.connectors[source.connector]!(source, ctx) }
        catch { try d.throwIfAny(); throw error }
        try d.throwIfAny()
        return TelegramHarness(connector: connector, logs: logs, metrics: metrics, diagnostics: d)
    }

    /// Config errors a source section produces, as `line:col: message` strings.
    static func configErrors(_ sourceYAML: String) -> [String] {
        do { _ = try make(sourceYAML); return [] }
        catch let e as ConfigErrors { return e.errors.map(\.message) }
        catch let e as ConfigError { return [e.message] }
        catch { return ["\(error)"] }
    }

    static func channelSource(_ server: TestHTTPServer, channel: String = "chan", extra: String = "") -> String {
        """
        id: tg
                connector: telegram
                channel: \(channel)
                base_url: \(server.baseURL)
                page_delay: 0s
                poll_interval: 5m
                unavailable_retry: 6h\(extra)
        """
    }

    static func cursorState(_ c: Cursor?) throws -> TelegramChannelCursor { try TelegramChannelCursor(c) }
}

extension TelegramFixtures {
    /// Plain messages with ids `r`.
    static func msgs(_ r: ClosedRange<Int>) -> [Msg] {
        r.map { Msg(id: $0, text: "Сообщение номер \($0)") }
    }
}
