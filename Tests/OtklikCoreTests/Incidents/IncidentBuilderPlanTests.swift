import Foundation
import Testing
@testable import OtklikCore

/// `IncidentBuilder.plan` names the incident a post will change before anything changes
/// (the incident index reads a slim one back outside its lock), and `apply` carries it out.
@Suite struct IncidentBuilderPlanTests {
    let t = IncidentBuilderTests()

    func fp(_ i: AnalysisItem) -> TextFingerprint { TextFingerprint(tokens: i.tokens, shingle: 1) }

    @Test func plan_namesTheIncidentEachKindOfPostChanges() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        let book = IncidentBook()
        let first = t.item("vk:wall-1_1", "Нет воды на ул. Ленина 5 третий день", street: "Ленина")
        guard case .open(let facts) = b.plan(first, fingerprint: fp(first), book: book) else {
            Issue.record("a first complaint opens an incident"); return
        }
        #expect(facts == b.facts(first, fp(first)))
        let (opened, _) = b.apply(first, fingerprint: fp(first), book: book)
        let h = book.handle(id: opened?.id ?? "")
        #expect(h != nil)

        let same = t.item("tg:chan_2", "Снова нет воды на ул. Ленина 5", at: 1, street: "Ленина")
        #expect(b.plan(same, fingerprint: fp(same), book: book) == .join(h!))

        var repost = t.item("tg:chan_3", "репост", category: nil, at: 2)
        repost.duplicateOf = "vk:wall-1_1"
        #expect(b.plan(repost, fingerprint: fp(repost), book: book) == .relate(h!))

        #expect(b.plan(first, fingerprint: fp(first), book: book) == .none)   // seen, not an edit
        var edited = first
        edited.isUpdate = true
        #expect(b.plan(edited, fingerprint: fp(edited), book: book) == .update(h!))

        let chatter = t.item("vk:wall-1_9", "Всем доброе утро", category: nil)
        #expect(b.plan(chatter, fingerprint: fp(chatter), book: book) == .none)
        #expect(IncidentBuilder.Plan.open(facts).handle == nil && IncidentBuilder.Plan.join(h!).handle == h)
    }

    @Test func applyingAPlan_givesWhatApplyGives() {
        let b = IncidentBuilder(policy: IncidentPolicy())
        let (planned, direct) = (IncidentBook(), IncidentBook())
        let posts = [t.item("vk:wall-1_1", "Нет воды на ул. Ленина 5", street: "Ленина"),
                     t.item("tg:chan_2", "Опять нет воды на ул. Ленина 5", at: 1, street: "Ленина"),
                     t.item("vk:wall-1_3", "Яма на дороге у школы", category: "roads", at: 2)]
        for p in posts {
            let a = b.apply(p, fingerprint: fp(p), plan: b.plan(p, fingerprint: fp(p), book: planned), book: planned)
            let d = b.apply(p, fingerprint: fp(p), book: direct)
            #expect(a.0 == d.0 && a.1 == d.1)
        }
    }

    @Test func slimGeneration_movesWhenIncidentsAreSlimmedOrPruned_notWhenTheyChange() {
        let book = IncidentBook(wholeLimit: 2)
        for n in 0..<2 { book.put(IncidentBookSlimTests.incident(n)) }
        let g0 = book.slimGeneration
        book.put(IncidentBookSlimTests.incident(0))
        book.slimColdIncidents()
        #expect(book.slimGeneration == g0)
        book.put(IncidentBookSlimTests.incident(2))
        book.slimColdIncidents()
        #expect(book.slimGeneration > g0)
        #expect(book.isSlim(book.handle(id: "inc-0")!) && !book.isSlim(book.handle(id: "inc-2")!))
        let g1 = book.slimGeneration
        book.prune(lastSeenBefore: Date(timeIntervalSince1970: 1_793_491_201))
        #expect(book.slimGeneration > g1)
    }
}
