import Foundation
@testable import OtklikCore

/// A small gazetteer written for the tests (same columns as data/*.tsv, invented rows
/// where noted), and helpers to tag a text.
enum GeoFixture {
    static let tsv = """
        name\tkind\tmunicipality\tregion\tlat\tlon\toktmo\tpopulation\tcentre\taliases
        Ростовская область\tregion\t\tРостовская область\t47.7\t40.6\t60000000\t\tРостов-на-Дону\t
        Ростов-на-Дону\tcity_okrug\tРостов-на-Дону\tРостовская область\t47.2225\t39.7188\t60701000\t1091544\tРостов-на-Дону\tРостов
        Батайск\tcity_okrug\tБатайск\tРостовская область\t47.1383\t39.7507\t60707000\t112400\tБатайск\t
        Шахты\tcity_okrug\tШахты\tРостовская область\t47.7085\t40.2160\t60740000\t240152\tШахты\t
        Каменск-Шахтинский\tcity_okrug\tКаменск-Шахтинский\tРостовская область\t48.3205\t40.2690\t60719000\t95306\tКаменск-Шахтинский\tКаменск
        Аксайский район\tdistrict\tАксайский район\tРостовская область\t47.2676\t39.8757\t60602000\t\tАксай\t
        Цимлянский район\tdistrict\tЦимлянский район\tРостовская область\t47.6477\t42.0932\t60657000\t\tЦимлянск\t
        Волгодонской район\tdistrict\tВолгодонской район\tРостовская область\t47.5\t41.9\t\t\tРомановская\t
        Белокалитвинский район\tdistrict\tБелокалитвинский район\tРостовская область\t48.177\t40.803\t60606000\t\tБелая Калитва\t
        Мясниковский район\tdistrict\tМясниковский район\tРостовская область\t47.30\t39.74\t\t\tЧалтырь\t
        Аксай\tcity\tАксайский район\tРостовская область\t47.2676\t39.8757\t60602101001\t41984\t\t
        Белая Калитва\tcity\tБелокалитвинский район\tРостовская область\t48.177\t40.803\t60606101001\t43688\t\t
        Красноярская\tstanitsa\tЦимлянский район\tРостовская область\t47.60\t42.05\t\t2100\t\t
        Красноярская\tstanitsa\tВолгодонской район\tРостовская область\t47.55\t41.80\t\t1700\t\t
        Крым\tposyolok\tМясниковский район\tРостовская область\t47.33\t39.67\t\t1800\t\t
        Мир\tkhutor\tАксайский район\tРостовская область\t47.30\t39.95\t\t300\t\t
        Ростов\tcity\tРостовский район\tЯрославская область\t57.185\t39.414\t\t30406\t\t
        Москва\tcity\tМосква\tМосква\t55.754\t37.620\t45000000\t11514330\t\t
        """

    static let gazetteer: Gazetteer = {
        var g = Gazetteer()
        try! g.load(text: tsv, file: "fixture.tsv")
        return g
    }()

    static func model(region: String? = "Ростовская область", places: [String: String] = [:],
                      boundaries: Boundaries? = nil) -> GeotagModel {
        GeotagModel(gazetteer: gazetteer, region: region, radius: 30_000, boundaries: boundaries, sourcePlaces: places)
    }

    static func post(_ text: String, source: String = "src", coordinates: Coordinates? = nil) -> Post {
        Post(sourceKind: "vk", sourceID: source, postID: "wall-1_1", published: Date(timeIntervalSince1970: 1_790_000_000),
             text: text, coordinates: coordinates)
    }

    static func tag(_ text: String, model: GeotagModel = model(), source: String = "src",
                    coordinates: Coordinates? = nil) -> GeoTag {
        let tagger = Geotagger(model: model)
        return tagger.tag(post(text, source: source, coordinates: coordinates), tokens: Tokenizer().tokenize(text))
    }
}
