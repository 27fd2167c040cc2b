import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

/// The pipeline's state database (`state/<pipeline>/state.sqlite`) corrupt, written by a
/// newer otklik, or locked by another process: a clear one-line message and a documented
/// exit code (78 corrupt/newer, 75 locked), the file left untouched — or, locked mid-run,
/// commits that wait and resume, so nothing is read twice or skipped.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct StateFaultTests {
    static func prepare() throws -> (dir: String, state: String, feed: Feed) {
        let dir = TestPaths.makeTempDir("otklik-faults")
        try FaultConfig.write(dir, sink: "{type: file, path: out/incidents.jsonl, batch_interval: 20ms}")
        try FileManager.default.createDirectory(atPath: dir + "/state/e2e", withIntermediateDirectories: true)
        return (dir, dir + "/state/e2e/state.sqlite", Feed(path: dir + "/feed.jsonl"))
    }

    /// The feed's committed line, read without taking a write lock.
    static func committedLine(_ state: String) -> Int? {
        guard let db = try? SQLiteDatabase(path: state, readOnly: true),
              let row = try? db.query("SELECT cursor FROM cursors WHERE source_id = ?", [.text("feed")]).first,
              let cursor = row.first?.text,
              let r = cursor.range(of: #""line":"#) else { return nil }
        return Int(cursor[r.upperBound...].prefix { $0.isNumber })
    }

    /// Lines the daemon wrote to stderr, without empty ones.
    static func lines(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.isEmpty } }

    @Test func stateDatabase_corrupt_exits78WithOneLineAndLeavesItUntouched() async throws {
        let (dir, state, feed) = try Self.prepare()
        var garbage = Data(count: 8192)
        for i in garbage.indices { garbage[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 7) }
        try garbage.write(to: URL(fileURLWithPath: state))
        try feed.append(1...4, complaintEvery: 1)
        let r = try await OtklikProcess.run(["run", "--config", "p.yaml"], dir: dir, timeout: .seconds(60))
        #expect(r.status == 78, "stderr: \(r.err)")
        let problems = Self.lines(r.err).filter { !$0.contains("level=") }
        #expect(problems.count == 1, "\(r.err)")
        #expect(problems.first?.contains("is not a readable SQLite database") == true)
        #expect(problems.first?.contains("move it away") == true)
        #expect(FileManager.default.contents(atPath: state) == garbage, "the corrupt file was changed")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/incidents.jsonl"))

        // The monitoring check fails too, instead of reporting the sources as fine.
        let status = try await OtklikProcess.run(["status", "--config", "p.yaml", "--json"], dir: dir)
        #expect(status.status == 69, "\(status.err)")
        #expect(status.err.contains("state database unreadable: e2e"))
        #expect(status.out.contains(#""state_unreadable":true"#))
        #expect(FileManager.default.contents(atPath: state) == garbage)
    }

    @Test func stateDatabase_fromNewerSchema_exits78AndKeepsItsCursors() async throws {
        let (dir, state, _) = try Self.prepare()
        do {
            let db = try SQLiteDatabase(path: state)
            try db.executeScript("""
            CREATE TABLE cursors(source_id TEXT PRIMARY KEY, cursor TEXT NOT NULL, updated_at REAL NOT NULL, shard INTEGER);
            CREATE TABLE source_health(source_id TEXT PRIMARY KEY, error_streak INTEGER NOT NULL DEFAULT 0);
            INSERT INTO cursors VALUES('feed', '{"line":3,"offset":300}', 0, 7);
            PRAGMA user_version = 9;
            """)
        }
        let before = try #require(FileManager.default.contents(atPath: state))
        let r = try await OtklikProcess.run(["run", "--config", "p.yaml"], dir: dir, timeout: .seconds(60))
        #expect(r.status == 78, "stderr: \(r.err)")
        let problems = Self.lines(r.err).filter { !$0.contains("level=") }
        #expect(problems.count == 1, "\(r.err)")
        #expect(problems.first?.contains("schema version 9, newer than this otklik supports (1)") == true, "\(r.err)")
        #expect(FileManager.default.contents(atPath: state) == before, "the newer database was changed")
        #expect(Self.committedLine(state) == 3)
    }

    @Test func stateDatabase_lockedByAnotherProcessAtStart_exits75ThenStartsOnceReleased() async throws {
        let (dir, state, feed) = try Self.prepare()
        _ = try CheckpointStore(path: state)
        try feed.append(1...6, complaintEvery: 1)
        // This test process holds the lock; the daemon is another process.
        let lock = try StateLock(path: state, exclusiveMode: true)
        let r = try await OtklikProcess.run(["run", "--config", "p.yaml"], dir: dir, timeout: .seconds(60))
        #expect(r.status == 75, "stderr: \(r.err)")
        let problems = Self.lines(r.err).filter { !$0.contains("level=") }
        #expect(problems.count == 1, "\(r.err)")
        #expect(problems.first?.contains("is locked by another process") == true, "\(r.err)")
        try lock.release()

        let daemon = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        #expect(await eventually(.seconds(30)) { IncidentIDs.inFile(dir + "/out/incidents.jsonl").count == 6 })
        #expect(await eventually(.seconds(30)) { Self.committedLine(state) == 6 })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func stateDatabase_lockedMidRun_commitsWaitAndResume_nothingReadTwice() async throws {
        let (dir, state, feed) = try Self.prepare()
        let output = dir + "/out/incidents.jsonl"
        let first = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        try feed.append(1...5, complaintEvery: 1)
        #expect(await eventually(.seconds(30)) { Self.committedLine(state) == 5 })

        let lock = try StateLock(path: state, exclusiveMode: false)
        try feed.append(6...12, complaintEvery: 1)
        // Delivery goes on; only the commit of the feed's position waits for the lock.
        #expect(await eventually(.seconds(30)) { IncidentIDs.inFile(output).count == 12 })
        #expect(await eventually(.seconds(30)) {
            first.stderr.contains("checkpoint commit failed") && first.stderr.contains("locked")
        }, "\(first.stderr.suffix(2000))")
        #expect(Self.committedLine(state) == 5)
        try await Task.sleep(for: .seconds(6))
        try lock.release()
        #expect(await eventually(.seconds(30)) { Self.committedLine(state) == 12 })
        // One line for the whole outage (the busy timeout is 5 s, so it failed more than once), one when it ends.
        let failed = first.stderr.split(separator: "\n").filter { $0.contains("level=error") && $0.contains("checkpoint commit failed") }
        #expect(failed.count == 1, "\(failed)")
        #expect(await eventually(.seconds(10)) { first.stderr.contains("checkpoint commits resumed") })
        first.signal(SIGTERM)
        #expect(await first.waitForExit() == 0)

        let second = try OtklikProcess(["run", "--config", "p.yaml"], dir: dir)
        try feed.append(13...15, complaintEvery: 1)
        #expect(await eventually(.seconds(30)) { Self.committedLine(state) == 15 })
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)
        let ids = IncidentIDs.inFile(output)
        #expect(ids.count == 15, "each post once: \(ids.count) lines, \(Set(ids).count) distinct")
        #expect(Set(ids).count == 15)
    }
}

/// A lock on an SQLite file held by the test process (so by another process than the daemon):
/// `BEGIN EXCLUSIVE`, and with `exclusiveMode` also `locking_mode=EXCLUSIVE`, which in WAL
/// mode keeps even readers out.
final class StateLock {
    private var db: SQLiteDatabase?

    init(path: String, exclusiveMode: Bool) throws {
        let db = try SQLiteDatabase(path: path, busyTimeout: .seconds(10))
        if exclusiveMode { _ = try db.query("PRAGMA locking_mode=EXCLUSIVE") }
        _ = try db.execute("BEGIN EXCLUSIVE")
        _ = try db.query("SELECT count(*) FROM cursors")
        self.db = db
    }

    func release() throws {
        _ = try db?.execute("COMMIT")
        db = nil
    }
}
