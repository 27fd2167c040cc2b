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
        book.loader = { stored[$0].map(IncidentStoredPart.init) }
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

    /// What the index writes to its store is the version it handed to the sinks, for every incident.
    @Test func incidentIndex_storesTheVersionsItReturned() throws {
        let path = NSTemporaryDirectory() + "otklik-slim-\(UUID().uuidString)/idx.sqlite"
        let index = IncidentIndex(policy: IncidentPolicy(), path: path)
        index.wholeLimit = 3
        var emitted: [String: Incident] = [:]
        var keys: [String] = []
        for n in 0..<30 {
            let t = Date(timeIntervalSince1970: 1_793_491_200 + Double(n) * 60)
            var item = AnalysisItem(post: Post(sourceKind: "vk", sourceID: "s\(n % 4)", postID: "\(n)", published: t,
                                               text: n % 3 == 2 ? "репост" : "Яма на улице номер \(n) в Батайске"))
            if n % 3 == 2 { item.duplicateOf = keys[n / 2 % keys.count] } else {
                item.verdict = Verdict(isComplaint: true, category: "roads", severity: n % 2 == 0 ? .medium : .high,
                                       score: 3, hits: [RuleHit(rule: "roads.pothole", category: "roads", weight: 3, matched: ["Яма"])])
                keys.append(item.post.key)
            }
            if let inc = try index.apply(item, fingerprint: TextFingerprint(simhash: UInt64(n) << 40, anchor: UInt32(n))).0 {
                emitted[inc.id] = inc
            }
        }
        try index.flush()
        let store = try IncidentStore(readingFrom: path)
        #expect(emitted.count >= 20)
        for (id, inc) in emitted { #expect(try store.fetchPart(id: id) == IncidentStoredPart(inc)) }
    }

    /// The second attach must see the first one's related post, whether that version is on
    /// disk (read through the read-only connection) or still queued (read through the writer).
    @Test func incidentIndex_attachingTwiceToASlimmedIncident_keepsBothRelatedPosts() throws {
        let dir = NSTemporaryDirectory() + "otklik-slim-\(UUID().uuidString)"
        let index = IncidentIndex(policy: IncidentPolicy(), path: dir + "/idx.sqlite")
        index.wholeLimit = 5
        var minute = 0
        func complaint(_ n: Int) throws -> Incident? {
            minute += 1
            var item = AnalysisItem(post: Post(sourceKind: "vk", sourceID: "s\(n)", postID: "\(n)",
                                               published: Date(timeIntervalSince1970: 1_793_491_200 + Double(minute) * 60),
                                               text: "Яма на улице номер \(n) в Батайске"))
            item.verdict = Verdict(isComplaint: true, category: "roads", severity: .medium, score: 3)
            return try index.apply(item, fingerprint: TextFingerprint(simhash: UInt64(n) << 40, anchor: UInt32(n))).0
        }
        func repost(_ id: String, of key: String?) throws -> Incident? {
            minute += 1
            var r = AnalysisItem(post: Post(sourceKind: "tg", sourceID: "t", postID: id,
                                            published: Date(timeIntervalSince1970: 1_793_491_200 + Double(minute) * 60), text: "репост"))
            r.duplicateOf = key
            return try index.apply(r, fingerprint: TextFingerprint(simhash: 1, anchor: 1)).0
        }
        let first = try complaint(0)
        for n in 1..<40 { _ = try complaint(n) }
        try index.flush()
        #expect(try repost("r1", of: first?.openedBy)?.relatedPosts == ["tg:r1"])
        // Enough new incidents for the index to hand a batch to its writer and slim the first again.
        for n in 40..<400 { _ = try complaint(n) }
        let second = try repost("r2", of: first?.openedBy)
        #expect(second?.id == first?.id)
        #expect(second?.relatedPosts == ["tg:r1", "tg:r2"])
        #expect(second?.text == first?.text)
    }

    @Test func inFlightIDs_countsAnIdQueuedTwice() {
        let f = InFlightIDs()
        f.add(["a", "b"]); f.add(["a"])
        f.remove(["a", "b"])
        #expect(f.contains("a") && !f.contains("b"))
        f.remove(["a"])
        #expect(!f.contains("a"))
    }

    @Test func inFlightIDs_keepTheNewestQueuedPart_untilItsLastBatchIsWritten() {
        let f = InFlightIDs()
        let v1 = IncidentStoredPart(Self.incident(1)), v2 = IncidentStoredPart(Self.incident(2))
        f.add([(id: "a", part: v1)]); f.add([(id: "a", part: v2)])
        #expect(f.part("a") == v2)
        f.remove(["a"])
        #expect(f.part("a") == v2)
        f.remove(["a"])
        #expect(f.part("a") == nil && !f.contains("a"))
    }
}
