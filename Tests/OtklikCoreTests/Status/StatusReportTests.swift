import Foundation
import Testing
@testable import OtklikCore

struct StatusReportTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func source_failingLongerThanThreshold_isFailing() {
        let h = SourceHealth(sourceID: "a", lastSuccessAt: now.addingTimeInterval(-1200), errorStreak: 4, lastError: "HTTP 500")
        let s = StatusReport.source(id: "a", connector: "vk", health: h, maxFailing: 900, now: now)
        #expect(s.failing)
        #expect(s.failingFor == 1200)
    }

    @Test func source_failingShorterThanThreshold_isNotFailing() {
        let h = SourceHealth(sourceID: "a", lastSuccessAt: now.addingTimeInterval(-60), errorStreak: 1)
        #expect(!StatusReport.source(id: "a", connector: nil, health: h, maxFailing: 900, now: now).failing)
    }

    @Test func source_healthy_isNotFailing() {
        let h = SourceHealth(sourceID: "a", lastSuccessAt: now.addingTimeInterval(-9999), errorStreak: 0)
        let s = StatusReport.source(id: "a", connector: nil, health: h, maxFailing: 900, now: now)
        #expect(!s.failing && s.failingFor == nil)
    }

    @Test func source_neverSucceededAndErring_isFailing() {
        let h = SourceHealth(sourceID: "a", errorStreak: 2, lastError: "refused")
        #expect(StatusReport.source(id: "a", connector: nil, health: h, maxFailing: 900, now: now).failing)
    }

    @Test func sink_readsQueueAndLastDeliveryFromMetricsText() {
        let text = """
        # TYPE otklik_sink_delivered_total counter
        otklik_sink_delivered_total{sink="db"} 12
        # TYPE otklik_sink_queue_depth gauge
        otklik_sink_queue_depth{pipeline="p",sink="db"} 3
        otklik_sink_queue_depth{sink="db"} 3
        otklik_sink_last_delivery_timestamp_seconds{pipeline="p",sink="db"} 1800000000
        """
        let s = StatusReport.sink(name: "db", type: "sqlite", pipeline: "p", metrics: PrometheusSamples(text: text))
        #expect(s.queueDepth == 3)
        #expect(s.delivered == 12)
        #expect(s.lastDeliveryAt == now)
    }

    @Test func prometheus_labelWithEscapedQuote_isRead() {
        let p = PrometheusSamples(text: #"m{a="x\"y",b="z"} 2.5"#)
        #expect(p.samples == [.init(name: "m", labels: ["a": #"x"y"#, "b": "z"], value: 2.5)])
    }

    @Test func renderText_showsFailingSourceAndRedactsNothingNeeded() {
        let h = SourceHealth(sourceID: "a", lastSuccessAt: now.addingTimeInterval(-1200), errorStreak: 4, lastError: "HTTP 500")
        let r = StatusReport(pipeline: "p", sources: [StatusReport.source(id: "a", connector: "vk", health: h, maxFailing: 900, now: now)],
                             sinks: [], notes: [])
        let text = r.renderText(now: now)
        #expect(text.contains("a [vk] FAILING"))
        #expect(text.contains("failing for 20m0s"))
        #expect(text.contains("last error: HTTP 500"))
    }
}
