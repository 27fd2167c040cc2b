import Foundation

/// The texts a bench corpus is recombined from, sorted by what they are.
///
/// `builtIn` works anywhere (a few neutral texts written for the bench); `load(repoRoot:…)`
/// adds the repository's demo feed and labelled dev set, and the shared real fixtures when present.
public struct BenchSeeds: Sendable {
    public var complaints: [String]
    public var noise: [String]
    public var ads: [String]
    public var english: [String]
    /// Unlabelled realistic posts (the demo feed): some complaints, mostly noise.
    public var feed: [String]
    /// Where the texts came from, for the report.
    public var origins: [String]

    public init(complaints: [String], noise: [String], ads: [String], english: [String],
                feed: [String] = [], origins: [String] = ["built-in"]) {
        self.complaints = complaints; self.noise = noise; self.ads = ads; self.english = english
        self.feed = feed; self.origins = origins
    }

    /// The built-in seed list, plus whichever of the repository's and shared fixtures' text files exist.
    /// - Parameters:
    ///   - repoRoot: a checkout holding `samples/posts.jsonl` and the dev set (nil: skip).
    ///   - sharedFixtures: `../shared/fixtures` (nil: skip); its complaint texts are long appeals.
    public static func load(repoRoot: String?, sharedFixtures: String?) -> BenchSeeds {
        var s = builtIn
        if let root = repoRoot {
            let feed = texts(root + "/samples/posts.jsonl")
            if !feed.isEmpty { s.feed += feed.map(\.text); s.origins.append("samples/posts.jsonl") }
            let dev = texts(root + "/Tests/OtklikCoreTests/Fixtures/quality/devset.jsonl")
            if !dev.isEmpty {
                s.complaints += dev.filter { $0.complaint == true }.map(\.text)
                s.noise += dev.filter { $0.complaint == false }.map(\.text)
                s.origins.append("devset.jsonl")
            }
        }
        if let shared = sharedFixtures {
            let appeals = texts(shared + "/complaints/kursk-appeals.jsonl")
            if !appeals.isEmpty {
                s.complaints += appeals.map { MarkupFree.strip($0.text) }.filter { !$0.isEmpty }
                s.origins.append("shared complaints")
            }
        }
        return s
    }

    /// `text` and `is_complaint` of every line of a JSONL file that has them; empty when unreadable.
    static func texts(_ path: String) -> [(text: String, complaint: Bool?)] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var out: [(String, Bool?)] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  let text = obj["text"] as? String, !text.isEmpty else { continue }
            out.append((text, obj["is_complaint"] as? Bool))
        }
        return out
    }
}

/// Drops `<p>`-style tags and `&nbsp;` from submitted appeal texts.
enum MarkupFree {
    static func strip(_ s: String) -> String {
        var out = ""
        var inTag = false
        for c in s {
            if c == "<" { inTag = true; continue }
            if c == ">" { inTag = false; out.append(" "); continue }
            if !inTag { out.append(c) }
        }
        return out.replacingOccurrences(of: "&nbsp;", with: " ")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
