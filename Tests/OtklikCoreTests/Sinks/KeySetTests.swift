import Testing
@testable import OtklikCore

/// The SQLite sink's set of post keys answers as `Set<String>` does, and `IncidentMerge.union`
/// built on it keeps first-seen order without the opening post.
@Suite struct KeySetTests {
    @Test func insertAndContains_answerAsASetOfStrings_throughGrowth() {
        var rng = BenchRandom(seed: 21)
        var keys = KeySet()
        var reference = Set<String>()
        let alphabet = ["vk:wall-1_", "tg:c/", "ё", "😀", "jsonl:a\"b", ""]
        for _ in 0..<5000 {
            let k = alphabet[rng.below(alphabet.count)] + String(rng.below(3000))
            #expect(keys.insert(k) == reference.insert(k).inserted)
            let probe = alphabet[rng.below(alphabet.count)] + String(rng.below(3000))
            #expect(keys.contains(probe) == reference.contains(probe))
        }
        #expect(keys.count == reference.count)
        #expect(Set(keys.keys) == reference)
        #expect(!KeySet().contains(""))
    }

    @Test func union_keepsFirstSeenOrder_eachKeyOnce_withoutTheOpeningPost() {
        #expect(IncidentMerge.union(["a", "b", "a", "o"], ["c", "b", "o", "d", "c"], without: "o") == ["a", "b", "c", "d"])
        #expect(IncidentMerge.union([], [], without: "o") == [])
        let cap = (0..<100).map { "tg:c/\($0)" }
        #expect(IncidentMerge.union(cap, cap, without: "vk:1") == cap)
        #expect(IncidentMerge.union(cap, cap + ["x"], without: "tg:c/5") == cap.filter { $0 != "tg:c/5" } + ["x"])
        #expect(IncidentMerge.union(cap, cap + ["x", "y"], without: "vk:1") == cap + ["x", "y"])
        #expect(IncidentMerge.union(cap, cap + ["x", "vk:1", "y"], without: "vk:1") == cap + ["x", "y"])
        #expect(IncidentMerge.union(cap, ["y"] + cap + ["x"], without: "vk:1") == cap + ["y", "x"])
        #expect(IncidentMerge.union(["a", "b"], ["b", "a", "c"], without: "vk:1") == ["a", "b", "c"])
        // b's duplicate at an index that names itself in the table (a.count + earlier index).
        #expect(IncidentMerge.union(["a", "b"], ["a", "b", "c", "c"], without: "vk:1") == ["a", "b", "c"])
        #expect(IncidentMerge.union(["a", "b"], ["a", "b", "c", "d", "c"], without: "vk:1") == ["a", "b", "c", "d"])
    }

    /// The first-seen union as `Set<String>` computes it.
    static func referenceUnion(_ a: [String], _ b: [String], without opening: String) -> [String] {
        var seen: Set<String> = [opening]
        return (a + b).filter { seen.insert($0).inserted }
    }

    /// Random lists with repeats, the opening post inside, one a prefix of the other, or equal
    /// (the fast path that returns the stored list as it is): the union is always the reference's.
    @Test func union_ofRandomLists_isTheReferenceUnion() {
        var rng = BenchRandom(seed: 33)
        for _ in 0..<2000 {
            let pool = (0..<(1 + rng.below(40))).map { "tg:c/\($0)" }
            func list() -> [String] { (0..<rng.below(30)).map { _ in pool[rng.below(pool.count)] } }
            let opening = rng.below(3) == 0 ? pool[0] : "vk:1"
            var a = list(), b = list()
            switch rng.below(5) {
            case 0: a = Array(Set(a)).filter { $0 != opening }.sorted(); b = a
            case 1: a = Array(Set(a)).filter { $0 != opening }.sorted(); b = a + [opening] + a.prefix(rng.below(a.count + 1))
            case 2: b = a + b
            case 3:
                a = Array(Set(a)).filter { $0 != opening }.sorted()
                b = a + Array(Set(b).subtracting(a)).sorted() + (rng.below(2) == 0 ? [] : [pool[rng.below(pool.count)]])
            default: break
            }
            let expected = Self.referenceUnion(a, b, without: opening)
            #expect(IncidentMerge.union(a, b, without: opening) == expected)
        }
    }

    /// The keys the sink still has to add to `incident_posts`: none when the list is the stored
    /// one, the new ones otherwise, every key when none are known.
    @Test func unlisted_givesTheKeysNotYetListed() {
        var m = IncidentBookCompactTests.incident("vk:1")
        m.relatedPosts = ["a", "b", "c"]
        #expect(SQLiteSink.unlisted(m, listed: (["a", "b", "c"], "vk:1")) == [])
        #expect(SQLiteSink.unlisted(m, listed: (["a", "c"], "vk:1")) == ["b"])
        #expect(SQLiteSink.unlisted(m, listed: (["a", "b", "c"], "vk:2")) == ["vk:1"])
        #expect(SQLiteSink.unlisted(m, listed: nil) == ["vk:1", "a", "b", "c"])
    }
}
