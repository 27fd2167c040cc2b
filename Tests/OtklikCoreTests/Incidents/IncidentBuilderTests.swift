import Foundation
import Testing
@testable import OtklikCore

@Suite struct IncidentBuilderTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let tokenizer = Tokenizer()

    func item(_ key: String, _ text: String, category: String? = "housing.water", at hours: Double = 0,
              settlement: String? = "Батайск", street: String? = nil, municipalityID: String? = "60707000",
              method: GeoMethod = .text) -> AnalysisItem {
        let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
        var i = AnalysisItem(post: Post(sourceKind: parts[0], sourceID: "src", postID: parts[1],
                                        published: Self.t0.addingTimeInterval(hours * 3600), text: text))
        i.tokens = tokenizer.tokenize(text)
        i.geo = GeoTag(municipalityID: municipalityID, municipality: settlement, settlement: settlement,
                       street: street, method: method, confidence: 0.8)
        if let category {
            i.verdict = Verdict(isComplaint: true, category: category, severity: .medium, score: 0.9)
        }
        return i
    }

    @discardableResult
    func apply(_ b: IncidentBuilder, _ book: IncidentBook, _ i: AnalysisItem) -> (Incident?, IncidentBuilder.Change) {
        b.apply(i, fingerprint: TextFingerprint(tokens: i.tokens, shingle: b.policy.shingle), book: book)
    }

    @Test func apply_whenComplaint_opensIncidentWithDeterministicIdAndDeadline() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        let (inc, change) = apply(b, IncidentBook(), item("vk:wall-1_1", "Нет воды на ул. Ленина 5", street: "Ленина"))
        #expect(change == .opened)
        #expect(inc?.id == IncidentBuilder.id(forOpeningKey: "vk:wall-1_1"))
        #expect(inc?.id.hasPrefix("inc-") == true && inc?.id.count == 20)
        #expect(inc?.deadline == Self.t0.addingTimeInterval(12 * 3600))
        #expect(inc?.openedBy == "vk:wall-1_1")
        // Known value: FNV-1a 64 is fixed, so the id never changes between releases.
        #expect(IncidentBuilder.id(forOpeningKey: "vk:wall-1_1") == "inc-" + StableHash.hex(StableHash.fnv1a64("vk:wall-1_1")))
        #expect(StableHash.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func apply_whenNotAComplaint_doesNothing() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        var i = item("vk:1", "Спасибо коммунальщикам", category: nil)
        i.verdict = Verdict(isComplaint: false, category: "other", score: 0.1)
        #expect(apply(b, IncidentBook(), i).1 == .none)
    }

    @Test func apply_whenSameStreetSameProblemLater_joins() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        let book = IncidentBook()
        let (first, _) = apply(b, book, item("vk:1", "Нет воды на ул. Ленина 5, третий день", street: "Ленина"))
        let (joined, change) = apply(b, book, item("tg:c/7", "Когда дадут воду? Ленина 9 сидим без воды", at: 5, street: "Ленина"))
        #expect(change == .joined)
        #expect(joined?.id == first?.id)
        #expect(joined?.relatedPosts == ["tg:c/7"])
        #expect(joined?.lastSeen == Self.t0.addingTimeInterval(5 * 3600))
        #expect(joined?.deadline == first?.deadline)
    }

    @Test func apply_whenDifferentStreetCategoryPlaceOrTooLate_opensAnother() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        let book = IncidentBook()
        let text = "Третий день нет воды на ул. Ленина 5. В водоканале трубку не берут"
        apply(b, book, item("vk:1", text, street: "Ленина"))
        #expect(apply(b, book, item("vk:2", text.replacingOccurrences(of: "Ленина", with: "Гагарина"), at: 1, street: "Гагарина")).1 == .opened)
        #expect(apply(b, book, item("vk:3", text, category: "housing.electricity", at: 1, street: "Ленина")).1 == .opened)
        #expect(apply(b, book, item("vk:4", text, at: 1, settlement: "Шахты", street: "Ленина", municipalityID: "60740000")).1 == .opened)
        #expect(apply(b, book, item("vk:5", text, at: 24 * 4, street: "Ленина")).1 == .opened)
        // Region-only posts never join on street.
        let region = IncidentBook()
        apply(b, region, item("vk:6", "Яма на Ленина", category: "roads", settlement: nil, street: "Ленина", municipalityID: "60000000", method: .region))
        #expect(apply(b, region, item("vk:7", "Яма на Ленина огромная", category: "roads", settlement: nil, street: "Ленина", municipalityID: "60000000", method: .region)).1 == .opened)
    }

    @Test func apply_whenSimilarTextWithoutStreet_joins() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        let book = IncidentBook()
        let text = "В Батайске третий день нет холодной воды во всём микрорайоне, водоканал молчит"
        let (first, _) = apply(b, book, item("vk:1", text))
        let (inc, change) = apply(b, book, item("vk:2", text + "!!!", at: 2))
        #expect(change == .joined && inc?.id == first?.id)
    }

    @Test func apply_whenRepostedWithAnAddedSentence_joins_butNotAnotherHouse() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        let book = IncidentBook()
        let text = "Постоянно мигает свет и скачет напряжение, сгорел телевизор. Дом 15, в Миллерово. Доколе?"
        let (first, _) = apply(b, book, item("vk:1", text, category: "housing.electricity", street: nil))
        let again = text.replacingOccurrences(of: "?", with: "??") + " Поддержите, чтобы увидели."
        let (inc, change) = apply(b, book, item("tg:a/1", again, category: "housing.electricity", at: 5, street: nil))
        #expect(change == .joined && inc?.id == first?.id)
        let other = text.replacingOccurrences(of: "Дом 15", with: "Дом 40")
        #expect(apply(b, book, item("vk:3", other, category: "housing.electricity", at: 6, street: nil)).1 == .opened)
    }

    @Test func apply_whenJoinDisabled_alwaysOpens() {
        var p = IncidentPolicy()
        p.join = false
        let b = IncidentBuilder(policy: p)
        let book = IncidentBook()
        apply(b, book, item("vk:1", "Нет воды на ул. Ленина 5", street: "Ленина"))
        #expect(apply(b, book, item("vk:2", "Нет воды на ул. Ленина 5", at: 1, street: "Ленина")).1 == .opened)
    }

    @Test func apply_whenNearDuplicateOrRepostOfIncidentPost_attachesAsRelated() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        let book = IncidentBook()
        let (first, _) = apply(b, book, item("vk:1", "Нет воды на ул. Ленина 5", street: "Ленина"))
        var near = item("tg:x/1", "Нет воды на ул. Ленина 5!!", category: nil, at: 1)
        near.nearDuplicateOf = "vk:1"
        let (a, c1) = apply(b, book, near)
        #expect(c1 == .related && a?.id == first?.id)
        var repost = item("vk:9", "Нет воды на ул. Ленина 5", at: 2)
        repost.duplicateOf = "tg:x/1"  // a repost of the near-duplicate: same family
        let (r, c2) = apply(b, book, repost)
        #expect(c2 == .related && r?.relatedPosts == ["tg:x/1", "vk:9"])
        // Seeing the same related post again changes nothing.
        #expect(apply(b, book, repost).1 == .none)
    }

    @Test func apply_whenOpeningPostEdited_updatesText() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        let book = IncidentBook()
        apply(b, book, item("vk:1", "Нет воды", street: "Ленина"))
        var edited = item("vk:1", "Нет воды уже четвёртый день", street: "Ленина")
        edited.isUpdate = true
        let (inc, change) = apply(b, book, edited)
        #expect(change == .updated && inc?.text == "Нет воды уже четвёртый день")
    }

    @Test func deadline_whenOverriddenInConfig_usesOverrideByIdThenBlock() {
        var p = IncidentPolicy()
        p.deadlines = ["housing.water": .seconds(2 * 3600), "roads": .seconds(86400)]
        #expect(p.deadline(of: "housing.water") == .seconds(7200))
        #expect(p.deadline(of: "housing.gas") == .seconds(6 * 3600))
        #expect(p.deadline(of: "roads") == .seconds(86400))
        #expect(p.deadline(of: "roads.pothole") == .seconds(86400))
        let (inc, _) = apply(IncidentBuilder(policy: p), IncidentBook(), item("vk:1", "Нет воды"))
        #expect(inc?.deadline == Self.t0.addingTimeInterval(7200))
    }

    @Test func routing_firstMatchingRuleWins_withWildcards() {
        let r = IncidentRouting(rules: [
            .init(category: "housing.water", municipality: "Батайск", executor: Executor(name: "Водоканал Батайска", contact: "+7 000")),
            .init(category: "housing.*", municipality: "*", executor: Executor(name: "ГЖИ")),
            .init(category: "*", municipality: "60740000", executor: Executor(name: "Администрация Шахт")),
            .init(executor: Executor(name: "ЦУР")),
        ])
        let bataysk = GeoTag(municipalityID: "60707000", municipality: "Батайск", settlement: "Батайск", method: .text, confidence: 0.8)
        let shakhty = GeoTag(municipalityID: "60740000", municipality: "Шахты", method: .text, confidence: 0.8)
        #expect(r.executor(category: "housing.water", geo: bataysk)?.name == "Водоканал Батайска")
        #expect(r.executor(category: "housing.water", geo: shakhty)?.name == "ГЖИ")
        #expect(r.executor(category: "housing", geo: shakhty)?.name == "ГЖИ")
        #expect(r.executor(category: "roads", geo: shakhty)?.name == "Администрация Шахт")
        #expect(r.executor(category: "roads", geo: nil)?.name == "ЦУР")
        #expect(IncidentRouting().executor(category: "roads", geo: nil) == nil)
    }
}
