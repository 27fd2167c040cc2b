import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

/// Geotagging with the shipped gazetteer (`data/`) over the demo feed (`samples/`) and
/// real residents' appeals (`../shared/fixtures/complaints`, skipped when absent).
@Suite struct GeotagRealDataTests {
    static let gazetteer: Gazetteer? = {
        let root = TestPaths.repoRoot + "/data"
        return try? Gazetteer(files: [root + "/rostov-oblast.tsv", root + "/ru-cities.tsv"])
    }()

    @Test func samples_dedupeAndGeotag_placeTheTownsNamedInText() throws {
        let gaz = try #require(Self.gazetteer)
        let data = try #require(FileManager.default.contents(atPath: TestPaths.repoRoot + "/samples/posts.jsonl"))
        let posts = try String(decoding: data, as: UTF8.self).split(separator: "\n")
            .map { try OtklikJSON.decoder().decode(Post.self, from: Data($0.utf8)) }
        let tokenizer = Tokenizer()
        let dedupe = DedupeStage(window: DedupeWindow(settings: DedupeWindow.Settings()))
        let geotag = GeotagStage(model: GeotagModel(gazetteer: gaz, region: "Ростовская область"))
        // "в Батайске" forms of the demo feed's 15 towns (samples/tools/generate.py).
        let towns = ["в Ростове-на-Дону": "Ростов-на-Дону", "в Таганроге": "Таганрог", "в Шахтах": "Шахты",
                     "в Новочеркасске": "Новочеркасск", "в Волгодонске": "Волгодонск", "в Батайске": "Батайск",
                     "в Азове": "Азов", "в Аксае": "Аксай", "в Сальске": "Сальск", "в Белой Калитве": "Белая Калитва",
                     "в Новошахтинске": "Новошахтинск", "в Каменске-Шахтинском": "Каменск-Шахтинский",
                     "в Миллерово": "Миллерово", "в Зернограде": "Зерноград", "в Красном Сулине": "Красный Сулин"]
        var dropped = 0, reposts = 0, named = 0, right = 0, streets = 0
        for p in posts {
            var item = AnalysisItem(post: p)
            item.tokens = tokenizer.tokenize(p.text)
            if try dedupe.process(&item) != .pass { dropped += 1; continue }
            if item.duplicateOf != nil { reposts += 1 }
            _ = try geotag.process(&item)
            let lower = p.text.lowercased()
            guard let town = towns.first(where: { lower.contains($0.key.lowercased()) })?.value else { continue }
            named += 1
            if item.geo?.settlement == town { right += 1 }
            if item.geo?.street != nil { streets += 1 }
        }
        print("samples: \(posts.count) posts, \(dropped) duplicates dropped, \(reposts) reposts, town right \(right)/\(named), streets \(streets)")
        #expect(dropped == 10)
        #expect(reposts == 20)
        #expect(Double(right) >= 0.97 * Double(named))
    }

    @Test func realAppeals_inKurskRegion_placeKurskAndStreets() throws {
        guard let dir = TestPaths.sharedFixtures,
              let data = FileManager.default.contents(atPath: dir + "/complaints/kursk-appeals.jsonl") else {
            print("skipped: ../shared/fixtures/complaints/kursk-appeals.jsonl not found"); return
        }
        let gaz = try #require(Self.gazetteer)
        struct Appeal: Decodable { var text: String }
        let appeals = try String(decoding: data, as: UTF8.self).split(separator: "\n")
            .map { try JSONDecoder().decode(Appeal.self, from: Data($0.utf8)) }
        let tagger = Geotagger(model: GeotagModel(gazetteer: gaz, region: "Курская область"))
        let tokenizer = Tokenizer()
        var mentionsKursk = 0, placedKursk = 0, withStreetWord = 0, streetFound = 0, outOfRegion = 0
        for a in appeals {
            let post = Post(sourceKind: "jsonl", sourceID: "kursk", postID: "x", published: Date(), text: a.text)
            let geo = tagger.tag(post, tokens: tokenizer.tokenize(a.text))
            if a.text.contains("г. Курск") || a.text.contains("г.Курск") || a.text.contains("городе Курске") {
                mentionsKursk += 1
                if geo.settlement == "Курск" { placedKursk += 1 }
            }
            if a.text.contains("ул.") { withStreetWord += 1; if geo.street != nil { streetFound += 1 } }
            if geo.method == .text, let s = geo.settlement, !gaz.named(s).contains(where: { $0.region == "Курская область" }) {
                outOfRegion += 1
            }
        }
        print("kursk: Курск \(placedKursk)/\(mentionsKursk), streets \(streetFound)/\(withStreetWord), placed outside the region \(outOfRegion)/\(appeals.count)")
        #expect(Double(placedKursk) >= 0.9 * Double(mentionsKursk))
        #expect(Double(streetFound) >= 0.8 * Double(withStreetWord))
    }
}
