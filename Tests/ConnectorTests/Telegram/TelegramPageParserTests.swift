import Foundation
import Testing
@testable import TelegramConnector

@Suite struct TelegramPageParserTests {
    @Test func edgeCases_headerCountersAndMoreLink() throws {
        let page = try TelegramFixtures.page("channel_edge_cases.html")
        #expect(page.channelTitle == "Тестовый канал & друзья")
        #expect(page.channelUsername == "testchannel")
        #expect(page.subscribers == 12_300)
        #expect(page.before == 100)
        #expect(page.after == nil)
        #expect(!page.looksLikeLayoutChange)
    }

    @Test func edgeCases_serviceMessagesAreRecognisedAndSkipped() throws {
        let page = try TelegramFixtures.page("channel_edge_cases.html")
        #expect(page.serviceMessageIDs == [100, 111, 115])
        #expect(page.messages.map(\.id) == [101, 102, 103, 104, 107, 108, 109, 110, 113, 114])
        #expect(page.newestID == 115)
        #expect(page.oldestID == 100)
    }

    @Test func message_withEntitiesLinksAndEdit_readsAsPlainText() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 101 })
        #expect(m.text == "Во дворе дома №5 \"Водоканал\" & УК не чинят трубу <третий день> холодно 😀\nПодробнее: example.org/page #вода\nЖирный и курсив, код, спойлер")
        #expect(m.isEdited)
        #expect(m.authorSignature == "Иван Петров")
        #expect(m.views == 1200)
        #expect(m.permalink == "https://t.me/testchannel/101")
        #expect(m.published == TelegramValues.isoDate("2026-11-20T09:00:00Z"))
        #expect(m.attachments.isEmpty)
    }

    @Test func message_forwardedFromChannel_keepsNameLinkAndPhoto() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 102 })
        #expect(m.forwardedFrom?.name == "Другие новости")
        #expect(m.forwardedFrom?.url == "https://t.me/other_news/55")
        #expect(m.forwardedFrom?.detail == "Редактор")
        #expect(m.forwardedFrom?.messagePath == "other_news/55")
        #expect(m.attachments == ["photo"])
        #expect(m.views == 3_000_000)
        #expect(!m.isEdited)
        #expect(m.text == "Яма на дороге у школы.")
    }

    @Test func message_forwardedFromHiddenUser_hasNameWithoutLink() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 114 })
        #expect(m.forwardedFrom == TelegramLink(name: "Скрытый пользователь"))
        #expect(m.published == TelegramValues.isoDate("2026-11-21T07:30:00Z"))
    }

    @Test func message_reply_quotesAreNotTheMessageText() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 103 })
        #expect(m.text == "Обновление: трубу починили.")
        #expect(m.replyTo?.url == "https://t.me/testchannel/101")
        #expect(m.replyTo?.messagePath == "testchannel/101")
        #expect(m.replyTo?.name == "Тестовый канал")
        #expect(m.replyTo?.detail == "Во дворе дома №5 «Водоканал» …")
        #expect(m.views == 987)
    }

    @Test func message_album_isOneMessageWithAllItems() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 104 })
        #expect(m.attachments == ["album: 3 (2 photos, 1 video)"])
        #expect(m.text == "Мусор не вывозят неделю, фото со двора.")
    }

    @Test func message_pollWithoutText_usesQuestionAndOptions() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 107 })
        #expect(m.text == "Как часто отключают свет?\nКаждую неделю\nРедко")
        #expect(m.attachments == ["poll: Как часто отключают свет?"])
    }

    @Test func message_location_givesCoordinates() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 108 })
        #expect(m.coordinates?.lat == 47.236)
        #expect(m.coordinates?.lon == 39.713)
        #expect(m.attachments == ["location"])
        #expect(m.text == "Здесь открытый люк.")
    }

    @Test func message_documentWithCaption() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 109 })
        #expect(m.attachments == ["document: график_отключений.pdf"])
        #expect(m.text == "График отключений воды на декабрь.")
    }

    @Test func message_rightToLeftText_isKeptIntact() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 110 })
        #expect(m.text == "مرحبا بالعالم — שלום עולם")
    }

    @Test func message_emojiImageWithoutCharacter_isDecodedFromItsURL() throws {
        let m = try #require(try TelegramFixtures.page("channel_edge_cases.html").messages.first { $0.id == 113 })
        #expect(m.text == "Старая разметка эмодзи: 🚧 ремонт")
    }

    @Test func markupQuotedInAScript_isNotTakenForAMessage() throws {
        let page = try TelegramFixtures.page("channel_edge_cases.html")
        #expect(page.unreadableContainers == 0)
        #expect(!page.messages.contains { $0.channel == "nope" })
    }

    @Test func deletedMessages_leaveGapsOnly() throws {
        let ids = try TelegramFixtures.page("channel_edge_cases.html").messages.map(\.id)
        #expect(!ids.contains(112))
    }

    @Test func emptyChannel_isNotALayoutChange() throws {
        let page = try TelegramFixtures.page("channel_empty.html")
        #expect(page.messages.isEmpty)
        #expect(page.saysNoMessages)
        #expect(page.before == nil)
        #expect(!page.looksLikeLayoutChange)
    }

    @Test func changedLayout_isReportedAsSuch() throws {
        let page = try TelegramFixtures.page("channel_changed_layout.html")
        #expect(page.messages.isEmpty)
        #expect(page.hasMessageHistory)
        #expect(page.looksLikeLayoutChange)
    }

    @Test func previewDisabled_isALandingPageWithTitle() throws {
        let page = try TelegramFixtures.page("preview_disabled.html")
        #expect(page.isLandingPage)
        #expect(!page.isNotFoundPage)
        #expect(page.channelTitle == "Закрытый канал")
        #expect(page.subscribers == 1234)
        #expect(!page.looksLikeLayoutChange)
    }

    @Test func channelNotFound_isRecognised() throws {
        let page = try TelegramFixtures.page("channel_not_found.html")
        #expect(page.isLandingPage)
        #expect(page.isNotFoundPage)
        #expect(!page.looksLikeLayoutChange)
    }

    @Test func generatedPage_roundTrips() {
        let html = TelegramFixtures.channelPage("gen", [.init(id: 5, text: "a"), .init(id: 6, text: "b", edited: true)], before: 5, after: 7)
        let page = TelegramPageParser.parse(html: html)
        #expect(page.messages.map(\.id) == [5, 6])
        #expect(page.messages.map(\.isEdited) == [false, true])
        #expect(page.before == 5 && page.after == 7)
    }

    @Test(arguments: [("4.4K", 4400), ("1.2K", 1200), ("3M", 3_000_000), ("987", 987), ("1 234", 1234), ("12.35K", 12350), ("1.5M", 1_500_000)])
    func compactCount_readsTelegramCounters(_ s: String, _ v: Int) {
        #expect(TelegramValues.compactCount(s) == v)
    }

    @Test func compactCount_rejectsGarbage() {
        #expect(TelegramValues.compactCount("views") == nil)
        #expect(TelegramValues.compactCount("") == nil)
    }

    @Test func isoDate_handlesOffsetsAndZulu() {
        #expect(TelegramValues.isoDate("2020-04-30T17:00:04+00:00")?.timeIntervalSince1970 == 1_588_266_004)
        #expect(TelegramValues.isoDate("2020-04-30T20:00:04+03:00")?.timeIntervalSince1970 == 1_588_266_004)
        #expect(TelegramValues.isoDate("2020-04-30T17:00:04Z")?.timeIntervalSince1970 == 1_588_266_004)
        #expect(TelegramValues.isoDate("yesterday") == nil)
    }
}
