import Foundation
import Testing
import OtklikCore
import OtklikTestSupport

/// `otklik report` over real residents' appeals (`../shared/fixtures/complaints`), many of which
/// carry HTML of their own (`<p>`, `<strong>`, `<br>`, `<a href>`). Failure messages give
/// counts only: the texts hold personal data.
@Suite(.enabled(if: OtklikProcess.binaryExists && RealAppeals.appeals != nil,
                "needs the otklik binary and ../shared/fixtures/complaints/kursk-appeals.jsonl (a developer's machine)"))
struct ReportRealAppealsTests {
    @Test func report_overRealAppealsWithHTMLInThem_escapesEveryTagOfTheirs() async throws {
        let dir = TestPaths.makeTempDir("otklik-real")
        try IncidentStoreFixture.config(dir: dir, dbPath: dir + "/out/incidents.sqlite")
            .write(toFile: dir + "/pipelines.yaml", atomically: true, encoding: .utf8)
        let feed = try RealAppeals.feed(count: 400)
        try feed.text.write(toFile: dir + "/posts.jsonl", atomically: true, encoding: .utf8)
        let replay = try await OtklikProcess.run(["replay", "--config", "pipelines.yaml", "--pipeline", "t", "posts.jsonl"], dir: dir)
        #expect(replay.status == 0, "replay exit \(String(describing: replay.status))")

        let json = try await OtklikProcess.run(["report", "--db", "out/incidents.sqlite", "--format", "json"] + ReportCommandTests.october, dir: dir)
        #expect(json.status == 0)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let incidents = try #require((obj["summary"] as? [String: Any])?["incidents"] as? Int)
        #expect(incidents >= 100, "\(incidents) incidents from 400 real appeals")
        let listed = try await OtklikProcess.run(["incidents", "--db", "out/incidents.sqlite", "--since", "2026-10-01",
                                                  "--until", "2026-10-31"], dir: dir)
        #expect(jsonlIDs(listed.out).count == incidents, "incidents and report agree")

        let r = try await OtklikProcess.run(["report", "--db", "out/incidents.sqlite", "--html", "report.html"] + ReportCommandTests.october, dir: dir)
        #expect(r.status == 0)
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(feed.withMarkup > 50, "the sample holds appeals with HTML")
        for tag in ["<strong", "<br", "<u>", "<p>"] {
            #expect(!html.contains(tag), "a tag of the appeals' own (\(tag)) reached the report")
        }
        #expect(html.contains("&lt;p&gt;"), "their markup is shown as text")
        let links = html.components(separatedBy: "<a ").dropFirst()
        #expect(links.allSatisfy { $0.hasPrefix("href=\"https://example.org/appeal/") }, "only the report's own links to the posts")
        #expect(html.components(separatedBy: "<script").count - 1 == 1)
    }
}

/// The real appeals, as posts dated across October 2026.
enum RealAppeals {
    static var appeals: String? {
        TestPaths.sharedFixtures.map { $0 + "/complaints/kursk-appeals.jsonl" }
            .flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
    }

    /// JSONL posts from the first `count` appeals, and how many of them hold a tag.
    static func feed(count: Int) throws -> (text: String, withMarkup: Int) {
        let lines = try String(contentsOfFile: appeals!, encoding: .utf8).split(separator: "\n").prefix(count)
        var out = "", markup = 0
        for (i, line) in lines.enumerated() {
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let text = obj["text"] as? String else { continue }
            if text.contains("<") { markup += 1 }
            let published = Date(timeIntervalSince1970: 1_790_812_800 + Double(i % 29) * 86400 + Double(i) * 97)
            let post: [String: Any] = ["source_kind": "test", "post_id": "appeal-\(i)", "url": "https://example.org/appeal/\(i)",
                                       "published": OtklikJSON.formatDate(published), "text": text]
            out += String(decoding: try JSONSerialization.data(withJSONObject: post), as: UTF8.self) + "\n"
        }
        return (out, markup)
    }
}
