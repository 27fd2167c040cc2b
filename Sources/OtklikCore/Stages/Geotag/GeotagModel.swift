import Foundation

/// What every geotag worker shares, built once per pipeline: the gazetteer and its name
/// index, the point grid, optional boundaries, the region and the sources' default places.
public final class GeotagModel: Sendable {
    public let index: PlaceIndex
    public let locator: PointLocator
    public let boundaries: Boundaries?
    /// The pipeline's region («Ростовская область»): its places win ambiguities.
    public let region: String?
    /// How far a post's coordinates may be from the nearest settlement, in metres.
    public let radius: Double
    /// Source id → the place the source writes about (`sources[].place`).
    public let sourcePlaces: [String: SourcePlace]
    /// The region's id for region-only tags: its OKTMO code when the gazetteer has a region row.
    public let regionID: String?
    /// Per gazetteer entry: whether it lies in the region, and its municipality folded
    /// (`Gazetteer.fold`), so placing a complaint lowercases no strings.
    private let entryInRegion: [Bool]
    let foldedMunicipality: [String]
    /// Per gazetteer entry: `Gazetteer.municipalityID(of:)`, which builds and looks up a key string.
    let municipalityIDs: [String]

    public var gazetteer: Gazetteer { index.gazetteer }

    /// A source's default place: a gazetteer entry, or just a name the gazetteer lacks.
    public struct SourcePlace: Sendable {
        public var entry: Int?
        public var name: String
    }

    public init(gazetteer: Gazetteer, region: String? = nil, radius: Double = 30_000, boundaries: Boundaries? = nil,
                sourcePlaces: [String: String] = [:]) {
        let tokenizer = Tokenizer()
        index = PlaceIndex(gazetteer: gazetteer, tokenizer: tokenizer)
        locator = PointLocator(gazetteer: gazetteer)
        self.boundaries = boundaries
        self.region = region
        self.radius = radius
        let regionKey = region.map(Gazetteer.fold)
        let inRegion = gazetteer.entries.map { regionKey == nil || Gazetteer.fold($0.region) == regionKey }
        entryInRegion = inRegion
        foldedMunicipality = gazetteer.entries.map { Gazetteer.fold($0.municipality) }
        municipalityIDs = gazetteer.entries.map { gazetteer.municipalityID(of: $0) }
        regionID = region.map { r in
            gazetteer.entries.first { $0.kind == .region && Gazetteer.fold($0.name) == regionKey }?.oktmo ?? r
        }
        var places: [String: SourcePlace] = [:]
        for (source, place) in sourcePlaces {
            let all = gazetteer.entries.indices.filter { i in
                let e = gazetteer.entries[i]
                let f = Gazetteer.fold(place)
                return Gazetteer.fold(e.name) == f || e.aliases.contains { Gazetteer.fold($0) == f }
            }
            let best = all.max { a, b in
                let ea = gazetteer.entries[a], eb = gazetteer.entries[b]
                return (inRegion[a] ? 1 : 0, ea.kind.isMunicipality ? 1 : 0, ea.population)
                    < (inRegion[b] ? 1 : 0, eb.kind.isMunicipality ? 1 : 0, eb.population)
            }
            places[source] = SourcePlace(entry: best, name: best.map { gazetteer.entries[$0].name } ?? place)
        }
        self.sourcePlaces = places
    }

    /// Whether gazetteer entry `i` lies in the pipeline's region (always true when none is set).
    public func inRegion(entry i: Int) -> Bool { entryInRegion[i] }
}
