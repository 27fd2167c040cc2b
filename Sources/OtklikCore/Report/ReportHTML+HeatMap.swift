import Foundation

extension ReportHTML {
    /// The municipality × category table; cell colour grows with the count.
    func heatMap() -> String {
        let cols = model.categories
        let maxCell = model.matrix.flatMap(\.counts).max() ?? 0
        var h = "<section><h2>Тепловая карта: муниципалитеты × категории</h2>\n"
        h += "<p class=\"hint\">Число инцидентов. Щёлкните заголовок столбца, чтобы отсортировать.</p>\n"
        h += "<div class=\"scroll heatwrap\"><table class=\"heat sortable\">\n<thead><tr>"
        h += "<th class=\"rowhead\" data-type=\"text\">Муниципалитет</th>"
        for c in cols {
            h += "<th class=\"cat\" title=\"\(esc(c.name))\"><span><i style=\"background:\(CategoryPalette.color(c.id))\"></i>\(esc(c.name))</span></th>"
        }
        h += "<th class=\"total\">Всего</th></tr></thead>\n<tbody>\n"
        for row in model.matrix {
            h += "<tr><th class=\"rowhead\" data-v=\"\(esc(row.municipality))\">\(esc(row.municipality))</th>"
            for (i, n) in row.counts.enumerated() {
                let title = "\(row.municipality) · \(cols[i].name): \(n)"
                if n == 0 {
                    h += "<td data-v=\"0\" class=\"zero\" title=\"\(esc(title))\">·</td>"
                } else {
                    let (bg, fg) = Self.heatColor(n, max: maxCell)
                    h += "<td data-v=\"\(n)\" style=\"background:\(bg);color:\(fg)\" title=\"\(esc(title))\">\(n)</td>"
                }
            }
            h += "<td class=\"total\" data-v=\"\(row.total)\">\(row.total)</td></tr>\n"
        }
        h += "</tbody>\n<tfoot><tr><th class=\"rowhead\">Всего</th>"
        for c in cols { h += "<td>\(c.total)</td>" }
        h += "<td class=\"total\">\(model.summary.incidents)</td></tr></tfoot>\n</table></div>\n"
        h += scaleLegend(max: maxCell)
        return h + "</section>\n"
    }

    func scaleLegend(max: Int) -> String {
        guard max > 0 else { return "" }
        let steps = Array(Set([1, Swift.max(1, max / 4), Swift.max(1, max / 2), Swift.max(1, 3 * max / 4), max])).sorted()
        var h = "<div class=\"scale\"><span>меньше</span>"
        for n in steps {
            let (bg, fg) = Self.heatColor(n, max: max)
            h += "<b style=\"background:\(bg);color:\(fg)\">\(n)</b>"
        }
        return h + "<span>больше</span></div>\n"
    }

    /// Background and text colour for a count: a sequential orange–red scale on √(n/max),
    /// so that small counts stay visible next to a large one.
    static func heatColor(_ n: Int, max: Int) -> (String, String) {
        let stops: [(Double, (Double, Double, Double))] = [
            (0.0, (255, 242, 204)), (0.35, (253, 187, 132)), (0.65, (239, 101, 72)), (1.0, (153, 0, 13)),
        ]
        let t = max > 0 ? (Double(n) / Double(max)).squareRoot() : 0
        var lo = stops[0], hi = stops[stops.count - 1]
        for k in 1..<stops.count where t <= stops[k].0 { lo = stops[k - 1]; hi = stops[k]; break }
        let f = hi.0 > lo.0 ? (t - lo.0) / (hi.0 - lo.0) : 0
        func mix(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * f).rounded()) }
        let rgb = (mix(lo.1.0, hi.1.0), mix(lo.1.1, hi.1.1), mix(lo.1.2, hi.1.2))
        let bg = String(format: "#%02x%02x%02x", rgb.0, rgb.1, rgb.2)
        let luminance = 0.299 * Double(rgb.0) + 0.587 * Double(rgb.1) + 0.114 * Double(rgb.2)
        return (bg, luminance < 150 ? "#ffffff" : "#222222")
    }
}
