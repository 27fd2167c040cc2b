import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// One incident version handed to several sinks is encoded once; each sink still writes exactly
/// what it wrote from a plain incident.
@Suite struct OutgoingIncidentTests {
    @Test func json_isIncidentJSON_andTheSameStringForEveryCaller() {
        let i = SinkFixtures.incident("a", related: ["p1", "jsonl:ё\"x"])
        let o = OutgoingIncident(i)
        #expect(o.json == IncidentJSON.string(i))
        #expect(o.json == o.json)
        #expect(o.jsonBytes == IncidentJSON.encode(i))
    }

    /// The file sink encodes first (as when it is faster); the SQLite sink gets the same versions,
    /// some of which its merge changes (late older versions, an operator's status): its rows
    /// are still what decoding and merging give, and the file has every version as it came.
    @Test func write_versionsAlreadyEncodedByTheFileSink_sqliteRowsAndFileLinesAreUnchanged() async throws {
        let dir = TestPaths.makeTempDir("outgoing")
        let sqlite = SQLiteSink(name: "db", path: dir + "/incidents.sqlite")
        let file = FileSink(name: "f", settings: .init(path: dir + "/incidents.jsonl", fsyncInterval: .zero))
        var reference = SQLiteSinkMergeTests.Reference()
        var rng = BenchRandom(seed: 5)
        var pending = SQLiteSinkMergeTests.versions(150, seed: 5)[...]
        var lines: [String] = []
        while !pending.isEmpty {
            let batch = pending.prefix(1 + rng.below(30)).map(OutgoingIncident.init)
            pending = pending.dropFirst(batch.count)
            try await file.write(outgoing: batch)
            try await sqlite.write(outgoing: batch)
            for o in batch { try reference.write(o.incident); lines.append(IncidentJSON.string(o.incident)) }
        }
        await sqlite.close()
        await file.close()
        let got = try SQLiteSinkMergeTests().rows(dir + "/incidents.sqlite")
        #expect(got.json == reference.json)
        #expect(got.posts == reference.posts)
        let written = try String(contentsOfFile: dir + "/incidents.jsonl", encoding: .utf8)
        #expect(written == lines.map { $0 + "\n" }.joined())
    }
}
