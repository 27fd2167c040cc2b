import Foundation
import OtklikCore

/// Distinct incident ids found in sink outputs.
enum IncidentIDs {
    /// Ids in any JSON text (a JSON array, NDJSON, JSONL): every `"id":"…"` value.
    static func inJSON(_ text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let r = rest.range(of: #""id":""#) {
            let after = rest[r.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            out.append(String(after[..<end]))
            rest = after[end...]
        }
        return out
    }

    static func inFile(_ path: String) -> [String] {
        inJSON((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    /// Rows of the SQLite sink's `incidents` table: (all ids, as listed).
    static func inSQLite(_ path: String) -> [String] {
        guard FileManager.default.fileExists(atPath: path),
              let db = try? SQLiteDatabase(path: path, readOnly: true),
              let rows = try? db.query("SELECT id FROM incidents") else { return [] }
        return rows.compactMap { $0.first?.text }
    }
}
