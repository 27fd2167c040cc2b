import Foundation

extension SQLiteSink {
    /// One incident's row as this batch will leave it: the merged version, and what the row
    /// held when the batch began.
    struct PendingRow {
        var merged: Incident
        /// The stored row (the columns of `selectSQL`), nil for a new incident.
        var stored: [SQLiteValue]?
        /// Post keys already in `incident_posts` for it: the stored related posts and the
        /// opening post; nil when none are known.
        var listed: (keys: [String], opening: String)?
        /// The version `merged` is equal to, whose shared JSON is written as is; nil when the
        /// merge changed something (the JSON of `merged` is then encoded).
        var source: OutgoingIncident?

        init(merged: Incident, stored: [SQLiteValue]?, listed: (keys: [String], opening: String)?, incoming: OutgoingIncident) {
            self.merged = merged; self.stored = stored; self.listed = listed
            source = merged == incoming.incident ? incoming : nil
        }

        /// The `json` column: the shared encoding when the merge left the version as it came.
        var json: SQLiteValue { .utf8(source?.jsonBytes ?? IncidentJSON.encode(merged)) }

        /// Merges a later version of the same batch exactly as a write and a read-back of
        /// `merged` would: times through their text form, the full JSON when `incoming` is older.
        mutating func absorb(_ version: OutgoingIncident, decoder: JSONDecoder) {
            let incoming = version.incident
            defer { source = merged == incoming ? version : nil }
            if let first = SQLiteSink.roundTrip(merged.firstSeen), let last = SQLiteSink.roundTrip(merged.lastSeen),
               let m = IncidentMerge.merge(stored: .init(firstSeen: first, lastSeen: last, relatedPosts: merged.relatedPosts,
                                                         status: merged.status), incoming: incoming) {
                merged = m
            } else {
                let full = try? decoder.decode(Incident.self, from: IncidentJSON.data(merged))
                merged = IncidentMerge.merge(stored: full, storedStatus: merged.status, incoming: incoming)
            }
        }
    }

    /// Reads the stored row of `incoming`'s incident and merges `incoming` into it.
    func load(_ version: OutgoingIncident, db: SQLiteDatabase) throws -> PendingRow {
        let incoming = version.incident
        guard let row = try db.query(Self.selectSQL, [.text(incoming.id)]).first else {
            return PendingRow(merged: incoming, stored: nil, listed: nil, incoming: version)
        }
        let status = row[0].text ?? incoming.status
        if let stored = Self.stored(row, status: status), let merged = IncidentMerge.merge(stored: stored, incoming: incoming) {
            return PendingRow(merged: merged, stored: row, listed: (stored.relatedPosts, merged.openedBy), incoming: version)
        }
        // The stored version is newer (its fields win) or predates the related_posts column.
        let json = try db.query("SELECT json FROM incidents WHERE id = ?", [.text(incoming.id)]).first?[0].text
        let full = json.flatMap { try? decoder.decode(Incident.self, from: Data($0.utf8)) }
        return PendingRow(merged: IncidentMerge.merge(stored: full, storedStatus: status, incoming: incoming), stored: row,
                          listed: nil, incoming: version)
    }

    /// Writes the row and the post keys it does not list yet.
    func store(_ row: borrowing PendingRow, db: SQLiteDatabase, now: String) throws {
        let m = row.merged
        let values = Self.columns(m, json: row.json, now: now)
        if let stored = row.stored, Self.indexedColumns.allSatisfy({ values[$0.column] == stored[$0.selected] }) {
            // The indexed columns keep their values: an UPDATE that leaves them out skips the indexes.
            try db.execute(Self.updateSQL, Self.updateColumns.map { values[$0] } + [.text(m.id)])
        } else {
            try db.execute(Self.upsertSQL, values)
        }
        for key in Self.unlisted(m, listed: row.listed) {
            try db.execute("INSERT OR IGNORE INTO incident_posts (incident_id, post_key) VALUES (?, ?)", [.text(m.id), .text(key)])
        }
    }

    /// The post keys of `m` (opening, then related) that `listed` does not hold.
    static func unlisted(_ m: Incident, listed: (keys: [String], opening: String)?) -> [String] {
        guard let listed else { return [m.openedBy] + m.relatedPosts }
        if m.openedBy == listed.opening, m.relatedPosts == listed.keys { return [] }
        var known = KeySet(listed.keys)
        known.insert(listed.opening)
        return ([m.openedBy] + m.relatedPosts).filter { !known.contains($0) }
    }

    /// A time as it reads back from its column (text, milliseconds at most).
    static func roundTrip(_ date: Date) -> Date? { parseDate(OtklikJSON.formatDate(date)) }

    static let selectSQL = "SELECT status, first_seen, last_seen, related_posts, category, municipality_id, deadline, related_count FROM incidents WHERE id = ?"

    /// The indexed columns a new version may change: where each is in `columnNames` and in `selectSQL`.
    static let indexedColumns: [(column: Int, selected: Int)] = [("first_seen", 1), ("category", 4), ("municipality_id", 5), ("deadline", 6)]
        .map { (columnNames.firstIndex(of: $0.0)!, $0.1) }

    /// Every column but `id`, `status` (the operator's) and the indexed ones, by position in `columnNames`.
    static let updateColumns: [Int] = columnNames.indices.filter { k in
        !["id", "status"].contains(columnNames[k]) && !indexedColumns.contains { $0.column == k }
    }

    static let updateSQL = "UPDATE incidents SET " + updateColumns.map { "\(columnNames[$0]) = ?" }.joined(separator: ", ")
        + " WHERE id = ?"

    /// The stored version from the columns of `selectSQL`, or nil when one cannot be read.
    static func stored(_ row: [SQLiteValue], status: String) -> IncidentMerge.Stored? {
        guard let first = row[1].text.flatMap(parseDate), let last = row[2].text.flatMap(parseDate),
              var related = row[3].text else { return nil }
        let keys: [String]? = related.withUTF8 { bytes in
            var s = JSONByteScanner(bytes)
            var keys: [String] = []
            do { try s.array { s throws(JSONByteScanner.Unusual) in keys.append(try s.string()) } } catch { return nil }
            return keys
        }
        guard let keys else { return nil }
        return IncidentMerge.Stored(firstSeen: first, lastSeen: last, relatedPosts: keys, status: status,
                                    relatedCount: Int(row[7].int ?? 0))
    }

    /// As the JSON decoder reads the same text in `json`.
    static func parseDate(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { ISODate.parse($0) } ?? OtklikJSON.parseDate(text)
    }

    /// The JSON array of the related post keys (the `related_posts` column).
    static func relatedJSON(_ keys: [String]) -> String {
        var w = JSONBytes()
        w.array(keys) { w, k in w.string(k) }
        return String(decoding: w.bytes, as: UTF8.self)
    }

}
