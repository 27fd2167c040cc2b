import Foundation

/// How a report is cut: the window, the clock, and how many rows the lists keep.
public struct ReportOptions: Sendable {
    public var pipeline: String?
    public var region: String?
    public var since: Date?
    public var until: Date?
    public var now: Date
    public var timeZone: TimeZone
    public var topCount: Int
    public var overdueCount: Int
    /// At most this many days in the trend (the latest ones).
    public var maxTrendDays: Int

    public init(pipeline: String? = nil, region: String? = nil, since: Date? = nil, until: Date? = nil,
                now: Date = Date(), timeZone: TimeZone = TimeZone(identifier: "UTC")!,
                topCount: Int = 20, overdueCount: Int = 30, maxTrendDays: Int = 366) {
        self.pipeline = pipeline; self.region = region; self.since = since; self.until = until; self.now = now
        self.timeZone = timeZone; self.topCount = topCount; self.overdueCount = overdueCount
        self.maxTrendDays = maxTrendDays
    }
}

extension ReportModel {
    /// The row of incidents that have no municipality.
    public static let unknownMunicipality = "Не определено"

    /// Aggregates `incidents` (already filtered to the window) into the report.
    public static func build(_ incidents: [Incident], options o: ReportOptions) -> ReportModel {
        let columns = categoryColumns(incidents)
        let matrix = matrixRows(incidents, columns: columns)
        let overdueAll = incidents.filter { $0.isOverdue(at: o.now) }.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) }
        let ranked = incidents.map { ($0, rank($0, now: o.now)) }
            .sorted { ($0.1, $0.0.lastSeen, $0.0.id) > ($1.1, $1.0.lastSeen, $1.0.id) }
        let points = incidents.compactMap(mapPoint)
        let municipalities = Set(incidents.map { $0.geo?.municipality ?? $0.geo?.municipalityID ?? unknownMunicipality })
        let summary = Summary(
            incidents: incidents.count,
            open: incidents.filter { !IncidentStatus.isClosed($0.status) }.count,
            overdue: overdueAll.count,
            municipalities: municipalities.subtracting([unknownMunicipality]).count,
            categories: columns.count,
            repeats: incidents.reduce(0) { $0 + repeats($1) },
            located: points.count)
        return ReportModel(
            pipeline: o.pipeline, region: o.region, generatedAt: o.now, since: o.since, until: o.until,
            timeZone: o.timeZone.identifier, summary: summary, categories: columns, matrix: matrix,
            trend: trend(incidents, columns: columns, options: o),
            overdue: overdueAll.prefix(o.overdueCount).map { summarize($0, rank: rank($0, now: o.now)) },
            top: ranked.prefix(o.topCount).map { summarize($0.0, rank: $0.1) },
            points: points, places: places(points), extent: extent(points))
    }

    /// Categories that occur, in taxonomy order; unknown ids last, alphabetically.
    static func categoryColumns(_ incidents: [Incident]) -> [CategoryColumn] {
        var totals: [String: Int] = [:]
        for i in incidents { totals[i.category, default: 0] += 1 }
        let order = Dictionary(uniqueKeysWithValues: Taxonomy.categories.enumerated().map { ($1.id, $0) })
        return totals.keys.sorted { a, b in
            let (x, y) = (order[a] ?? Int.max, order[b] ?? Int.max)
            return x != y ? x < y : a < b
        }.map { CategoryColumn(id: $0, name: Taxonomy.name(of: $0), total: totals[$0]!) }
    }

    static func matrixRows(_ incidents: [Incident], columns: [CategoryColumn]) -> [MatrixRow] {
        let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.id, $0) })
        var rows: [String: MatrixRow] = [:]
        for i in incidents {
            let name = i.geo?.municipality ?? i.geo?.municipalityID ?? unknownMunicipality
            var row = rows[name] ?? MatrixRow(municipalityID: i.geo?.municipalityID, municipality: name,
                                              counts: Array(repeating: 0, count: columns.count), total: 0)
            row.counts[index[i.category]!] += 1
            row.total += 1
            rows[name] = row
        }
        return rows.values.sorted { a, b in
            if (a.municipality == unknownMunicipality) != (b.municipality == unknownMunicipality) {
                return b.municipality == unknownMunicipality
            }
            return a.total != b.total ? a.total > b.total : a.municipality < b.municipality
        }
    }

    static func trend(_ incidents: [Incident], columns: [CategoryColumn], options o: ReportOptions) -> Trend {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = o.timeZone
        guard let earliest = incidents.map(\.firstSeen).min(), let latest = incidents.map(\.firstSeen).max() else {
            return Trend(days: [], series: [])
        }
        var first = cal.startOfDay(for: o.since ?? earliest)
        let lastInstant = o.until.map { min($0.addingTimeInterval(-1), o.now) } ?? max(latest, o.since == nil ? latest : o.now)
        var last = cal.startOfDay(for: max(lastInstant, first))
        func span() -> Int { (cal.dateComponents([.day], from: first, to: last).day ?? 0) + 1 }
        if span() > o.maxTrendDays {
            // Too long: first drop the empty tail after the latest incident, then the oldest days.
            last = max(cal.startOfDay(for: latest), first)
            if span() > o.maxTrendDays, let d = cal.date(byAdding: .day, value: -(o.maxTrendDays - 1), to: last) { first = d }
        }
        var days: [Date] = []
        var d = first
        while d <= last, days.count < o.maxTrendDays {
            days.append(d)
            guard let next = cal.date(byAdding: .day, value: 1, to: d) else { break }
            d = next
        }
        let dayIndex = Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1, $0) })
        let colIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.id, $0) })
        var counts = Array(repeating: Array(repeating: 0, count: days.count), count: columns.count)
        for i in incidents {
            guard let di = dayIndex[cal.startOfDay(for: i.firstSeen)], let ci = colIndex[i.category] else { continue }
            counts[ci][di] += 1
        }
        let fmt = DayFormat(calendar: cal)
        return Trend(days: days.map(fmt.string),
                     series: columns.enumerated().map { Trend.Series(category: $1.id, counts: counts[$0]) })
    }

    static func repeats(_ i: Incident) -> Int { max(i.relatedCount, Set(i.relatedPosts).subtracting([i.openedBy]).count) }

    /// Severity weight × (1 + ln(1 + repeats)) × recency, where recency halves every 7 days
    /// since the last post: a fresh, repeated, severe incident leads.
    static func rank(_ i: Incident, now: Date) -> Double {
        let weight: Double = [.low: 1, .medium: 2, .high: 4, .critical: 8][i.severity] ?? 1
        let ageDays = max(0, now.timeIntervalSince(i.lastSeen)) / 86400
        return weight * (1 + log(1 + Double(repeats(i)))) * pow(0.5, ageDays / 7)
    }

    static func summarize(_ i: Incident, rank: Double) -> IncidentSummary {
        IncidentSummary(id: i.id, category: i.category, categoryName: Taxonomy.name(of: i.category),
                        severity: i.severity, municipality: i.geo?.municipality,
                        place: place(i.geo),
                        firstSeen: i.firstSeen, lastSeen: i.lastSeen, deadline: i.deadline, status: i.status,
                        executor: i.executor?.name, url: i.url, text: excerpt(i.text, max: 400),
                        repeats: repeats(i), rank: (rank * 1000).rounded() / 1000)
    }

    /// Settlement, street and house, without repeating the municipality's own name.
    static func place(_ geo: GeoTag?) -> String? {
        guard let geo else { return nil }
        let settlement = geo.settlement.flatMap { s in
            geo.municipality.map { IncidentFilter.foldName($0) == IncidentFilter.foldName(s) } == true ? nil : s
        }
        return [settlement, geo.street, geo.house].compactMap { $0 }.joined(separator: ", ").nilIfEmpty
    }

    static func mapPoint(_ i: Incident) -> MapPoint? {
        guard let lat = i.geo?.lat, let lon = i.geo?.lon, lat.isFinite, lon.isFinite,
              (-90...90).contains(lat), (-180...180).contains(lon) else { return nil }
        return MapPoint(id: i.id, lat: lat, lon: lon, category: i.category, severity: i.severity,
                        municipality: i.geo?.municipality)
    }

    static func places(_ points: [MapPoint]) -> [MapPlace] {
        var sums: [String: (lat: Double, lon: Double, n: Int)] = [:]
        for p in points {
            guard let m = p.municipality else { continue }
            let s = sums[m] ?? (0, 0, 0)
            sums[m] = (s.lat + p.lat, s.lon + p.lon, s.n + 1)
        }
        return sums.map { MapPlace(municipality: $0.key, lat: $0.value.lat / Double($0.value.n),
                                   lon: $0.value.lon / Double($0.value.n), incidents: $0.value.n) }
            .sorted { ($0.incidents, $1.municipality) > ($1.incidents, $0.municipality) }
    }

    /// The points' bounding box, padded by 8% and at least 0.2° wide and high.
    static func extent(_ points: [MapPoint]) -> MapExtent? {
        guard let minLat = points.map(\.lat).min(), let maxLat = points.map(\.lat).max(),
              let minLon = points.map(\.lon).min(), let maxLon = points.map(\.lon).max() else { return nil }
        let padLat = max((maxLat - minLat) * 0.08, 0.1 - (maxLat - minLat) / 2, 0)
        let padLon = max((maxLon - minLon) * 0.08, 0.1 - (maxLon - minLon) / 2, 0)
        return MapExtent(minLat: minLat - padLat, maxLat: maxLat + padLat, minLon: minLon - padLon, maxLon: maxLon + padLon)
    }

    /// The first `max` characters on one line, cut at a word, with an ellipsis when cut.
    public static func excerpt(_ text: String, max: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        guard flat.count > max else { return flat }
        var cut = String(flat.prefix(max))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > max / 2 {
            cut = String(cut[..<space])
        }
        return cut + "…"
    }
}

/// `yyyy-MM-dd` in a calendar's time zone, without a locale-dependent formatter.
struct DayFormat {
    let calendar: Calendar
    func string(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
