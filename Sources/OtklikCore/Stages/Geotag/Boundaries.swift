import Foundation

/// Municipality polygons from a GeoJSON FeatureCollection (Polygon and MultiPolygon
/// geometries, holes respected), for placing a post's coordinates.
public struct Boundaries: Sendable {
    public struct Area: Sendable {
        public var name: String
        public var id: String?
        /// Polygons, each an outer ring followed by its holes; rings of (lon, lat).
        var polygons: [[[(Double, Double)]]]
        var bbox: (minLon: Double, minLat: Double, maxLon: Double, maxLat: Double)
    }

    public private(set) var areas: [Area] = []

    /// `nameProperty` and `idProperty` name the feature properties holding the
    /// municipality's name and id (OKTMO).
    public init(file: String, nameProperty: String = "name", idProperty: String = "oktmo") throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw GazetteerError(file: file, line: 0, message: "cannot read the boundaries file")
        }
        try self.init(data: data, file: file, nameProperty: nameProperty, idProperty: idProperty)
    }

    public init(data: Data, file: String = "<geojson>", nameProperty: String = "name", idProperty: String = "oktmo") throws {
        func fail(_ m: String) -> GazetteerError { GazetteerError(file: file, line: 0, message: m) }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("not a GeoJSON object")
        }
        let features: [[String: Any]]
        if root["type"] as? String == "FeatureCollection" {
            features = root["features"] as? [[String: Any]] ?? []
        } else if root["type"] as? String == "Feature" {
            features = [root]
        } else { throw fail("expected a FeatureCollection or a Feature") }
        for (n, f) in features.enumerated() {
            let props = f["properties"] as? [String: Any] ?? [:]
            guard let name = props[nameProperty].map({ "\($0)" }), !name.isEmpty else {
                throw fail("feature \(n): no '\(nameProperty)' property")
            }
            let id = props[idProperty].map { "\($0)" }
            guard let g = f["geometry"] as? [String: Any], let type = g["type"] as? String else {
                throw fail("feature \(n) ('\(name)'): no geometry")
            }
            let coords = g["coordinates"]
            var polygons: [[[(Double, Double)]]] = []
            switch type {
            case "Polygon": polygons = [try Self.rings(coords, fail)]
            case "MultiPolygon":
                guard let list = coords as? [Any] else { throw fail("feature \(n): bad MultiPolygon") }
                polygons = try list.map { try Self.rings($0, fail) }
            default: throw fail("feature \(n) ('\(name)'): unsupported geometry \(type)")
            }
            let all = polygons.flatMap { $0.first ?? [] }
            guard !all.isEmpty else { throw fail("feature \(n) ('\(name)'): empty geometry") }
            let bbox = (all.map(\.0).min()!, all.map(\.1).min()!, all.map(\.0).max()!, all.map(\.1).max()!)
            areas.append(Area(name: name, id: id, polygons: polygons, bbox: bbox))
        }
    }

    private static func rings(_ any: Any?, _ fail: (String) -> GazetteerError) throws -> [[(Double, Double)]] {
        guard let rings = any as? [[[Any]]] else { throw fail("bad polygon coordinates") }
        return try rings.map { ring in
            try ring.map { pt in
                guard pt.count >= 2, let x = (pt[0] as? NSNumber)?.doubleValue, let y = (pt[1] as? NSNumber)?.doubleValue
                else { throw fail("bad position in a ring") }
                return (x, y)
            }
        }
    }

    /// The area containing the point, if any (the first, when areas overlap).
    public func area(lat: Double, lon: Double) -> Area? {
        areas.first { a in
            lon >= a.bbox.minLon && lon <= a.bbox.maxLon && lat >= a.bbox.minLat && lat <= a.bbox.maxLat
                && a.polygons.contains { poly in
                    guard let outer = poly.first, Self.contains(outer, lon, lat) else { return false }
                    return !poly.dropFirst().contains { Self.contains($0, lon, lat) }
                }
        }
    }

    /// Ray casting (even–odd rule).
    static func contains(_ ring: [(Double, Double)], _ x: Double, _ y: Double) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let (xi, yi) = ring[i], (xj, yj) = ring[j]
            if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
        }
        return inside
    }
}
