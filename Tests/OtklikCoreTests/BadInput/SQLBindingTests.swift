import Foundation
import OtklikTestSupport
import Testing

/// SQL gets values only through bound parameters: a grep over the sources for SQL string
/// literals with `\(...)` interpolation. Reviewed, value-free interpolations are listed with a reason.
@Suite struct SQLBindingTests {
    /// `file:fragment` pairs whose interpolation inserts no outside value.
    private static let reviewed: [(file: String, fragment: String, why: String)] = [
        ("IncidentStoreReader.swift", "json\\(status)", "constant column list chosen from the schema"),
        ("SQLiteDatabase.swift", "user_version = \\(v)", "an Int; PRAGMA takes no parameters"),
        ("SQLiteSink.swift", "INSERT INTO incidents (\\(columnNames", "the sink's constant column list; values are bound with ?"),
    ]

    @Test func sources_whenBuildingSQL_neverInterpolateValues() throws {
        let root = TestPaths.repoRoot
        let keyword = try Regex(#""[^"]*\b(SELECT|INSERT|UPDATE|DELETE|REPLACE INTO|WHERE|VALUES|PRAGMA)\b[^"]*\\\("#)
        var offenders: [String] = []
        for dir in ["Sources", "connectors"] {
            let base = root + "/" + dir
            guard let files = FileManager.default.enumerator(atPath: base) else { continue }
            for case let rel as String in files where rel.hasSuffix(".swift") {
                let text = try String(contentsOfFile: base + "/" + rel, encoding: .utf8)
                for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.contains(keyword) {
                    let file = (rel as NSString).lastPathComponent
                    if Self.reviewed.contains(where: { $0.file == file && line.contains($0.fragment) }) { continue }
                    offenders.append("\(dir)/\(rel):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(offenders.isEmpty, "SQL built by interpolation (bind values with ?):\n\(offenders.joined(separator: "\n"))")
    }
}
