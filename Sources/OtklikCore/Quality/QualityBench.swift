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

    public static func run(file: String, explainer: Explainer, map: LabelMap?) throws -> Result {
        var report = QualityReport()
        var bad: [String] = []
        var cpu = 0.0
        try PostLines.readObjects(file) { where_, object in
            guard let o = object, let text = o["text"] as? String else {
                bad.append("\(where_): need an object with 'text'"); return
            }
            guard let gold = o["is_complaint"] as? Bool else {
                bad.append("\(where_): need a boolean 'is_complaint'"); return
            }
            let id = (o["id"] as? String) ?? (o["id"] as? NSNumber)?.stringValue ?? where_
            let post = Explainer.post(id: id, text: text)
            let t0 = threadCPUTime()
            let (item, _) = try explainer.run(post)
            cpu += threadCPUTime() - t0
            let v = item.verdict
            report.add(goldComplaint: gold, goldCategory: o["category"] as? String,
                       predictedComplaint: v?.isComplaint ?? false, predictedCategory: v?.category ?? Taxonomy.other,
                       map: map)
        }
        return Result(report: report, badLines: bad, analysisSeconds: cpu)
    }
}
