import Foundation

/// `geotag`: places each post on the region's map (`item.geo`).
///
/// Config: `gazetteer` (a TSV file or a list, paths relative to the config file),
/// `region` (default: the pipeline's `region`), `radius` (`30km`; how far post coordinates
/// may be from a settlement), `boundaries` (optional GeoJSON of municipality polygons) with
/// `boundary_name` / `boundary_id` (the feature properties; `name` / `oktmo`).
public final class GeotagStage: Stage {
    public let name = "geotag"
    private let tagger: Geotagger

    public init(model: GeotagModel) { tagger = Geotagger(model: model) }

    public func process(_ item: inout AnalysisItem) throws -> StageOutcome {
        item.geo = tagger.tag(item.post, tokens: item.tokens)
        return .pass
    }

    /// `30km`, `2.5 km`, `800m`, or a bare number of kilometres; nil when malformed.
    public static func meters(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, factor) in [("km", 1000.0), ("км", 1000), ("m", 1), ("м", 1)] where t.hasSuffix(suffix) {
            return Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)).map { $0 * factor }
        }
        return Double(t).map { $0 * 1000 }
    }

    /// Builds the shared model from the stage's config, reporting problems to `ctx.diagnostics`.
    public static func model(_ config: StageConfig, _ ctx: PluginContext) -> GeotagModel {
        var gazetteer = Gazetteer()
        var region = ctx.pipeline.region
        var radius = 30_000.0
        var boundaries: Boundaries?
        if let r = config.reader(ctx.diagnostics) {
            let mark = r.node("gazetteer")?.mark ?? r.mark
            if let files = r.strings("gazetteer") {
                for f in files {
                    let path = f.hasPrefix("/") ? f : MappingReaderPaths.resolve(f, relativeTo: mark.file)
                    do { try gazetteer.load(file: path) } catch {
                        ctx.diagnostics.error("stage 'geotag': gazetteer \(error)", at: mark)
                    }
                }
            }
            if let s = r.string("region") { region = s }
            if let s = r.string("radius") {
                if let m = meters(s), m > 0 { radius = m } else {
                    ctx.diagnostics.error("'radius': bad distance '\(s)' (use e.g. 30km or 800m)", at: r.node("radius")?.mark)
                }
            }
            let nameKey = r.string("boundary_name") ?? "name"
            let idKey = r.string("boundary_id") ?? "oktmo"
            if let path = r.path("boundaries") {
                do { boundaries = try Boundaries(file: path, nameProperty: nameKey, idProperty: idKey) } catch {
                    ctx.diagnostics.error("stage 'geotag': boundaries \(error)", at: r.node("boundaries")?.mark)
                }
            }
            r.finish()
        }
        var places: [String: String] = [:]
        for s in ctx.pipeline.sources { if let p = s.place { places[s.id] = p } }
        return GeotagModel(gazetteer: gazetteer, region: region, radius: radius, boundaries: boundaries,
                           sourcePlaces: places)
    }

    public static let factory: StageFactory = { config, ctx in
        let model = model(config, ctx)
        return { GeotagStage(model: model) }
    }
}

/// Path resolution shared with `MappingReader.path` (relative to the config file's folder).
enum MappingReaderPaths {
    static func resolve(_ path: String, relativeTo file: String) -> String {
        MappingReader.resolve(path, relativeTo: file)
    }
}
