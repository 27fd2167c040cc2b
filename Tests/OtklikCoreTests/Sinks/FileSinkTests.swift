import Foundation
import Synchronization
import Testing
import OtklikTestSupport
@testable import OtklikCore

@Suite struct FileSinkTests {
    func ids(_ path: String) throws -> [String] {
        try SinkFixtures.lines(path).map { try OtklikJSON.decoder().decode(Incident.self, from: Data($0.utf8)).id }
    }

    @Test func write_appendsOneJSONLinePerIncident_in0600FileInside0700Folder() async throws {
        let dir = TestPaths.makeTempDir("filesink")
        let path = dir + "/out/nested/incidents.jsonl"
        let sink = FileSink(name: "file", settings: .init(path: path, fsyncInterval: .zero))
        try await sink.write([SinkFixtures.incident("a"), SinkFixtures.incident("b")])
        try await sink.flush()
        try await sink.write([SinkFixtures.incident("c")])
        await sink.close()
        #expect(try ids(path) == ["a", "b", "c"])
        #expect(SinkFixtures.mode(path) == 0o600)
        #expect(SinkFixtures.mode(dir + "/out/nested") == 0o700)
        #expect(SinkFixtures.lines(path)[0].contains("\"text\":\"Яма на дороге у школы\""))
    }

    @Test func write_afterReopen_appendsToTheSameFile() async throws {
        let path = TestPaths.makeTempDir("filesink") + "/incidents.jsonl"
        let first = FileSink(name: "file", settings: .init(path: path))
        try await first.write([SinkFixtures.incident("a")])
        await first.close()
        let second = FileSink(name: "file", settings: .init(path: path))
        try await second.write([SinkFixtures.incident("b")])
        await second.close()
        #expect(try ids(path) == ["a", "b"])
    }

    @Test func open_whenLastLineWasTornByACrash_startsTheNextLineClean() async throws {
        let path = TestPaths.makeTempDir("filesink") + "/incidents.jsonl"
        let whole = try OtklikJSON.line(SinkFixtures.incident("a"))
        try (whole + "\n" + "{\"id\":\"tor").write(toFile: path, atomically: false, encoding: .utf8)
        let sink = FileSink(name: "file", settings: .init(path: path))
        try await sink.write([SinkFixtures.incident("b")])
        await sink.close()
        let lines = SinkFixtures.lines(path)
        #expect(lines.count == 3)
        #expect(lines[1] == "{\"id\":\"tor")
        #expect(try OtklikJSON.decoder().decode(Incident.self, from: Data(lines[2].utf8)).id == "b")
    }

    @Test func write_pastRotateSize_rotatesAndKeepsOnlyTheNewestFiles() async throws {
        let dir = TestPaths.makeTempDir("filesink")
        let path = dir + "/incidents.jsonl"
        let clock = Mutex(SinkFixtures.t0)
        let sink = FileSink(name: "file",
                            settings: .init(path: path, rotation: FileRotation(maxBytes: 2048, keep: 2)),
                            now: { clock.withLock { $0 } })
        for i in 1...12 {
            try await sink.write([SinkFixtures.incident("r\(i)")])  // ~800 bytes each
            clock.withLock { $0 += 1 }
        }
        await sink.close()
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        let rotated = names.filter { $0 != "incidents.jsonl" }
        #expect(rotated.count == 2)
        #expect(rotated.allSatisfy { FileRotation.isRotated($0, base: "incidents.jsonl") })
        for name in names {
            let size = (try FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.size] as? NSNumber)?.intValue ?? 0
            #expect(size <= 2048)
            #expect(SinkFixtures.mode(dir + "/" + name) == 0o600)
        }
        // The newest incidents survive, in order, across the kept files.
        let kept = try (rotated + ["incidents.jsonl"]).flatMap { try ids(dir + "/" + $0) }
        #expect(kept.last == "r12")
        #expect(kept == kept.sorted { Int($0.dropFirst())! < Int($1.dropFirst())! })
    }

    @Test func write_onANewUTCDay_withRotateDaily_startsANewFile() async throws {
        let dir = TestPaths.makeTempDir("filesink")
        let path = dir + "/incidents.jsonl"
        let clock = Mutex(SinkFixtures.t0)
        let sink = FileSink(name: "file", settings: .init(path: path, rotation: FileRotation(daily: true, keep: 5)),
                            now: { clock.withLock { $0 } })
        try await sink.write([SinkFixtures.incident("day1-a")])
        try await sink.write([SinkFixtures.incident("day1-b")])
        clock.withLock { $0 += 86400 }
        try await sink.write([SinkFixtures.incident("day2")])
        await sink.close()
        let rotated = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "incidents.jsonl" }
        #expect(rotated.count == 1)
        #expect(try ids(dir + "/" + rotated[0]) == ["day1-a", "day1-b"])
        #expect(try ids(path) == ["day2"])
    }

    @Test func factory_readsItsKeys_andDefaultsThePathToTheStateDir() async throws {
        let dir = TestPaths.makeTempDir("filesink")
        let (config, ctx) = try SinkFixtures.load("""
        type: file
        name: archive
        fsync_interval: 0s
        rotate_size: 10MB
        rotate: daily
        keep: 3
        """, stateDir: dir)
        let sink = try #require(try FileSink.factory(config, ctx) as? FileSink)
        #expect(sink.settings.path == dir + "/test/incidents.jsonl")
        #expect(sink.settings.fsyncInterval == .zero)
        #expect(sink.settings.rotation == FileRotation(maxBytes: 10 * 1024 * 1024, daily: true, keep: 3))
        #expect(!FileManager.default.fileExists(atPath: sink.settings.path))  // no I/O in the factory
    }

    @Test func factory_withATypoAndABadValue_reportsBothWithPlaces() throws {
        let dir = TestPaths.makeTempDir("filesink")
        let d = ConfigDiagnostics()
        let (config, ctx) = try SinkFixtures.load("""
        type: file
        fsync_intervall: 1s
        rotate: weekly
        """, stateDir: dir, diagnostics: d)
        #expect(throws: ConfigErrors.self) { _ = try FileSink.factory(config, ctx) }
        let messages = d.errors.map(\.description)
        #expect(messages.contains { $0.contains("unknown key 'fsync_intervall'") && $0.contains("did you mean 'fsync_interval'") })
        #expect(messages.contains { $0.contains("pipelines.yaml:") && $0.contains("'rotate' must be one of daily, none") })
    }
}

@Suite struct FileRotationTests {
    let rotation = FileRotation(maxBytes: 1000, daily: true, keep: 2)

    @Test func shouldRotate_bySizeOrDay_neverWhenEmpty() {
        let now = SinkFixtures.t0, today = FileRotation.day(now)
        #expect(!rotation.shouldRotate(size: 0, incoming: 5000, segmentDay: today - 3, now: now))
        #expect(!rotation.shouldRotate(size: 500, incoming: 500, segmentDay: today, now: now))
        #expect(rotation.shouldRotate(size: 500, incoming: 501, segmentDay: today, now: now))
        #expect(rotation.shouldRotate(size: 10, incoming: 10, segmentDay: today - 1, now: now))
        #expect(!FileRotation(keep: 1).shouldRotate(size: 1 << 40, incoming: 1, segmentDay: 0, now: now))
    }

    @Test func rotatedName_isAUTCStamp_withACounterWhenTaken() {
        let at = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 11:06:40 UTC
        #expect(rotation.rotatedName(base: "x.jsonl", now: at, existing: []) == "x.jsonl.20261118-110640")
        #expect(rotation.rotatedName(base: "x.jsonl", now: at, existing: ["x.jsonl.20261118-110640"])
                == "x.jsonl.20261118-110640-001")
    }

    @Test func expired_keepsTheNewestRotatedFilesOnly() {
        let names = ["x.jsonl", "x.jsonl.20261118-110640-001", "x.jsonl.20261117-000000", "x.jsonl.20261118-110640",
                     "other.jsonl.20200101-000000", "x.jsonl.notes"]
        #expect(rotation.expired(base: "x.jsonl", names: names) == ["x.jsonl.20261117-000000"])
    }
}
