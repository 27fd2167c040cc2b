import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

@Suite struct DedupeStageTests {
    let water = "Третий день нет воды в Батайске на ул. Ленина 15. В водоканале трубку не берут, сколько можно терпеть?"

    @Test func dedupe_whenSamePostArrivesTwice_dropsTheSecond() throws {
        let h = DedupeHarness()
        let (first, _) = try h.run(DedupeHarness.post("wall-1_10", water))
        let (second, _) = try h.run(DedupeHarness.post("wall-1_10", water))
        #expect(first == .pass)
        #expect(second == .drop(reason: "duplicate"))
    }

    @Test func dedupe_whenPostWasEdited_passesItAsAnUpdate() throws {
        let h = DedupeHarness()
        try h.run(DedupeHarness.post("wall-1_10", water))
        let (outcome, item) = try h.run(DedupeHarness.post("wall-1_10", water + " Уже четвёртый!", edited: 1_790_003_600))
        #expect(outcome == .pass)
        #expect(item.isUpdate)
        #expect(item.nearDuplicateOf == nil && item.duplicateOf == nil)
        // The same edit delivered again is a duplicate.
        let (again, _) = try h.run(DedupeHarness.post("wall-1_10", water + " Уже четвёртый!", edited: 1_790_003_600))
        #expect(again == .drop(reason: "duplicate"))
    }

    @Test func dedupe_whenRepostOfSeenPost_setsDuplicateOf() throws {
        let h = DedupeHarness()
        try h.run(DedupeHarness.post("wall-1_10", water))
        // VK copy_history: the outer post carries the original's text and its key.
        let (outcome, item) = try h.run(DedupeHarness.post("wall-2_77", water, repostOf: "vk:wall-1_10"))
        #expect(outcome == .pass)
        #expect(item.duplicateOf == "vk:wall-1_10")
        // A repost of a post never seen is a new post.
        let (_, other) = try h.run(DedupeHarness.post("wall-3_5", "Новый пост про субботник в парке", repostOf: "vk:wall-9_9"))
        #expect(other.duplicateOf == nil)
    }

    @Test func dedupe_whenSameTextWithSmallEdits_marksNearDuplicateOfFirstPost() throws {
        let h = DedupeHarness()
        try h.run(DedupeHarness.post("wall-1_10", water))
        let edited = "Третий день нет воды в Батайске на ул. Ленина 15!! В водоканале трубку не берут, сколько можно терпеть"
        let (o1, i1) = try h.run(DedupeHarness.post("a/1", edited, source: "telegram"))
        #expect(o1 == .pass)
        #expect(i1.nearDuplicateOf == "vk:wall-1_10")
        // A third copy, closer to the second, still points at the first post of the family.
        let (_, i2) = try h.run(DedupeHarness.post("b/2", edited + "!", source: "telegram"))
        #expect(i2.nearDuplicateOf == "vk:wall-1_10")
    }

    @Test func dedupe_whenDifferentProblemsShareWords_doesNotMerge() throws {
        let h = DedupeHarness()
        try h.run(DedupeHarness.post("wall-1_10", water))
        let texts = [
            "Третий день нет воды в Шахтах на ул. Ленина 15. В водоканале трубку не берут, сколько можно терпеть?",
            "Третий день нет воды в Батайске на ул. Гагарина 15. В водоканале трубку не берут, сколько можно терпеть?",
            "Третий день нет воды в Батайске на ул. Ленина 40. В водоканале трубку не берут, сколько можно терпеть?",
            "Третий день нет света в Батайске на ул. Ленина 15. В горсетях трубку не берут, сколько можно терпеть?",
        ]
        for (n, t) in texts.enumerated() {
            let (outcome, item) = try h.run(DedupeHarness.post("wall-1_\(20 + n)", t))
            #expect(outcome == .pass)
            #expect(item.nearDuplicateOf == nil, "merged: \(t)")
        }
    }

    @Test func dedupe_whenShortPostsRepeat_doesNotCallThemNearDuplicates() throws {
        let h = DedupeHarness()
        try h.run(DedupeHarness.post("1", "Нет воды!"))
        let (_, item) = try h.run(DedupeHarness.post("2", "Нет воды!!!"))
        #expect(item.nearDuplicateOf == nil)
    }

    @Test func dedupe_whenRestarted_restoresTheWindowFromDisk() throws {
        let dir = TestPaths.makeTempDir()
        let path = dir + "/dedupe.sqlite"
        do {
            let h = DedupeHarness(path: path)
            try h.run(DedupeHarness.post("wall-1_10", water))
            try h.window.flush()
        }
        let h2 = DedupeHarness(path: path)
        let (outcome, _) = try h2.run(DedupeHarness.post("wall-1_10", water))
        #expect(outcome == .drop(reason: "duplicate"))
        let (_, near) = try h2.run(DedupeHarness.post("x/1", water + "!!", source: "telegram"))
        #expect(near.nearDuplicateOf == "vk:wall-1_10")
        #expect(h2.window.count == 2)
    }

    @Test func dedupe_whenWindowExpires_forgetsOldPosts() throws {
        let h = DedupeHarness { $0.window = .seconds(3600) }
        try h.run(DedupeHarness.post("wall-1_10", water))
        h.clock.now += 3601
        let (outcome, _) = try h.run(DedupeHarness.post("wall-1_10", water))
        #expect(outcome == .pass)
    }

    @Test func dedupe_whenMaxEntriesReached_evictsTheOldest() throws {
        let h = DedupeHarness { $0.maxEntries = 3 }
        for n in 0..<4 { try h.run(DedupeHarness.post("p\(n)", "Пост номер \(n) о разном и всяком")) }
        #expect(h.window.count == 3)
        #expect(try h.run(DedupeHarness.post("p0", "Пост номер 0 о разном и всяком")).0 == .pass)
        #expect(try h.run(DedupeHarness.post("p3", "Пост номер 3 о разном и всяком")).0 == .drop(reason: "duplicate"))
    }
}

extension DedupeStageTests {
    /// The first post's key is read back from its batch on disk after a restart, with many
    /// batches written since.
    @Test func dedupe_whenRestartedAfterManyBatches_namesTheFirstPostFromDisk() throws {
        let path = TestPaths.makeTempDir() + "/dedupe.sqlite"
        do {
            let h = DedupeHarness(path: path) { $0.batchSize = 8 }
            try h.run(DedupeHarness.post("wall-1_10", water))
            for n in 0..<100 { try h.run(DedupeHarness.post("wall-2_\(n)", "Объявление номер \(n): продаю гараж, торг уместен")) }
            try h.window.flush()
        }
        let h2 = DedupeHarness(path: path)
        let (_, near) = try h2.run(DedupeHarness.post("x/1", water + "!!", source: "telegram"))
        #expect(near.nearDuplicateOf == "vk:wall-1_10")
        #expect(h2.window.count == 102)
    }
}

extension DedupeStageTests {
    /// A first post whose batch has left the in-memory recent batches is named from disk.
    @Test func dedupe_whenFirstPostIsOlderThanTheRecentBatches_readsItsKeyFromDisk() throws {
        let path = TestPaths.makeTempDir() + "/dedupe.sqlite"
        let h = DedupeHarness(path: path) { $0.batchSize = 1 }
        try h.run(DedupeHarness.post("wall-1_10", water))
        for n in 0..<(DedupeWindow.recentBatches + 10) {
            try h.run(DedupeHarness.post("wall-2_\(n)", "Объявление номер \(n): продаю гараж, торг уместен"))
        }
        try h.window.waitForQueuedWrites()
        let (_, near) = try h.run(DedupeHarness.post("x/1", water + "!!", source: "telegram"))
        #expect(near.nearDuplicateOf == "vk:wall-1_10")
    }
}
