#!/usr/bin/env python3
"""Derive Otklik's gazetteer files under data/ from the recorded public tables.

Inputs (read-only): ../shared/fixtures/gazetteer/ru-cities.csv (hflabs/city, CC BY-SA 4.0) and
geonames_ru_rostov_oblast.csv (GeoNames, CC BY 4.0). Outputs: data/ru-cities.tsv and
data/rostov-oblast.tsv in the format documented in data/README.md. Deterministic.

Usage: python3 data/tools/build_gazetteer.py [FIXTURES_DIR]
"""
import csv, math, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
FIX = sys.argv[1] if len(sys.argv) > 1 else os.path.join(DATA, "..", "..", "shared", "fixtures", "gazetteer")
COLUMNS = ["name", "kind", "municipality", "region", "lat", "lon", "oktmo", "population", "centre", "aliases"]
REGION = "Ростовская область"

REGION_TYPES = {"обл": "область", "край": "край", "Респ": "Республика", "АО": "автономный округ",
                "Аобл": "автономная область"}


def region_name(row):
    t, r = row["region_type"], row["region"]
    if t == "г":
        return r
    if t == "Респ":
        return r + " Республика" if r.endswith("ская") else "Республика " + r.replace(" /", " (").replace("/", ")")
    if "область" in r or "округ" in r.lower():
        return r
    if t in ("Чувашия",):
        return "Чувашская Республика"
    if t == "АО" and r.endswith("Автономный округ"):
        return r
    return f"{r} {REGION_TYPES.get(t, t)}".strip()


def municipality_of_city(row):
    if row["area_type"] == "р-н" and row["area"]:
        return row["area"] + " район"
    if row["area_type"] == "у" and row["area"]:
        return row["area"] + " улус"
    if row["area_type"] == "г" and row["area"]:
        return row["area"]
    return row["city"] or row["settlement"] or row["region"]


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(str(r.get(c, "")).replace("\t", " ") for c in COLUMNS) + "\n")


def ru_cities():
    out = []
    with open(os.path.join(FIX, "ru-cities.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            # Federal cities have their name in `region`; a few towns in `area` (area_type «г») or `settlement`.
            name = row["city"] or (row["area"] if row["area_type"] == "г" else "") or row["settlement"] or row["region"]
            oktmo = row["oktmo"][:8] if row["area_type"] != "р-н" else row["oktmo"]
            out.append({"name": name, "kind": "city", "municipality": municipality_of_city(row),
                        "region": region_name(row), "lat": row["geo_lat"], "lon": row["geo_lon"],
                        "oktmo": oktmo, "population": row["population"]})
    out.sort(key=lambda r: (r["region"], r["name"]))
    return out


# The 12 city okrugs and 43 municipal districts of Ростовская область with their administrative
# centres (the official list; see data/README.md). Coordinates come from the two tables.
CITY_OKRUGS = ["Ростов-на-Дону", "Азов", "Батайск", "Волгодонск", "Гуково", "Донецк", "Зверево",
               "Каменск-Шахтинский", "Новочеркасск", "Новошахтинск", "Таганрог", "Шахты"]
DISTRICTS = [  # district, centre, centre kind
    ("Азовский", "Азов", "city"), ("Аксайский", "Аксай", "city"), ("Багаевский", "Багаевская", "stanitsa"),
    ("Белокалитвинский", "Белая Калитва", "city"), ("Боковский", "Боковская", "stanitsa"),
    ("Верхнедонской", "Казанская", "stanitsa"), ("Веселовский", "Весёлый", "posyolok"),
    ("Волгодонской", "Романовская", "stanitsa"), ("Дубовский", "Дубовское", "selo"),
    ("Егорлыкский", "Егорлыкская", "stanitsa"), ("Заветинский", "Заветное", "selo"),
    ("Зерноградский", "Зерноград", "city"), ("Зимовниковский", "Зимовники", "posyolok"),
    ("Кагальницкий", "Кагальницкая", "stanitsa"), ("Каменский", "Глубокий", "posyolok"),
    ("Кашарский", "Кашары", "sloboda"), ("Константиновский", "Константиновск", "city"),
    ("Красносулинский", "Красный Сулин", "city"), ("Куйбышевский", "Куйбышево", "selo"),
    ("Мартыновский", "Большая Мартыновка", "sloboda"), ("Матвеево-Курганский", "Матвеев Курган", "posyolok"),
    ("Миллеровский", "Миллерово", "city"), ("Милютинский", "Милютинская", "stanitsa"),
    ("Морозовский", "Морозовск", "city"), ("Мясниковский", "Чалтырь", "selo"),
    ("Неклиновский", "Покровское", "selo"), ("Обливский", "Обливская", "stanitsa"),
    ("Октябрьский", "Каменоломни", "posyolok"), ("Орловский", "Орловский", "posyolok"),
    ("Песчанокопский", "Песчанокопское", "selo"), ("Пролетарский", "Пролетарск", "city"),
    ("Ремонтненский", "Ремонтное", "selo"), ("Родионово-Несветайский", "Родионово-Несветайская", "sloboda"),
    ("Сальский", "Сальск", "city"), ("Семикаракорский", "Семикаракорск", "city"),
    ("Советский", "Советская", "stanitsa"), ("Тарасовский", "Тарасовский", "posyolok"),
    ("Тацинский", "Тацинская", "stanitsa"), ("Усть-Донецкий", "Усть-Донецкий", "posyolok"),
    ("Целинский", "Целина", "posyolok"), ("Цимлянский", "Цимлянск", "city"),
    ("Чертковский", "Чертково", "posyolok"), ("Шолоховский", "Вёшенская", "stanitsa"),
]

# GeoNames has no municipal districts: a settlement goes to the district whose centre is nearest,
# except these, whose district is stated on the settlement's own page of the official list.
PARENT_OVERRIDES = {
    "Персиановский": "Октябрьский район", "Персиановка": "Октябрьский район",
    "Красюковская": "Октябрьский район", "Коксовый": "Белокалитвинский район",
    "Синегорский": "Белокалитвинский район", "Горняцкий": "Белокалитвинский район",
    "Кривянская": "Октябрьский район", "Новосветловский": "Красносулинский район",
    "Углеродовский": "Красносулинский район", "Гундоровский": "Каменский район",
    "Старочеркасская": "Аксайский район", "Ольгинская": "Аксайский район",
    "Грушевская": "Аксайский район", "Рассвет": "Аксайский район", "Верхнетемерницкий": "Аксайский район",
    "Крым": "Мясниковский район", "Недвиговка": "Мясниковский район",
    "Танаис": "Мясниковский район", "Самбек": "Неклиновский район",
    "Новобессергеновка": "Неклиновский район", "Приморка": "Неклиновский район",
    "Синявское": "Неклиновский район", "Кулешовка": "Азовский район", "Самарское": "Азовский район",
    "Новобатайск": "Кагальницкий район", "Порт-Катон": "Азовский район",
    "Каменоломни": "Октябрьский район", "Соколово-Кундрюченский": "Красносулинский район",
}

# Short names residents use for a place (the gazetteer's `aliases` column).
ALIASES = {"Ростов-на-Дону": "Ростов", "Каменск-Шахтинский": "Каменск"}

SETTLEMENT_KIND = [("ская", "stanitsa"), ("цкая", "stanitsa"), ("ское", "selo"), ("цкое", "selo")]


def kind_of(name):
    for suffix, kind in SETTLEMENT_KIND:
        if name.endswith(suffix):
            return kind
    return "posyolok"


def dist(a, b):
    dlat = a[0] - b[0]
    dlon = (a[1] - b[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dlat, dlon)


def rostov(cities):
    by_city = {c["name"]: c for c in cities if c["region"] == REGION}
    geo = {}
    with open(os.path.join(FIX, "geonames_ru_rostov_oblast.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["name_ru_guess"].strip()
            if not name or name == "Родионово-Несветаиское":  # a second record of the sloboda
                continue
            name = {"Веселый": "Весёлый"}.get(name, name)
            if name in geo:  # two places share a name: keep both under distinct keys
                name_key = f"{name}#{row['geonameid']}"
            else:
                name_key = name
            geo[name_key] = {"name": name, "lat": row["latitude"], "lon": row["longitude"],
                             "population": row["population"], "geonameid": row["geonameid"]}

    def place(name):
        if name in by_city:
            c = by_city[name]
            return c["lat"], c["lon"], c["population"]
        g = geo.get(name) or geo.get(name.replace("ё", "е"))
        if g is None:
            raise SystemExit(f"no coordinates for {name}")
        return g["lat"], g["lon"], g["population"]

    rows = []
    centres = {}
    rows.append({"name": REGION, "kind": "region", "municipality": "", "region": REGION,
                 "lat": "47.7", "lon": "40.6", "oktmo": "60000000", "population": "", "centre": "Ростов-на-Дону"})
    for name in CITY_OKRUGS:
        c = by_city[name]
        rows.append({"name": name, "kind": "city_okrug", "municipality": name, "region": REGION,
                     "lat": c["lat"], "lon": c["lon"], "oktmo": c["oktmo"][:8], "population": c["population"],
                     "centre": name, "aliases": ALIASES.get(name, "")})
    for district, centre, ckind in DISTRICTS:
        mname = district + " район"
        lat, lon, pop = place(centre)
        centres[mname] = (float(lat), float(lon))
        oktmo = ""
        if centre in by_city and by_city[centre]["municipality"] == mname:
            oktmo = by_city[centre]["oktmo"][:5] + "000"
        rows.append({"name": mname, "kind": "district", "municipality": mname, "region": REGION,
                     "lat": lat, "lon": lon, "oktmo": oktmo, "population": "", "centre": centre})
    # Settlements: the towns of the districts (from hflabs/city) and GeoNames places.
    seen = set()
    for c in sorted(by_city.values(), key=lambda c: c["name"]):
        if c["name"] in CITY_OKRUGS:
            continue
        seen.add(c["name"])
        rows.append({"name": c["name"], "kind": "city", "municipality": c["municipality"], "region": REGION,
                     "lat": c["lat"], "lon": c["lon"], "oktmo": c["oktmo"], "population": c["population"]})
    centre_kind = {centre: k for _, centre, k in DISTRICTS}
    centre_district = {centre: d + " район" for d, centre, _ in DISTRICTS}
    for key in sorted(geo, key=lambda k: (-int(geo[k]["population"] or 0), k)):
        g = geo[key]
        name = g["name"]
        if name in seen or name in CITY_OKRUGS or name in by_city:
            continue
        pt = (float(g["lat"]), float(g["lon"]))
        parent = centre_district.get(name) or PARENT_OVERRIDES.get(name) \
            or min(centres, key=lambda m: (dist(pt, centres[m]), m))
        rows.append({"name": name, "kind": centre_kind.get(name, kind_of(name)), "municipality": parent,
                     "region": REGION, "lat": g["lat"], "lon": g["lon"], "oktmo": "",
                     "population": g["population"]})
    return rows


def main():
    cities = ru_cities()
    write(os.path.join(DATA, "ru-cities.tsv"), cities)
    rows = rostov(cities)
    write(os.path.join(DATA, "rostov-oblast.tsv"), rows)
    print(f"ru-cities.tsv: {len(cities)} rows; rostov-oblast.tsv: {len(rows)} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
