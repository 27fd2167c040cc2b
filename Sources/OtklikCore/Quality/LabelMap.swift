/// How a labelled file's categories relate to Otklik's taxonomy, for the quality bench.
///
/// A label maps to the categories that count as a correct answer, the first being the
/// one scored when the answer is wrong. An entry that is a block (`housing`) accepts any
/// topic of the block (`housing.water`). Without a map, labels are taxonomy ids.
public struct LabelMap: Sendable {
    public var name: String
    /// Dataset label → Otklik categories or blocks that answer it correctly.
    public var accepted: [String: [String]]
    /// Otklik category or block → the dataset label a wrong answer counts for.
    public var reverse: [String: String]

    public init(name: String, accepted: [String: [String]], reverse: [String: String]) {
        self.name = name; self.accepted = accepted; self.reverse = reverse
    }

    /// The predicted category in the dataset's labels, for a post labelled `label`: the
    /// label itself when the category is accepted for it, else the label the category
    /// stands for (its own id when none).
    public func predictedLabel(gold label: String, predicted: String) -> String {
        let block = Category(id: predicted, name: "", deadline: .zero).block
        if let list = accepted[label], list.contains(where: { $0 == predicted || $0 == block }) { return label }
        return reverse[predicted] ?? reverse[block] ?? predicted
    }

    public static func named(_ name: String) -> LabelMap? { name == "kursk" ? kursk : nil }

    /// The Kursk appeals dataset's 16 groups («Цифровой прорыв 2022») ↔ Otklik categories.
    /// The one table used for every Kursk figure; the same table is in rules/README.md.
    /// Scores are computed in the dataset's 16 groups: an accepted answer counts as the
    /// group itself; any other answer counts as the group in `reverse` (the first column of
    /// the row that lists it first), so it is a false positive there.
    ///
    /// | Kursk group | accepted Otklik categories (the first ones map back to the group) |
    /// |---|---|
    /// | roads | roads, landscaping (road lighting), transport (stops) |
    /// | housing_and_landscaping | housing (any housing.*), landscaping, waste (ТКО from blocks of flats), roads (pavements) |
    /// | ecology_and_waste | waste, landscaping (felling, grass) |
    /// | transport | transport |
    /// | health | health |
    /// | social_protection | social |
    /// | social_support | social, health, education (pandemic support) |
    /// | education | education |
    /// | construction | construction, landscaping |
    /// | stray_animals | animals |
    /// | public_services | public_services |
    /// | communications | communications |
    /// | culture | other, landscaping (monuments, parks) |
    /// | trade | other, safety (unauthorised trade) |
    /// | labour | social, public_services (employment service) |
    /// | sport | other, landscaping (sports grounds) |
    public static let kursk = LabelMap(name: "kursk", accepted: [
        "roads": ["roads", "landscaping", "transport"],
        "housing_and_landscaping": ["housing", "landscaping", "waste", "roads"],
        "ecology_and_waste": ["waste", "landscaping"],
        "transport": ["transport"],
        "health": ["health"],
        "social_protection": ["social"],
        "social_support": ["social", "health", "education"],
        "education": ["education"],
        "construction": ["construction", "landscaping"],
        "stray_animals": ["animals"],
        "public_services": ["public_services"],
        "communications": ["communications"],
        "culture": ["other", "landscaping"],
        "trade": ["other", "safety"],
        "labour": ["social", "public_services"],
        "sport": ["other", "landscaping"],
    ], reverse: [
        "roads": "roads", "housing": "housing_and_landscaping", "landscaping": "housing_and_landscaping",
        "waste": "ecology_and_waste", "transport": "transport", "health": "health", "social": "social_protection",
        "education": "education", "construction": "construction", "animals": "stray_animals",
        "public_services": "public_services", "communications": "communications", "other": "other",
        "safety": "safety",
    ])
}
