import Foundation
import Testing
@testable import OtklikCore

@Suite struct IncidentBookCompactTests {
    static let t0 = Date(timeIntervalSince1970: 1_793_491_200)

    static func incident(_ key: String, at hours: Double = 0, street: String? = nil, lat: Double? = nil) -> Incident {
        let t = t0.addingTimeInterval(hours * 3600)
        return Incident(id: IncidentBuilder.id(forOpeningKey: key), category: "roads.pothole", subcategory: "яма",
                        severity: .medium, score: 3,
                        geo: GeoTag(municipalityID: "m1", municipality: "Батайск", settlement: "Батайск", street: street,
                                    lat: lat, lon: lat, method: .text, confidence: 0.8),
                        firstSeen: t, lastSeen: t, deadline: t.addingTimeInterval(86400),
                        executor: Executor(name: "ЦУР"), openedBy: key, url: "https://vk.com/\(key)", sourceID: "s",
                        text: "Яма на дороге \(key)", relatedPosts: ["tg:c/1"],
                        hits: [RuleHit(rule: "roads.pothole", category: "roads", weight: 3, matched: ["яма"])])
    }

    @Test func put_thenLookUp_byIdAndByAnyPostKey_givesTheIncidentBackUnchanged() {
        let book = IncidentBook()
        let inc = Self.incident("vk:1", street: "ленина")
        book.put(inc, facts: .init(simhash: 7, anchor: 3, street: "ленина"), posts: ["tg:c/1"])
        #expect(book.incident(id: inc.id) == inc)
        #expect(book.incident(containing: "vk:1")?.id == inc.id)
        #expect(book.incident(containing: "tg:c/1")?.id == inc.id)
        #expect(book.incident(containing: "vk:2") == nil)
        let h = book.handle(id: inc.id)!
        #expect(book.isOpenedBy(h, key: "vk:1") && !book.isOpenedBy(h, key: "tg:c/1"))
        #expect(book.facts(h) == .init(simhash: 7, anchor: 3, street: "ленина"))
    }

    @Test func idHash_ofAnIncidentID_isTheHashItSpells_andOtherIDsStayAsWritten() {
        let id = IncidentBuilder.id(forOpeningKey: "vk:wall-1_1")
        #expect(IncidentBook.idHash(id) == (StableHash.fnv1a64("vk:wall-1_1"), false))
        #expect(IncidentBook.idHash("inc-ABCDEF0123456789").odd)   // upper case does not round-trip
        let book = IncidentBook()
        var odd = Self.incident("vk:1")
        odd.id = "manual-7"
        book.put(odd)
        #expect(book.incident(id: "manual-7")?.id == "manual-7")
    }

    @Test func slimmed_keepsWhatJoiningNeeds_andWholeReadsTheRestBack() {
        let book = IncidentBook(wholeLimit: 1)
        var stored: [String: Incident] = [:]
        book.loader = { stored[$0].map(IncidentStoredPart.init) }
        let a = Self.incident("vk:1", street: "ленина"), b = Self.incident("vk:2", at: 1)
        for i in [a, b] { stored[i.id] = i; book.put(i, facts: .init(simhash: 1, anchor: 1, street: i.geo?.street)) }
        book.slimColdIncidents()
        let h = book.handle(containing: "vk:1")!
        let slim = book.incident(h)
        #expect(slim.text.isEmpty && slim.hits.isEmpty && slim.relatedPosts.isEmpty && slim.openedBy.isEmpty)
        #expect(slim.geo == a.geo && slim.executor == a.executor && slim.relatedCount == 1 && slim.deadline == a.deadline)
        #expect(book.facts(h)?.street == "ленина")
        #expect(book.whole(h) == a)
    }

    @Test func prune_forgetsOldIncidentsAndTheirPosts_andAReusedSlotIsNotConfused() {
        let book = IncidentBook()
        book.put(Self.incident("vk:old"), facts: .init(simhash: 1, anchor: 1, street: nil), posts: ["tg:c/1"])
        book.put(Self.incident("vk:new", at: 48), facts: .init(simhash: 2, anchor: 2, street: nil))
        let gone = book.prune(lastSeenBefore: Self.t0.addingTimeInterval(3600))
        #expect(gone == [IncidentBuilder.id(forOpeningKey: "vk:old")])
        #expect(book.count == 1)
        #expect(book.incident(containing: "vk:old") == nil && book.incident(containing: "tg:c/1") == nil)
        // The freed slot takes the next incident; the old post keys do not find it.
        let next = Self.incident("vk:next", at: 50)
        book.put(next, facts: .init(simhash: 3, anchor: 3, street: nil))
        #expect(book.incident(containing: "vk:next")?.id == next.id)
        #expect(book.incident(containing: "tg:c/1") == nil)
        var seen: [String] = []
        book.forEachCandidate(category: "roads.pothole", geo: next.geo) { c in seen.append(book.id(c.handle)); return true }
        #expect(seen == [IncidentBuilder.id(forOpeningKey: "vk:new"), next.id])
    }

    @Test func prune_ofManyPlacesWithCoordinates_compactsThePlaceTable() {
        let book = IncidentBook()
        for n in 0..<3000 { book.put(Self.incident("vk:\(n)", lat: 47 + Double(n) / 10000)) }
        let keep = Self.incident("vk:keep", at: 100, lat: 46.5)
        book.put(keep)
        book.prune(lastSeenBefore: Self.t0.addingTimeInterval(3600))
        #expect(book.count == 1)
        #expect(book.places.count < 10)
        #expect(book.incident(id: keep.id) == keep)
    }

    @Test func wholePart_keptAndUnpacked_givesEveryFieldBack() {
        var inc = Self.incident("vk:1")
        inc.text = "Нет воды\n\"третий\" день 🚰"
        inc.url = nil
        inc.subcategory = ""
        inc.relatedPosts = (0..<200).map { "tg:канал/\($0)" }
        inc.hits = [RuleHit(rule: "a", category: "b", weight: -0.125, matched: []),
                    RuleHit(rule: "длинное имя правила", category: "housing.water", weight: 1e300, matched: ["Вода", "нет", ""])]
        var back = Incident(id: inc.id, category: inc.category, severity: inc.severity, score: inc.score,
                            firstSeen: inc.firstSeen, lastSeen: inc.lastSeen, deadline: inc.deadline,
                            openedBy: "", sourceID: "", text: "")
        IncidentBook.Whole(inc).unpack(into: &back)
        #expect(back.text == inc.text && back.url == nil && back.subcategory == "" && back.openedBy == "vk:1")
        #expect(back.sourceID == inc.sourceID && back.relatedPosts == inc.relatedPosts && back.hits == inc.hits)
    }

    @Test func incidentStage_acceptsWholeIncidents_andRejectsZero() throws {
        _ = try StageHarness.make(stages: """
                  - incident: {whole_incidents: 10}
            """)
        let errors = StageHarness.errors(stages: """
                  - incident: {whole_incidents: 0}
            """)
        #expect(errors.contains { $0.contains("whole_incidents") })
        #expect(IncidentPolicy().wholeIncidents == 4096)
    }

    @Test func newestLastSeen_isTheLatestOpenIncident() {
        let book = IncidentBook()
        #expect(book.newestLastSeen == nil)
        book.put(Self.incident("vk:1", at: 5))
        book.put(Self.incident("vk:2", at: 2))
        #expect(book.newestLastSeen == Self.t0.addingTimeInterval(5 * 3600))
    }
}

@Suite struct RelatedPostsCapTests {
    func item(_ key: String, at minutes: Double) -> AnalysisItem {
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        var i = AnalysisItem(post: Post(sourceKind: parts[0], sourceID: "src", postID: parts[1],
                                        published: Date(timeIntervalSince1970: 1_790_000_000 + minutes * 60), text: "Нет воды на Ленина"))
        i.geo = GeoTag(municipalityID: "60707000", municipality: "Батайск", settlement: "Батайск", street: "Ленина",
                       method: .text, confidence: 0.8)
        i.verdict = Verdict(isComplaint: true, category: "housing.water", severity: .medium, score: 0.9)
        return i
    }

    @Test func attach_beyondTheCap_keepsTheFirstKeys_andCountsEveryRepeat() {
        var p = IncidentPolicy()
        p.maxRelatedPosts = 3
        let b = IncidentBuilder(policy: p)
        let book = IncidentBook()
        var last: Incident?
        for n in 0..<8 {
            let i = item("vk:\(n)", at: Double(n))
            last = b.apply(i, fingerprint: TextFingerprint(simhash: 0, anchor: 0), book: book).0
        }
        #expect(last?.relatedPosts == ["vk:1", "vk:2", "vk:3"])
        #expect(last?.relatedCount == 7)
        // A repeat of a post beyond the cap is still known: nothing changes.
        #expect(b.apply(item("vk:6", at: 9), fingerprint: TextFingerprint(simhash: 0, anchor: 0), book: book).1 == .none)
        #expect(book.incident(containing: "vk:7")?.relatedCount == 7)
    }

    @Test func incidentJSON_carriesRelatedCount_andOldVersionsDecodeWithTheirListCount() throws {
        var inc = IncidentBookCompactTests.incident("vk:1")
        inc.relatedCount = 250
        let json = IncidentJSON.string(inc)
        #expect(json.contains(#""related_count":250,"related_posts":["tg:c/1"]"#))
        let back = try OtklikJSON.decoder().decode(Incident.self, from: Data(json.utf8))
        #expect(back == inc)
        let old = json.replacingOccurrences(of: #""related_count":250,"#, with: "")
        #expect(try OtklikJSON.decoder().decode(Incident.self, from: Data(old.utf8)).relatedCount == 1)
    }

    @Test func incidentMerge_keepsTheLargerCount() {
        var stored = IncidentBookCompactTests.incident("vk:1")
        stored.relatedCount = 500
        var late = stored
        late.relatedCount = 120
        late.lastSeen = stored.lastSeen.addingTimeInterval(60)
        #expect(IncidentMerge.merge(stored: stored, storedStatus: "new", incoming: late).relatedCount == 500)
    }

    @Test func incidentStage_readsMaxRelatedPosts() throws {
        let h = try StageHarness.make(stages: """
                  - incident: {max_related_posts: 1}
            """)
        var last: Incident?
        for n in 0..<4 { last = try h.run(item("vk:\(n)", at: Double(n))).1.incident ?? last }
        #expect(last?.relatedPosts == ["vk:1"] && last?.relatedCount == 3)
    }
}
