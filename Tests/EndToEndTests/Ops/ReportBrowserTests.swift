import Foundation
import Testing
import OtklikTestSupport

/// The report in a real browser: Debian's headless Chromium loads it offline, and a post's
/// markup stays text (its `<script>` would retitle the page, its `<img onerror>` likewise).
@Suite(.enabled(if: OtklikProcess.binaryExists && Browser.chromium != nil,
                "needs the otklik binary and chromium (apt-get install -y chromium)"))
struct ReportBrowserTests {

    /// Runs `executable` to completion (killed after `timeout`); returns status and stdout.
    static func run(_ executable: String, _ args: [String], dir: String, timeout: Duration = .seconds(90)) async throws -> (Int32?, String) {
        let outPath = dir + "/browser-\(UUID().uuidString.prefix(8)).out"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = ContinuousClock.now + timeout
        while p.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if p.isRunning { p.terminate(); return (nil, "") }
        return (p.terminationStatus, (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
    }

    @Test func report_inHeadlessChromium_showsPostMarkupAsTextAndRendersToPNG() async throws {
        let store = try await IncidentStoreFixture.make()
        let r = try await store.run(["report", "--db", "out/incidents.sqlite", "--html", "out/report.html"] + ReportCommandTests.october)
        #expect(r.status == 0, "stderr: \(r.err)")
        let html = store.dir + "/out/report.html"

        let profile = TestPaths.makeTempDir("chromium-profile")
        let (status, dom) = try await Self.run(Browser.chromium!, [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--disable-background-networking", "--user-data-dir=\(profile)", "--dump-dom", "file://\(html)",
        ], dir: store.dir)
        #expect(status == 0)
        let title = try #require(dom.range(of: "<title>").flatMap { t in dom.range(of: "</title>", range: t.upperBound..<dom.endIndex).map { dom[t.upperBound..<$0.lowerBound] } })
        #expect(title.hasPrefix("Обращения жителей"), "the post's script did not run: \(title)")
        #expect(!dom.contains("pwned</title>"))
        #expect(!dom.contains("<img"), "the post's <img> is text, not an element")
        #expect(dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"), "shown as text")
        #expect(dom.components(separatedBy: "<script").count - 1 == 1, "only the report's own script")

        let png = store.dir + "/out/report.png"
        let (rendered, _) = try await Self.run("/bin/bash", [TestPaths.repoRoot + "/scripts/render-report.sh", html, png, "1200x1600"],
                                               dir: store.dir)
        #expect(rendered == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(data.count > 20_000, "a picture, not a blank page: \(data.count) bytes")
    }
}

enum Browser {
    /// Debian's Chromium, when installed.
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
