import Foundation
import Testing
@testable import OtklikCore

@Suite struct IncidentBookSlimTests {
    static func incident(_ n: Int) -> Incident {
        let t = Date(timeIntervalSince1970: 1_793_491_200 + Double(n))
        return Incident(id: "inc-\(n)", category: "roads", subcategory: "pothole", severity: .medium, score: 3,
                        geo: GeoTag(municipalityID: "m1", municipality: "Батайск", method: .text, confidence: 0.8),
                        firstSeen: t, lastSeen: t, deadline: t.addingTimeInterval(86400), openedBy: "vk:\(n)",
                        sourceID: "s", text: "Яма на дороге №\(n)", hits: [RuleHit(rule: "roads.pothole", category: "roads", weight: 3, matched: ["яма"])])
    }

    @Test func slimColdIncidents_keepsTheNewestWhole_andLoaderBringsTextBack() {
        let book = IncidentBook(wholeLimit: 3)
        var stored: [String: Incident] = [:]
        book.loader = { stored[$0] }
        for n in 0..<10 { let i = Self.incident(n); stored[i.id] = i; book.put(i) }
        book.slimColdIncidents()
        #expect(book.slimCount == 7)
        #expect(book.incident(id: "inc-9")?.text == "Яма на дороге №9")
        let cold = book.incident(id: "inc-0")!
        #expect(cold.text.isEmpty && cold.hits.isEmpty && cold.category == "roads" && cold.geo?.municipality == "Батайск")
        #expect(book.incident(containing: "vk:0")?.id == "inc-0")
        let whole = book.whole(cold)
        #expect(whole.text == "Яма на дороге №0" && whole.hits.count == 1)
    }

    @Test func put_ofASlimIncidentMadeWhole_countsAsWholeAgain() {
        let book = IncidentBook(wholeLimit: 2)
        for n in 0..<4 { book.put(Self.incident(n)) }
        book.slimColdIncidents()
        #expect(book.slimCount == 2)
        var revived = Self.incident(0)
        revived.relatedPosts = ["tg:x/1"]
        book.put(revived)
        #expect(book.slimCount == 1)
        book.slimColdIncidents()
        #expect(book.slimCount == 2)
        #expect(book.incident(id: "inc-0")?.text.isEmpty == false)   // the newest put stays whole
    }

    @Test func incidentStage_withManyIncidents_reattachesToASlimmedOne_withItsText() throws {
        let dir = NSTemporaryDirectory() + "otklik-slim-\(UUID().uuidString)"
        let index = IncidentIndex(policy: IncidentPolicy(), path: dir + "/idx.sqlite")
        index.wholeLimit = 5
        var first: Incident?
        for n in 0..<40 {
            var item = AnalysisItem(post: Post(sourceKind: "vk", sourceID: "s\(n)", postID: "\(n)",
                                               published: Date(timeIntervalSince1970: 1_793_491_200 + Double(n) * 60),
                                               text: "Яма на улице номер \(n) в Батайске"))
            item.verdict = Verdict(isComplaint: true, category: "roads", severity: .medium, score: 3)
            let (inc, _) = try index.apply(item, fingerprint: TextFingerprint(simhash: UInt64(n) << 40, anchor: UInt32(n)))
            if n == 0 { first = inc }
        }
        try index.flush()
        #expect(index.slimCount > 0)
        var repost = AnalysisItem(post: Post(sourceKind: "tg", sourceID: "t", postID: "r1",
                                             published: Date(timeIntervalSince1970: 1_793_500_000), text: "репост"))
        repost.duplicateOf = first?.openedBy
        let (attached, change) = try index.apply(repost, fingerprint: TextFingerprint(simhash: 1, anchor: 1))
        #expect(change == .related)
        #expect(attached?.id == first?.id)
        #expect(attached?.text == first?.text && attached?.relatedPosts == ["tg:r1"])
    }
}
