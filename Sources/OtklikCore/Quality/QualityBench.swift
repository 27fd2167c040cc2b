import Foundation

/// Measures a classifier on a labelled JSON-lines file: lines `{"id", "text",
/// "is_complaint", "category"}` (extra fields ignored). Bad lines are counted, not fatal.
public enum QualityBench {
    public struct Result: Sendable {
        public var report: QualityReport
        public var badLines: [String]
    }

    public static func run(file: String, explainer: Explainer, map: LabelMap?) throws -> Result {
        var report = QualityReport()
        var bad: [String] = []
        try PostLines.readObjects(file) { where_, object in
            guard let o = object, let text = o["text"] as? String else {
                bad.append("\(where_): need an object with 'text'"); return
            }
            guard let gold = o["is_complaint"] as? Bool else {
                bad.append("\(where_): need a boolean 'is_complaint'"); return
            }
            let id = (o["id"] as? String) ?? (o["id"] as? NSNumber)?.stringValue ?? where_
            let (item, _) = try explainer.run(Explainer.post(id: id, text: text))
            let v = item.verdict
            report.add(goldComplaint: gold, goldCategory: o["category"] as? String,
                       predictedComplaint: v?.isComplaint ?? false, predictedCategory: v?.category ?? Taxonomy.other,
                       map: map)
        }
        return Result(report: report, badLines: bad)
    }
}
