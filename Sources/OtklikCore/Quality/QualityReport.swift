import Foundation

/// Precision, recall and F1 of one class.
public struct ClassScores: Sendable, Equatable {
    public var truePositives = 0, falsePositives = 0, falseNegatives = 0
    public var support: Int { truePositives + falseNegatives }
    public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
    public init() {}
}

/// Quality of complaint detection and of categories on a labelled set.
///
/// Detection: a complaint is the positive class. Categories: scored on the posts labelled
/// as complaints, comparing the category the classifier names (whether or not it also
/// called the post a complaint — detection is scored separately), in the labels' terms
/// (a `LabelMap` translates Otklik categories into another dataset's labels); macro-F1
/// averages the categories that occur in the labels.
public struct QualityReport: Sendable {
    public var total = 0
    public var detection = ClassScores()
    public var categories: [String: ClassScores] = [:]
    public var categoryCorrect = 0
    public var categoryTotal = 0

    public init() {}

    /// Adds one labelled post. `goldCategory` is nil for non-complaints (or unlabelled).
    public mutating func add(goldComplaint: Bool, goldCategory: String?, predictedComplaint: Bool,
                             predictedCategory: String, map: LabelMap?) {
        total += 1
        switch (goldComplaint, predictedComplaint) {
        case (true, true): detection.truePositives += 1
        case (false, true): detection.falsePositives += 1
        case (true, false): detection.falseNegatives += 1
        case (false, false): break
        }
        guard goldComplaint, let label = goldCategory, !label.isEmpty else { return }
        let predicted = map?.predictedLabel(gold: label, predicted: predictedCategory) ?? predictedCategory
        categoryTotal += 1
        if label == predicted {
            categoryCorrect += 1
            categories[label, default: ClassScores()].truePositives += 1
        } else {
            categories[label, default: ClassScores()].falseNegatives += 1
            categories[predicted, default: ClassScores()].falsePositives += 1
        }
    }

    /// Mean F1 over categories that occur in the labels.
    public var macroF1: Double {
        let present = categories.values.filter { $0.support > 0 }
        return present.isEmpty ? 0 : present.map(\.f1).reduce(0, +) / Double(present.count)
    }

    public var categoryAccuracy: Double { categoryTotal == 0 ? 0 : Double(categoryCorrect) / Double(categoryTotal) }

    /// A fixed-width table: detection first, then each category, then macro-F1.
    public func table(title: String) -> String {
        func row(_ name: String, _ s: ClassScores) -> String {
            name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(format: "%9.3f %9.3f %9.3f %8d", s.precision, s.recall, s.f1, s.support)
        }
        var lines = [title, "class".padding(toLength: 24, withPad: " ", startingAt: 0) + "precision    recall        f1  support"]
        lines.append(row("complaint (detection)", detection))
        for (name, s) in categories.sorted(by: { $0.key < $1.key }) { lines.append(row(name, s)) }
        lines.append(String(format: "category macro-F1        %.3f   (accuracy %.3f on %d complaints; %d posts)",
                            macroF1, categoryAccuracy, categoryTotal, total))
        return lines.joined(separator: "\n")
    }

    /// The same figures as a JSON object (keys sorted, so output is stable).
    public func json(title: String) -> String {
        func scores(_ s: ClassScores) -> [String: Any] {
            ["precision": round3(s.precision), "recall": round3(s.recall), "f1": round3(s.f1), "support": s.support]
        }
        var cats: [String: Any] = [:]
        for (k, v) in categories { cats[k] = scores(v) }
        let object: [String: Any] = ["file": title, "posts": total, "detection": scores(detection), "categories": cats,
                                     "macro_f1": round3(macroF1), "category_accuracy": round3(categoryAccuracy)]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}
