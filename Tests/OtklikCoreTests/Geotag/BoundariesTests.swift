import Foundation
import Testing
@testable import OtklikCore

@Suite struct BoundariesTests {
    /// Two invented squares; the second has a hole with a third area inside it.
    static let geojson = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"name": "Западный район", "oktmo": "1"},
           "geometry": {"type": "Polygon", "coordinates": [[[39.0, 47.0], [39.5, 47.0], [39.5, 47.5], [39.0, 47.5], [39.0, 47.0]]]}},
          {"type": "Feature", "properties": {"name": "Восточный район", "oktmo": "2"},
           "geometry": {"type": "MultiPolygon", "coordinates": [[[[40.0, 47.0], [41.0, 47.0], [41.0, 48.0], [40.0, 48.0], [40.0, 47.0]],
                                                                 [[40.4, 47.4], [40.6, 47.4], [40.6, 47.6], [40.4, 47.6], [40.4, 47.4]]]]}},
          {"type": "Feature", "properties": {"name": "Город в дырке", "oktmo": 3},
           "geometry": {"type": "Polygon", "coordinates": [[[40.4, 47.4], [40.6, 47.4], [40.6, 47.6], [40.4, 47.6], [40.4, 47.4]]]}}
        ]}
        """

    @Test func area_findsThePolygonContainingThePoint_respectingHoles() throws {
        let b = try Boundaries(data: Data(Self.geojson.utf8))
        #expect(b.area(lat: 47.2, lon: 39.2)?.name == "Западный район")
        #expect(b.area(lat: 47.2, lon: 40.2)?.id == "2")
        #expect(b.area(lat: 47.5, lon: 40.5)?.name == "Город в дырке")
        #expect(b.area(lat: 47.2, lon: 39.7) == nil)
    }

    @Test func tag_whenBoundariesConfigured_usesPolygonMethod() throws {
        let b = try Boundaries(data: Data(Self.geojson.utf8))
        let geo = GeoFixture.tag("Нет воды", model: GeoFixture.model(boundaries: b), coordinates: Coordinates(lat: 47.2, lon: 39.2))
        #expect(geo.method == .polygon)
        #expect(geo.municipality == "Западный район" && geo.municipalityID == "1")
    }

    @Test func init_whenGeometryIsBad_failsWithClearMessage() {
        let bad = #"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "X"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}]}"#
        #expect(throws: GazetteerError.self) { try Boundaries(data: Data(bad.utf8)) }
    }
}
