import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// Backfill over the real Telegram connector against a local fake `t.me/s/<channel>` server.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct BackfillTelegramTests {
    /// A minimal channel page in the shape of `t.me/s/<channel>`; message n is published n minutes after 2025-11-20T00:00Z.
    static func page(_ ids: ClosedRange<Int>, before: Int? = nil) -> String {
        var html = #"<!DOCTYPE html><html><head><meta charset="utf-8"><title>chan</title></head><body><main class="tgme_main"><div class="tgme_container"><section class="tgme_channel_history js-message_history">"#
        if let before { html += #"<a href="/s/chan?before=\#(before)" class="tme_messages_more js-messages_more" data-before="\#(before)"></a>"# }
        for n in ids {
            let iso = Date(timeIntervalSince1970: 1_763_596_800 + Double(n * 60)).formatted(.iso8601)
            let text = n % 2 == 0 ? "Во дворе дома \(n) глубокая яма" : "Спасибо за концерт номер \(n)"
            html += #"<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="chan/\#(n)" data-view="x"><div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text js-message_text" dir="auto">\#(text)</div><div class="tgme_widget_message_footer"><div class="tgme_widget_message_info"><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/chan/\#(n)"><time datetime="\#(iso)" class="time">00:00</time></a></span></div></div></div></div></div>"#
        }
        return html + "</section></div></main></body></html>"
    }

    static func config(_ server: TestHTTPServer) -> String {
        """
        state_dir: state
        metrics_file: metrics.prom
        metrics_interval: 100ms
        shutdown_timeout: 5s
        pipelines:
          - name: e2e
            sources:
              - {id: tg, connector: telegram, channel: chan, base_url: "\(server.baseURL)", page_delay: 0s, poll_interval: 5m}
            stages:
              - keyword: {words: [яма], category: roads, make_incidents: true}
            sinks:
              - {type: sqlite, path: out/incidents.sqlite, batch_interval: 20ms}
        """
    }

    @Test func backfill_overFakeTelegram_givesTheSameIncidentIDsAsTheLiveDaemon() async throws {
        let server = try TestHTTPServer.started()
        defer { server.stop() }
        server.route("GET", "/s/chan") { req in
            req.queryValue("before") == nil ? .html(Self.page(1...20)) : .html(Self.page(1...0))
        }
        let live = TestPaths.makeTempDir("otklik-e2e")
        try Self.config(server).write(toFile: live + "/p.yaml", atomically: true, encoding: .utf8)
        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: live)
        #expect(await eventually { IncidentIDs.inSQLite(live + "/out/incidents.sqlite").count == 10 })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)

        let dir = TestPaths.makeTempDir("otklik-e2e")
        try Self.config(server).write(toFile: dir + "/p.yaml", atomically: true, encoding: .utf8)
        let r = try await OtklikProcess.run(["backfill", "--config", "p.yaml", "--pipeline", "e2e", "--source", "tg",
                                             "--since", "2025-11-19", "--until", "2025-11-21"], dir: dir)
        #expect(r.status == 0, "stderr: \(r.err.suffix(2000))")
        let ids = Set(IncidentIDs.inSQLite(dir + "/out/incidents.sqlite"))
        #expect(ids.count == 10)
        #expect(ids == Set(IncidentIDs.inSQLite(live + "/out/incidents.sqlite")))
    }
}
