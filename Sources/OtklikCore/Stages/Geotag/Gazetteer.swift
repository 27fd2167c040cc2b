import Foundation

/// One row of a gazetteer file: a settlement, a municipality or a region.
public struct GazetteerEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case region, cityOkrug = "city_okrug", district, city, town, stanitsa, selo, khutor, posyolok, sloboda, village, street

        /// A municipality row (a city okrug or a municipal district).
        public var isMunicipality: Bool { self == .cityOkrug || self == .district }
        /// A place people live in (a city okrug is also its city).
        public var isSettlement: Bool { !(self == .region || self == .district || self == .street) }
    }

    public var name: String
    public var kind: Kind
    /// The municipality it belongs to (its own name for a municipality row).
    public var municipality: String
    public var region: String
    public var lat: Double?
    public var lon: Double?
    public var oktmo: String?
    public var population: Int
    /// Administrative centre of a municipality row.
    public var centre: String?
    public var aliases: [String]

    public init(name: String, kind: Kind, municipality: String, region: String, lat: Double? = nil, lon: Double? = nil,
                oktmo: String? = nil, population: Int = 0, centre: String? = nil, aliases: [String] = []) {
        self.name = name; self.kind = kind; self.municipality = municipality; self.region = region
        self.lat = lat; self.lon = lon; self.oktmo = oktmo; self.population = population
        self.centre = centre; self.aliases = aliases
    }
}

/// A bad line in a gazetteer file: `file:line: message`.
public struct GazetteerError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// Places loaded from one or more TSV files (format: `data/README.md`), with the
/// municipality each belongs to. Immutable once built; shared by all geotag workers.
public struct Gazetteer: Sendable {
    public private(set) var entries: [GazetteerEntry] = []
    /// Municipality rows by `region|name` (lowercased, ё→е).
    private var municipalities: [String: Int] = [:]
    private var seen: [String: Int] = [:]

    public static let columns = ["name", "kind", "municipality", "region", "lat", "lon", "oktmo", "population",
                                 "centre", "aliases"]

    public init(entries: [GazetteerEntry] = []) {
        for e in entries { add(e) }
    }

    /// Loads files in order; a place already loaded (same name, kind group and region) is kept once.
    public init(files: [String]) throws {
        for f in files { try load(file: f) }
    }

    public mutating func load(file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw GazetteerError(file: file, line: 0, message: "cannot read the gazetteer file")
        }
        try load(text: String(decoding: data, as: UTF8.self), file: file)
    }

    public mutating func load(text: String, file: String) throws {
        var header: [String: Int]?
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let h = header else {
                var map: [String: Int] = [:]
                for (i, c) in cells.enumerated() { map[c] = i }
                for required in ["name", "kind", "municipality", "region"] where map[required] == nil {
                    throw GazetteerError(file: file, line: n + 1, message: "header lacks the column '\(required)'")
                }
                header = map
                continue
            }
            func cell(_ c: String) -> String? {
                guard let i = h[c], i < cells.count, !cells[i].isEmpty else { return nil }
                return cells[i]
            }
            func fail(_ m: String) -> GazetteerError { GazetteerError(file: file, line: n + 1, message: m) }
            guard let name = cell("name") else { throw fail("empty name") }
            guard let k = cell("kind"), let kind = GazetteerEntry.Kind(rawValue: k) else {
                throw fail("unknown kind '\(cell("kind") ?? "")' (use one of \(GazetteerEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let region = cell("region") else { throw fail("empty region") }
            var lat: Double?, lon: Double?
            if let s = cell("lat") {
                guard let v = Double(s), (-90...90).contains(v) else { throw fail("bad latitude '\(s)'") }
                lat = v
            }
            if let s = cell("lon") {
                guard let v = Double(s), (-180...180).contains(v) else { throw fail("bad longitude '\(s)'") }
                lon = v
            }
            if (lat == nil) != (lon == nil) { throw fail("give both lat and lon, or neither") }
            var population = 0
            if let s = cell("population") {
                guard let v = Int(s), v >= 0 else { throw fail("bad population '\(s)'") }
                population = v
            }
            let municipality = cell("municipality") ?? (kind.isMunicipality || kind == .region ? name : "")
            if municipality.isEmpty && kind != .region { throw fail("empty municipality") }
            add(GazetteerEntry(name: name, kind: kind, municipality: municipality, region: region, lat: lat, lon: lon,
                               oktmo: cell("oktmo"), population: population, centre: cell("centre"),
                               aliases: (cell("aliases") ?? "").split(separator: "|").map {
                                   $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }))
        }
        if header == nil { throw GazetteerError(file: file, line: 1, message: "empty file (expected a header line)") }
    }

    static func fold(_ s: String) -> String { Tokenizer.normalize(s) }

    private mutating func add(_ e: GazetteerEntry) {
        let group = e.kind.isSettlement ? "settlement" : e.kind.rawValue
        let identity = "\(Self.fold(e.region))|\(Self.fold(e.municipality))|\(group)|\(Self.fold(e.name))"
        let index: Int
        if let old = seen[identity] {
            // A municipality row (a city okrug) wins over the same city listed as a plain settlement.
            guard e.kind.isMunicipality, !entries[old].kind.isMunicipality else { return }
            var merged = e
            if merged.population == 0 { merged.population = entries[old].population }
            merged.aliases += entries[old].aliases.filter { !merged.aliases.contains($0) }
            entries[old] = merged
            index = old
        } else {
            entries.append(e)
            index = entries.count - 1
            seen[identity] = index
        }
        if e.kind.isMunicipality {
            municipalities["\(Self.fold(e.region))|\(Self.fold(e.name))"] = index
        }
    }

    /// The municipality row an entry belongs to, if the gazetteer has it.
    public func municipality(of e: GazetteerEntry) -> GazetteerEntry? {
        municipalities["\(Self.fold(e.region))|\(Self.fold(e.municipality))"].map { entries[$0] }
    }

    /// A stable id for the entry's municipality: its OKTMO code when known, else `region/municipality`.
    public func municipalityID(of e: GazetteerEntry) -> String {
        if let m = municipality(of: e), let code = m.oktmo { return code }
        if e.kind.isSettlement, Self.fold(e.municipality) == Self.fold(e.name), let code = e.oktmo { return code }
        return "\(e.region)/\(e.municipality)"
    }

    /// Entries whose name or alias equals `name` (case- and ё-insensitive).
    public func named(_ name: String) -> [GazetteerEntry] {
        let f = Self.fold(name)
        return entries.filter { Self.fold($0.name) == f || $0.aliases.contains { Self.fold($0) == f } }
    }
}
