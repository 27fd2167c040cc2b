import Foundation
import OtklikTestSupport

/// The real `otklik` binary, run as a child process with its output in files.
final class OtklikProcess: @unchecked Sendable {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    /// `.build/<config>/otklik`, next to the test bundle.
    static var binary: String {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? CommandLine.arguments[0])
            .deletingLastPathComponent().path
        for candidate in [bundleDir + "/otklik", TestPaths.repoRoot + "/.build/debug/otklik"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return TestPaths.repoRoot + "/.build/debug/otklik"
    }

    static var binaryExists: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    init(_ args: [String], dir: String, environment: [String: String] = [:], stdin: FileHandle? = nil) throws {
        stdoutPath = dir + "/stdout-\(UUID().uuidString.prefix(8)).txt"
        stderrPath = dir + "/stderr-\(UUID().uuidString.prefix(8)).txt"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET"); env.removeValue(forKey: "WATCHDOG_USEC")
        env.removeValue(forKey: "JOURNAL_STREAM")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        if let stdin { process.standardInput = stdin } else { process.standardInput = FileHandle.nullDevice }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Sends SIGKILL the moment `condition` holds, checking every 10 ms on a thread of its own:
    /// polling from a task could wait behind other tests that hold the cooperative threads, and
    /// the child would finish before a "kill it halfway" test killed it. Returns whether the
    /// condition held (and the child was killed) within `timeout`.
    func killWhen(_ condition: @escaping @Sendable () -> Bool, timeout: Duration = .seconds(60)) async -> Bool {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
        return await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            Thread {
                while Date() < deadline {
                    if condition() { self.signal(SIGKILL); done.resume(returning: true); return }
                    usleep(10_000)
                }
                done.resume(returning: false)
            }.start()
        }
    }

    /// The exit status, or nil when it still runs after `timeout` (it is then killed).
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); return nil }
        return process.terminationStatus
    }

    /// Runs to completion and returns (status, stdout, stderr).
    static func run(_ args: [String], dir: String, environment: [String: String] = [:],
                    timeout: Duration = .seconds(60)) async throws -> (status: Int32?, out: String, err: String) {
        let p = try OtklikProcess(args, dir: dir, environment: environment)
        let status = await p.waitForExit(timeout: timeout)
        return (status, p.stdout, p.stderr)
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// Waits, polling, until `condition` holds or `timeout` passes.
func eventually(_ timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return true }
        try? await Task.sleep(for: .milliseconds(25))
    }
    return (try? await condition()) == true
}
