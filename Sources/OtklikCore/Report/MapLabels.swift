/// Places municipality labels next to their clusters without covering one another:
/// the busiest place is labelled first, each label takes the first free spot around its
/// point (right, left, above, below), and a label with no free spot is left out.
public enum MapLabels {
    public struct Label: Sendable, Hashable {
        public var text: String
        /// Baseline anchor point in the projection's coordinates.
        public var x: Double
        public var y: Double
        /// SVG `text-anchor`: `start`, `end` or `middle`.
        public var anchor: String
    }

    struct Box {
        var x0, y0, x1, y1: Double
        func overlaps(_ o: Box) -> Bool { x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1 }
    }

    /// Rough label size for a 12.5 px bold sans-serif: good enough to keep labels apart.
    static let charWidth = 7.4, lineHeight = 15.0, gap = 11.0

    public static func place(_ places: [ReportModel.MapPlace], projection: MapProjection) -> [Label] {
        var taken: [Box] = []
        var out: [Label] = []
        for p in places.sorted(by: { ($0.incidents, $1.municipality) > ($1.incidents, $0.municipality) }) {
            let text = "\(p.municipality) · \(p.incidents)"
            let w = Double(text.count) * charWidth
            let (x, y) = projection.point(lat: p.lat, lon: p.lon)
            let candidates: [(Label, Box)] = [
                (Label(text: text, x: x + gap, y: y + 4, anchor: "start"), Box(x0: x + gap, y0: y - 10, x1: x + gap + w, y1: y + 5)),
                (Label(text: text, x: x - gap, y: y + 4, anchor: "end"), Box(x0: x - gap - w, y0: y - 10, x1: x - gap, y1: y + 5)),
                (Label(text: text, x: x, y: y - gap - 2, anchor: "middle"), Box(x0: x - w / 2, y0: y - gap - lineHeight, x1: x + w / 2, y1: y - gap + 1)),
                (Label(text: text, x: x, y: y + gap + lineHeight - 3, anchor: "middle"), Box(x0: x - w / 2, y0: y + gap, x1: x + w / 2, y1: y + gap + lineHeight)),
            ]
            let inside = candidates.filter { $0.1.x0 >= -20 && $0.1.x1 <= projection.width + 20 }
            if let free = inside.first(where: { c in !taken.contains { $0.overlaps(c.1) } }) {
                taken.append(free.1)
                out.append(free.0)
            }
        }
        return out
    }
}
