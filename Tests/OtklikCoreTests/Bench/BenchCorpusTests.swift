import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

@Suite struct BenchCorpusTests {
    @Test func corpus_sameSeed_givesSamePosts() {
        let a = BenchCorpus.posts(2000, seed: 42)
        let b = BenchCorpus.posts(2000, seed: 42)
        #expect(a == b)
    }

    @Test func corpus_otherSeed_givesOtherPosts() {
        let a = BenchCorpus.posts(500, seed: 1).map(\.text)
        let b = BenchCorpus.posts(500, seed: 2).map(\.text)
        #expect(a != b)
    }

    @Test func corpus_20kPosts_haveTheRealisticMix() {
        var c = BenchCorpus(seed: 7)
        var kinds: [BenchCorpus.Kind: Int] = [:]
        var seen = Set<String>()
        var english = 0
        var lengths: [Int] = []
        for _ in 0..<20_000 {
            let (p, kind) = c.next()
            kinds[kind, default: 0] += 1
            lengths.append(p.text.count)
            switch kind {
            case .duplicate: #expect(seen.contains(p.key))
            case .repost:
                #expect(p.repostOf?.key.map(seen.contains) == true)
                #expect(!seen.contains(p.key))
            default: #expect(!seen.contains(p.key))
            }
            if kind == .english { english += 1; #expect(p.text.unicodeScalars.allSatisfy { $0.value < 0x400 }) }
            seen.insert(p.key)
        }
        func share(_ k: BenchCorpus.Kind) -> Double { Double(kinds[k, default: 0]) / 20_000 }
        // Fresh complaints only; reposts, near-duplicates, the demo feed and long posts add more,
        // so the classifier finds about 13% complaints in the stream.
        #expect((0.025...0.05).contains(share(.complaint)))
        #expect(share(.nearDuplicate) > 0.03 && share(.repost) > 0.03 && share(.duplicate) > 0.02)
        #expect(share(.ad) > 0.1 && share(.english) > 0.03)
        #expect(lengths.min()! < 20 && lengths.max()! > 400)
        #expect(Set(BenchCorpus.posts(1000, seed: 7).map(\.sourceKind)) == ["vk", "telegram"])
    }

    @Test func corpus_nearDuplicate_differsSlightlyFromAnEarlierPost() {
        var c = BenchCorpus(seed: 3)
        var texts: [String] = []
        var checked = 0
        for _ in 0..<1500 {
            let (p, kind) = c.next()
            if kind == .nearDuplicate {
                let words = Set(p.text.split(separator: " "))
                let best = texts.map { Set($0.split(separator: " ")).intersection(words).count }.max() ?? 0
                let close = best >= words.count - 3  // an ending of up to three words, a swap, a changed mark
                #expect(close, "a near-duplicate shares most words with an earlier post")
                checked += 1
            }
            texts.append(p.text)
        }
        #expect(checked > 25)
    }

    @Test func seeds_fromTheRepository_addTheDemoFeedAndDevSet() {
        let s = BenchSeeds.load(repoRoot: TestPaths.repoRoot, sharedFixtures: nil)
        #expect(s.origins.contains("samples/posts.jsonl") && s.origins.contains("devset.jsonl"))
        #expect(s.complaints.count > BenchSeeds.builtIn.complaints.count + 100)
        #expect(s.feed.count > 100)
        let none = BenchSeeds.load(repoRoot: TestPaths.makeTempDir(), sharedFixtures: nil)
        #expect(none.origins == ["built-in"])
    }

    @Test func seeds_withSharedFixtures_addRealAppealsWithoutMarkup() throws {
        guard let shared = TestPaths.sharedFixtures else {
            print("skipped: ../shared/fixtures not found (real appeal texts)")
            return
        }
        let s = BenchSeeds.load(repoRoot: nil, sharedFixtures: shared)
        #expect(s.origins.contains("shared complaints"))
        #expect(s.complaints.count > 1000)
        #expect(!s.complaints.contains { $0.contains("<p>") || $0.contains("&nbsp;") })
    }

    @Test func corpus_withTextChars_givesPostsOfAboutThatLength() {
        let posts = BenchCorpus.posts(3000, seed: 5, textChars: 300)
        let fresh = posts.filter { $0.repostOf == nil }.map { $0.text.count }
        let mean = Double(fresh.reduce(0, +)) / Double(fresh.count)
        #expect(mean > 270 && mean <= 300, "mean \(mean) characters")
        #expect(fresh.allSatisfy { $0 <= 360 }, "\(fresh.max() ?? 0): more than 300 characters and a near-duplicate's ending")
        #expect(BenchCorpus.posts(200, seed: 5, textChars: 300).map(\.text) == posts.prefix(200).map(\.text))
    }
}
