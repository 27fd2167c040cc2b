import Foundation
import OtklikCore
import Testing
@testable import VKConnector

@Suite struct VKPostMapperTests {
    let mapper = VKPostMapper(sourceID: "city")

    func mapped() throws -> [String: Post] {
        let page = try VKDecoder.decodeWall(data: VKFixtures.data("wall_get_mixed.json"))
        var out: [String: Post] = [:]
        for p in page.items { if case .success(let post) = mapper.map(p, names: page.names) { out[post.postID] = post } }
        return out
    }

    @Test func map_whenPostIsSigned_usesStableIdLinkAndSigner() throws {
        let post = try #require(try mapped()["wall-100_205"])
        #expect(post.key == "vk:wall-100_205")
        #expect(post.url == "https://vk.com/wall-100_205")
        #expect(post.authorID == "501" && post.authorName == "Анна Тестова")
        #expect(post.published == Date(timeIntervalSince1970: 1_700_090_000))
        #expect(post.edited == Date(timeIntervalSince1970: 1_700_090_500))
        #expect(post.coordinates == Coordinates(lat: 47.2357, lon: 39.7015))
        #expect(post.sourceKind == "vk" && post.sourceID == "city")
    }

    @Test func map_whenMarkedAsAds_dropsIt() throws {
        #expect(try mapped()["wall-100_204"] == nil)
    }

    @Test func map_whenRepostOfRepostWithEmptyText_takesOriginalTextAndRootKey() throws {
        let post = try #require(try mapped()["wall-100_203"])
        #expect(post.repostOf?.key == "vk:wall-400_55")
        #expect(post.repostOf?.name == "Жители двора")
        #expect(post.extra["repost_via"] == "vk:wall-300_77")
        #expect(post.text.contains("третий день нет горячей воды"))
        #expect(post.coordinates == Coordinates(lat: 47.1, lon: 39.6))
    }

    @Test func map_whenPinned_marksItInExtra() throws {
        #expect(try mapped()["wall-100_10"]?.extra["pinned"] == "1")
    }

    @Test func mapComment_whenThreadsAndDeleted_skipsDeletedKeepsRepliesWithParent() throws {
        let page = try VKDecoder.decodeComments(data: VKFixtures.data("wall_getComments_threads.json"))
        let posts = page.items.flatMap { mapper.map(comment: $0, owner: -100, postID: 205, names: page.names) }
        #expect(posts.map(\.postID) == ["wall-100_205?reply=900", "wall-100_205?reply=905",
                                        "wall-100_205?reply=907", "wall-100_205?reply=902"])
        #expect(posts.allSatisfy { $0.replyTo?.key == "vk:wall-100_205" })
        #expect(posts[1].url == "https://vk.com/wall-100_205?reply=905&thread=900")
        #expect(posts[0].authorName == "Иван Проверкин")
    }
}
