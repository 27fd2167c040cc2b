import Foundation

extension ReportHTML {
    /// Incidents as dots over the region's extent, coloured by category, with the
    /// municipalities labelled and a degree grid; drawn from coordinates alone (no tiles).
    func pointMap() -> String {
        var h = "<section><h2>Карта обращений</h2>\n"
        guard let extent = model.extent, !model.points.isEmpty else {
            return h + "<p class=\"empty\">Ни у одного инцидента нет координат.</p></section>\n"
        }
        let proj = MapProjection(extent: extent, maxWidth: 860, maxHeight: 760)
        let pad = 30.0
        let (w, hgt) = (proj.width + 2 * pad, proj.height + 2 * pad)
        h += "<p class=\"hint\">\(model.summary.located) из \(model.summary.incidents) инцидентов с координатами; "
        h += "точки одного места слегка разнесены. Наведите на точку, чтобы увидеть инцидент.</p>\n"
        h += "<div class=\"mapgrid\"><svg class=\"map\" style=\"width:\(Self.num(w))px\" viewBox=\"0 0 \(Self.num(w)) \(Self.num(hgt))\" role=\"img\" aria-label=\"Карта инцидентов\">"
        h += "<rect class=\"land\" x=\"\(Self.num(pad))\" y=\"\(Self.num(pad))\" width=\"\(Self.num(proj.width))\" height=\"\(Self.num(proj.height))\"/>"
        h += grid(proj, pad: pad)
        let radius = 3.0 + 3.0 * min(1, 60 / Double(max(model.points.count, 1))).squareRoot()
        let ordered = model.points.sorted { ($0.severity, $0.id) < ($1.severity, $1.id) }
        for p in ordered {
            let (x, y) = proj.point(lat: p.lat, lon: p.lon)
            let j = MapProjection.jitter(p.id, radius: 9)
            let r = p.severity >= .high ? radius + 1.5 : radius
            let tip = "\(Taxonomy.name(of: p.category)) · \(p.municipality ?? ReportModel.unknownMunicipality) · \(ReportHTML.severityNames[p.severity] ?? "") · \(p.id)"
            h += "<circle cx=\"\(Self.num(pad + x + j.dx))\" cy=\"\(Self.num(pad + y + j.dy))\" r=\"\(Self.num(r))\" fill=\"\(CategoryPalette.color(p.category))\"><title>\(esc(tip))</title></circle>"
        }
        for label in MapLabels.place(model.places, projection: proj) {
            h += "<text class=\"place\" x=\"\(Self.num(pad + label.x))\" y=\"\(Self.num(pad + label.y))\" text-anchor=\"\(label.anchor)\">\(esc(label.text))</text>"
        }
        h += "</svg>\n<div class=\"side\"><h3>Категории</h3>\n<ul class=\"vlegend\">"
        for c in model.categories {
            h += "<li><i style=\"background:\(CategoryPalette.color(c.id))\"></i>\(esc(c.name))<b>\(c.total)</b></li>"
        }
        h += "</ul>\n<p class=\"hint\">Крупные точки — высокая и критическая важность.</p></div>\n"
        return h + "</div></section>\n"
    }

    func grid(_ proj: MapProjection, pad: Double) -> String {
        let e = proj.extent
        var s = ""
        let latStep = MapProjection.gridStep(span: e.maxLat - e.minLat)
        var lat = (e.minLat / latStep).rounded(.up) * latStep
        while lat <= e.maxLat {
            let y = pad + proj.point(lat: lat, lon: e.minLon).y
            s += "<line class=\"grid\" x1=\"\(Self.num(pad))\" x2=\"\(Self.num(pad + proj.width))\" y1=\"\(Self.num(y))\" y2=\"\(Self.num(y))\"/>"
            s += "<text class=\"axis\" x=\"\(Self.num(pad - 4))\" y=\"\(Self.num(y + 4))\" text-anchor=\"end\">\(Self.degrees(lat))°</text>"
            lat += latStep
        }
        let lonStep = MapProjection.gridStep(span: e.maxLon - e.minLon, lines: 7)
        var lon = (e.minLon / lonStep).rounded(.up) * lonStep
        while lon <= e.maxLon {
            let x = pad + proj.point(lat: e.minLat, lon: lon).x
            s += "<line class=\"grid\" x1=\"\(Self.num(x))\" x2=\"\(Self.num(x))\" y1=\"\(Self.num(pad))\" y2=\"\(Self.num(pad + proj.height))\"/>"
            s += "<text class=\"axis\" x=\"\(Self.num(x))\" y=\"\(Self.num(pad + proj.height + 16))\" text-anchor=\"middle\">\(Self.degrees(lon))°</text>"
            lon += lonStep
        }
        return s
    }

    static func degrees(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(format: "%g", r)
    }
}
