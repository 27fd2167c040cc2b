import Foundation
import OtklikCore
import OtklikTestSupport

/// A SQLite incident store written by the real binary: `otklik replay` runs a small made-up
/// feed through the repository's own rules and gazetteer into a `sqlite` sink.
///
/// Post n is `vk:wall-1_n`. The complaints and what the pipeline makes of them:
///
/// | n | first seen (UTC) | category | municipality |
/// |---|---|---|---|
/// | 1 | 2026-10-02 09:00 | housing.water | Батайск |
/// | 2 | 2026-10-03 10:00 | roads | Таганрог |
/// | 3 | 2026-10-05 11:00 | waste | Шахты |
/// | 4 | 2026-10-06 12:00 | roads | Батайск |
/// | 5 | 2026-10-07 13:00 | housing.heating | Новочеркасск |
/// | 6 | 2026-10-10 14:00 | housing.water | Таганрог |
/// | 7 | 2026-10-12 15:00 | roads | Азов (its text holds `<script>` and `<img onerror>`, its url is `javascript:`) |
/// | 9 | 2026-10-08 09:30 | roads | Батайск |
/// | 10 | an hour ago | roads | Шахты (not yet due) |
///
/// Post 8 is a thank-you note. The operator has set incident 2 to `closed` and 4 to `in_progress`.
struct IncidentStoreFixture {
    let dir: String
    /// Incident id by post number.
    let ids: [Int: String]

    var config: String { dir + "/pipelines.yaml" }
    var db: String { dir + "/out/incidents.sqlite" }

    func ids(_ posts: [Int]) -> [String] { posts.map { ids[$0]! } }

    /// Markup in a post: shown as text everywhere, never run (a browser test checks the title).
    static let hostile = #"<script>document.title='pwned'</script><img src=x onerror="document.title='pwned'">"#
    static let hostileEscaped = "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;"

    static func feed(now: Date) -> String {
        func line(_ n: Int, _ published: String, _ text: String, url: String? = nil) -> String {
            let obj: [String: Any] = ["source_kind": "vk", "post_id": "wall-1_\(n)", "published": published,
                                      "url": url ?? "https://vk.com/wall-1_\(n)", "text": text]
            return String(decoding: try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self)
        }
        return [
            line(1, "2026-10-02T09:00:00Z", "Третий день нет воды на Ленина 15 в Батайске, сколько можно"),
            line(2, "2026-10-03T10:00:00Z", "Огромная яма на Садовой в Таганроге, уже два колеса пробили. Примите меры!"),
            line(3, "2026-10-05T11:00:00Z", "В Шахтах на улице Советской мусор не вывозят уже неделю, контейнеры переполнены"),
            line(4, "2026-10-06T12:00:00Z", "В Батайске на Кирова разбитый асфальт, ямы по колено, когда отремонтируют дорогу?"),
            line(5, "2026-10-07T13:00:00Z", "Новочеркасск, улица Московская: в квартирах холодно, батареи ледяные, отопления нет"),
            line(6, "2026-10-10T14:00:00Z", "Таганрог, Петровская улица — второй день без воды, ни холодной ни горячей"),
            line(7, "2026-10-12T15:00:00Z", hostile + " В Азове на Московской улице огромная яма, машины бьют колёса",
                 url: "javascript:alert(2)"),
            line(8, "2026-10-12T16:00:00Z", "Спасибо организаторам за чудесный праздник в парке"),
            line(9, "2026-10-08T09:30:00Z", "Батайск, улица Октябрьская: глубокая яма у школы, дети спотыкаются, асфальт разбит"),
            line(10, OtklikJSON.formatDate(now.addingTimeInterval(-3600)),
                 "В Шахтах на переулке Громова провал асфальта, глубокая яма на дороге, объехать нельзя"),
        ].joined(separator: "\n") + "\n"
    }

    static func config(dir: String, dbPath: String) -> String {
        let root = TestPaths.repoRoot
        return """
        state_dir: \(dir)/state
        pipelines:
          - name: t
            region: Ростовская область
            sources: []
            stages:
              - normalize
              - dedupe
              - geotag:
                  gazetteer: [\(root)/data/rostov-oblast.tsv]
                  region: Ростовская область
              - classify:
                  rules: \(root)/rules/
              - incident
            sinks:
              - name: db
                type: sqlite
                path: \(dbPath)
        """
    }

    /// Writes the config, replays the feed into the store and sets the operator's statuses.
    static func make() async throws -> IncidentStoreFixture {
        let dir = TestPaths.makeTempDir("otklik-store")
        try config(dir: dir, dbPath: dir + "/out/incidents.sqlite").write(toFile: dir + "/pipelines.yaml", atomically: true, encoding: .utf8)
        try feed(now: Date()).write(toFile: dir + "/posts.jsonl", atomically: true, encoding: .utf8)
        let r = try await OtklikProcess.run(["replay", "--config", "pipelines.yaml", "--pipeline", "t", "posts.jsonl"], dir: dir)
        guard r.status == 0 else { throw FixtureError("replay failed (\(String(describing: r.status))): \(r.err.suffix(1500))") }

        let db = try SQLiteDatabase(path: dir + "/out/incidents.sqlite")
        var ids: [Int: String] = [:]
        for row in try db.query("SELECT id, opened_by FROM incidents") {
            guard let id = row[0].text, let key = row[1].text, let n = Int(key.split(separator: "_").last ?? "") else { continue }
            ids[n] = id
        }
        guard Set(ids.keys) == [1, 2, 3, 4, 5, 6, 7, 9, 10] else {
            throw FixtureError("the rules or the gazetteer changed: incidents opened by posts \(ids.keys.sorted())")
        }
        try db.execute("UPDATE incidents SET status = ? WHERE id = ?", [.text("closed"), .text(ids[2]!)])
        try db.execute("UPDATE incidents SET status = ? WHERE id = ?", [.text("in_progress"), .text(ids[4]!)])
        return IncidentStoreFixture(dir: dir, ids: ids)
    }

    /// A store with the sink's tables and no incidents.
    static func makeEmpty() async throws -> IncidentStoreFixture {
        let store = try await make()
        let db = try SQLiteDatabase(path: store.db)
        try db.execute("DELETE FROM incident_posts")
        try db.execute("DELETE FROM incidents")
        return IncidentStoreFixture(dir: store.dir, ids: [:])
    }

    /// Runs `otklik <args>` in the store's folder with a fixed table width.
    func run(_ args: [String]) async throws -> (status: Int32?, out: String, err: String) {
        try await OtklikProcess.run(args, dir: dir, environment: ["COLUMNS": "200"])
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// The `id` of every JSON line.
func jsonlIDs(_ text: String) -> [String] {
    text.split(separator: "\n").compactMap {
        (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String
    }
}
