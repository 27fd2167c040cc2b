import Foundation
import Testing
@testable import OtklikCore
import OtklikTestSupport

/// The file sink's directory disappears mid-run and what takes its place cannot be written:
/// a clear error, retries (or the dead-letter file with `max_attempts`), and nothing lost once
/// it is writable again.
///
/// Root ignores permission bits (chmod 0500 does not stop it), so as root the directory is
/// replaced by a regular file of the same name; otherwise by an empty directory chmod 0500.
@Suite(.enabled(if: OtklikProcess.binaryExists, "build the otklik binary first (swift build)"))
struct FileSinkFaultTests {
    static let isRoot = getuid() == 0

    static func start(maxAttempts: Int) throws -> (dir: String, feed: Feed, daemon: OtklikProcess) {
        let dir = TestPaths.makeTempDir("otklik-faults")
        try FaultConfig.write(dir, sink: "{type: file, path: out/incidents.jsonl, batch_interval: 20ms, retry_base: 20ms, retry_max: 200ms, max_attempts: \(maxAttempts)}")
        let feed = Feed(path: dir + "/feed.jsonl")
        return (dir, feed, try OtklikProcess(["run", "--config", "p.yaml"], dir: dir))
    }

    /// Removes `dir/out` with its file and puts something unwritable in its place.
    static func breakOutputDirectory(_ dir: String) throws {
        try FileManager.default.removeItem(atPath: dir + "/out")
        if isRoot {
            try "not a directory".write(toFile: dir + "/out", atomically: false, encoding: .utf8)
        } else {
            try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o500])
        }
    }

    static func repairOutputDirectory(_ dir: String) throws {
        if isRoot {
            try FileManager.default.removeItem(atPath: dir + "/out")
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir + "/out")
        }
    }

    static func ids(_ range: ClosedRange<Int>) -> Set<String> {
        Set(range.map {
            KeywordStage.bareIncident(for: Post(sourceKind: "test", sourceID: "feed", postID: "p\($0)", published: Date(), text: ""),
                                      verdict: Verdict(isComplaint: true, category: "roads", score: 1)).id
        })
    }

    @Test func fileSink_directoryGoneAndUnwritable_retriesThenWritesEverythingOnce() async throws {
        let (dir, feed, daemon) = try Self.start(maxAttempts: 0)
        let output = dir + "/out/incidents.jsonl"
        try feed.append(1...5, complaintEvery: 1)
        #expect(await eventually(.seconds(30)) { Set(IncidentIDs.inFile(output)) == Self.ids(1...5) })

        try Self.breakOutputDirectory(dir)
        try feed.append(6...12, complaintEvery: 1)
        #expect(await eventually(.seconds(30)) {
            daemon.stderr.split(separator: "\n").contains {
                $0.contains("level=warning") && $0.contains("batch not delivered, will retry") && $0.contains("error=\"cannot ")
            }
        }, "no clear error line: \(daemon.stderr.suffix(2000))")
        #expect(daemon.isRunning)

        try await Task.sleep(for: .seconds(1))
        try Self.repairOutputDirectory(dir)
        #expect(await eventually(.seconds(30)) { Set(IncidentIDs.inFile(output)) == Self.ids(6...12) })
        // Many retries, a few lines: the first, the changes of error, and attempts 2, 4, 8…
        let retryLines = daemon.stderr.split(separator: "\n").filter { $0.contains("level=warning") && $0.contains("will retry") }
        #expect(retryLines.count >= 1 && retryLines.count <= 12, "\(retryLines.count) retry warnings")
        #expect(await eventually { daemon.stderr.contains("delivered after retries") })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let ids = IncidentIDs.inFile(output)
        #expect(ids.count == 7, "each once: \(ids.count) lines")
        #expect(!FileManager.default.fileExists(atPath: dir + "/state/e2e/file.dead.jsonl"))
    }

    @Test func fileSink_directoryUnwritableWithMaxAttempts_deadLettersThenResumes_nothingLost() async throws {
        let (dir, feed, daemon) = try Self.start(maxAttempts: 2)
        let output = dir + "/out/incidents.jsonl", dead = dir + "/state/e2e/file.dead.jsonl"
        try feed.append(1...3, complaintEvery: 1)
        #expect(await eventually(.seconds(30)) { IncidentIDs.inFile(output).count == 3 })

        try Self.breakOutputDirectory(dir)
        try feed.append(4...9, complaintEvery: 1)
        #expect(await eventually(.seconds(30)) { Set(IncidentIDs.inFile(dead)) == Self.ids(4...9) },
                "\(daemon.stderr.suffix(2000))")
        #expect(await eventually { daemon.stderr.contains("written to the dead-letter file") })

        try Self.repairOutputDirectory(dir)
        try feed.append(10...14, complaintEvery: 1)
        #expect(await eventually(.seconds(30)) { Set(IncidentIDs.inFile(output)) == Self.ids(10...14) })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        let all = IncidentIDs.inFile(dead) + IncidentIDs.inFile(output)
        #expect(Set(all) == Self.ids(4...14))
        #expect(all.count == 11)
    }

    @Test func fileSink_andItsDeadLetterFileBothUnwritable_holdsTheBatchUntilOneWorks() async throws {
        let (dir, feed, daemon) = try Self.start(maxAttempts: 2)
        let output = dir + "/out/incidents.jsonl"
        try feed.append(1...2, complaintEvery: 1)
        #expect(await eventually(.seconds(30)) { IncidentIDs.inFile(output).count == 2 })
        // A folder where the dead-letter file should be: it cannot be opened for writing.
        try FileManager.default.createDirectory(atPath: dir + "/state/e2e/file.dead.jsonl", withIntermediateDirectories: true)
        try Self.breakOutputDirectory(dir)
        try feed.append(3...6, complaintEvery: 1)
        #expect(await eventually(.seconds(30)) {
            daemon.stderr.contains("cannot write the dead-letter file; holding the batch")
        }, "\(daemon.stderr.suffix(2000))")
        try Self.repairOutputDirectory(dir)
        #expect(await eventually(.seconds(30)) { Set(IncidentIDs.inFile(output)) == Self.ids(3...6) })
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
        #expect(IncidentIDs.inFile(output).count == 4)
    }
}
