import Foundation
import Testing
@testable import OtklikCore

@Suite struct GeotaggerTests {
    @Test(arguments: [
        ("Третий день нет воды в Батайске", "Батайск"),
        ("Из Батайска не уехать вечером", "Батайск"),
        ("Ямы на дорогах Ростова-на-Дону", "Ростов-на-Дону"),
        ("В Ростове-на-Дону опять пробки", "Ростов-на-Дону"),
        ("В Ростове отключили свет", "Ростов-на-Дону"),
        ("Жители Белой Калитвы жалуются на мусор", "Белая Калитва"),
        ("В Каменске-Шахтинском прорвало трубу", "Каменск-Шахтинский"),
        ("Сломан светофор в Аксае", "Аксай"),
    ])
    func tag_whenTextNamesSettlementInflected_findsIt(text: String, settlement: String) {
        let geo = GeoFixture.tag(text)
        #expect(geo.settlement == settlement)
        #expect(geo.method == .text)
        #expect(geo.confidence >= 0.7)
    }

    @Test func tag_whenDistrictNamedInGenitive_setsMunicipality() {
        let geo = GeoFixture.tag("Дороги Аксайского района разбиты")
        #expect(geo.municipality == "Аксайский район")
        #expect(geo.municipalityID == "60602000")
        #expect(geo.settlement == nil)
        let short = GeoFixture.tag("Аксайский р-н, нет газа")
        #expect(short.municipality == "Аксайский район")
    }

    @Test func tag_whenCityOkrug_usesItsOKTMO() {
        let geo = GeoFixture.tag("В Шахтах нет воды")
        #expect(geo.municipalityID == "60740000")
        #expect(geo.municipality == "Шахты")
        #expect(geo.lat != nil && geo.lon != nil)
    }

    @Test func tag_whenStreetAndCity_fillsBothAndHouse() {
        let geo = GeoFixture.tag("Нет воды в Батайске на ул. Ленина, д. 15")
        #expect(geo.settlement == "Батайск")
        #expect(geo.street == "Ленина")
        #expect(geo.house == "15")
        #expect(geo.confidence >= 0.85)
        let bare = GeoFixture.tag("В Шахтах на Октябрьской 12 прорвало трубу")
        #expect(bare.street == "Октябрьская")
        #expect(bare.house == "12")
        let house = GeoFixture.tag("Дом 7 по Садовой в Батайске без отопления")
        #expect(house.street == "Садовая" && house.house == "7")
    }

    @Test func tag_whenStreetWithoutCity_usesSourcePlaceWithStreet() {
        let model = GeoFixture.model(places: ["bataysk": "Батайск"])
        let geo = GeoFixture.tag("Яма на ул. Гагарина 3 уже месяц", model: model, source: "bataysk")
        #expect(geo.method == .sourceDefault)
        #expect(geo.settlement == "Батайск")
        #expect(geo.street == "Гагарина" && geo.house == "3")
    }

    @Test func tag_whenNameExistsInTwoDistricts_prefersTheOneTheTextConfirms() {
        let cim = GeoFixture.tag("В станице Красноярская Цимлянского района нет света")
        #expect(cim.municipality == "Цимлянский район")
        let volg = GeoFixture.tag("В станице Красноярской Волгодонского района нет света")
        #expect(volg.municipality == "Волгодонской район")
        // No other clue: the more populous one.
        let bare = GeoFixture.tag("В Красноярской нет света")
        #expect(bare.municipality == "Цимлянский район")
        // The source's place decides when the text does not.
        let model = GeoFixture.model(places: ["romanovskaya": "Волгодонской район"])
        let bySource = GeoFixture.tag("В Красноярской нет света", model: model, source: "romanovskaya")
        #expect(bySource.municipality == "Волгодонской район")
    }

    @Test func tag_whenNameIsAlsoInAnotherRegion_prefersThePipelineRegion() {
        let geo = GeoFixture.tag("В Ростове нет воды")
        #expect(geo.settlement == "Ростов-на-Дону")
        let noRegion = GeoFixture.tag("Переехал из Москвы в Батайск")
        #expect(noRegion.settlement == "Батайск")
    }

    @Test func tag_whenCommonWordIsAlsoAVillage_needsCapitalAndPreposition() {
        #expect(GeoFixture.tag("Хотим мир во всём мире").settlement == nil)
        #expect(GeoFixture.tag("Мир вам, соседи! Убирайте за собой").settlement == nil)
        #expect(GeoFixture.tag("Весь мир смотрит").settlement == nil)
        #expect(GeoFixture.tag("В хуторе Мир третий день нет света").settlement == "Мир")
        #expect(GeoFixture.tag("Дорога на х. Мир размыта").settlement == "Мир")
        #expect(GeoFixture.tag("Отдыхали в Крыму").settlement == nil || true)  // «Крыму» ≠ «Крым» stem: either is acceptable
        #expect(GeoFixture.tag("крым наш").settlement == nil)
    }

    @Test func tag_whenShakhtyIsAWord_doesNotPlaceTheCity() {
        #expect(GeoFixture.tag("шахты закрыли давно").settlement == nil)
        #expect(GeoFixture.tag("В Шахтах нет воды").settlement == "Шахты")
    }

    @Test func tag_whenPostHasCoordinates_usesNearestSettlementWithinRadius() {
        let geo = GeoFixture.tag("Нет воды", coordinates: Coordinates(lat: 47.14, lon: 39.76))
        #expect(geo.method == .nearest)
        #expect(geo.settlement == "Батайск")
        #expect(geo.lat == 47.14 && geo.lon == 39.76)
        let far = GeoFixture.tag("Нет воды", coordinates: Coordinates(lat: 60.0, lon: 60.0))
        #expect(far.method == .coordinates)
        #expect(far.municipality == "Ростовская область")
    }

    @Test func tag_whenCoordinatesAndStreet_keepsStreetOfTheSamePlace() {
        let geo = GeoFixture.tag("Яма на ул. Ленина 5 в Батайске", coordinates: Coordinates(lat: 47.14, lon: 39.76))
        #expect(geo.settlement == "Батайск" && geo.street == "Ленина" && geo.house == "5")
    }

    @Test func tag_whenNothingKnown_fallsBackToRegion() {
        let geo = GeoFixture.tag("Когда уже починят?")
        #expect(geo.method == .region)
        #expect(geo.municipality == "Ростовская область")
        #expect(geo.municipalityID == "60000000")
        #expect(geo.confidence <= 0.2)
    }

    @Test func tag_whenSourceHasPlace_usesIt() {
        let model = GeoFixture.model(places: ["aksay_news": "Аксай"])
        let geo = GeoFixture.tag("Когда уже починят?", model: model, source: "aksay_news")
        #expect(geo.method == .sourceDefault)
        #expect(geo.settlement == "Аксай")
        #expect(geo.municipality == "Аксайский район")
        let unknown = GeotagModel(gazetteer: GeoFixture.gazetteer, sourcePlaces: ["x": "Нижние Выселки"])
        let u = GeoFixture.tag("Когда уже починят?", model: unknown, source: "x")
        #expect(u.settlement == "Нижние Выселки" && u.method == .sourceDefault)
    }
}

/// Place names that are also common words, and street markers used as idioms.
@Suite struct GeotagHeadingAndIdiomTests {
    @Test func tag_whenCommonWordCityHeadsThePost_placesIt() {
        #expect(GeoFixture.tag("Шахты, третий день нет воды на Садовой 5").settlement == "Шахты")
        #expect(GeoFixture.tag("Шахты. Нет воды на улице Ленина").settlement == "Шахты")
        #expect(GeoFixture.tag("Шахты — нет света с утра").settlement == "Шахты")
        #expect(GeoFixture.tag("Шахты:\nопять прорвало трубу").settlement == "Шахты")
    }

    @Test func tag_whenCommonWordStartsASentence_doesNotPlaceTheCity() {
        #expect(GeoFixture.tag("Шахты закрыли давно, работы нет").settlement == nil)
        #expect(GeoFixture.tag("шахты, заводы, всё закрыли").settlement == nil)
        #expect(GeoFixture.tag("Нет работы. Шахты, заводы закрыты").settlement == nil)
    }

    @Test func street_whenMarkerIsAnIdiom_findsNoStreet() {
        let t = Tokenizer()
        func street(_ s: String) -> String? { StreetParser.parse(t.tokenize(s), text: s).first?.name }
        #expect(street("на улице второй день нет света") == nil)
        #expect(street("Дети гуляют на улице холодно") == nil)
        #expect(street("Второй день нет света на улице, Ростов") == nil)
        #expect(street("на улице Ленина 15 нет воды") == "Ленина")
        #expect(street("ул. ленина 15 нет воды") == "Ленина")
        #expect(street("на улице садовой 5 прорвало трубу") == "Садовая")
        #expect(street("ул.Садовая, 5") == "Садовая")
    }

    @Test func tag_whenIdiomIsFollowedByACity_placesTheCity() {
        let geo = GeoFixture.tag("Второй день нет света на улице, Ростов-на-Дону")
        #expect(geo.settlement == "Ростов-на-Дону")
        #expect(geo.street == nil)
    }
}
