import Foundation
import OtklikCore
import OtklikTestSupport
import Testing
@testable import VKConnector

/// A VK backfill stopped after a page and resumed from that page's cursor.
struct VKBackfillResumeTests {
    struct Stop: Error {}

    @Test func backfill_resumedFromAPageCursor_emitsEveryPostExactlyOnce() async throws {
        let h = try VKHarness.make("owner: -300\npage_size: 10\n")
        h.api.post(-300, count: 40)
        let all = Date(timeIntervalSince1970: 0), end = Date(timeIntervalSince1970: 2_000_000_000)
        let first = VKBox<[String]>([])
        let cursor = VKBox<Cursor?>(nil)
        let pages = VKBox(0)
        await #expect(throws: Stop.self) {
            try await h.source.backfill(from: all, to: end, resume: nil) { posts, c, _ in
                first.update { $0 += posts.map(\.postID) }
                cursor.update { $0 = c }
                pages.update { $0 += 1 }
                if pages.value == 3 { throw Stop() }
            }
        }
        let second = VKBox<[String]>([])
        try await h.source.backfill(from: all, to: end, resume: cursor.value) { posts, _, _ in
            second.update { $0 += posts.map(\.postID) }
        }
        let ids = first.value + second.value
        #expect(ids.count == 40, "pages overlap by 5 posts; the resumed walk does not emit them again")
        #expect(Set(ids) == Set((1...40).map { "wall-300_\($0)" }))
    }

    @Test func backfill_cursorWrittenBeforeThisFix_stillResumes() async throws {
        let h = try VKHarness.make("owner: -300\npage_size: 10\n")
        h.api.post(-300, count: 20)
        let got = VKBox<[String]>([])
        try await h.source.backfill(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: 2_000_000_000),
                                    resume: Cursor(#"{"community":0,"offset":5}"#)) { posts, _, _ in
            got.update { $0 += posts.map(\.postID) }
        }
        #expect(Set(got.value) == Set((1...15).map { "wall-300_\($0)" }))
    }
}
