import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// The reader over a database written by the real `sqlite` sink (not a hand-made schema).
@Suite struct IncidentStoreReaderOverRealSinkTests {
    @Test func reader_overTheRealSqliteSink_seesEveryIncidentOnceWithMergedRepeats() async throws {
        let path = TestPaths.makeTempDir() + "/incidents.sqlite"
        let now = ReportFixtures.now
        let month = ReportFixtures.month(count: 80)
        let sink = SQLiteSink(name: "db", path: path)
        try await sink.write(month)
        try await sink.write(month)  // a re-run upserts
        var repeated = month[0]
        repeated.relatedPosts.append("tg:later/1")
        try await sink.write([repeated])
        await sink.close()

        let found = try IncidentStoreReader(path: path).incidents(now: now)
        #expect(found.undecodable.isEmpty)
        #expect(found.incidents.count == month.count)
        #expect(found.incidents.first { $0.id == month[0].id }?.relatedPosts.contains("tg:later/1") == true)

        let model = ReportModel.build(found.incidents, options: ReportOptions(now: now))
        #expect(model.summary.incidents == month.count)
        #expect(ReportHTML(model).render().contains("Тепловая карта"))
    }
}
