/// How a post was placed on the map, from most to least precise.
public enum GeoMethod: String, Sendable, Codable {
    case coordinates, polygon, nearest, text, sourceDefault = "source_default", region
}

/// Where a post's problem is: municipality, settlement, street, and how sure we are.
public struct GeoTag: Sendable, Codable, Hashable {
    public var municipalityID: String?
    public var municipality: String?
    public var settlement: String?
    public var street: String?
    public var house: String?
    public var lat: Double?
    public var lon: Double?
    public var method: GeoMethod
    /// 0…1.
    public var confidence: Double

    public init(municipalityID: String? = nil, municipality: String? = nil, settlement: String? = nil,
                street: String? = nil, house: String? = nil, lat: Double? = nil, lon: Double? = nil,
                method: GeoMethod, confidence: Double) {
        self.municipalityID = municipalityID; self.municipality = municipality
        self.settlement = settlement; self.street = street; self.house = house
        self.lat = lat; self.lon = lon; self.method = method; self.confidence = confidence
    }

    enum CodingKeys: String, CodingKey {
        case municipalityID = "municipality_id", municipality, settlement, street, house, lat, lon
        case method = "geo_method", confidence = "geo_confidence"
    }
}
