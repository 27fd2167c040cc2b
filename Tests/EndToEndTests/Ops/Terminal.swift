import Foundation

/// Runs the `otklik` binary on a pseudo-terminal (util-linux `script`), as an operator at a
/// shell would: what it writes to stdout and stderr, escape sequences included, is returned.
enum Terminal {
    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/script") }

    static func run(_ args: [String], dir: String, environment: [String: String] = [:],
                    timeout: Duration = .seconds(90)) async throws -> (status: Int32?, screen: String) {
        let command = ([OtklikProcess.binary] + args).map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
            .joined(separator: " ")
        let out = dir + "/terminal-\(UUID().uuidString.prefix(8)).txt"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qfec", command, out]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET"); env.removeValue(forKey: "JOURNAL_STREAM")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = ContinuousClock.now + timeout
        while p.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if p.isRunning { p.terminate(); return (nil, "") }
        let screen = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        // script(1) frames the session with "Script started …" / "Script done …" lines.
        let kept = lines(screen).filter { !$0.hasPrefix("Script started on") && !$0.hasPrefix("Script done on") }
        return (p.terminationStatus, kept.joined(separator: "\n"))
    }

    /// The screen's lines, split at each "\n" (a terminal ends lines with "\r\n", which Swift
    /// counts as one character; the "\r" stays at the end of the line).
    static func lines(_ screen: String) -> [String] {
        screen.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
    }
}
