import Foundation

/// What a slim incident of the `IncidentBook` reads back from the store to become whole:
/// the fields the book does not keep in memory for it.
public struct IncidentStoredPart: Sendable, Equatable {
    public var text: String
    public var hits: [RuleHit]
    public var subcategory: String?
    public var openedBy: String
    public var url: String?
    public var sourceID: String
    public var relatedPosts: [String]
    public var relatedCount: Int

    public init(_ i: Incident) {
        text = i.text; hits = i.hits; subcategory = i.subcategory; openedBy = i.openedBy; url = i.url
        sourceID = i.sourceID; relatedPosts = i.relatedPosts; relatedCount = i.relatedCount
    }

    init(text: String, hits: [RuleHit], subcategory: String?, openedBy: String, url: String?, sourceID: String,
         relatedPosts: [String], relatedCount: Int?) {
        self.text = text; self.hits = hits; self.subcategory = subcategory; self.openedBy = openedBy; self.url = url
        self.sourceID = sourceID; self.relatedPosts = relatedPosts
        self.relatedCount = max(relatedCount ?? 0, relatedPosts.count)
    }

    /// The part from a stored incident's JSON. The usual object (what `IncidentJSON` writes)
    /// is read by hand, skipping the fields the book keeps; anything unusual goes through
    /// `JSONDecoder` and the whole `Incident`, so the result is the same either way.
    /// About a quarter of the posts that reach the book read a slim incident back, and
    /// `JSONDecoder` made that most of the incident stage's time.
    public static func decode(json: String) throws -> IncidentStoredPart {
        var utf8 = json
        if let part = utf8.withUTF8({ read($0) }) { return part }
        return IncidentStoredPart(try OtklikJSON.decoder().decode(Incident.self, from: Data(json.utf8)))
    }

    private typealias Unusual = JSONByteScanner.Unusual

    /// The part, or nil when `JSONDecoder` must decide.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> IncidentStoredPart? {
        JSONByteScanner.readWhole(bytes) { s throws(Unusual) in try read(&s) }
    }

    private static func read(_ s: inout JSONByteScanner) throws(Unusual) -> IncidentStoredPart {
        var seen = 0
        var text: String?, openedBy: String?, sourceID: String?, subcategory: String?, url: String?
        var relatedPosts: [String]?, relatedCount: Int?, hits: [RuleHit]?
        try s.object { s, key throws(Unusual) in
            func once(_ bit: Int) throws(Unusual) {
                guard seen & bit == 0 else { throw Unusual() }
                seen |= bit
            }
            if key.equals("text") { try once(1); text = try s.string() }
            else if key.equals("opened_by") { try once(2); openedBy = try s.string() }
            else if key.equals("source_id") { try once(4); sourceID = try s.string() }
            else if key.equals("subcategory") { try once(8); subcategory = try s.takeNull() ? nil : try s.string() }
            else if key.equals("url") { try once(16); url = try s.takeNull() ? nil : try s.string() }
            else if key.equals("related_posts") {
                try once(32)
                var list: [String] = []
                try s.array { s throws(Unusual) in list.append(try s.string()) }
                relatedPosts = list
            } else if key.equals("related_count") {
                try once(64)
                relatedCount = try s.takeNull() ? nil : Int(try s.integer())
            } else if key.equals("rules") {
                try once(128)
                var list: [RuleHit] = []
                try s.array { s throws(Unusual) in list.append(try hit(&s)) }
                hits = list
            } else {
                try s.skipValue()
            }
        }
        guard let text, let openedBy, let sourceID, let relatedPosts, let hits else { throw Unusual() }
        return IncidentStoredPart(text: text, hits: hits, subcategory: subcategory, openedBy: openedBy, url: url,
                                  sourceID: sourceID, relatedPosts: relatedPosts, relatedCount: relatedCount)
    }

    private static func hit(_ s: inout JSONByteScanner) throws(Unusual) -> RuleHit {
        var rule: String?, category: String?, weight: Double?, matched: [String]?
        try s.object { s, key throws(Unusual) in
            if key.equals("rule") { guard rule == nil else { throw Unusual() }; rule = try s.string() }
            else if key.equals("category") { guard category == nil else { throw Unusual() }; category = try s.string() }
            else if key.equals("weight") { guard weight == nil else { throw Unusual() }; weight = try s.double() }
            else if key.equals("matched") {
                guard matched == nil else { throw Unusual() }
                var list: [String] = []
                try s.array { s throws(Unusual) in list.append(try s.string()) }
                matched = list
            } else {
                try s.skipValue()
            }
        }
        guard let rule, let category, let weight, let matched else { throw Unusual() }
        return RuleHit(rule: rule, category: category, weight: weight, matched: matched)
    }
}
