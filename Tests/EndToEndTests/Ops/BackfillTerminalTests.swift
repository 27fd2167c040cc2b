import Foundation
import Testing
import OtklikTestSupport

/// `otklik backfill` on a terminal: util-linux `script` gives it a pseudo-terminal, so the
/// live progress lines are drawn in place.
@Suite(.enabled(if: OtklikProcess.binaryExists && FileManager.default.isExecutableFile(atPath: "/usr/bin/script"),
                "needs the otklik binary and util-linux script"))
struct BackfillTerminalTests {
    @Test func backfill_onATerminal_redrawsTheProgressLineInPlaceAndEndsWithASummary() async throws {
        let api = try BackfillVKTests.api(walls: [-101: 40])
        let dir = try BackfillVKTests.prepare(api, communities: [-101])
        let command = ([OtklikProcess.binary] + BackfillVKTests.backfillArgs()).map { "'\($0)'" }.joined(separator: " ")
        let out = dir + "/terminal.txt"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qfec", command, out]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env["VK_TOKEN"] = api.token
        env.removeValue(forKey: "NOTIFY_SOCKET")
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = ContinuousClock.now + .seconds(90)
        while p.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if p.isRunning { p.terminate() }
        #expect(p.terminationStatus == 0)
        let screen = try String(contentsOfFile: out, encoding: .utf8)
        #expect(screen.contains("\r\u{1B}[2Kvkw: "), "a progress line drawn in place: \(screen.suffix(1500))")
        #expect(screen.contains("\u{1B}[1A"), "the cursor goes back up to redraw it")
        #expect(!screen.contains("otklik backfill: vkw:"), "no plain progress lines on a terminal")
        #expect(screen.contains("vkw: reached 2025-11-20, 40 posts, 20 complaints"))
        #expect(screen.contains(", done"))
        #expect(screen.contains("40 posts read, 20 complaints, 20 incidents"))
        // Log lines are printed above the live lines, never drawn over: whatever line the
        // cursor moves up from is a progress line.
        let lines = screen.components(separatedBy: "\n")
        for (i, line) in lines.enumerated().dropFirst() where line.hasPrefix("\u{1B}[") && line.dropFirst(2).first?.isNumber == true {
            #expect(lines[i - 1].hasPrefix("\r\u{1B}[2Kvkw: "), "moved up over: \(lines[i - 1])")
        }
        #expect(screen.contains("msg=\"VK wall backfilled\" community=-101"))
    }
}
