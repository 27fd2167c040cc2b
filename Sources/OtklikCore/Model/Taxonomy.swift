/// A topic block as regional management centres sort complaints, with its response deadline.
public struct Category: Sendable, Hashable {
    /// Stable latin slug: `roads`, `housing.water`, … A dot separates block and topic.
    public var id: String
    /// Russian display name.
    public var name: String
    /// Default time to respond; `incident` stages may override it from config.
    public var deadline: Duration
    public init(id: String, name: String, deadline: Duration) { self.id = id; self.name = name; self.deadline = deadline }
    /// The block a topic belongs to: `housing` for `housing.water`.
    public var block: String { String(id.split(separator: ".").first ?? Substring(id)) }
}

/// The categories Otklik sorts complaints into. Ids never change once released.
public enum Taxonomy {
    public static let other = "other"

    public static let categories: [Category] = [
        Category(id: "health", name: "Здравоохранение", deadline: .seconds(24 * 3600)),
        Category(id: "education", name: "Образование", deadline: .seconds(48 * 3600)),
        Category(id: "social", name: "Социальная защита", deadline: .seconds(48 * 3600)),
        Category(id: "roads", name: "Дороги", deadline: .seconds(72 * 3600)),
        Category(id: "transport", name: "Общественный транспорт", deadline: .seconds(48 * 3600)),
        Category(id: "public_services", name: "Госуслуги и МФЦ", deadline: .seconds(48 * 3600)),
        Category(id: "housing", name: "ЖКХ", deadline: .seconds(48 * 3600)),
        Category(id: "housing.water", name: "ЖКХ: вода и канализация", deadline: .seconds(12 * 3600)),
        Category(id: "housing.heating", name: "ЖКХ: отопление и горячая вода", deadline: .seconds(12 * 3600)),
        Category(id: "housing.electricity", name: "ЖКХ: электричество", deadline: .seconds(12 * 3600)),
        Category(id: "housing.gas", name: "ЖКХ: газ", deadline: .seconds(6 * 3600)),
        Category(id: "housing.management", name: "ЖКХ: управляющие компании и дома", deadline: .seconds(72 * 3600)),
        Category(id: "waste", name: "Мусор и экология", deadline: .seconds(24 * 3600)),
        Category(id: "landscaping", name: "Благоустройство", deadline: .seconds(5 * 86400)),
        Category(id: "construction", name: "Строительство", deadline: .seconds(7 * 86400)),
        Category(id: "safety", name: "Безопасность", deadline: .seconds(6 * 3600)),
        Category(id: "animals", name: "Безнадзорные животные", deadline: .seconds(72 * 3600)),
        Category(id: "communications", name: "Связь и интернет", deadline: .seconds(5 * 86400)),
        Category(id: "other", name: "Прочее", deadline: .seconds(5 * 86400)),
    ]

    private static let byID: [String: Category] = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0) })

    /// The category, or its block when only the block is known (`housing.x` → `housing`).
    public static func category(_ id: String) -> Category? {
        if let c = byID[id] { return c }
        if let dot = id.firstIndex(of: ".") { return byID[String(id[..<dot])] }
        return nil
    }

    public static func name(of id: String) -> String { category(id)?.name ?? id }
    public static func deadline(of id: String) -> Duration { category(id)?.deadline ?? .seconds(5 * 86400) }
}
