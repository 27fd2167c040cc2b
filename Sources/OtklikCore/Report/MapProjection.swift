import Foundation

/// Places longitude/latitude in an SVG box: equirectangular, with longitude shrunk by
/// cos(mid-latitude) so shapes keep their proportions at the region's latitude.
public struct MapProjection: Sendable {
    public let extent: ReportModel.MapExtent
    /// The drawing's size, fitted inside the box asked for.
    public let width: Double
    public let height: Double

    /// Fits `extent` into `maxWidth × maxHeight`, keeping the aspect ratio.
    public init(extent: ReportModel.MapExtent, maxWidth: Double, maxHeight: Double) {
        self.extent = extent
        let midLat = (extent.minLat + extent.maxLat) / 2 * .pi / 180
        let geoW = max(extent.maxLon - extent.minLon, 1e-9) * cos(midLat)
        let geoH = max(extent.maxLat - extent.minLat, 1e-9)
        let scale = min(maxWidth / geoW, maxHeight / geoH)
        width = geoW * scale
        height = geoH * scale
    }

    /// SVG coordinates: x grows east, y grows south.
    public func point(lat: Double, lon: Double) -> (x: Double, y: Double) {
        let x = (lon - extent.minLon) / max(extent.maxLon - extent.minLon, 1e-9) * width
        let y = (extent.maxLat - lat) / max(extent.maxLat - extent.minLat, 1e-9) * height
        return (x, y)
    }

    /// A small deterministic offset for an id, so incidents at one place show as a cluster
    /// instead of a single dot. At most `radius`.
    public static func jitter(_ id: String, radius: Double) -> (dx: Double, dy: Double) {
        let h = id.unicodeScalars.reduce(UInt64(14695981039346656037)) { ($0 ^ UInt64($1.value)) &* 1099511628211 }
        let angle = Double(h & 0xffff) / 65536 * 2 * .pi
        let r = radius * sqrt(Double((h >> 16) & 0xffff) / 65536)
        return (r * cos(angle), r * sin(angle))
    }

    /// Round grid steps in degrees so that about `lines` lines cross the span.
    public static func gridStep(span: Double, lines: Double = 5) -> Double {
        let raw = span / lines
        for s in [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10] where s >= raw { return s }
        return 10
    }
}
