import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// Tokens in the config (`${VAR}`), in the environment and in `*_FILE` files never appear in
/// anything otklik writes — log lines (at debug level), metrics, dead-letter files, state,
/// `status` and `validate` output — even when servers echo them back in errors.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct SecretsTests {
    static let vkToken = "vk1.a.SecretVkTokenForFaultTests_0123456789abcdefXYZ"
    static let botToken = "987654321:AAsecretBotTokenForFaultTests_abcdefghijk"
    static let sinkToken = "sinkQueryTokenSecret_55aa77"
    static let bearer = "bearerHeaderSecret_99zz11"
    static let password = "hunter2basicAuthPw"
    static var all: [String] { [vkToken, botToken, sinkToken, bearer, password] }

    /// Every token found in `text`.
    static func leaks(_ text: String) -> [String] { all.filter { text.contains($0) } }

    /// Files under `dir` (recursively) containing a token, except the inputs that hold them on purpose.
    static func leakingFiles(_ dir: String, except inputs: Set<String>) -> [String] {
        let paths = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []
        return paths.filter { rel in
            guard !inputs.contains(rel), let data = FileManager.default.contents(atPath: dir + "/" + rel) else { return false }
            return all.contains { data.range(of: Data($0.utf8)) != nil }
        }
    }

    /// Answers every VK method with error 5 echoing the token in `request_params`, and every
    /// Bot API call with 401 quoting the URL's token; other paths are the sink's endpoint (500).
    static func hostileServer() throws -> TestHTTPServer {
        try TestHTTPServer.started { req in
            if req.path.hasPrefix("/method/") {
                return .json(#"{"error":{"error_code":5,"error_msg":"User authorization failed: invalid access_token \#(vkToken).","request_params":[{"key":"access_token","value":"\#(vkToken)"},{"key":"method","value":"\#(req.path.dropFirst(8))"}]}}"#)
            }
            if req.path.hasPrefix("/bot") {
                return .json(#"{"ok":false,"error_code":401,"description":"Unauthorized: \#(req.path)"}"#, status: 401)
            }
            return .text("rejected \(req.target) with \(req.header("Authorization") ?? "-")", status: 500)
        }
    }

    @Test func tokensInConfigEnvAndFiles_neverAppearInLogsMetricsDeadLettersStateOrStatus() async throws {
        let dir = TestPaths.makeTempDir("otklik-faults")
        let server = try Self.hostileServer()
        defer { server.stop() }
        try (Self.botToken + "\n").write(toFile: dir + "/bot.token", atomically: true, encoding: .utf8)
        let sinkURL = "http://otklik:\(Self.password)@127.0.0.1:\(server.port)/in?token=${SINK_TOKEN}"
        try """
        state_dir: state
        metrics_file: metrics.prom
        metrics_interval: 100ms
        shutdown_timeout: 5s
        log_level: debug
        pipelines:
          - name: e2e
            sources:
              - {id: vk, connector: vk, communities: [-1001], base_url: "\(server.baseURL)/method/", min_interval: 100ms}
              - {id: bot, connector: telegram_bot, base_url: "\(server.baseURL)", long_poll: 1s}
              - {id: feed, connector: jsonl, path: feed.jsonl, poll_interval: 50ms}
            stages:
              - keyword: {words: [яма], category: roads, make_incidents: true}
            sinks:
              - type: http
                url: "\(sinkURL)"
                headers: {Authorization: "Bearer ${SINK_BEARER_TOKEN}"}
                batch_interval: 20ms
                max_attempts: 2
                retry_base: 10ms
                retry_max: 50ms
        """.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        try Feed(path: dir + "/feed.jsonl").append(1...6)
        let env = ["VK_TOKEN": Self.vkToken, "TELEGRAM_BOT_TOKEN_FILE": dir + "/bot.token",
                   "SINK_TOKEN": Self.sinkToken, "SINK_BEARER_TOKEN": Self.bearer]
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir, environment: env)
        let dead = dir + "/state/e2e/http.dead.jsonl"
        // Every provocation has happened: the sink's batches are dead-lettered, VK refused the
        // token, the bot was told 401 — and the errors reached the log and the state.
        #expect(await eventually(.seconds(60)) {
            IncidentIDs.inFile(dead).count == 3
                && server.requests.contains { $0.path.hasPrefix("/method/") }
                && server.requests.contains { $0.path.hasPrefix("/bot") }
        }, "\(daemon.stderr.suffix(3000))")
        #expect(await eventually(.seconds(10)) { daemon.stderr.contains("401") })
        try await Task.sleep(for: .milliseconds(500))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)

        // The servers did receive the tokens (so the test provoked real echoes).
        #expect(server.requests.contains { $0.bodyText.contains(Self.vkToken) })
        #expect(server.requests.contains { $0.path.contains(Self.botToken) })
        #expect(server.requests.contains { $0.target.contains(Self.sinkToken) })

        #expect(Self.leaks(daemon.stderr).isEmpty, "log leaks \(Self.leaks(daemon.stderr))")
        #expect(Self.leaks(daemon.stdout).isEmpty)
        #expect(daemon.stderr.contains("level=debug"), "the log was not at debug level")
        #expect(Self.leakingFiles(dir, except: ["p.yaml", "bot.token"]).isEmpty,
                "files with a token: \(Self.leakingFiles(dir, except: ["p.yaml", "bot.token"]))")

        for args in [["status", "--config", "p.yaml"], ["status", "--config", "p.yaml", "--json"]] {
            let r = try await OtklikProcess.run(args, dir: dir, environment: env)
            #expect(r.status != nil)
            #expect(Self.leaks(r.out + r.err).isEmpty, "\(args) leaks \(Self.leaks(r.out + r.err))")
        }
    }

    @Test func configErrorQuotingASecretValue_isPrintedRedacted() async throws {
        let dir = TestPaths.makeTempDir("otklik-faults")
        try """
        state_dir: state
        metrics_interval: "${METRICS_TOKEN}"
        pipelines:
          - name: e2e
            sources:
              - {id: feed, connector: jsonl, path: feed.jsonl, poll_interval: "${POLL_SECRET}"}
            sinks:
              - {type: http, url: "${HOOK_TOKEN}"}
        """.write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let env = ["METRICS_TOKEN": Self.sinkToken, "POLL_SECRET": Self.bearer, "HOOK_TOKEN": "ftp://" + Self.password]
        for command in ["validate", "run"] {
            let r = try await OtklikProcess.run([command, "--config", "p.yaml"], dir: dir, environment: env)
            #expect(r.status == 78, "\(command): \(r.err)")
            #expect(!r.err.isEmpty)
            #expect(Self.leaks(r.out + r.err).isEmpty, "\(command) leaks \(Self.leaks(r.out + r.err)): \(r.err)")
        }
    }
}
