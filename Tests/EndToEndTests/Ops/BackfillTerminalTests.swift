import Foundation
import Testing
import OtklikTestSupport

/// `otklik backfill` on a terminal: util-linux `script` gives it a pseudo-terminal, so the
/// live progress lines are drawn in place.
@Suite(.enabled(if: OtklikProcess.binaryExists && Terminal.available,
                "needs the otklik binary and util-linux script"))
struct BackfillTerminalTests {
    @Test func backfill_onATerminal_redrawsTheProgressLineInPlaceAndEndsWithASummary() async throws {
        let api = try BackfillVKTests.api(walls: [-101: 40])
        let dir = try BackfillVKTests.prepare(api, communities: [-101])
        let (status, screen) = try await Terminal.run(BackfillVKTests.backfillArgs(), dir: dir, environment: ["VK_TOKEN": api.token])
        #expect(status == 0)
        #expect(screen.contains("\r\u{1B}[2Kvkw: "), "a progress line drawn in place: \(screen.suffix(1500))")
        #expect(screen.contains("\u{1B}[1A"), "the cursor goes back up to redraw it")
        #expect(!screen.contains("otklik backfill: vkw:"), "no plain progress lines on a terminal")
        #expect(screen.contains("vkw: reached 2025-11-20, 40 posts, 20 complaints"))
        #expect(screen.contains(", done"))
        #expect(screen.contains("40 posts read, 20 complaints, 20 incidents"))
        // Log lines are printed above the live lines, never drawn over: whatever line the
        // cursor moves up from is a progress line.
        let lines = Terminal.lines(screen)
        #expect(lines.count > 10)
        var redraws = 0
        for (i, line) in lines.enumerated().dropFirst() where line.hasPrefix("\u{1B}[") && line.dropFirst(2).first?.isNumber == true {
            #expect(lines[i - 1].contains("\r\u{1B}[2Kvkw: "), "moved up over: \(lines[i - 1])")
            redraws += 1
        }
        #expect(redraws >= 3)
        #expect(screen.contains("msg=\"VK wall backfilled\" community=-101"))
    }
}
