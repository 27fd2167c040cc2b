import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct SystemdNotifierTests {
    @Test func notify_toPathSocket_deliversMessage() throws {
        let l = try DatagramListener(path: TestPaths.makeTempDir() + "/notify.sock")
        let n = SystemdNotifier(environment: ["NOTIFY_SOCKET": l.address])
        #expect(n.notify("READY=1\nSTATUS=running"))
        #expect(l.receive() == "READY=1\nSTATUS=running")
    }

    @Test func notify_toAbstractSocket_deliversMessage() throws {
        let l = try DatagramListener(abstractName: "otklik-test-\(UUID().uuidString)")
        let n = SystemdNotifier(environment: ["NOTIFY_SOCKET": l.address])
        #expect(n.notify("WATCHDOG=1"))
        #expect(l.receive() == "WATCHDOG=1")
    }

    @Test func notify_withoutSocket_isSilentNoOp() {
        let n = SystemdNotifier(environment: [:])
        #expect(!n.isEnabled)
        #expect(!n.notify("READY=1"))
    }

    @Test func watchdogInterval_isHalfOfUsec_forThisProcessOnly() {
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "2000000"], pid: 7) == .seconds(1))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "7"], pid: 7) == .seconds(1))
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "8"], pid: 7) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "junk"], pid: 7) == nil)
        #expect(SystemdNotifier.watchdogInterval(environment: [:], pid: 7) == nil)
    }

    @Test func metricsFileWriter_writesPrometheusTextAtomically() throws {
        let path = TestPaths.makeTempDir() + "/otklik.prom"
        let m = Metrics()
        m.increment("otklik_posts_read_total", by: 3, ["source": "a"])
        MetricsFileWriter(path: path, interval: .seconds(1), metrics: m, logger: Logger(label: "t")).writeNow()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(#"otklik_posts_read_total{source="a"} 3"#))
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }
}
