import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// Prometheus text rendering and the atomic metrics file.
@Suite struct MetricsTests {
    @Test func render_groupsByNameWithHelpTypeAndSortedLabels() {
        let m = Metrics()
        m.describe("otklik_posts_total", "Posts read from sources.")
        m.increment("otklik_posts_total", ["source": "vk"])
        m.increment("otklik_posts_total", by: 2, ["source": "vk"])
        m.increment("otklik_posts_total", ["source": "tg"])
        m.set("otklik_queue_depth", 7)
        m.set("otklik_lag_seconds", 0.25, ["source": "a\"b\\c\nd"])
        #expect(m.render() == """
        # HELP otklik_posts_total Posts read from sources.
        # TYPE otklik_posts_total counter
        otklik_posts_total{source="tg"} 1
        otklik_posts_total{source="vk"} 3
        # TYPE otklik_lag_seconds gauge
        otklik_lag_seconds{source="a\\"b\\\\c\\nd"} 0.25
        # TYPE otklik_queue_depth gauge
        otklik_queue_depth 7

        """)
        #expect(m.value("otklik_posts_total", ["source": "vk"]) == 3)
        #expect(m.value("otklik_missing") == nil)
    }

    @Test func counterHandle_countsWithTheSameSeriesAsNamedIncrements() {
        let m = Metrics()
        let water = m.counter("otklik_complaints_total", ["category": "housing.water"])
        m.increment(water)
        m.increment(water, by: 2)
        m.increment("otklik_complaints_total", ["category": "housing.water"])
        #expect(m.value("otklik_complaints_total", ["category": "housing.water"]) == 4)
        #expect(m.render().contains("otklik_complaints_total{category=\"housing.water\"} 4"))
    }

    @Test func counterHandle_fromTwoThreadsAtOnce_losesNoIncrement_andAnUncountedOneIsNotRendered() async {
        let m = Metrics()
        _ = m.counter("otklik_complaints_total", ["category": "roads"])
        let water = m.counter("otklik_complaints_total", ["category": "housing.water"])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for _ in 0..<2 {
                group.enter()
                Thread {
                    // A handle asked for again names the same series.
                    let c = m.counter("otklik_complaints_total", ["category": "housing.water"])
                    for i in 0..<20_000 { m.increment(i % 2 == 0 ? c : water) }
                    group.leave()
                }.start()
            }
            group.notify(queue: .global()) { done.resume() }
        }
        #expect(m.value("otklik_complaints_total", ["category": "housing.water"]) == 40_000)
        #expect(m.value("otklik_complaints_total", ["category": "roads"]) == nil)
        #expect(m.render() == "# TYPE otklik_complaints_total counter\notklik_complaints_total{category=\"housing.water\"} 40000\n")
    }

    @Test func render_writesSpecialFloatsAsPrometheusExpects() {
        let m = Metrics()
        m.set("g", .infinity, ["k": "pos"])
        m.set("g", -.infinity, ["k": "neg"])
        m.set("g", .nan, ["k": "nan"])
        #expect(m.render().contains("g{k=\"pos\"} +Inf\n"))
        #expect(m.render().contains("g{k=\"neg\"} -Inf\n"))
        #expect(m.render().contains("g{k=\"nan\"} NaN\n"))
    }

    @Test func writeTo_replacesTheFileAtomically() throws {
        let dir = TestPaths.makeTempDir()
        let path = dir + "/otklik.prom"
        let m = Metrics()
        m.increment("a_total")
        try m.write(to: path)
        m.increment("a_total")
        try m.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "# TYPE a_total counter\na_total 2\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["otklik.prom"])
    }
}
