import Foundation
import OtklikCore
import Testing
@testable import VKConnector

/// Decoding and mapping of real recorded VK responses from `../shared/fixtures/vk`.
/// Skipped (with a message) where that folder does not exist. Prints no personal data.
@Suite struct VKRealDataTests {
    @Test func realWall_decodesEveryPostAndPinnedComesFirst() throws {
        guard let data = VKFixtures.shared("01_wall_get_foodsharing_community_2020.json") else {
            print("skipped: ../shared/fixtures/vk not present"); return
        }
        let page = try VKDecoder.decodeWall(data: data)
        #expect(page.items.count == 10 && page.skipped.isEmpty)
        #expect(page.items[0].isPinned && page.items[0].date < page.items[1].date)
        let mapper = VKPostMapper(sourceID: "real")
        let posts = page.items.compactMap { try? mapper.map($0, names: page.names).get() }
        #expect(posts.count == 10)
        #expect(posts.allSatisfy { $0.url?.hasPrefix("https://vk.com/wall-109125816_") == true })
        #expect(posts.contains { !$0.attachments.isEmpty })
    }

    @Test func realRepost_takesContentFromCopyHistory() throws {
        guard let data = VKFixtures.shared("02_wall_get_extended_repost_profiles_groups.json") else {
            print("skipped: ../shared/fixtures/vk not present"); return
        }
        let page = try VKDecoder.decodeWall(data: data)
        let post = try VKPostMapper(sourceID: "real").map(page.items[0], names: page.names).get()
        #expect(post.repostOf?.key == "vk:wall-29246653_93530")
        #expect(post.attachments.contains("photo"))
    }

    @Test func realCommentsSearchGroupsAndErrors_decode() throws {
        guard let dir = VKFixtures.shared("06_wall_getComments_threads_deleted.json") else {
            print("skipped: ../shared/fixtures/vk not present"); return
        }
        let comments = try VKDecoder.decodeComments(data: dir)
        #expect(comments.items.count == 3 && comments.items[1].deleted)
        let search = try VKDecoder.decodeSearch(data: try #require(VKFixtures.shared("07_newsfeed_search_next_from.json")))
        #expect(search.nextFrom == "3/-184898883_177" && !search.items.isEmpty)
        let groups = try VKDecoder.decodeGroups(data: try #require(VKFixtures.shared("09_groups_getById_groups_profiles_2025.json")))
        #expect(groups.first?.id == 33_438_842)
        let exec = try VKDecoder.decodeExecute(data: try #require(VKFixtures.shared("11_execute_errors.json")), calls: 1)
        #expect(exec.count == 1)
        for (file, code) in [("12_error_5_auth_ip_mismatch.json", 5), ("13_error_14_captcha.json", 14)] {
            #expect { try VKDecoder.decodeWall(data: try #require(VKFixtures.shared(file))) } throws: { e in
                (e as? VKAPIError)?.code == code
            }
        }
    }
}
