import Foundation

/// Draws a `ReportModel` as one self-contained HTML page: inline CSS, inline SVG and a few
/// lines of inline JS; no external scripts, fonts, images or map tiles, so it opens offline.
public struct ReportHTML {
    public let model: ReportModel
    let calendar: Calendar

    public init(_ model: ReportModel) {
        self.model = model
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: model.timeZone) ?? TimeZone(identifier: "UTC")!
        calendar = cal
    }

    /// The whole page.
    public func render() -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(esc(title))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n"
        h += header()
        h += "<main>\n"
        h += summaryCards()
        if model.summary.incidents == 0 {
            h += "<section><p class=\"empty\">За выбранный период инцидентов нет.</p></section>\n"
        } else {
            h += heatMap()
            h += trendChart()
            h += pointMap()
            h += overdueTable()
            h += topTable()
        }
        h += "</main>\n<footer>Отклик · данные: \(esc(model.pipeline ?? "—")) · отчёт построен \(esc(dateTime(model.generatedAt)))"
        h += " · время: \(esc(zoneLabel))</footer>\n"
        h += "<script>\n\(Self.script)</script>\n</body>\n</html>\n"
        return h
    }

    var title: String {
        "Обращения жителей" + (model.region.map { " — \($0)" } ?? "") + " · " + period
    }

    var period: String {
        switch (model.since, model.until) {
        case let (s?, u?): return "\(day(s)) — \(day(u.addingTimeInterval(-1)))"
        case let (s?, nil): return "\(day(s)) — \(day(model.generatedAt))"
        case let (nil, u?): return "до \(day(u.addingTimeInterval(-1)))"
        default:
            if let f = model.trend.days.first, let l = model.trend.days.last { return "\(dayLabel(f)) — \(dayLabel(l))" }
            return "весь период"
        }
    }

    var zoneLabel: String { model.timeZone == "UTC" || model.timeZone == "GMT" ? "UTC" : model.timeZone }

    func header() -> String {
        var h = "<header><div class=\"brand\">Отклик</div><div><h1>Обращения жителей"
        if let r = model.region { h += " — \(esc(r))" }
        h += "</h1><div class=\"sub\">\(esc(period))"
        if let p = model.pipeline { h += " · конвейер <b>\(esc(p))</b>" }
        h += "</div></div></header>\n"
        return h
    }

    func summaryCards() -> String {
        let s = model.summary
        let cards: [(String, String, String)] = [
            ("Инцидентов", "\(s.incidents)", ""),
            ("Открыто", "\(s.open)", ""),
            ("Просрочено", "\(s.overdue)", s.overdue > 0 ? "bad" : "good"),
            ("Муниципалитетов", "\(s.municipalities)", ""),
            ("Категорий", "\(s.categories)", ""),
            ("Повторных сообщений", "\(s.repeats)", ""),
        ]
        var h = "<section class=\"cards\">"
        for (label, value, cls) in cards {
            h += "<div class=\"card \(cls)\"><div class=\"v\">\(esc(value))</div><div class=\"l\">\(esc(label))</div></div>"
        }
        return h + "</section>\n"
    }

    // MARK: formatting

    func esc(_ s: String) -> String { HTMLText.escape(s) }

    /// `24.11.2026` in the report's time zone.
    func day(_ d: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: d)
        return String(format: "%02d.%02d.%04d", c.day ?? 0, c.month ?? 0, c.year ?? 0)
    }

    /// `24.11.2026 10:15` in the report's time zone.
    func dateTime(_ d: Date) -> String {
        let c = calendar.dateComponents([.hour, .minute], from: d)
        return day(d) + String(format: " %02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// `2026-11-24` → `24.11`.
    func dayLabel(_ iso: String, withYear: Bool = false) -> String {
        let p = iso.split(separator: "-")
        guard p.count == 3 else { return iso }
        return "\(p[2]).\(p[1])" + (withYear ? ".\(p[0])" : "")
    }

    /// `3 д 4 ч`, `5 ч`, `40 мин`.
    static func span(_ seconds: TimeInterval) -> String {
        let m = Int(max(0, seconds) / 60)
        if m < 60 { return "\(m) мин" }
        let h = m / 60
        if h < 24 { return "\(h) ч" }
        return h % 24 == 0 ? "\(h / 24) д" : "\(h / 24) д \(h % 24) ч"
    }

    static let severityNames: [Severity: String] = [.low: "низкая", .medium: "средняя", .high: "высокая", .critical: "критическая"]

    func severityBadge(_ s: Severity) -> String {
        "<span class=\"sev sev-\(s.rawValue)\">\(esc(Self.severityNames[s] ?? s.rawValue))</span>"
    }

    func categoryChip(_ id: String) -> String {
        "<span class=\"chip\"><i style=\"background:\(CategoryPalette.color(id))\"></i>\(esc(Taxonomy.name(of: id)))</span>"
    }

    /// A number with two decimals at most, `.` as the separator (SVG wants it so).
    static func num(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
