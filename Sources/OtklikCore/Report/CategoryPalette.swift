/// One fixed colour per category, so a category looks the same in every chart and every report.
public enum CategoryPalette {
    static let colors: [String: String] = [
        "health": "#d62728", "education": "#ff7f0e", "social": "#8c564b", "roads": "#5b3a8e",
        "transport": "#e377c2", "public_services": "#a8a31c", "housing": "#1f4e79",
        "housing.water": "#1f77b4", "housing.heating": "#ad494a", "housing.electricity": "#e6b800",
        "housing.gas": "#393b79", "housing.management": "#6b6ecf", "waste": "#2ca02c",
        "landscaping": "#8ca252", "construction": "#b5651d", "safety": "#222222", "animals": "#7b4173", "communications": "#17becf", "other": "#9a9a9a",
    ]
    static let spare = ["#637939", "#843c39", "#3182bd", "#e6550d", "#969696", "#bd9e39"]

    /// `#rrggbb` for a category id; a topic without its own colour takes its block's.
    public static func color(_ id: String) -> String {
        if let c = colors[id] { return c }
        if let dot = id.firstIndex(of: "."), let c = colors[String(id[..<dot])] { return c }
        let h = id.unicodeScalars.reduce(UInt32(2166136261)) { ($0 ^ $1.value) &* 16777619 }
        return spare[Int(h % UInt32(spare.count))]
    }
}
