import Foundation
import Testing
import OtklikTestSupport
@testable import OtklikCore

/// The categories residents write about less often (education, social support and labour,
/// trade, culture, sport, communications, construction, public services), and the traps
/// between them and the big ones: a school as a landmark, «в связи с», «почти», «продают».
@Suite struct WeakCategoryRuleTests {
    let explainer: Explainer

    init() throws { explainer = Explainer(rules: try DefaultRulePackTests.options.get()) }

    func verdict(_ text: String) throws -> Verdict {
        try #require(try explainer.run(Explainer.post(id: "t", text: text)).item.verdict)
    }

    @Test(arguments: [
        ("В садике нет горячей воды вторую неделю, детям моют руки холодной", "education"),
        ("В классе +13, дети сидят в куртках, батареи чуть теплые", "education"),
        ("Крыша школы течет прямо в спортзал, ведра на полу", "education"),
        ("Путевки в лагерь опять раздали своим, мы в очереди с зимы и отказ", "education"),
        ("Кружки в доме творчества сделали платными, многодетным не по карману", "education"),
        ("Одноклассники травят сына уже полгода, классный руководитель молчит", "education"),
        ("Зарплату на заводе задерживают третий месяц, директор не отвечает", "social"),
        ("Работаем без трудового договора, больничные не оплачивают", "social"),
        ("Пособие на ребенка от 3 до 7 не пришло, в соцзащите не берут трубку", "social"),
        ("Соцработник к бабушке не приходит месяц, продукты носить некому", "social"),
        ("Многодетным обещали земельные участки, прошло шесть лет, до сих пор ничего", "social"),
        ("В магазине у рынка продают просроченную колбасу, продавец хамит", "other"),
        ("Стихийная торговля у вокзала: торгуют с машин рыбой прямо на жаре", "other"),
        ("Сельский клуб закрыли три года назад, молодежи некуда пойти", "other"),
        ("Памятник погибшим воинам облупился, к 9 мая так и не покрасили", "other"),
        ("Стадион заброшен, трибуны сгнили, детям негде заниматься спортом", "other"),
        ("Сотовая связь в деревне не ловит, чтобы позвонить идем на бугор", "communications"),
        ("Интернет пропадает каждый вечер, провайдер только обещает", "communications"),
        ("Почтальон не приносит пенсию вовремя, почту в селе закрыли", "communications"),
        ("Новостройку сдали, а застройщик не устраняет трещины по стенам", "construction"),
        ("Стройка работает по ночам, сваи бьют в два часа ночи", "construction"),
        ("В МФЦ талоны заканчиваются к девяти утра, очередь занимают с шести", "public_services"),
        ("Госуслуги висят второй день, заявление подать невозможно", "public_services"),
        ("Остановочный павильон разбит, люди ждут автобус под дождем", "transport"),
    ])
    func category_ofWeakCategoryComplaints(_ text: String, _ category: String) throws {
        let v = try verdict(text)
        #expect(v.isComplaint, "\(v.score) \(v.hits.map(\.rule))")
        #expect(v.category == category, "\(v.hits.map(\.rule))")
    }

    @Test(arguments: [
        ("Возле школы огромная яма на дороге, машины бьют колеса", "roads"),
        ("Во дворе у забора школы свалка мусора, контейнеры не вывозят", "waste"),
        ("На территории школы стаи бездомных собак бросаются на детей", "animals"),
        ("В связи с ремонтом дороги автобус не ходит неделю, люди идут пешком", "transport"),
        ("Почти неделю не горят фонари во дворе, вечером идем в темноте", "landscaping"),
    ])
    func category_whenAWeakTopicIsOnlyALandmark_theProblemDecides(_ text: String, _ category: String) throws {
        let v = try verdict(text)
        #expect(v.isComplaint, "\(v.score) \(v.hits.map(\.rule))")
        #expect(v.category == category, "\(v.hits.map(\.rule))")
    }

    @Test(arguments: [
        "Открыт набор в секции футбола и волейбола для детей, первое занятие бесплатно",
        "В доме культуры в субботу концерт, вход свободный, приглашаем всех",
        "Требуется продавец в продуктовый магазин, график 2/2, зарплата от 30 тысяч",
        "Наши школьники заняли первое место на областной олимпиаде, поздравляем!",
        "С 1 января пенсии проиндексируют, сообщает Соцфонд",
        "Подключите домашний интернет со скидкой, первый месяц бесплатно",
        "Новый жилой комплекс сдан, жильцы получают ключи, поздравляем новоселов",
    ])
    func noise_aroundWeakCategories_isNotAComplaint(_ text: String) throws {
        let v = try verdict(text)
        #expect(!v.isComplaint, "\(v.score) \(v.hits.map(\.rule))")
    }

    @Test func fire_needsSomethingBurning_notASlipOfTheKeyboard() throws {
        #expect(try verdict("Горит сарай на Мира, пожарных нет").category == "safety")
        let v = try verdict("Зарплату не платят два месяца, начальник горит: получите в апреле. Сколько можно")
        #expect(v.category == "social" && v.severity != .critical, "\(v.hits.map(\.rule))")
    }
}
