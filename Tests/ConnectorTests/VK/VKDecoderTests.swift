import Foundation
import OtklikCore
import Testing
@testable import VKConnector

@Suite struct VKDecoderTests {
    @Test func decodeWall_whenShapesAreLoose_readsFlagsNumbersAndStringsAlike() throws {
        let page = try VKDecoder.decodeWall(data: VKFixtures.data("wall_get_mixed.json"))
        #expect(page.count == 6)
        #expect(page.items.map(\.id) == [10, 205, 204, 203, 201])
        let post = try #require(page.items.first { $0.id == 205 })
        #expect(post.ownerID == -100 && post.date == 1_700_090_000 && post.signerID == 501)
        #expect(post.isPinned == false && post.markedAsAds == false)
        #expect(post.counters == PostCounters(views: 900, likes: 12, reposts: 1, comments: 3))
        #expect(post.coordinates == Coordinates(lat: 47.2357, lon: 39.7015))
        #expect(post.attachments == ["photo", "link: https://example.org/news Новость", "video: Яма крупным планом",
                                     "doc: заявление.pdf", "mystery_kind"])
        #expect(page.items[0].isPinned)
        #expect(page.items.first { $0.id == 204 }?.markedAsAds == true)
        #expect(page.items.first { $0.id == 201 }?.counters.comments == 2)
    }

    @Test func decodeWall_whenItemsHaveUnknownShapes_skipsAndCountsThem() throws {
        let page = try VKDecoder.decodeWall(data: VKFixtures.data("wall_get_mixed.json"))
        #expect(page.skipped.count == 2)
        #expect(page.skipped.map(\.index) == [4, 5])
    }

    @Test func decodeWall_whenBodyIsNotJSONOrHasNoItems_throwsShapeErrorNotCrash() {
        #expect(throws: VKShapeError.self) { try VKDecoder.decodeWall(data: Data("{\"response\": 12}".utf8)) }
        #expect(throws: VKShapeError.self) { try VKDecoder.decodeWall(data: Data("<html>".utf8)) }
        #expect(throws: VKShapeError.self) { try VKDecoder.decodeWall(data: Data("{\"response\": {\"items\": [".utf8)) }
    }

    @Test func decodeWall_whenWallIsEmpty_returnsNoItems() throws {
        let page = try VKDecoder.decodeWall(data: Data(#"{"response":{"count":0,"items":[]}}"#.utf8))
        #expect(page.items.isEmpty && page.count == 0 && page.skipped.isEmpty)
    }

    @Test func decodeWall_whenErrorComesWithHTTP200_throwsAPIErrorWithTokenRedacted() throws {
        let data = try VKFixtures.data("error_5_token.json")
        Redactor.register(secret: "secret-token-123456")
        do {
            _ = try VKDecoder.decodeWall(data: data)
            Issue.record("expected an error")
        } catch let e as VKAPIError {
            #expect(e.code == 5 && e.method == "wall.get" && e.reaction == .stopToken)
            #expect(!e.description.contains("secret-token-123456"))
        }
    }

    @Test func decodeExecute_whenOneCallFails_pairsFalseWithItsError() throws {
        let results = try VKDecoder.decodeExecute(data: VKFixtures.data("execute_partial.json"), calls: 3)
        #expect(results.count == 3)
        if case .failure(let e) = results[1] { #expect(e.code == 15 && e.reaction == .skipSource) } else { Issue.record("call 2 should fail") }
        let first = try VKDecoder.decodeWall(json: results[0].get())
        #expect(first.items.map(\.id) == [3])
        #expect(try VKDecoder.decodeWall(json: results[2].get()).items.isEmpty)
    }

    @Test func decodeGroups_whenEitherAPIVersionShape_readsTheSameGroup() throws {
        let old = try VKDecoder.decodeGroups(data: VKFixtures.data("groups_getById_bare.json"))
        let new = try VKDecoder.decodeGroups(data: VKFixtures.data("groups_getById_groups.json"))
        #expect(old == new)
        #expect(old.first?.id == 100 && old.first?.screenName == "test_city")
    }

    @Test func decodeComments_whenThreadsAndDeleted_keepsThreadsAndMarksDeleted() throws {
        let page = try VKDecoder.decodeComments(data: VKFixtures.data("wall_getComments_threads.json"))
        #expect(page.items.map(\.id) == [900, 901, 902])
        #expect(page.items[0].thread.map(\.id) == [905, 906])
        #expect(page.items[1].deleted)
    }

    @Test func decodeSearch_readsNextFrom() throws {
        let page = try VKDecoder.decodeSearch(data: VKFixtures.data("newsfeed_search.json"))
        #expect(page.items.count == 2 && page.nextFrom == "2/-800_12" && page.totalCount == 1500)
        #expect(page.names.name(of: 701) == "Ольга Пробная" && page.names.name(of: -800) == "Водоканал (тест)")
    }

    @Test func parser_whenEscapesAndSurrogates_decodesText() throws {
        let json = try VKJSONParser.parse(Data(#"{"t":"a\"b\\c\nd \u0416 \ud83d\ude00","n":-12.5e1,"big":12345678901234567890}"#.utf8))
        #expect(json["t"]?.string == "a\"b\\c\nd Ж 😀")
        #expect(json["n"]?.double == -125)
        #expect(json["big"]?.double != nil)
    }

    @Test func parser_whenHugeText_keepsItWhole() throws {
        let text = String(repeating: "Очень длинный текст жалобы. ", count: 20_000)
        let body = #"{"response":{"count":1,"items":[{"id":1,"owner_id":-1,"date":1,"text":""# + text + #""}]}}"#
        let page = try VKDecoder.decodeWall(data: Data(body.utf8))
        #expect(page.items[0].text == text)
    }

    @Test func parser_whenNestedTooDeep_failsCleanly() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: VKJSONError.self) { try VKJSONParser.parse(Data(deep.utf8)) }
    }

    @Test func benchSample_decodesIntoThatManyPosts() throws {
        let page = try VKDecoder.decodeWall(data: VKDecoder.benchSample(posts: 250))
        #expect(page.items.count == 250 && page.skipped.isEmpty)
        #expect(page.items.filter { $0.coordinates != nil }.count == 50)
    }
}
