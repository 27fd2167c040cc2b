import Foundation
import Synchronization
import OtklikTestSupport
import Testing
@testable import OtklikCore

/// The incident index hands its batches to the store outside its lock, and slims the book
/// while other workers go on changing it.
@Suite struct IncidentIndexHandOffTests {
    @Test func flushPolicy_isDue_atEitherCapOrAfterItsInterval() {
        let p = IncidentFlushPolicy(incidents: 4, links: 10, seconds: 1)
        #expect(!p.due(incidents: 3, links: 9, secondsSinceLast: 0.5))
        #expect(p.due(incidents: 4, links: 4, secondsSinceLast: 0))
        #expect(p.due(incidents: 1, links: 10, secondsSinceLast: 0))
        #expect(p.due(incidents: 0, links: 0, secondsSinceLast: 1))
        // A clock that stepped back does not flush on every post.
        #expect(!p.due(incidents: 0, links: 0, secondsSinceLast: -30))
    }

    @Test func defaultFlushPolicy_countsDistinctIncidents_withRoomForTheirVersionsLinks() {
        let p = IncidentFlushPolicy()
        #expect(p.incidents == 2048 && p.links == 8192 && p.seconds == 1)
    }

    /// With two workers the book can slim an incident whose newest version is still among the
    /// changes being gathered (not yet on disk or queued): reading it back must give that version.
    @Test func attach_toAnIncidentSlimmedWhileItsNewestVersionWaitsForTheNextBatch_keepsItsRelatedPosts() throws {
        let path = TestPaths.makeTempDir() + "/idx.sqlite"
        let index = IncidentIndex(policy: IncidentPolicy(), path: path, flushPolicy: IncidentFlushPolicy(incidents: 1000, links: 1000, seconds: 3600))
        index.wholeLimit = 1
        let opened = try index.apply(Self.item(worker: 0, n: 0), fingerprint: TextFingerprint(simhash: 1 << 40, anchor: 1)).0
        try index.flush()
        let first = try index.apply(Self.item(worker: 0, n: 1, repostOf: 0), fingerprint: TextFingerprint(simhash: 1, anchor: 1)).0
        _ = try index.apply(Self.item(worker: 0, n: 2), fingerprint: TextFingerprint(simhash: 2 << 40, anchor: 2))
        index.slimNow()
        #expect(index.slimCount == 1)
        let second = try index.apply(Self.item(worker: 0, n: 3, repostOf: 0), fingerprint: TextFingerprint(simhash: 1, anchor: 1)).0
        #expect(second?.id == opened?.id)
        #expect(first?.relatedPosts == ["tg:r0-1"])
        #expect(second?.relatedPosts == ["tg:r0-1", "tg:r0-3"])
        #expect(second?.text == opened?.text)
    }

    /// A complaint opening incident `n` of `worker`, or a repost of that worker's incident `of`.
    static func item(worker: Int, n: Int, repostOf: Int? = nil) -> AnalysisItem {
        let t = Date(timeIntervalSince1970: 1_793_491_200 + Double(n))
        if let of = repostOf {
            var r = AnalysisItem(post: Post(sourceKind: "tg", sourceID: "t\(worker)", postID: "r\(worker)-\(n)",
                                            published: t, text: "репост"))
            r.duplicateOf = "vk:\(worker)-\(of)"
            return r
        }
        var item = AnalysisItem(post: Post(sourceKind: "vk", sourceID: "s\(worker)", postID: "\(worker)-\(n)", published: t,
                                           text: "Яма на улице номер \(n) потока \(worker)"))
        item.verdict = Verdict(isComplaint: true, category: "roads", severity: .medium, score: 3,
                               hits: [RuleHit(rule: "roads.pothole", category: "roads", weight: 3, matched: ["Яма"])])
        return item
    }

    /// Two threads, each with its own posts (as the runtime shards sources), on one index that
    /// hands a batch over every few changes and keeps only a few incidents whole: every post a
    /// thread reposts was opened by that thread, so the end state does not depend on timing.
    /// Every related post must be kept (a version taken for the store or slimmed meanwhile is
    /// read back from memory), and the store must hold the newest version of each incident.
    @Test func twoWorkers_smallBatchesAndFewWholeIncidents_loseNoRelatedPost_andStoreTheNewestVersions() async throws {
        let path = TestPaths.makeTempDir() + "/idx.sqlite"
        let index = IncidentIndex(policy: IncidentPolicy(), path: path, flushPolicy: IncidentFlushPolicy(incidents: 3, links: 7, seconds: 3600))
        index.wholeLimit = 4
        let complaints = 60, reposts = 240
        let emitted = Mutex<[String: Incident]>([:])
        let failures = Mutex<[String]>([])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for worker in 0..<2 {
                group.enter()
                Thread {
                    var newest: [String: Incident] = [:]
                    do {
                        for n in 0..<complaints {
                            if let inc = try index.apply(Self.item(worker: worker, n: n), fingerprint: TextFingerprint(simhash: UInt64(n) << 40, anchor: UInt32(n))).0 {
                                newest[inc.id] = inc
                            }
                        }
                        for r in 0..<reposts {
                            let item = Self.item(worker: worker, n: complaints + r, repostOf: r * 7 % complaints)
                            if let inc = try index.apply(item, fingerprint: TextFingerprint(simhash: 1, anchor: 1)).0 { newest[inc.id] = inc }
                        }
                    } catch { failures.withLock { $0.append("\(error)") } }
                    emitted.withLock { $0.merge(newest) { _, b in b } }
                    group.leave()
                }.start()
            }
            group.notify(queue: .global()) { done.resume() }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        try index.flush()
        let all = emitted.withLock { $0 }
        #expect(all.count == 2 * complaints)
        #expect(index.slimCount > 0)
        let store = try IncidentStore(readingFrom: path)
        for (id, inc) in all {
            let worker = inc.openedBy.hasPrefix("vk:0-") ? 0 : 1
            let n = Int(inc.openedBy.split(separator: "-").last ?? "") ?? -1
            let expected = (0..<reposts).filter { $0 * 7 % complaints == n }.map { "tg:r\(worker)-\(complaints + $0)" }
            #expect(inc.relatedPosts == expected, "\(id)")
            #expect(try store.fetchPart(id: id) == IncidentStoredPart(inc), "\(id)")
        }
    }
}
