import Foundation
import Testing
@testable import OtklikCore

@Suite struct ReportHTMLTests {
    let now = ReportFixtures.now
    func render(_ list: [Incident]) -> String {
        ReportHTML(ReportModel.build(list, options: ReportOptions(pipeline: "rostov", region: "Ростовская область", now: now))).render()
    }

    @Test func render_postWithScriptTag_showsItAsText() {
        let evil = "Нет воды <script>alert('x')</script> & <b>жара</b> \"цитата\""
        let html = render([ReportFixtures.incident(id: "x", category: "housing.water", firstSeen: now.addingTimeInterval(-3600),
                                                    severity: .critical, text: evil)])
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<b>жара</b>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;жара&lt;/b&gt; &quot;цитата&quot;"))
        #expect(html.components(separatedBy: "<script>").count == 2)  // only the page's own script
    }

    @Test func render_hostileMunicipalityAndCategory_areEscapedEverywhere() {
        var i = ReportFixtures.incident(id: "<i>id", category: "x<script>", firstSeen: now.addingTimeInterval(-3600 * 30),
                                        severity: .critical)
        i.geo?.municipality = "Город<img src=x onerror=alert(1)>"
        i.geo?.settlement = "\"><svg onload=alert(2)>"
        i.executor = Executor(name: "<b>Служба</b>")
        let html = render([i])
        for raw in ["<img", "<svg onload", "x<script>", "<b>Служба", "<i>id"] { #expect(!html.contains(raw)) }
        #expect(html.contains("Город&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test func render_javascriptURL_isNotMadeALink() {
        let html = render([ReportFixtures.incident(id: "x", category: "roads", firstSeen: now.addingTimeInterval(-3600),
                                                    url: "javascript:alert(1)")])
        #expect(!html.contains("javascript:"))
        let ok = render([ReportFixtures.incident(id: "y", category: "roads", firstSeen: now.addingTimeInterval(-3600),
                                                  url: "https://t.me/ch/5?a=1&b=2")])
        #expect(ok.contains("href=\"https://t.me/ch/5?a=1&amp;b=2\""))
    }

    @Test func render_isSelfContained() {
        let html = render(ReportFixtures.month(count: 60))
        for external in ["<link", " src=", "@import", "url(", "<iframe", "<img"] { #expect(!html.contains(external)) }
        // The only absolute URLs are the links to the original posts.
        let hrefs = html.components(separatedBy: "href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!hrefs.isEmpty)
        #expect(hrefs.allSatisfy { $0.hasPrefix("https://vk.com/") })
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"))
    }

    @Test func render_heatMap_hasARussianHeaderPerCategoryAndARowPerMunicipality() {
        let list = ReportFixtures.month(count: 60)
        let model = ReportModel.build(list, options: ReportOptions(now: now))
        let html = ReportHTML(model).render()
        let heat = html.components(separatedBy: "<table class=\"heat sortable\">")[1].components(separatedBy: "</table>")[0]
        #expect(heat.components(separatedBy: "<th class=\"cat\"").count - 1 == model.categories.count)
        #expect(heat.components(separatedBy: "<th class=\"rowhead\" data-v=").count - 1 == model.matrix.count)
        #expect(heat.contains("ЖКХ: вода и канализация"))
        #expect(html.contains("<svg class=\"chart\"") && html.contains("<svg class=\"map\""))
    }

    @Test func render_noIncidents_saysSoInsteadOfEmptyCharts() {
        let html = render([])
        #expect(html.contains("За выбранный период инцидентов нет"))
        #expect(!html.contains("<svg"))
    }

    @Test func heatColor_darkensWithTheCountAndKeepsTextReadable() {
        let (light, lightText) = ReportHTML.heatColor(1, max: 100)
        let (dark, darkText) = ReportHTML.heatColor(100, max: 100)
        #expect(light != dark)
        #expect(lightText == "#222222" && darkText == "#ffffff")
        #expect(dark == "#99000d")
    }

    @Test(arguments: [(0, 4), (3, 4), (5, 8), (17, 20), (23, 24), (41, 60), (99, 100), (1234, 1600)])
    func niceCeiling_givesRoundAxisTops(n: Int, top: Int) {
        #expect(ReportHTML.niceCeiling(n) == top)
    }

    @Test func projection_mapsTheExtentOntoTheBoxKeepingProportions() {
        let e = ReportModel.MapExtent(minLat: 46, maxLat: 50, minLon: 38, maxLon: 44)
        let p = MapProjection(extent: e, maxWidth: 800, maxHeight: 800)
        let nw = p.point(lat: 50, lon: 38), se = p.point(lat: 46, lon: 44)
        #expect(abs(nw.x) < 1e-9 && abs(nw.y) < 1e-9)
        #expect(abs(se.x - p.width) < 1e-9 && abs(se.y - p.height) < 1e-9)
        // 6° of longitude at 48°N are about 4° of latitude: nearly square.
        #expect(abs(p.width / p.height - 6 * cos(48 * Double.pi / 180) / 4) < 1e-9)
        #expect(max(p.width, p.height) <= 800.0001)
        let j = MapProjection.jitter("inc-1", radius: 9)
        #expect(j.dx * j.dx + j.dy * j.dy <= 81.0001)
        #expect(MapProjection.jitter("inc-1", radius: 9) == j)
    }

    @Test func palette_givesEveryCategoryItsOwnColour() {
        let colors = Taxonomy.categories.map { CategoryPalette.color($0.id) }
        #expect(Set(colors).count == colors.count)
        #expect(CategoryPalette.color("housing.lifts") == CategoryPalette.color("housing"))
    }
}

@Suite struct MapLabelsTests {
    @Test func place_neighbouringTowns_getLabelsThatDoNotOverlap() {
        let towns = ReportFixtures.towns
        let places = towns.map { ReportModel.MapPlace(municipality: $0.1, lat: $0.2, lon: $0.3, incidents: $0.4) }
        let extent = ReportModel.MapExtent(minLat: 46.3, maxLat: 49.1, minLon: 38.7, maxLon: 42.4)
        let labels = MapLabels.place(places, projection: MapProjection(extent: extent, maxWidth: 500, maxHeight: 500))
        #expect(labels.first?.text == "Ростов-на-Дону · 30")
        #expect(labels.count >= towns.count - 3)
        func box(_ l: MapLabels.Label) -> (Double, Double, Double, Double) {
            let w = Double(l.text.count) * MapLabels.charWidth
            let x0 = l.anchor == "start" ? l.x : l.anchor == "end" ? l.x - w : l.x - w / 2
            return (x0, l.y - 11, x0 + w, l.y + 2)
        }
        for (i, a) in labels.enumerated() {
            for b in labels[(i + 1)...] {
                let (p, q) = (box(a), box(b))
                #expect(!(p.0 < q.2 && q.0 < p.2 && p.1 < q.3 && q.1 < p.3), "\(a.text) overlaps \(b.text)")
            }
        }
    }
}
