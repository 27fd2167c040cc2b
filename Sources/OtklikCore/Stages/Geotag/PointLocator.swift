import Foundation

/// Nearest settlement to a point, through a grid of 0.25° cells (only the cells within
/// the radius are visited).
public struct PointLocator: Sendable {
    private static let cell = 0.25
    private let points: [(lat: Double, lon: Double, entry: Int)]
    private let grid: [Int64: [Int32]]

    public init(gazetteer: Gazetteer) {
        var pts: [(Double, Double, Int)] = []
        var grid: [Int64: [Int32]] = [:]
        for (i, e) in gazetteer.entries.enumerated() where e.kind.isSettlement {
            guard let lat = e.lat, let lon = e.lon else { continue }
            grid[Self.cellKey(Self.cellIndex(lat), Self.cellIndex(lon)), default: []].append(Int32(pts.count))
            pts.append((lat, lon, i))
        }
        points = pts; self.grid = grid
    }

    static func cellIndex(_ deg: Double) -> Int { Int((deg / cell).rounded(.down)) }
    static func cellKey(_ a: Int, _ b: Int) -> Int64 { Int64(a) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: b))) }

    /// Great-circle distance in metres.
    public static func distance(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = 6_371_000.0, d = Double.pi / 180
        let dlat = (lat2 - lat1) * d, dlon = (lon2 - lon1) * d
        let a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * d) * cos(lat2 * d) * sin(dlon / 2) * sin(dlon / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }

    /// The nearest settlement within `radius` metres, preferring `preferred` entries on near ties
    /// (an in-region town over one across the border); nil when none.
    public func nearest(lat: Double, lon: Double, radius: Double, weight: (Int) -> Double = { _ in 1 }) -> (entry: Int, meters: Double)? {
        let dLat = radius / 111_000, dLon = radius / (111_000 * max(0.05, cos(lat * .pi / 180)))
        var best: (Int, Double, Double)?
        for a in Self.cellIndex(lat - dLat)...Self.cellIndex(lat + dLat) {
            for b in Self.cellIndex(lon - dLon)...Self.cellIndex(lon + dLon) {
                for p in grid[Self.cellKey(a, b)] ?? [] {
                    let pt = points[Int(p)]
                    let m = Self.distance(lat, lon, pt.lat, pt.lon)
                    guard m <= radius else { continue }
                    let score = m / weight(pt.entry)
                    if best == nil || score < best!.2 { best = (pt.entry, m, score) }
                }
            }
        }
        return best.map { ($0.0, $0.1) }
    }
}
