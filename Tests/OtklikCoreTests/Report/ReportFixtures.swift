import Foundation
@testable import OtklikCore

/// Made-up incidents shaped like a region's real month: towns of Ростовская область
/// (real centre coordinates), every category, two weeks, some overdue, some repeated.
enum ReportFixtures {
    static let now = OtklikJSON.parseDate("2026-11-24T12:00:00Z")!

    /// (id, name, lat, lon, weight).
    static let towns: [(String, String, Double, Double, Int)] = [
        ("60701000", "Ростов-на-Дону", 47.2357, 39.7015, 30), ("60737000", "Таганрог", 47.2362, 38.8969, 14),
        ("60740000", "Шахты", 47.7085, 40.2159, 11), ("60727000", "Новочеркасск", 47.4114, 40.1037, 9),
        ("60712000", "Волгодонск", 47.5165, 42.1985, 8), ("60707000", "Батайск", 47.1383, 39.7508, 6),
        ("60730000", "Новошахтинск", 47.7579, 39.9364, 5), ("60704000", "Азов", 47.1078, 39.4165, 5),
        ("60719000", "Каменск-Шахтинский", 48.3178, 40.2595, 4), ("60650101", "Сальск", 46.4750, 41.5410, 4),
        ("60606101", "Белая Калитва", 48.1769, 40.8033, 3), ("60632101", "Миллерово", 48.9226, 40.3984, 3),
        ("60715000", "Гуково", 48.0447, 39.9484, 2), ("60618101", "Зерноград", 46.8495, 40.3129, 2),
    ]

    static let texts: [String: [String]] = [
        "health": ["В поликлинике не записаться к терапевту, телефон регистратуры не отвечает.", "Скорая ехала больше часа на вызов к пожилому человеку."],
        "education": ["В школе третью неделю нет учителя математики.", "Детский сад закрыли на карантин, никто не объясняет сроки."],
        "social": ["Пособие по уходу не пришло второй месяц.", "Не выдают льготные лекарства в аптеке."],
        "roads": ["Огромная яма на перекрёстке, машины бьют колёса.", "Дорогу не чистят, гололёд, люди падают.", "Светофор на перекрёстке не работает третий день."],
        "transport": ["Автобус по маршруту не ходит с утра, люди мёрзнут на остановке.", "Маршрутки переполнены, интервал час."],
        "public_services": ["В МФЦ очередь на три часа, половина окон закрыта.", "Запись на Госуслугах не работает неделю."],
        "housing": ["Подъезд не убирают месяц.", "Крыша течёт после каждого дождя."],
        "housing.water": ["Нет воды третий день, никто не предупредил.", "Из крана течёт ржавая вода.", "Прорыв трубы, улицу заливает водой."],
        "housing.heating": ["В квартирах холодно, батареи еле тёплые.", "Нет горячей воды вторую неделю."],
        "housing.electricity": ["Свет отключают каждый вечер на несколько часов.", "Во дворе не горят фонари, темно."],
        "housing.gas": ["В подъезде сильно пахнет газом, аварийная не приезжает."],
        "housing.management": ["Управляющая компания не отвечает на заявки.", "Лифт стоит сломанный две недели."],
        "waste": ["Мусор не вывозят неделю, баки переполнены.", "Стихийная свалка у дороги растёт."],
        "landscaping": ["Во дворе сломана детская площадка.", "Упавшее дерево перегородило тротуар."],
        "construction": ["Стройка шумит ночью, спать невозможно.", "Долгострой без ограждения, дети лазят."],
        "safety": ["Открытый люк на тротуаре, можно провалиться.", "Во дворе школы ночью собирается шумная компания."],
        "animals": ["Стая бездомных собак у остановки, дети боятся ходить.", "Во дворе бродят собаки без хозяина."],
        "communications": ["Пропал мобильный интернет во всём посёлке.", "Нет связи третий день, не дозвониться до скорой."],
        "other": ["Обещали сделать остановку, так и не сделали."],
    ]

    static let executors: [String: String] = [
        "health": "Министерство здравоохранения", "education": "Управление образования",
        "roads": "Управление дорожного хозяйства", "transport": "Департамент транспорта",
        "housing.water": "Водоканал", "housing.heating": "Теплосеть", "housing.electricity": "Энергосбыт",
        "housing.gas": "Газовая служба", "waste": "Региональный оператор ТКО",
    ]

    /// A deterministic generator (an LCG), so every run draws the same month.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func unit() -> Double { Double(next() % 1_000_000) / 1_000_000 }
    }

    static func incident(id: String, category: String, town: Int? = 0, firstSeen: Date, severity: Severity = .medium,
                         status: String = "new", text: String = "Нет воды третий день.", related: [String] = [],
                         lat: Double? = nil, lon: Double? = nil, url: String? = nil) -> Incident {
        let geo = town.map { t in
            GeoTag(municipalityID: towns[t].0, municipality: towns[t].1, settlement: towns[t].1,
                   lat: lat ?? towns[t].2, lon: lon ?? towns[t].3, method: .text, confidence: 0.8)
        }
        return Incident(id: id, category: category, severity: severity, score: 0.9, geo: geo,
                        firstSeen: firstSeen, lastSeen: firstSeen,
                        deadline: firstSeen.addingTimeInterval(Taxonomy.deadline(of: category).seconds),
                        executor: executors[category].map { Executor(name: $0) }, status: status,
                        openedBy: "vk:\(id)", url: url ?? "https://vk.com/wall-1_\(id)", sourceID: "vk-test",
                        text: text, relatedPosts: related)
    }

    /// `count` incidents over the `days` days before `now`; every category and town occurs.
    static func month(count: Int = 240, days: Int = 14, seed: UInt64 = 42) -> [Incident] {
        var rng = Random(state: seed)
        let cats = Taxonomy.categories.map(\.id)
        let catWeights = cats.map { ["housing.water": 6, "roads": 6, "waste": 5, "housing.heating": 4, "transport": 3,
                                      "landscaping": 3, "housing.management": 3][$0] ?? 2 }
        func pick(_ weights: [Int]) -> Int {
            var r = rng.int(weights.reduce(0, +))
            for (i, w) in weights.enumerated() { if r < w { return i }; r -= w }
            return weights.count - 1
        }
        let start = now.addingTimeInterval(-Double(days) * 86400)
        var out: [Incident] = []
        for n in 0..<count {
            let cat = n < cats.count ? cats[n] : cats[pick(catWeights)]
            let town = n < towns.count ? n : pick(towns.map(\.4))
            let seen = start.addingTimeInterval(rng.unit() * Double(days) * 86400)
            let sev: Severity = [.low, .medium, .medium, .high, .critical][min(4, rng.int(9) / 2)]
            let older = now.timeIntervalSince(seen) > 4 * 86400
            let status = older ? ["closed", "closed", "closed", "new", "in_progress"][rng.int(5)]
                               : ["new", "new", "in_progress", "closed"][rng.int(4)]
            let variants = texts[cat] ?? ["Жители жалуются, подробностей в сообщении нет."]
            let related = (0..<[0, 0, 0, 1, 1, 2, 3, 6][rng.int(8)]).map { "tg:ch/\(n * 10 + $0)" }
            let hasCoords = rng.int(10) > 0
            out.append(incident(
                id: String(format: "inc-%04d", n), category: cat, town: n % 37 == 36 ? nil : town, firstSeen: seen,
                severity: sev, status: status, text: variants[rng.int(variants.count)], related: related,
                lat: hasCoords ? towns[town].2 + (rng.unit() - 0.5) * 0.06 : nil,
                lon: hasCoords ? towns[town].3 + (rng.unit() - 0.5) * 0.09 : nil))
            if !hasCoords { out[out.count - 1].geo?.lat = nil; out[out.count - 1].geo?.lon = nil }
        }
        return out
    }

    /// A database in the SQLite sink's shape: `incidents` (columns + full JSON) and `incident_posts`.
    static func writeDatabase(_ incidents: [Incident], to path: String) throws {
        let db = try SQLiteDatabase(path: path)
        try db.executeScript("""
            CREATE TABLE IF NOT EXISTS incidents (
              id TEXT PRIMARY KEY, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, deadline TEXT NOT NULL,
              category TEXT NOT NULL, municipality_id TEXT, municipality TEXT, status TEXT NOT NULL, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS incident_posts (incident_id TEXT NOT NULL, post_key TEXT NOT NULL,
              PRIMARY KEY (incident_id, post_key));
            """)
        try db.transaction {
            for i in incidents {
                try db.execute("INSERT OR REPLACE INTO incidents VALUES (?,?,?,?,?,?,?,?,?)", [
                    .text(i.id), .text(OtklikJSON.formatDate(i.firstSeen)), .text(OtklikJSON.formatDate(i.lastSeen)),
                    .text(OtklikJSON.formatDate(i.deadline)), .text(i.category),
                    i.geo?.municipalityID.map { .text($0) } ?? .null, i.geo?.municipality.map { .text($0) } ?? .null,
                    .text(i.status), .text(try OtklikJSON.line(i)),
                ])
                for k in [i.openedBy] + i.relatedPosts {
                    try db.execute("INSERT OR IGNORE INTO incident_posts VALUES (?,?)", [.text(i.id), .text(k)])
                }
            }
        }
    }
}
