import Foundation
import Testing
@testable import OtklikCore

@Suite struct KeywordStageTests {
    func item(_ text: String) -> AnalysisItem {
        AnalysisItem(post: Post(sourceKind: "jsonl", sourceID: "s", postID: "1", published: Date(timeIntervalSince1970: 0), text: text))
    }

    @Test func process_whenWordPresent_marksComplaint() throws {
        let s = KeywordStage(words: ["Яма", "нет воды"], category: "roads")
        var i = item("Опять ЯМА во дворе, и нет воды")
        #expect(try s.process(&i) == .pass)
        #expect(i.verdict?.isComplaint == true)
        #expect(i.verdict?.category == "roads")
        #expect(i.verdict?.hits.first?.matched == ["яма", "нет воды"])
        #expect(i.incident == nil)
    }

    @Test func process_foldsYo() throws {
        let s = KeywordStage(words: ["всё сломано"])
        var i = item("Все сломано у подъезда")
        #expect(try s.process(&i) == .pass)
    }

    @Test func process_withoutWords_dropsAsNotComplaint() throws {
        var i = item("Спасибо за праздник")
        #expect(try KeywordStage(words: ["яма"]).process(&i) == .drop(reason: "not_complaint"))
    }

    @Test func makeIncidents_givesDeterministicIds() throws {
        let s = KeywordStage(words: ["яма"], makeIncidents: true)
        var a = item("яма"), b = item("яма!")
        _ = try s.process(&a); _ = try s.process(&b)
        #expect(a.incident != nil)
        #expect(a.incident?.id == b.incident?.id)
        #expect(a.incident?.openedBy == "jsonl:1")
    }
}
