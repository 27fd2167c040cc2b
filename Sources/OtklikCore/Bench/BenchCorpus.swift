import Foundation

/// A deterministic stream of posts for `otklik bench`, recombined from `BenchSeeds` with light
/// edits: about 10% complaints, the rest news, chatter, ads and some English, with long and short
/// texts, reposts, near-duplicates and re-delivered duplicates, spread over many sources.
///
/// The same seed, seeds and source count give the same posts on every run and machine.
public struct BenchCorpus: Sendable {
    /// What the generator meant a post to be (the classifier may see it differently).
    public enum Kind: String, CaseIterable, Sendable {
        case complaint, noise, ad, english, feed, long, short, repost
        case nearDuplicate = "near_duplicate"
        case duplicate
    }

    /// Shares per 1000 posts; they sum to 1000. Reposts and near-duplicates lean to complaints,
    /// long posts sometimes quote one, and the demo feed is mostly complaints, so the classifier
    /// finds about 11% complaints in the stream (issue 9 asks for about 10%; the report says how many).
    static let weights: [(Kind, Int)] = [
        (.complaint, 35), (.feed, 10), (.noise, 530), (.ad, 120), (.english, 40), (.long, 60),
        (.short, 90), (.nearDuplicate, 45), (.repost, 40), (.duplicate, 30),
    ]

    public let seeds: BenchSeeds
    public let sources: Int
    /// When set, every new text is filled up with more seed sentences, or cut at a word, to
    /// about this many characters (the speed target is for 300-character posts).
    public let textChars: Int?
    public let start: Date
    /// Time between consecutive posts.
    public let spacing: TimeInterval
    private var random: BenchRandom
    private var index = 0
    private var perSource: [Int]
    private var recent: [Post] = []
    private var recentComplaints: [Post] = []
    /// `seeds.noise[i].count`, counted once: `sized` adds noise sentences to most posts.
    private let noiseCounts: [Int]

    public init(seed: UInt64, seeds: BenchSeeds = .builtIn, sources: Int = 1000, textChars: Int? = nil,
                start: Date = Date(timeIntervalSince1970: 1_793_491_200), spacing: TimeInterval = 0.05) {
        self.seeds = seeds; self.sources = max(1, sources); self.start = start; self.spacing = spacing
        self.textChars = textChars.flatMap { $0 > 0 ? $0 : nil }
        random = BenchRandom(seed: seed)
        noiseCounts = seeds.noise.map(\.count)
        perSource = Array(repeating: 0, count: self.sources)
    }

    /// `count` posts from the start of a corpus.
    public static func posts(_ count: Int, seed: UInt64, seeds: BenchSeeds = .builtIn, sources: Int = 1000,
                             textChars: Int? = nil) -> [Post] {
        var c = BenchCorpus(seed: seed, seeds: seeds, sources: sources, textChars: textChars)
        return (0..<count).map { _ in c.next().post }
    }

    /// The next post and what it was meant to be.
    public mutating func next() -> (post: Post, kind: Kind) {
        let kind = nextKind()
        defer { index += 1 }
        switch kind {
        case .duplicate:
            if let p = recentPick() { return (p, .duplicate) }
            return (fresh(text: edited(random.pick(seeds.noise), place: false)), .noise)
        case .repost:
            guard let origin = recentPick(preferComplaint: true) else { return next() }
            var p = fresh(text: origin.text)
            p.repostOf = PostOrigin(key: origin.key, name: origin.sourceID)
            return (p, .repost)
        case .nearDuplicate:
            guard let origin = recentPick(preferComplaint: true) else { return next() }
            return (fresh(text: lightEdit(origin.text)), .nearDuplicate)
        default:
            let p = fresh(text: sized(text(for: kind)))
            remember(p, complaint: kind == .complaint)
            return (p, kind)
        }
    }

    private mutating func nextKind() -> Kind {
        var roll = random.below(1000)
        for (kind, w) in Self.weights {
            if roll < w { return kind }
            roll -= w
        }
        return .noise
    }

    private mutating func text(for kind: Kind) -> String {
        switch kind {
        case .complaint: return edited(random.pick(seeds.complaints), place: random.below(10) < 6)
        case .noise: return edited(random.pick(seeds.noise), place: false)
        case .ad: return edited(random.pick(seeds.ads), place: false)
        case .english: return random.pick(seeds.english)
        case .feed: return edited(random.pick(seeds.feed.isEmpty ? seeds.noise : seeds.feed), place: false)
        case .long:
            let parts = (0..<(4 + random.below(9))).map { _ in
                random.below(25) == 0 ? random.pick(seeds.complaints) : noiseOrAd(random.below(seeds.noise.count + seeds.ads.count))
            }
            return parts.joined(separator: random.below(2) == 0 ? " " : "\n\n")
        case .short:
            let words = random.pick(seeds.noise).split(separator: " ")
            return words.prefix(1 + random.below(3)).joined(separator: " ")
        case .repost, .nearDuplicate, .duplicate: return random.pick(seeds.noise)
        }
    }

    /// Item `i` of `seeds.noise + seeds.ads`, without building that array.
    private func noiseOrAd(_ i: Int) -> String {
        i < seeds.noise.count ? seeds.noise[i] : seeds.ads[i - seeds.noise.count]
    }

    /// `text` filled up with noise sentences, or cut at the last space, to about `textChars`.
    private mutating func sized(_ text: String) -> String {
        guard let n = textChars else { return text }
        var t = text
        var count = t.count
        while count < n {
            let i = random.below(seeds.noise.count)
            t += " "
            t += seeds.noise[i]
            count += 1 + noiseCounts[i]
        }
        guard count > n else { return t }
        let cut = t.index(t.startIndex, offsetBy: n)
        let head = t[..<cut]
        return String(head[..<(head.lastIndex(of: " ") ?? cut)])
    }

    /// A seed text with the edits a real feed shows: other numbers, a place, a greeting, an ending.
    private mutating func edited(_ text: String, place: Bool) -> String {
        var t = renumbered(text)
        if place {
            t += " \(Self.capitalized(random.pick(BenchSeeds.places))), ул. \(random.pick(BenchSeeds.streets)) \(1 + random.below(120))."
        }
        if random.below(6) == 0 { t = random.pick(BenchSeeds.prefixes) + " " + t }
        if random.below(5) == 0 { t += " " + random.pick(BenchSeeds.suffixes) }
        return t
    }

    /// One small change: an ending, a swapped word pair, or other punctuation.
    private mutating func lightEdit(_ text: String) -> String {
        switch random.below(3) {
        case 0: return text + " " + random.pick(BenchSeeds.suffixes)
        case 1:
            var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count > 3 else { return text + "!" }
            let i = 1 + random.below(words.count - 2)
            words.swapAt(i, i + 1)
            return words.joined(separator: " ")
        default: return text.hasSuffix("!") ? String(text.dropLast()) + "." : text + "!"
        }
    }

    /// Digits replaced by other digits (house numbers, route numbers, dates).
    private mutating func renumbered(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }), random.below(2) == 0 else { return text }
        var bytes = Array(text.utf8)
        for i in bytes.indices where bytes[i] >= 0x30 && bytes[i] <= 0x39 && random.below(2) == 0 {
            bytes[i] = 0x31 + UInt8(random.below(9))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    private mutating func fresh(text: String) -> Post {
        let s = random.below(sources)
        perSource[s] += 1
        let n = perSource[s]
        let vk = s % 3 != 2
        let published = start.addingTimeInterval(Double(index) * spacing)
        let postID = vk ? "wall-\(100_000 + s)_\(n)" : "bench_\(s)/\(n)"
        return Post(sourceKind: vk ? "vk" : "telegram", sourceID: "bench-\(s)", postID: postID,
                    url: vk ? "https://vk.com/\(postID)" : "https://t.me/\(postID)", published: published, text: text,
                    counters: random.below(4) == 0 ? PostCounters(views: random.below(5000), likes: random.below(50)) : nil)
    }

    private mutating func remember(_ p: Post, complaint: Bool) {
        if recent.count < 256 { recent.append(p) } else { recent[index % 256] = p }
        guard complaint else { return }
        if recentComplaints.count < 64 { recentComplaints.append(p) } else { recentComplaints[index % 64] = p }
    }

    private mutating func recentPick(preferComplaint: Bool = false) -> Post? {
        if preferComplaint, !recentComplaints.isEmpty, random.below(3) == 0 { return random.pick(recentComplaints) }
        return recent.isEmpty ? nil : random.pick(recent)
    }
}
