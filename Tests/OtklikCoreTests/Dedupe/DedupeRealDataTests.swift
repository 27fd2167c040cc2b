import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

/// Dedupe over real residents' appeals (`../shared/fixtures/complaints`) and the real VK
/// repost shape (`../shared/fixtures/vk`). Skipped when the fixtures are absent.
@Suite struct DedupeRealDataTests {
    struct Appeal: Decodable { var id: String; var text: String }

    static func appeals() throws -> [Appeal]? {
        guard let dir = TestPaths.sharedFixtures,
              let data = FileManager.default.contents(atPath: dir + "/complaints/kursk-appeals.jsonl") else { return nil }
        let d = JSONDecoder()
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { try d.decode(Appeal.self, from: Data($0.utf8)) }
    }

    /// Small edits a resident makes when re-posting: HTML gone, a typo, an appeal to share.
    static func edit(_ s: String) -> String {
        var words = s.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .replacingOccurrences(of: "&nbsp;", with: " ").split(separator: " ").map(String.init)
        if words.count > 10 { words[words.count / 2] = String(words[words.count / 2].dropLast()) }
        return words.joined(separator: " ") + " Помогите, пожалуйста!"
    }

    @Test func realAppeals_whenRepostedWithSmallEdits_areNearDuplicates() throws {
        guard let appeals = try Self.appeals() else {
            print("skipped: ../shared/fixtures/complaints/kursk-appeals.jsonl not found"); return
        }
        let h = DedupeHarness()
        let sample = appeals.filter { $0.text.split(separator: " ").count >= 40 }.prefix(100)
        for a in sample { try h.run(DedupeHarness.post(a.id, a.text, source: "jsonl")) }
        var found = 0
        for a in sample {
            let (_, item) = try h.run(DedupeHarness.post(a.id + "-copy", Self.edit(a.text), source: "telegram"))
            if item.nearDuplicateOf == "jsonl:" + a.id { found += 1 }
        }
        print("near-duplicates found: \(found) of \(sample.count)")
        #expect(found >= 55)  // 61 measured at distance 3
    }

    @Test func realAppeals_differentProblems_doNotMerge() throws {
        guard let appeals = try Self.appeals() else {
            print("skipped: ../shared/fixtures/complaints/kursk-appeals.jsonl not found"); return
        }
        let h = DedupeHarness()
        var texts: [String: String] = [:]
        var merged: [(String, String)] = []
        for a in appeals {
            texts[a.id] = a.text
            let (_, item) = try h.run(DedupeHarness.post(a.id, a.text, source: "jsonl"))
            if let first = item.nearDuplicateOf, let t = texts[String(first.dropFirst("jsonl:".count))],
               Tokenizer.normalize(t) != Tokenizer.normalize(a.text) {
                merged.append((first, a.id))
            }
        }
        print("distinct appeals merged: \(merged.count) of \(appeals.count)")
        #expect(merged.count <= appeals.count / 200)
    }

    @Test func realVKRepost_copyHistoryOfSeenPost_isMarked() throws {
        guard let dir = TestPaths.sharedFixtures,
              let data = FileManager.default.contents(atPath: dir + "/vk/02_wall_get_extended_repost_profiles_groups.json"),
              let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            print("skipped: ../shared/fixtures/vk not found"); return
        }
        let body = root["response"] as? [String: Any] ?? root
        let outer = try #require((body["items"] as? [[String: Any]])?.first)
        let origin = try #require((outer["copy_history"] as? [[String: Any]])?.first)
        func key(_ p: [String: Any]) -> String { "wall\((p["owner_id"] as? NSNumber)!.intValue)_\((p["id"] as? NSNumber)!.intValue)" }
        let h = DedupeHarness()
        try h.run(DedupeHarness.post(key(origin), origin["text"] as? String ?? ""))
        let (outcome, item) = try h.run(DedupeHarness.post(key(outer), outer["text"] as? String ?? "", repostOf: "vk:" + key(origin)))
        #expect(outcome == .pass)
        #expect(item.duplicateOf == "vk:" + key(origin))
        // The collector delivering the repost again: an exact duplicate.
        #expect(try h.run(DedupeHarness.post(key(outer), "", repostOf: "vk:" + key(origin))).0 == .drop(reason: "duplicate"))
    }
}
