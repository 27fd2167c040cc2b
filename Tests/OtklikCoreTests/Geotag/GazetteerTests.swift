import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

@Suite struct GazetteerTests {
    @Test func load_whenLineIsBad_reportsFileAndLine() {
        let text = "name\tkind\tmunicipality\tregion\tlat\tlon\nБатайск\tcity_okrug\tБатайск\tРостовская область\t47.1\t39.7\nX\tmetropolis\tX\tY\t1\t2\n"
        var g = Gazetteer()
        do {
            try g.load(text: text, file: "bad.tsv")
            Issue.record("expected an error")
        } catch let e as GazetteerError {
            #expect(e.line == 3)
            #expect(e.description.hasPrefix("bad.tsv:3: unknown kind 'metropolis'"))
        } catch { Issue.record("\(error)") }
        #expect(throws: GazetteerError.self) { try g.load(text: "name\tkind\tmunicipality\tregion\tlat\nA\tcity\tA\tR\t95\n", file: "f") }
    }

    @Test func load_whenCityListedTwice_keepsTheMunicipalityRow() throws {
        var g = Gazetteer()
        try g.load(text: "name\tkind\tmunicipality\tregion\npopulated\nБатайск\tcity\tБатайск\tРостовская область\n"
            .replacingOccurrences(of: "populated\n", with: ""), file: "a")
        try g.load(text: "name\tkind\tmunicipality\tregion\toktmo\nБатайск\tcity_okrug\tБатайск\tРостовская область\t60707000\n", file: "b")
        #expect(g.entries.count == 1)
        #expect(g.entries[0].kind == .cityOkrug)
        #expect(g.municipalityID(of: g.entries[0]) == "60707000")
    }

    /// The shipped data: every municipality of Ростовская область and all Russian cities.
    @Test func shippedData_hasEveryRostovMunicipalityWithCentreAndCoordinates() throws {
        let root = TestPaths.repoRoot + "/data"
        let g = try Gazetteer(files: [root + "/rostov-oblast.tsv", root + "/ru-cities.tsv"])
        let rostov = g.entries.filter { $0.region == "Ростовская область" }
        #expect(rostov.filter { $0.kind == .district }.count == 43)
        #expect(rostov.filter { $0.kind == .cityOkrug }.count == 12)
        for m in rostov where m.kind.isMunicipality {
            #expect(m.centre != nil && m.lat != nil && m.lon != nil, "\(m.name)")
        }
        #expect(g.entries.filter { $0.kind == .city || $0.kind == .cityOkrug }.count >= 1100)
        // Shipped data places real text.
        let model = GeotagModel(gazetteer: g, region: "Ростовская область")
        let tagger = Geotagger(model: model)
        let tokenizer = Tokenizer()
        func tag(_ s: String) -> GeoTag {
            tagger.tag(Post(sourceKind: "vk", sourceID: "s", postID: "1", published: Date(), text: s), tokens: tokenizer.tokenize(s))
        }
        #expect(tag("Нет воды в Зернограде").municipality == "Зерноградский район")
        #expect(tag("В станице Вёшенской нет газа").municipality == "Шолоховский район")
        #expect(tag("Мясниковского района жители жалуются").municipality == "Мясниковский район")
        #expect(tag("В Новочеркасске на ул. Московской 5 яма").street == "Московская")
        #expect(tag("Пробки в Москве").settlement == "Москва")
    }
}

/// The place index turns words away with a small bit filter before probing its forms table:
/// it must never hide a key the table holds.
@Suite struct PlaceIndexFilterTests {
    @Test func formsOf_neverHidesAKeyOfTheShippedGazetteers() throws {
        let gazetteer = try Gazetteer(files: ["rostov-oblast.tsv", "ru-cities.tsv"].map { TestPaths.repoRoot + "/data/" + $0 })
        let tokenizer = Tokenizer()
        let index = PlaceIndex(gazetteer: gazetteer, tokenizer: tokenizer)
        var checked = 0, found = 0
        for (i, e) in gazetteer.entries.enumerated() {
            for form in [e.name] + PlaceIndex.endings.map({ e.name + $0 }) {
                for t in tokenizer.tokenize(form) {
                    for h in [PlaceIndex.keyHash(t, text: form, tokenizer: tokenizer), t.wordHash, t.stemHash] {
                        #expect((index.forms(of: h) != nil) == (index.forms[h] != nil), "\(form)")
                        checked += 1
                        if index.forms[h] != nil { found += 1 }
                    }
                }
            }
            let first = tokenizer.tokenize(e.name)[0]
            let forms = (index.forms(of: PlaceIndex.keyHash(first, text: e.name, tokenizer: tokenizer)) ?? [])
                + (index.forms(of: first.wordHash) ?? [])
            #expect(forms.contains { $0.entry == i }, "\(e.name)")
        }
        #expect(checked > 50_000 && found > 10_000)
        for w in ["вода", "подъезд", "мусор", "отопление", "яма"] {
            #expect(index.forms(of: tokenizer.tokenize(w)[0].stemHash) == nil)
        }
    }
}
