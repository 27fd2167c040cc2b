import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Measures a classifier on a labelled JSON-lines file: lines `{"id", "text",
/// "is_complaint", "category"}` (extra fields ignored). Bad lines are counted, not fatal.
public enum QualityBench {
    public struct Result: Sendable {
        public var report: QualityReport
        public var badLines: [String]
        /// The posts answered wrongly (detection or category), in file order.
        public var errors: [QualityError] = []
        /// CPU time of this thread spent in the analysis stages (not in reading JSON).
        public var analysisSeconds: Double
        /// Posts analysed per CPU second, on one core.
        public var postsPerSecond: Double { analysisSeconds > 0 ? Double(report.total) / analysisSeconds : 0 }
    }

    /// CPU time of the calling thread, so the figure holds on a busy machine.
    static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Classifies every labelled line of `file` (or only those of `part`) and scores the answers.
    public static func run(file: String, explainer: Explainer, map: LabelMap?, part: QualityPart? = nil) throws -> Result {
        var report = QualityReport()
        var bad: [String] = []
        var errors: [QualityError] = []
        var cpu = 0.0
        try PostLines.readObjects(file) { where_, object in
            guard let o = object, let text = o["text"] as? String else {
                bad.append("\(where_): need an object with 'text'"); return
            }
            guard let gold = o["is_complaint"] as? Bool else {
                bad.append("\(where_): need a boolean 'is_complaint'"); return
            }
            let id = (o["id"] as? String) ?? (o["id"] as? NSNumber)?.stringValue ?? where_
            if let part, !part.contains(id) { return }
            let post = Explainer.post(id: id, text: text)
            let t0 = threadCPUTime()
            let (item, _) = try explainer.run(post)
            cpu += threadCPUTime() - t0
            let v = item.verdict
            let goldCategory = o["category"] as? String
            let predicted = v?.category ?? Taxonomy.other
            report.add(goldComplaint: gold, goldCategory: goldCategory,
                       predictedComplaint: v?.isComplaint ?? false, predictedCategory: predicted, map: map)
            let error = QualityError(id: id, goldComplaint: gold, goldCategory: gold ? goldCategory : nil,
                                     predictedComplaint: v?.isComplaint ?? false, predictedCategory: predicted,
                                     predictedLabel: gold ? goldCategory.map { map?.predictedLabel(gold: $0, predicted: predicted) ?? predicted } : nil,
                                     score: v?.score ?? 0, rules: v?.hits.map(\.rule) ?? [])
            if error.isError { errors.append(error) }
        }
        return Result(report: report, badLines: bad, errors: errors, analysisSeconds: cpu)
    }
}

/// One wrongly answered post of a quality run: what was expected and what came out, with
/// the rules that fired (never the text, which may hold personal data).
public struct QualityError: Sendable, Equatable {
    public var id: String
    public var goldComplaint: Bool
    public var goldCategory: String?
    public var predictedComplaint: Bool
    public var predictedCategory: String
    /// The predicted category in the labels' terms (through the label map), for complaints.
    public var predictedLabel: String?
    public var score: Double
    public var rules: [String]

    /// Wrong detection, or a wrong category on a post labelled as a complaint.
    public var isError: Bool {
        goldComplaint != predictedComplaint || (goldCategory.map { !$0.isEmpty && $0 != predictedLabel } ?? false)
    }

    /// `id  expected …  got …  score  rules`, one line.
    public var line: String {
        let expected = goldComplaint ? "complaint/\(goldCategory ?? "-")" : "not_complaint"
        var got = predictedComplaint ? "complaint" : "not_complaint"
        got += "/" + predictedCategory
        if let l = predictedLabel, l != predictedCategory { got += " (\(l))" }
        return "\(id)\texpected \(expected)\tgot \(got)\tscore \(String(format: "%.2f", score))\t\(rules.joined(separator: ","))"
    }
}

/// Part `index` of `count` of a labelled set, chosen by a fixed hash of each post's id
/// (FNV-1a, 64 bits), so a set splits into the same disjoint parts on every run and
/// machine — to tune rules on one half and check them on the other.
public struct QualityPart: Sendable, Equatable {
    public var index: Int
    public var count: Int

    /// `"1/2"`: the first of two parts. Nil when malformed or out of range.
    public init?(_ text: String) {
        let p = text.split(separator: "/")
        guard p.count == 2, let i = Int(p[0]), let n = Int(p[1]), n >= 1, i >= 1, i <= n else { return nil }
        index = i; count = n
    }

    public func contains(_ id: String) -> Bool { Int(Self.hash(id) % UInt64(count)) == index - 1 }

    static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }
}
