import Foundation

extension ReportHTML {
    func overdueTable() -> String {
        var h = "<section><h2>Просроченные инциденты"
        h += model.summary.overdue > 0 ? " <span class=\"count bad\">\(model.summary.overdue)</span>" : ""
        h += "</h2>\n"
        guard !model.overdue.isEmpty else {
            return h + "<p class=\"empty\">Просроченных нет: на всё ответили в срок.</p></section>\n"
        }
        if model.summary.overdue > model.overdue.count {
            h += "<p class=\"hint\">Показаны \(model.overdue.count) самых давних из \(model.summary.overdue).</p>\n"
        }
        h += "<div class=\"scroll\"><table class=\"list sortable\">\n<thead><tr><th>Срок</th><th>Просрочено на</th>"
        h += "<th>Категория</th><th>Муниципалитет</th><th>Исполнитель</th><th>Сообщение</th></tr></thead>\n<tbody>\n"
        for i in model.overdue {
            let late = model.generatedAt.timeIntervalSince(i.deadline)
            h += "<tr><td data-v=\"\(Self.num(i.deadline.timeIntervalSince1970))\" class=\"nowrap\">\(esc(dateTime(i.deadline)))</td>"
            h += "<td data-v=\"\(Self.num(late))\" class=\"late nowrap\">\(esc(Self.span(late)))</td>"
            h += "<td>\(categoryChip(i.category))</td><td>\(esc(i.municipality ?? "—"))</td>"
            h += "<td>\(esc(i.executor ?? "—"))</td><td class=\"text\">\(textCell(i))</td></tr>\n"
        }
        return h + "</tbody></table></div></section>\n"
    }

    func topTable() -> String {
        var h = "<section><h2>Главные инциденты</h2>\n"
        h += "<p class=\"hint\">По важности, числу повторных сообщений и свежести.</p>\n"
        h += "<div class=\"scroll\"><table class=\"list sortable\">\n<thead><tr><th>#</th><th>Важность</th><th>Категория</th>"
        h += "<th>Муниципалитет</th><th>Повторов</th><th>Впервые</th><th>Срок</th><th>Сообщение</th></tr></thead>\n<tbody>\n"
        for (n, i) in model.top.enumerated() {
            let overdue = i.deadline < model.generatedAt && !IncidentStatus.isClosed(i.status)
            h += "<tr><td data-v=\"\(n + 1)\">\(n + 1)</td><td data-v=\"\(i.severity.rank)\">\(severityBadge(i.severity))</td>"
            h += "<td>\(categoryChip(i.category))</td><td>\(esc(i.municipality ?? "—"))</td>"
            h += "<td data-v=\"\(i.repeats)\" class=\"num\">\(i.repeats)</td>"
            h += "<td data-v=\"\(Self.num(i.firstSeen.timeIntervalSince1970))\" class=\"nowrap\">\(esc(dateTime(i.firstSeen)))</td>"
            h += "<td data-v=\"\(Self.num(i.deadline.timeIntervalSince1970))\" class=\"nowrap\(overdue ? " late" : "")\">\(esc(dateTime(i.deadline)))</td>"
            h += "<td class=\"text\">\(textCell(i))</td></tr>\n"
        }
        return h + "</tbody></table></div></section>\n"
    }

    /// The post's text (escaped), its place, and the link to the original post.
    func textCell(_ i: ReportModel.IncidentSummary) -> String {
        var h = esc(i.text)
        if let place = i.place { h += "<div class=\"place-line\">\(esc(place))</div>" }
        if let href = HTMLText.safeURL(i.url) {
            h += " <a href=\"\(href)\" target=\"_blank\" rel=\"noopener noreferrer\">открыть пост ↗</a>"
        }
        return h
    }
}
