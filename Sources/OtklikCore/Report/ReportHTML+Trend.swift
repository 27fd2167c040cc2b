import Foundation

extension ReportHTML {
    /// New incidents per day: one stacked bar chart, then one small chart per category.
    func trendChart() -> String {
        let days = model.trend.days
        guard !days.isEmpty else { return "" }
        var h = "<section><h2>Динамика по дням</h2>\n"
        h += "<p class=\"hint\">Новые инциденты за день по дате первого сообщения (\(esc(zoneLabel))); выходные затенены.</p>\n"
        h += stackedBars()
        h += legend(model.categories.map(\.id))
        h += "<div class=\"multiples\">\n"
        for (i, s) in model.trend.series.enumerated() {
            h += smallChart(s, total: model.categories[i].total)
        }
        h += "</div>\n</section>\n"
        return h
    }

    func stackedBars() -> String {
        let days = model.trend.days, series = model.trend.series
        let totals = days.indices.map { d in series.reduce(0) { $0 + $1.counts[d] } }
        let top = Self.niceCeiling(totals.max() ?? 0)
        let (w, hgt, left, bottom, topPad) = (1240.0, 240.0, 40.0, 28.0, 10.0)
        let plotH = hgt - bottom - topPad
        let slot = (w - left - 10) / Double(days.count)
        let bar = max(1, slot * 0.78)
        var s = "<svg class=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(hgt))\" role=\"img\" aria-label=\"Новые инциденты по дням\">"
        for k in 0...4 {
            let v = Double(top) * Double(k) / 4
            let y = topPad + plotH - plotH * Double(k) / 4
            s += "<line class=\"grid\" x1=\"\(Self.num(left))\" x2=\"\(Self.num(w - 10))\" y1=\"\(Self.num(y))\" y2=\"\(Self.num(y))\"/>"
            s += "<text class=\"axis\" x=\"\(Self.num(left - 6))\" y=\"\(Self.num(y + 4))\" text-anchor=\"end\">\(Self.num(v))</text>"
        }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        for (d, iso) in days.enumerated() {
            // Weekends shaded: complaints and answers both slow down then.
            guard let date = OtklikJSON.parseDate(iso), [1, 7].contains(utc.component(.weekday, from: date)) else { continue }
            s += "<rect class=\"weekend\" x=\"\(Self.num(left + Double(d) * slot))\" y=\"\(Self.num(topPad))\" width=\"\(Self.num(slot))\" height=\"\(Self.num(plotH))\"/>"
        }
        let labelEvery = max(1, Int((Double(days.count) / 16).rounded(.up)))
        for (d, iso) in days.enumerated() {
            let x = left + Double(d) * slot + (slot - bar) / 2
            var y = topPad + plotH
            for (i, ser) in series.enumerated() where ser.counts[d] > 0 {
                let bh = plotH * Double(ser.counts[d]) / Double(max(top, 1))
                y -= bh
                let tip = "\(dayLabel(iso, withYear: true)) · \(model.categories[i].name): \(ser.counts[d])"
                s += "<rect x=\"\(Self.num(x))\" y=\"\(Self.num(y))\" width=\"\(Self.num(bar))\" height=\"\(Self.num(bh))\" fill=\"\(CategoryPalette.color(ser.category))\"><title>\(esc(tip))</title></rect>"
            }
            if totals[d] > 0, slot >= 18 {
                s += "<text class=\"val\" x=\"\(Self.num(x + bar / 2))\" y=\"\(Self.num(y - 3))\" text-anchor=\"middle\">\(totals[d])</text>"
            }
            if d % labelEvery == 0 {
                s += "<text class=\"axis\" x=\"\(Self.num(x + bar / 2))\" y=\"\(Self.num(hgt - 10))\" text-anchor=\"middle\">\(esc(dayLabel(iso)))</text>"
            }
        }
        return s + "</svg>\n"
    }

    /// A small bar chart of one category over the same days, on its own scale.
    func smallChart(_ s: ReportModel.Trend.Series, total: Int) -> String {
        let (w, hgt) = (220.0, 54.0)
        let top = max(s.counts.max() ?? 0, 1)
        let slot = w / Double(max(s.counts.count, 1))
        let color = CategoryPalette.color(s.category)
        var h = "<figure><figcaption><i style=\"background:\(color)\"></i>\(esc(Taxonomy.name(of: s.category)))"
        h += " <b>\(total)</b></figcaption><svg viewBox=\"0 0 \(Int(w)) \(Int(hgt))\" class=\"spark\">"
        h += "<line class=\"base\" x1=\"0\" x2=\"\(Int(w))\" y1=\"\(Int(hgt) - 1)\" y2=\"\(Int(hgt) - 1)\"/>"
        for (d, n) in s.counts.enumerated() where n > 0 {
            let bh = (hgt - 4) * Double(n) / Double(top)
            h += "<rect x=\"\(Self.num(Double(d) * slot + slot * 0.1))\" y=\"\(Self.num(hgt - 1 - bh))\" width=\"\(Self.num(max(1, slot * 0.8)))\" height=\"\(Self.num(bh))\" fill=\"\(color)\"><title>\(esc(dayLabel(model.trend.days[d], withYear: true))): \(n)</title></rect>"
        }
        return h + "</svg></figure>\n"
    }

    func legend(_ ids: [String]) -> String {
        var h = "<div class=\"legend\">"
        for id in ids { h += "<span><i style=\"background:\(CategoryPalette.color(id))\"></i>\(esc(Taxonomy.name(of: id)))</span>" }
        return h + "</div>\n"
    }

    /// A round axis top at or above `n` with four equal integer steps (4, 8, 12, 20, 40, 60, …).
    static func niceCeiling(_ n: Int) -> Int {
        let need = max(1, Int((Double(n) / 4).rounded(.up)))
        var p = 1.0
        while true {
            for m in [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8] {
                let step = m * p
                if step == step.rounded(), Int(step) >= need { return Int(step) * 4 }
            }
            p *= 10
        }
    }
}
