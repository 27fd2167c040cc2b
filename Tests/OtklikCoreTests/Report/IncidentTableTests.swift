import Foundation
import Testing
@testable import OtklikCore

@Suite struct IncidentTableTests {
    let now = ReportFixtures.now

    @Test func render_alignsColumnsAndMarksOverdue() {
        let list = [
            ReportFixtures.incident(id: "inc-1", category: "housing.water", town: 2, firstSeen: now.addingTimeInterval(-20 * 3600)),
            ReportFixtures.incident(id: "inc-22", category: "roads", town: 0, firstSeen: now.addingTimeInterval(-3600),
                                    text: String(repeating: "Яма на дороге. ", count: 30)),
        ]
        let out = IncidentTable(now: now, width: 150).render(list)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("ID"))
        // Every column starts at the same offset on every line.
        let offset = lines[0].distance(from: lines[0].startIndex, to: lines[0].range(of: "ВПЕРВЫЕ")!.lowerBound)
        #expect(lines[1].dropFirst(offset).hasPrefix("23.11 16:00"))
        #expect(lines[2].dropFirst(offset).hasPrefix("24.11 11:00"))
        #expect(lines[1].contains("ЖКХ: вода и канализация") && lines[1].contains("просрочен"))
        #expect(!lines[2].contains("просрочен"))
        #expect(lines.allSatisfy { $0.count <= 150 })
        #expect(lines[2].hasSuffix("…"))
    }

    @Test func render_narrowTerminal_dropsExecutorAndSeverityFirst() {
        let list = [ReportFixtures.incident(id: "inc-1", category: "housing.water", town: 2, firstSeen: now.addingTimeInterval(-3600))]
        let wide = IncidentTable(now: now, width: 200).render(list)
        let narrow = IncidentTable(now: now, width: 100).render(list)
        #expect(wide.contains("ИСПОЛНИТЕЛЬ") && wide.contains("ВАЖНОСТЬ"))
        #expect(!narrow.contains("ИСПОЛНИТЕЛЬ") && !narrow.contains("ВАЖНОСТЬ"))
        #expect(narrow.contains("Шахты") && narrow.contains("ТЕКСТ"))
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }
}
