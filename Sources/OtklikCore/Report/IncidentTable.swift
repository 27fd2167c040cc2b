import Foundation

/// Incidents as an aligned text table for a terminal: the columns an operator scans,
/// with the post's text cut to fit the width.
public struct IncidentTable {
    public var now: Date
    public var width: Int
    let calendar: Calendar

    public init(now: Date, width: Int, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.now = now
        self.width = width
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        calendar = cal
    }

    static let headers = ["ID", "ВПЕРВЫЕ", "КАТЕГОРИЯ", "ВАЖНОСТЬ", "МУНИЦИПАЛИТЕТ", "СРОК", "ИСПОЛНИТЕЛЬ", "ТЕКСТ"]
    static let maxWidths = [22, 11, 28, 11, 22, 21, 24, Int.max]

    /// Columns left out first when the terminal is narrow: executor, then severity.
    static let optional = [6, 3]

    /// The table, one line per incident after a header line, each ending in a newline.
    public func render(_ incidents: [Incident]) -> String {
        let rows = incidents.map(cells)
        var widths = Self.headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        for i in widths.indices { widths[i] = min(widths[i], Self.maxWidths[i]) }
        var shown = Array(widths.indices)
        func fixed() -> Int { shown.dropLast().reduce(0) { $0 + widths[$1] } + 2 * (shown.count - 1) }
        for column in Self.optional where width - fixed() < 30 { shown.removeAll { $0 == column } }
        widths[widths.count - 1] = max(20, width - fixed())
        func pick(_ r: [String]) -> [String] { shown.map { r[$0] } }
        let w = shown.map { widths[$0] }
        var out = line(pick(Self.headers), w)
        for r in rows { out += line(pick(r), w) }
        return out
    }

    func cells(_ i: Incident) -> [String] {
        let overdue = i.isOverdue(at: now)
        var deadline = stamp(i.deadline)
        if overdue { deadline += " просрочен" }
        let severity = ReportHTML.severityNames[i.severity] ?? i.severity.rawValue
        let place = i.geo?.municipality ?? i.geo?.municipalityID ?? "—"
        return [i.id, stamp(i.firstSeen), Taxonomy.name(of: i.category), severity, place, deadline,
                i.executor?.name ?? "—", ReportModel.excerpt(i.text, max: 400)]
    }

    /// `24.11 10:15`.
    func stamp(_ d: Date) -> String {
        let c = calendar.dateComponents([.month, .day, .hour, .minute], from: d)
        return String(format: "%02d.%02d %02d:%02d", c.day ?? 0, c.month ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    func line(_ cells: [String], _ widths: [Int]) -> String {
        var parts: [String] = []
        for (i, c) in cells.enumerated() {
            let cut = Self.fit(c, widths[i])
            parts.append(i == cells.count - 1 ? cut : cut + String(repeating: " ", count: widths[i] - cut.count))
        }
        return parts.joined(separator: "  ") + "\n"
    }

    /// At most `width` characters, ending in `…` when cut.
    static func fit(_ s: String, _ width: Int) -> String {
        s.count <= width ? s : String(s.prefix(max(0, width - 1))) + "…"
    }
}
