import Foundation

/// Places one post: coordinates, then place names in the text, then the source's default
/// place, then the region. One per worker (it owns a tokenizer); `GeotagModel` is shared.
public final class Geotagger {
    public let model: GeotagModel
    private let tokenizer: Tokenizer
    /// Reused per post: the place key hash of each token.
    private var keys: [UInt64] = []
    /// The place key hash of hyphenated words seen («ростов-на-дону»: each part stemmed), by word hash.
    private var hyphenatedKeys = WordTable<UInt64>(minimumCapacity: 256)

    /// Words after which a settlement name is expected, even across a «.» («г. Азов»).
    static let settlementMarkers = WordSet([
        "г", "гор", "город", "городе", "города", "городу", "городом", "х", "хут", "хутор", "хуторе", "хутора",
        "с", "село", "селе", "села", "п", "пос", "поселок", "поселке", "поселка", "пгт", "рп", "р-п", "ст",
        "ст-ца", "станица", "станице", "станицы", "станицу", "сл", "слобода", "слободе", "слободы", "дер",
        "деревня", "деревне", "деревни", "нп",
    ])
    /// Prepositions that put a settlement name after them («в Батайске», «из Аксая»).
    static let placePrepositions = WordSet([
        "в", "во", "из", "под", "около", "у", "возле", "до", "от", "за", "через", "над", "близ", "из-под", "под",
    ])

    public init(model: GeotagModel, tokenizer: Tokenizer = Tokenizer()) {
        self.model = model; self.tokenizer = tokenizer
    }

    /// A place name found in the text.
    public struct Mention: Sendable, Hashable {
        public var entry: Int
        public var tokens: Range<Int>
        /// After a place preposition or settlement marker.
        public var marked: Bool
        public var isAlias: Bool
    }

    public func tag(_ post: Post, tokens given: [Token]) -> GeoTag {
        let tokens = given.isEmpty && !post.text.isEmpty ? tokenizer.tokenize(post.text) : given
        let streets = StreetParser.parse(tokens, text: post.text)
        var consumed = [Bool](repeating: false, count: tokens.count)
        for s in streets { for i in s.tokens { consumed[i] = true } }
        let mentions = self.mentions(tokens, consumed: consumed, text: post.text)
        let street = streets.first { $0.house != nil } ?? streets.first
        let source = model.sourcePlaces[post.sourceID]
        let text = bestPlace(mentions, source: source)

        if let c = post.coordinates, var tag = locate(c) {
            if let street, text == nil || gaz.entries[text!.entry].municipality == tag.municipality
                || gaz.entries[text!.entry].name == tag.settlement {
                tag.street = street.name; tag.house = street.house
            }
            return tag
        }
        if let text {
            var tag = geoTag(entry: text.entry, method: .text)
            let inRegion = model.inRegion(entry: text.entry)
            tag.confidence = gaz.entries[text.entry].kind == .district ? 0.6 : (inRegion ? 0.8 : 0.6)
            if let street, gaz.entries[text.entry].kind != .district {
                tag.street = street.name; tag.house = street.house
                tag.confidence += 0.1
            }
            return tag
        }
        if let source {
            var tag: GeoTag
            if let e = source.entry { tag = geoTag(entry: e, method: .sourceDefault) }
            else { tag = GeoTag(municipality: source.name, settlement: source.name, method: .sourceDefault, confidence: 0) }
            tag.confidence = 0.5
            if let street { tag.street = street.name; tag.house = street.house; tag.confidence = 0.55 }
            return tag
        }
        var tag = GeoTag(municipalityID: model.regionID, municipality: model.region, method: .region, confidence: 0.1)
        if let c = post.coordinates { tag.lat = c.lat; tag.lon = c.lon; tag.method = .coordinates; tag.confidence = 0.2 }
        if let street { tag.street = street.name; tag.house = street.house }
        return tag
    }

    private var gaz: Gazetteer { model.gazetteer }

    private func geoTag(entry i: Int, method: GeoMethod) -> GeoTag {
        let e = gaz.entries[i]
        return GeoTag(municipalityID: model.municipalityIDs[i], municipality: e.municipality,
                      settlement: e.kind.isSettlement ? e.name : nil, lat: e.lat, lon: e.lon, method: method, confidence: 0)
    }

    /// Coordinates → the boundary polygon containing them, else the nearest settlement in the radius.
    public func locate(_ c: Coordinates) -> GeoTag? {
        let near = model.locator.nearest(lat: c.lat, lon: c.lon, radius: model.radius) { [model] i in
            model.inRegion(entry: i) ? 1.5 : 1
        }
        if let area = model.boundaries?.area(lat: c.lat, lon: c.lon) {
            return GeoTag(municipalityID: area.id ?? area.name, municipality: area.name,
                          settlement: near.map { gaz.entries[$0.entry].name }, lat: c.lat, lon: c.lon,
                          method: .polygon, confidence: 0.95)
        }
        guard let near else { return nil }
        var tag = geoTag(entry: near.entry, method: .nearest)
        tag.lat = c.lat; tag.lon = c.lon
        tag.confidence = 0.9 - 0.3 * (near.meters / max(1, model.radius))
        return tag
    }

    /// Every accepted place mention, in text order. `text` is the tokens' source: it also
    /// lets a name that is a common word count when it heads the post: «Шахты, третий день нет воды».
    public func mentions(_ tokens: [Token], consumed: [Bool], text: String) -> [Mention] {
        var keys = self.keys
        keys.removeAll(keepingCapacity: true)
        for t in tokens {
            guard t.hyphenated else { keys.append(t.stemHash); continue }
            if let k = hyphenatedKeys[t.wordHash] { keys.append(k); continue }
            let k = PlaceIndex.keyHash(t, text: text, tokenizer: tokenizer)
            if hyphenatedKeys.count >= 50_000 { hyphenatedKeys.removeAll() }
            hyphenatedKeys[t.wordHash] = k
            keys.append(k)
        }
        defer { self.keys = keys }
        let index = model.index
        var out: [Mention] = []
        var i = 0
        while i < tokens.count {
            guard !consumed[i], tokens[i].kind == .word else { i += 1; continue }
            var forms = index.forms(of: keys[i]) ?? []
            if tokens[i].wordHash != keys[i], let more = index.forms(of: tokens[i].wordHash) {
                forms += more.filter { !forms.contains($0) }
            }
            guard !forms.isEmpty else { i += 1; continue }
            var matched: [PlaceIndex.Form] = []
            var length = 0
            for f in forms {
                let n = 1 + f.rest.count
                guard i + n <= tokens.count, n >= length else { continue }
                var ok = true
                for (j, accepted) in f.rest.enumerated()
                where consumed[i + 1 + j] || !(accepted.contains(keys[i + 1 + j]) || accepted.contains(tokens[i + 1 + j].wordHash)) {
                    ok = false; break
                }
                guard ok else { continue }
                if n > length { matched = []; length = n }
                matched.append(f)
            }
            guard length > 0 else { i += 1; continue }
            let prev = i > 0 ? tokens[i - 1] : nil
            let marker = prev.map { Self.settlementMarkers.contains($0.wordHash) } ?? false
            let prep = prev.map { Self.placePrepositions.contains($0.wordHash) && $0.sentence == tokens[i].sentence } ?? false
            let cap = tokens[i].capitalized
            let common = length == 1 && index.commonStems.contains(keys[i])
            let heading = common && cap && i == 0 && Self.isHeading(tokens[0], in: text)
            for f in matched {
                let e = gaz.entries[f.entry]
                let accepted: Bool
                if e.kind == .district || e.kind == .region { accepted = true }
                else if common { accepted = cap && (marker || prep || (heading && model.inRegion(entry: f.entry))) }
                else if model.inRegion(entry: f.entry) { accepted = cap || marker || prep }
                else { accepted = cap && (marker || prep || length > 1) }
                if accepted {
                    out.append(Mention(entry: f.entry, tokens: i..<(i + length), marked: marker || prep, isAlias: f.isAlias))
                }
            }
            i += length
        }
        return out
    }

    /// The first word stands alone as the post's heading: followed by a comma, dot, colon,
    /// dash, `!` or a line break (or nothing), as in «Шахты, …» or «Шахты.\n…».
    static func isHeading(_ first: Token, in text: String) -> Bool {
        var it = text.utf8.dropFirst(first.end).makeIterator()
        var b = it.next()
        while b == 0x20 || b == 0x09 { b = it.next() }
        guard let c = b else { return true }
        switch c {
        case 0x2C, 0x2E, 0x3A, 0x21, 0x0A, 0x0D, 0x2D: return true
        case 0xE2: return it.next() == 0x80 && [0x93, 0x94].contains(it.next() ?? 0)   // – —
        default: return false
        }
    }

    /// The most specific, most plausible place among the mentions: a settlement over a
    /// district; among same-named places, the one in the region, inside a district named
    /// in the text, in the source's municipality, then the most populous.
    func bestPlace(_ mentions: [Mention], source: GeotagModel.SourcePlace?) -> Mention? {
        guard !mentions.isEmpty else { return nil }
        let districts = Set(mentions.compactMap { m -> String? in
            let e = gaz.entries[m.entry]
            return e.kind == .district ? Gazetteer.fold(e.name) : nil
        })
        let sourceMunicipality = source?.entry.map { model.foldedMunicipality[$0] }
        func score(_ m: Mention) -> Double {
            let e = gaz.entries[m.entry]
            var s = e.kind.isSettlement ? 200.0 : 0
            if model.inRegion(entry: m.entry) { s += 100 }
            let municipality = model.foldedMunicipality[m.entry]
            if districts.contains(municipality) && e.kind != .district { s += 50 }
            if let sm = sourceMunicipality, municipality == sm { s += 30 }
            s += log10(Double(e.population) + 1)
            if !m.isAlias { s += 3 }
            if m.marked { s += 2 }
            return s
        }
        var best = mentions[0], bestScore = score(best)
        for m in mentions.dropFirst() {
            let s = score(m)
            if s > bestScore { best = m; bestScore = s }
        }
        return best
    }
}
