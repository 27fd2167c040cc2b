import Foundation

/// Everything the heat-map report shows, computed from incidents and nothing else.
///
/// Pure data: `ReportModel.build` aggregates, `ReportHTML` draws, and `--format json`
/// prints this same value for other tools.
public struct ReportModel: Sendable, Codable, Hashable {
    public var pipeline: String?
    public var region: String?
    public var generatedAt: Date
    /// The window asked for (incidents first seen in `[since, until)`).
    public var since: Date?
    public var until: Date?
    /// The time zone days are counted in (an IANA name or `UTC`).
    public var timeZone: String
    public var summary: Summary
    /// The heat map's columns, in taxonomy order.
    public var categories: [CategoryColumn]
    /// The heat map's rows, busiest municipality first; `counts` follow `categories`.
    public var matrix: [MatrixRow]
    public var trend: Trend
    /// Open incidents past their deadline, most overdue first (at most the option's count).
    public var overdue: [IncidentSummary]
    public var top: [IncidentSummary]
    public var points: [MapPoint]
    /// Municipalities placed on the map: the mean of their incidents' coordinates.
    public var places: [MapPlace]
    public var extent: MapExtent?

    public struct Summary: Sendable, Codable, Hashable {
        public var incidents: Int
        public var open: Int
        public var overdue: Int
        public var municipalities: Int
        public var categories: Int
        /// Posts that repeat an incident (beyond the one that opened it).
        public var repeats: Int
        /// Incidents with coordinates (drawn on the map).
        public var located: Int
    }

    public struct CategoryColumn: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        public var total: Int
    }

    public struct MatrixRow: Sendable, Codable, Hashable {
        public var municipalityID: String?
        public var municipality: String
        public var counts: [Int]
        public var total: Int
        enum CodingKeys: String, CodingKey { case municipalityID = "municipality_id", municipality, counts, total }
    }

    /// New incidents per day and category.
    public struct Trend: Sendable, Codable, Hashable {
        /// `2026-11-01`, … in `timeZone`, consecutive.
        public var days: [String]
        public var series: [Series]
        public struct Series: Sendable, Codable, Hashable {
            public var category: String
            public var counts: [Int]
        }
    }

    /// One incident as the report lists it.
    public struct IncidentSummary: Sendable, Codable, Hashable {
        public var id: String
        public var category: String
        public var categoryName: String
        public var severity: Severity
        public var municipality: String?
        public var place: String?
        public var firstSeen: Date
        public var lastSeen: Date
        public var deadline: Date
        public var status: String
        public var executor: String?
        public var url: String?
        public var text: String
        /// Posts that repeat it, besides the one that opened it.
        public var repeats: Int
        /// The ranking score of `top` (severity × repeats × recency).
        public var rank: Double
        enum CodingKeys: String, CodingKey {
            case id, category, categoryName = "category_name", severity, municipality, place
            case firstSeen = "first_seen", lastSeen = "last_seen", deadline, status, executor, url, text, repeats, rank
        }
    }

    public struct MapPoint: Sendable, Codable, Hashable {
        public var id: String
        public var lat: Double
        public var lon: Double
        public var category: String
        public var severity: Severity
        public var municipality: String?
    }

    public struct MapPlace: Sendable, Codable, Hashable {
        public var municipality: String
        public var lat: Double
        public var lon: Double
        public var incidents: Int
    }

    public struct MapExtent: Sendable, Codable, Hashable {
        public var minLat: Double, maxLat: Double, minLon: Double, maxLon: Double
        enum CodingKeys: String, CodingKey {
            case minLat = "min_lat", maxLat = "max_lat", minLon = "min_lon", maxLon = "max_lon"
        }
    }

    enum CodingKeys: String, CodingKey {
        case pipeline, region, generatedAt = "generated_at", since, until, timeZone = "time_zone", summary
        case categories, matrix, trend, overdue, top, points, places, extent
    }
}
