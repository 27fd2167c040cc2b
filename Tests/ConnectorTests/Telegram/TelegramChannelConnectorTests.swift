import Foundation
import OtklikCore
import OtklikTestSupport
import Testing
@testable import TelegramConnector

@Suite struct TelegramChannelConnectorTests {
    @Test func poll_firstTime_emitsNewestPageOldestFirstAsPosts() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/chan", .html(TelegramFixtures.channelPage("chan", TelegramFixtures.msgs(58...60), before: 58)))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server))
        let r = try await h.connector.poll(after: nil)
        #expect(r.posts.map(\.postID) == ["chan/58", "chan/59", "chan/60"])
        let p = try #require(r.posts.first)
        #expect(p.key == "telegram:chan/58")
        #expect(p.sourceKind == "telegram" && p.sourceID == "tg")
        #expect(p.url == "https://t.me/chan/58")
        #expect(p.text == "Сообщение номер 58")
        #expect(p.counters?.views == 58)
        #expect(p.edited == nil)
        #expect(p.extra["channel_title"] == "Канал chan")
        #expect(try TelegramHarness.cursorState(r.cursor).lastID == 60)
        #expect(server.requests.count == 1, "a first poll reads only the newest page")
    }

    @Test func poll_mapsForwardsRepliesPlacesAndMediaIntoPosts() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/testchannel", .html(String(decoding: try TelegramFixtures.data("channel_edge_cases.html"), as: UTF8.self)))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server, channel: "testchannel"))
        let r = try await h.connector.poll(after: nil)
        #expect(r.posts.count == 10, "service messages are skipped")
        #expect(try TelegramHarness.cursorState(r.cursor).lastID == 115, "service messages still advance the cursor")
        let byID = Dictionary(uniqueKeysWithValues: r.posts.map { ($0.postID, $0) })
        let forward = try #require(byID["testchannel/102"])
        #expect(forward.repostOf == PostOrigin(key: "telegram:other_news/55", name: "Другие новости", url: "https://t.me/other_news/55"))
        #expect(forward.extra["forward_author"] == "Редактор")
        let reply = try #require(byID["testchannel/103"])
        #expect(reply.replyTo?.key == "telegram:testchannel/101")
        #expect(reply.extra["reply_quote"] == "Во дворе дома №5 «Водоканал» …")
        let place = try #require(byID["testchannel/108"])
        #expect(place.coordinates == Coordinates(lat: 47.236, lon: 39.713))
        let signed = try #require(byID["testchannel/101"])
        #expect(signed.authorName == "Иван Петров")
        #expect(signed.edited != nil, "marked edited on the page")
        #expect(signed.counters?.views == 1200)
        #expect(byID["testchannel/104"]?.attachments == ["album: 3 (2 photos, 1 video)"])
        #expect(byID["testchannel/114"]?.repostOf == PostOrigin(name: "Скрытый пользователь"))
        #expect(h.metrics.value("otklik_telegram_subscribers", ["source": "tg"]) == 12_300)
    }

    @Test func poll_whenChannelPosted50TimesBetweenPolls_followsBeforePagesToTheLastSeen() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/chan") { req in
            switch req.queryValue("before") {
            case nil: return .html(TelegramFixtures.channelPage("chan", TelegramFixtures.msgs(41...60), before: 41))
            case "41": return .html(TelegramFixtures.channelPage("chan", TelegramFixtures.msgs(21...40), before: 21, after: 40))
            case "21": return .html(TelegramFixtures.channelPage("chan", TelegramFixtures.msgs(1...20), after: 20))
            default: return .status(404)
            }
        }
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server))
        let r = try await h.connector.poll(after: TelegramChannelCursor(lastID: 10).cursor)
        #expect(r.posts.map(\.postID) == (11...60).map { "chan/\($0)" })
        #expect(server.requests.map { $0.queryValue("before") } == [nil, "41", "21"])
        #expect(try TelegramHarness.cursorState(r.cursor).lastID == 60)

        let again = try await h.connector.poll(after: r.cursor)
        #expect(again.posts.isEmpty, "nothing new: no post twice")
        #expect(server.requests.count == 4, "the newest page already reaches the last seen id")
    }

    @Test func poll_whenPostEdited_emitsAnUpdateOfTheSamePostOncePerEdit() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        var msgs = TelegramFixtures.msgs(50...52)
        msgs[1] = .init(id: 51, text: "Исправлено: нет воды с утра", edited: true)
        var msgs2 = msgs
        msgs2[1] = .init(id: 51, text: "Исправлено дважды: нет воды второй день", edited: true)
        server.route("GET", "/s/chan", .html(TelegramFixtures.channelPage("chan", msgs)), .html(TelegramFixtures.channelPage("chan", msgs)),
                     .html(TelegramFixtures.channelPage("chan", msgs2)))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server))
        let start = TelegramChannelCursor(lastID: 52).cursor
        let first = try await h.connector.poll(after: start)
        #expect(first.posts.map(\.postID) == ["chan/51"])
        #expect(first.posts.first?.text == "Исправлено: нет воды с утра")
        #expect(first.posts.first?.edited != nil)
        let second = try await h.connector.poll(after: first.cursor)
        #expect(second.posts.isEmpty, "the same edit is reported once")
        let third = try await h.connector.poll(after: second.cursor)
        #expect(third.posts.map(\.text) == ["Исправлено дважды: нет воды второй день"])
    }

    @Test func poll_whenServerAnswers429_throwsRetryAfterFromTheHeader() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/chan", .status(429, headers: [("Retry-After", "7")]))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server))
        await #expect(throws: ConnectorError.retryAfter(.seconds(7))) { try await h.connector.poll(after: nil) }
    }

    @Test func poll_when503WithoutRetryAfter_backsOffExponentiallyThenRecovers() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/chan", .status(503), .status(503), .html(TelegramFixtures.channelPage("chan", TelegramFixtures.msgs(1...2))))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server, extra: "\n        retry_base: 30s"))
        await #expect(throws: ConnectorError.retryAfter(.seconds(30))) { try await h.connector.poll(after: nil) }
        await #expect(throws: ConnectorError.retryAfter(.seconds(60))) { try await h.connector.poll(after: nil) }
        #expect(try await h.connector.poll(after: nil).posts.count == 2)
    }

    @Test func poll_whenRedirectedToTheNonPreviewPage_reportsOnceAndRetriesRarely() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/closed", .redirect(to: "/closed", status: 302))
        server.route("GET", "/closed", .html(String(decoding: try TelegramFixtures.data("preview_disabled.html"), as: UTF8.self)))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server, channel: "closed"))
        let start = TelegramChannelCursor(lastID: 5).cursor
        for _ in 0..<3 {
            let r = try await h.connector.poll(after: start)
            #expect(r.posts.isEmpty)
            #expect(r.cursor == start, "the cursor stays where it was")
            #expect(r.nextPollAfter == .seconds(6 * 3600))
        }
        let warnings = h.logs.captured.filter { $0.contains("cannot be read") }
        #expect(warnings.count == 1, "reported once per channel: \(h.logs.captured)")
        #expect(warnings.first?.contains("closed") == true)
        #expect(server.requests(path: "/closed").isEmpty, "redirects are not followed")
        #expect(h.metrics.value("otklik_connector_unavailable", ["source": "tg"]) == 1)
    }

    @Test func poll_whenTheLandingPageComesWith200_isUnavailableToo() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/nosuchchannel", .html(String(decoding: try TelegramFixtures.data("channel_not_found.html"), as: UTF8.self)))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server, channel: "nosuchchannel"))
        let r = try await h.connector.poll(after: nil)
        #expect(r.posts.isEmpty && r.nextPollAfter == .seconds(6 * 3600))
        #expect(h.logs.captured.contains { $0.contains("no such channel") })
    }

    @Test func poll_whenLayoutChanged_raisesAnAlarmLineAndMetricInsteadOfSilence() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/testchannel", .html(String(decoding: try TelegramFixtures.data("channel_changed_layout.html"), as: UTF8.self)))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server, channel: "testchannel"))
        let start = TelegramChannelCursor(lastID: 100).cursor
        let r = try await h.connector.poll(after: start)
        #expect(r.posts.isEmpty)
        #expect(r.cursor == start)
        #expect(h.metrics.value("otklik_connector_parse_alarm_total", ["source": "tg"]) == 1)
        #expect(h.logs.captured.contains { $0.contains("parsed 0 messages from a 200 page") })
    }

    @Test func poll_withETag_sendsConditionalRequestAnd304KeepsTheCursor() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/chan",
                     .html(TelegramFixtures.channelPage("chan", TelegramFixtures.msgs(1...3))).with(header: "ETag", "\"v1\""),
                     .status(304))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server))
        let first = try await h.connector.poll(after: nil)
        #expect(try TelegramHarness.cursorState(first.cursor).etag == "\"v1\"")
        let second = try await h.connector.poll(after: first.cursor)
        #expect(second.posts.isEmpty && second.cursor == first.cursor)
        #expect(server.requests.last?.header("If-None-Match") == "\"v1\"")
        #expect(server.requests.first?.header("If-None-Match") == nil)
    }

    @Test func poll_whenTheNetworkFails_throwsUnavailable() async throws {
        let server = try TestHTTPServer.started()
        let port = server.port
        server.stop()
        let h = try TelegramHarness.make("""
        id: tg
                connector: telegram
                channel: chan
                base_url: http://127.0.0.1:\(port)
        """)
        await #expect { try await h.connector.poll(after: nil) } throws: { error in
            if case ConnectorError.unavailable = error { return true }
            return false
        }
    }

    @Test func backfill_walksBeforePagesToTheStartDate_emittingProgressPerPage() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/chan") { req in
            switch req.queryValue("before") {
            case nil: return .html(TelegramFixtures.channelPage("chan", TelegramFixtures.msgs(41...60), before: 41))
            case "41": return .html(TelegramFixtures.channelPage("chan", TelegramFixtures.msgs(21...40), before: 21))
            case "21": return .html(TelegramFixtures.channelPage("chan", TelegramFixtures.msgs(1...20)))
            default: return .status(404)
            }
        }
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server))
        let base = Date(timeIntervalSince1970: 1_763_596_800)
        let from = base.addingTimeInterval(25 * 60), to = base.addingTimeInterval(55 * 60)
        let log = EmitLog()
        try await h.connector.backfill(from: from, to: to, resume: nil) { posts, cursor, progress in
            await log.add(posts, cursor, progress)
        }
        let pages = await log.pages
        #expect(pages.count == 2, "stops once the start date is reached")
        #expect(pages[0].posts == (41...55).map { "chan/\($0)" })
        #expect(pages[1].posts == (25...40).map { "chan/\($0)" })
        #expect(pages.map(\.progress.pages) == [1, 2])
        #expect(pages.map(\.progress.posts) == [15, 31])
        #expect(pages[1].progress.reached == base.addingTimeInterval(21 * 60))

        // Resuming from the first page's cursor continues before it.
        let resumed = EmitLog()
        try await h.connector.backfill(from: from, to: to, resume: pages[0].cursor) { posts, cursor, progress in
            await resumed.add(posts, cursor, progress)
        }
        #expect(await resumed.pages.map(\.posts) == [(25...40).map { "chan/\($0)" }])
        #expect(await resumed.pages.first?.progress.pages == 2)
    }

    @Test func backfill_ofAnUnavailableChannel_failsClearly() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/closed", .redirect(to: "/closed", status: 302))
        let h = try TelegramHarness.make(TelegramHarness.channelSource(server, channel: "closed"))
        await #expect { try await h.connector.backfill(from: .distantPast, to: .now, resume: nil) { _, _, _ in } } throws: { error in
            "\(error)".contains("cannot be backfilled")
        }
    }

    @Test func config_missingChannelAndMisspelledKey_areReported() {
        let errors = TelegramHarness.configErrors("""
        id: tg
                connector: telegram
                chanel: x
        """)
        #expect(errors.contains { $0.contains("missing required key 'channel'") })
        #expect(errors.contains { $0.contains("unknown key 'chanel'") && $0.contains("did you mean 'channel'") })
    }

    @Test(arguments: [("@bataysk_news", "bataysk_news"), ("https://t.me/s/rostov_main", "rostov_main"), ("t.me/Podslushano_RnD", "Podslushano_RnD")])
    func config_channelNamesAreNormalised(_ raw: String, _ name: String) {
        #expect(TelegramChannelSettings.normalize(channel: raw) == name)
    }

    @Test func config_invalidChannelName_isRejected() {
        #expect(TelegramChannelSettings.normalize(channel: "no spaces allowed") == nil)
        #expect(TelegramChannelSettings.normalize(channel: "ab") == nil)
    }
}

/// Collects what a backfill emits.
actor EmitLog {
    struct Page { var posts: [String]; var cursor: Cursor; var progress: BackfillProgress }
    var pages: [Page] = []
    func add(_ posts: [Post], _ cursor: Cursor, _ progress: BackfillProgress) {
        pages.append(Page(posts: posts.map(\.postID), cursor: cursor, progress: progress))
    }
}
