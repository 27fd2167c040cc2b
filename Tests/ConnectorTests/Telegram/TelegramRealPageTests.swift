import Foundation
import OtklikTestSupport
import Testing
@testable import TelegramConnector

/// The recorded real page in `../shared/fixtures/telegram/` (skipped when absent).
@Suite struct TelegramRealPageTests {
    static var page: TelegramPage? {
        guard let dir = TestPaths.sharedFixtures,
              let data = FileManager.default.contents(atPath: dir + "/telegram/xCareers.html") else { return nil }
        return TelegramPageParser.parse(html: data)
    }

    @Test func realPage_parsesHeaderAndPagination() throws {
        guard let page = Self.page else {
            print("skipped: ../shared/fixtures/telegram/xCareers.html is not present"); return
        }
        #expect(page.channelTitle == "xCareers: Digital Jobs")
        #expect(page.channelUsername == "xCareers")
        #expect(page.subscribers == 60_000)
        #expect(page.before == 1491)
        #expect(page.after == nil)
        #expect(page.hasMessageHistory)
        #expect(!page.looksLikeLayoutChange)
    }

    @Test func realPage_everyMessageAsAReaderSeesIt() throws {
        guard let page = Self.page else {
            print("skipped: ../shared/fixtures/telegram/xCareers.html is not present"); return
        }
        #expect(page.messages.map(\.id) == [1491, 1510, 1511])
        #expect(page.messages.map(\.views) == [4400, 4100, 1500])
        #expect(page.messages.map(\.permalink) == ["https://t.me/xCareers/1491", "https://t.me/xCareers/1510", "https://t.me/xCareers/1511"])
        #expect(page.messages.map(\.published) == ["2020-04-30T17:00:04Z", "2020-05-03T15:00:03Z", "2020-05-04T07:00:02Z"].map { TelegramValues.isoDate($0)! })
        #expect(page.messages.allSatisfy { !$0.isEdited && $0.authorSignature == nil && $0.channel == "xCareers" })
        let first = try #require(page.messages.first)
        #expect(first.postID == "xCareers/1491")
        #expect(first.text.hasPrefix("РАЗРАБОТЧИК IOS 🔥\n\nФормат: #удаленка (на время карантина) потом #офис\nЛокация: #москва, #санкт_петербург, #россия\n"))
        #expect(first.text.contains("\n🔸 Опыт написания unit-тестов\n"))
        #expect(first.text.hasSuffix("Откликнуться: @Levelller\n\n#разработка #ios"))
        #expect(!first.isEdited)
        #expect(first.forwardedFrom == nil && first.replyTo == nil)
        #expect(first.attachments.isEmpty)
        let second = page.messages[1]
        #expect(second.text.hasPrefix("NODE.JS DEVELOPER\n\nФормат: #офис\n"))
        #expect(second.text.hasSuffix("⚠️ Вакансии закрываются очень быстро. Заглядывайте в @xCareers ежедневно, чтобы успеть откликаться!"))
        #expect(!second.text.contains("Разместить вакансию"), "inline buttons are not part of the text")
        #expect(!page.messages.contains { $0.text.contains("  ") || $0.text.contains(" \n") || $0.text.contains("\n ") })
    }
}
