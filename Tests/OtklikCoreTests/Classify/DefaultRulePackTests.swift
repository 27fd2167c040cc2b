import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// The shipped Russian rule pack (`rules/`), through the same path `otklik explain` takes.
@Suite struct DefaultRulePackTests {
    static let rulesDir = TestPaths.repoRoot + "/rules"
    /// Compiled once; each test gets its own stages (they are per worker).
    static let options = Result {
        try ClassifyStage.options(StageConfig(name: "classify", node: .emptyMapping(at: SourceMark(file: "t", line: 1, column: 1))),
                                  configFile: nil, diagnostics: ConfigDiagnostics(), environment: [:], rulesOverride: rulesDir)
    }
    let explainer: Explainer

    init() throws { explainer = Explainer(rules: try Self.options.get()) }

    func verdict(_ text: String) throws -> Verdict {
        try #require(try explainer.run(Explainer.post(id: "t", text: text)).item.verdict)
    }

    @Test func pack_loadsWithoutErrorsAndIsLarge() throws {
        let d = ConfigDiagnostics()
        let rules = RulePack.load(path: Self.rulesDir, diagnostics: d, environment: [:])
        #expect(d.errors.map(\.description) == [])
        let set = RuleSet.compile(rules)
        #expect(set.termCount > 1000)
        let topics = Set(rules.compactMap { $0.kind == .topic ? $0.category : nil })
        for c in Taxonomy.categories where c.id != "housing" { #expect(topics.contains(c.id), "no rule for \(c.id)") }
    }

    @Test func explain_waterOutageIsAHousingWaterComplaintAndNamesTheWords() throws {
        let text = "Третий день нет воды на Ленина 15, сколько можно"
        let (item, _) = try explainer.run(Explainer.post(id: "1", text: text))
        let v = try #require(item.verdict)
        #expect(v.isComplaint && v.category == "housing.water")
        #expect(v.severity == .medium || v.severity == .high)
        let line = Explainer.jsonLine(id: "1", item: item, dropped: nil)
        #expect(line.hasPrefix(#"{"id":"1","is_complaint":true,"category":"housing.water","subcategory":"no_water","#))
        for w in ["нет", "воды", "сколько можно", "Третий", "день"] { #expect(line.contains("\"\(w)\"")) }
        #expect(Explainer.jsonLine(id: "1", item: try explainer.run(Explainer.post(id: "1", text: text)).item, dropped: nil) == line)
    }

    @Test(arguments: [
        "Продам гараж в районе Московской, недорого. Звоните!",
        "Скидки до 50% на всю обувь только до воскресенья! Доставка бесплатно",
        "Спасибо водителю автобуса №83, вернул забытый телефон!",
        "Огромное спасибо коммунальщикам, быстро починили трубу во дворе",
        "Уважаемые жители! 12 ноября с 9 до 17 будет отключена холодная вода в связи с плановыми работами. Приносим извинения",
        "Поздравляем всех с Днём города! Приглашаем на концерт на центральной площади",
        "Отдам котят в добрые руки, к лотку приучены",
        "Сегодня на Ленина открыли новый сквер, приходите гулять",
    ])
    func noise_isNotAComplaint(_ text: String) throws {
        let v = try verdict(text)
        #expect(!v.isComplaint, "\(v.score) \(v.hits.map(\.rule))")
    }

    @Test(arguments: [
        ("Третий день нет воды на Ленина 15, сколько можно", "housing.water"),
        ("Батареи холодные, в квартире +15, дети болеют. УК не отвечает", "housing.heating"),
        ("Опять отключили свет во всем квартале, сидим без света с утра", "housing.electricity"),
        ("В подъезде сильно пахнет газом, газовая служба не едет!", "housing.gas"),
        ("Лифт не работает вторую неделю, управляющая компания ничего не делает", "housing.management"),
        ("На Садовой огромная яма, уже два колеса пробил. Когда отремонтируют дорогу?", "roads"),
        ("Автобус 12 не ходит по расписанию, ждали 40 минут на морозе", "transport"),
        ("Мусор не вывозят две недели, контейнеры переполнены, крысы бегают", "waste"),
        ("Во дворе не горят фонари, вечером идем в полной темноте", "landscaping"),
        ("В поликлинике невозможно записаться к терапевту, талонов нет месяц", "health"),
        ("В школе не хватает учителей, дети учатся во вторую смену. Примите меры", "education"),
        ("Мне не пришло пособие на ребенка уже третий месяц, в соцзащите отказывают", "social"),
        ("В МФЦ очередь на три часа, половина окон закрыта. Безобразие!", "public_services"),
        ("Замороженная стройка на Мира стоит без ограждения, туда лазят дети", "construction"),
        ("Во дворе стая бездомных собак бросается на детей, примите меры", "animals"),
        ("В селе нет связи и интернета уже неделю, невозможно позвонить", "communications"),
        ("Ночью горел мусор у гаражей, пожарные ехали час", "safety"),
    ])
    func category_ofTypicalComplaints(_ text: String, _ category: String) throws {
        let v = try verdict(text)
        #expect(v.isComplaint, "\(v.score) \(v.hits.map(\.rule))")
        #expect(v.category == category, "\(v.hits.map(\.rule))")
    }

    @Test(arguments: [
        ("Прорвало трубу в подвале, кипяток заливает подъезд!", Severity.critical),
        ("Сильно пахнет газом в подъезде", .critical),
        ("Горит сарай на Мира, пожарных нет", .critical),
        ("Нет отопления, в квартире холодно, дети мерзнут", .high),
        ("Ребенок упал в открытый люк на Ленина", .high),
        ("Яма на дороге у школы", .medium),
    ])
    func severity_ofUrgentComplaints(_ text: String, _ atLeast: Severity) throws {
        let v = try verdict(text)
        #expect(v.severity >= atLeast, "\(v.severity) \(v.hits.map(\.rule))")
    }

    @Test func negation_isRespectedByThePack() throws {
        #expect(!(try verdict("Воду у нас не отключали, всё хорошо")).isComplaint)
        #expect(!(try verdict("Я не жалуюсь, просто делюсь новостями")).isComplaint)
    }
}
