import Foundation
import OtklikCore
import OtklikTestSupport
import Testing
@testable import TelegramConnector

@Suite struct TelegramBotConnectorTests {
    static let token = "123456:TEST-token_value"

    func harness(_ server: TestHTTPServer, extra: String = "", env: [String: String]? = nil) throws -> TelegramHarness {
        try TelegramHarness.make("""
        id: bot
                connector: telegram_bot
                base_url: \(server.baseURL)
                long_poll: 1s\(extra)
        """, env: env ?? ["TELEGRAM_BOT_TOKEN": Self.token])
    }

    var path: String { "/bot\(Self.token)/getUpdates" }

    @Test func poll_readsMessagesChannelPostsAndEdits_andPersistsTheOffset() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", path, .json(try TelegramFixtures.data("bot_updates.json")), .json(#"{"ok":true,"result":[]}"#))
        let h = try harness(server)
        let r = try await h.connector.poll(after: nil)
        #expect(r.posts.map(\.postID) == ["-1001234567890/31", "test_news/77", "test_news/78", "42/5"])
        #expect(r.cursor == Cursor(#"{"offset":505}"#))
        #expect(r.nextPollAfter == .zero)

        let group = r.posts[0]
        #expect(group.text == "Третий день нет горячей воды на ул. Садовой")
        #expect(group.authorName == "Анна Тестова" && group.authorID == "1001")
        #expect(group.url == "https://t.me/c/1234567890/31")
        #expect(group.replyTo?.key == "telegram:-1001234567890/30")
        #expect(group.published == Date(timeIntervalSince1970: 1_763_632_800))
        #expect(group.edited == nil)

        let edited = r.posts[1]
        #expect(edited.key == "telegram:test_news/77", "same key as the web preview gives")
        #expect(edited.text == "Открытый люк у школы", "captions are the text")
        #expect(edited.edited == Date(timeIntervalSince1970: 1_763_633_000))
        #expect(edited.coordinates == Coordinates(lat: 47.2357, lon: 39.7015))
        #expect(edited.attachments == ["photo", "location"])
        #expect(edited.authorName == "Редакция")

        let forward = r.posts[2]
        #expect(forward.repostOf == PostOrigin(key: "telegram:other_channel/12", name: "Другой канал", url: "https://t.me/other_channel/12"))

        let second = try await h.connector.poll(after: r.cursor)
        #expect(second.posts.isEmpty)
        #expect(second.cursor == r.cursor, "an empty answer keeps the offset")
        #expect(server.requests.map { $0.queryValue("offset") } == [nil, "505"])
        #expect(server.requests.first?.queryValue("timeout") == "1")
    }

    @Test func poll_withAllowedChats_keepsOnlyThoseChats() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", path, .json(try TelegramFixtures.data("bot_updates.json")))
        let h = try harness(server, extra: "\n        allowed_chats: [\"@test_news\", \"-1001234567890\"]")
        let r = try await h.connector.poll(after: Cursor(#"{"offset":500}"#))
        #expect(r.posts.map(\.postID) == ["-1001234567890/31", "test_news/77", "test_news/78"])
        #expect(r.cursor == Cursor(#"{"offset":505}"#), "skipped updates are confirmed too")
        #expect(server.requests.first?.queryValue("offset") == "500")
    }

    @Test func poll_whenAWebhookIsSet_failsWithAClearErrorAndNoTokenInLogs() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", path, .json(#"{"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}"#, status: 409))
        let h = try harness(server)
        await #expect { try await h.connector.poll(after: nil) } throws: { error in
            guard case ConnectorError.fatal(let m) = error else { return false }
            return m.contains("409") && m.contains("webhook") && !m.contains(Self.token)
        }
        #expect(h.logs.captured.contains { $0.contains("409") })
        #expect(!h.logs.captured.contains { $0.contains(Self.token) || $0.contains("TEST-token") })
    }

    @Test func poll_whenRateLimited_honoursRetryAfterFromTheBody() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", path, .json(#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 14","parameters":{"retry_after":14}}"#, status: 429))
        let h = try harness(server)
        await #expect(throws: ConnectorError.retryAfter(.seconds(14))) { try await h.connector.poll(after: nil) }
    }

    @Test func poll_whenTheTokenIsRejected_isFatal() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", path, .json(#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#, status: 401))
        let h = try harness(server)
        await #expect { try await h.connector.poll(after: nil) } throws: { error in
            if case ConnectorError.fatal(let m) = error { return m.contains("TELEGRAM_BOT_TOKEN") }
            return false
        }
    }

    @Test func poll_withoutAToken_saysWhichVariableToSet() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        let h = try harness(server, extra: "\n        token_env: CITY_BOT_TOKEN", env: [:])
        await #expect { try await h.connector.poll(after: nil) } throws: { error in
            "\(error)".contains("CITY_BOT_TOKEN")
        }
        #expect(server.requests.isEmpty)
    }

    @Test func backfill_isNotPossibleThroughTheBotAPI() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        let h = try harness(server)
        await #expect { try await h.connector.backfill(from: .distantPast, to: .now, resume: nil) { _, _, _ in } } throws: { error in
            "\(error)".contains("cannot read history")
        }
    }

    @Test func redactor_masksTheTokenInBotURLs() {
        let token = "7012345678:AAHk2x9QeXz7LmN0pQrStUvWxYz1234567_-"
        let line = Redactor.redact("GET https://api.telegram.org/bot\(token)/getUpdates?offset=1")
        #expect(!line.contains("AAHk2x9QeXz7LmN0pQrStUvWxYz1234567_-"))
    }
}
