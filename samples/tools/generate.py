#!/usr/bin/env python3
"""Writes samples/posts.jsonl: an ILLUSTRATIVE feed for the offline demo.

Every post here was written for the demo from templates (no real person wrote
them; communities, channels and ids are made up). It mimics what a region's
public VK communities and Telegram channels carry: complaints of every category
from across Ростовская область, and the noise around them — ads, news, thanks,
announcements, chatter — plus reposts and near-duplicate re-posts of complaints.
Deterministic: the same seed gives the same file.
"""
import json, random, sys
from datetime import datetime, timedelta, timezone

random.seed(20261124)
START = datetime(2026, 11, 1, 6, 0, tzinfo=timezone.utc)
DAYS = 24

# (settlement, "в …" form, municipality-ish community name part, lat, lon)
PLACES = [
    ("Ростов-на-Дону", "в Ростове-на-Дону", "Ростов", 47.2225, 39.7188),
    ("Таганрог", "в Таганроге", "Таганрог", 47.2086, 38.9366),
    ("Шахты", "в Шахтах", "Шахты", 47.7085, 40.2160),
    ("Новочеркасск", "в Новочеркасске", "Новочеркасск", 47.4222, 40.0937),
    ("Волгодонск", "в Волгодонске", "Волгодонск", 47.5165, 42.1984),
    ("Батайск", "в Батайске", "Батайск", 47.1368, 39.7448),
    ("Азов", "в Азове", "Азов", 47.1121, 39.4232),
    ("Аксай", "в Аксае", "Аксай", 47.2676, 39.8756),
    ("Сальск", "в Сальске", "Сальск", 46.4753, 41.5416),
    ("Белая Калитва", "в Белой Калитве", "Белая Калитва", 48.1769, 40.8033),
    ("Новошахтинск", "в Новошахтинске", "Новошахтинск", 47.7579, 39.9364),
    ("Каменск-Шахтинский", "в Каменске-Шахтинском", "Каменск", 48.3178, 40.2595),
    ("Миллерово", "в Миллерово", "Миллерово", 48.9217, 40.3984),
    ("Зерноград", "в Зернограде", "Зерноград", 46.8495, 40.3130),
    ("Красный Сулин", "в Красном Сулине", "Красный Сулин", 47.8832, 40.0781),
]
STREETS = ["Ленина", "Октябрьской", "Гагарина", "Советской", "Мира", "Пушкина", "Садовой", "Кирова",
           "Горького", "Чехова", "Шолохова", "Московской", "Комсомольской", "Энгельса", "Промышленной"]
SINCE = ["третий день", "вторую неделю", "с понедельника", "уже пятый день", "с самого утра", "вторые сутки",
         "целую неделю", "который месяц"]
OUTRAGE = ["Сколько можно?!", "Безобразие!", "Куда смотрит администрация?", "Примите меры!", "Доколе?",
           "Никому нет дела.", "Это издевательство над людьми.", "Просим разобраться!", ""]

# category -> templates; {loc} = "в Батайске", {st} = street, {h} = house, {since} = duration
COMPLAINTS = {
    "housing.water": [
        "{since} нет воды {loc} на {st} {h}. В водоканале трубку не берут. {out}",
        "Из крана идёт ржавая вода, пить невозможно. {loc}, ул. {st}. {out}",
        "Опять отключили холодную воду без предупреждения, {st} {h}, {loc}. {out}",
        "Прорыв трубы на {st}, вода заливает дорогу и подвалы {since}. {out}",
    ],
    "housing.heating": [
        "В квартире +14, батареи холодные {since}. {loc}, {st} {h}. Дети болеют! {out}",
        "Отопление так и не дали, на улице минус. Дом {h} по {st} {loc}. {out}",
        "Нет горячей воды {since}, УК обещает и ничего не делает. {loc}. {out}",
    ],
    "housing.electricity": [
        "{since} нет света на {st} {loc}, холодильники текут, звонили в сети — без толку. {out}",
        "Постоянно мигает свет и скачет напряжение, сгорел телевизор. {st} {h}, {loc}. {out}",
        "Оборванный провод висит над тротуаром на {st}, {loc}. Опасно! {out}",
    ],
    "housing.gas": [
        "Во дворе дома {h} по {st} сильно пахнет газом, {loc}. Аварийка не едет! {out}",
        "Отключили газ {since}, ни приготовить, ни обогреться. {loc}. {out}",
    ],
    "housing.management": [
        "УК не убирает подъезд месяцами, лифт не работает {since}. {st} {h}, {loc}. {out}",
        "Протекает крыша, после каждого дождя потоп на пятом этаже. {loc}, {st} {h}. Управляющая компания молчит. {out}",
        "Подвал затоплен, вонь на весь подъезд. {loc}, ул. {st}. {out}",
    ],
    "roads": [
        "Огромная яма на {st} {loc}, уже два колеса пробили. {out}",
        "Дорогу на {st} не ремонтировали лет десять, сплошные ямы и лужи. {loc}. {out}",
        "На перекрёстке {st} и Мира не работает светофор {since}. {loc}. {out}",
        "Улицу {st} так и не почистили от снега, машины буксуют. {loc}. {out}",
    ],
    "transport": [
        "Автобус №{n} не ходит по расписанию, стояли на остановке час на морозе. {loc}. {out}",
        "Маршрутки переполнены, водитель хамит и курит за рулём. Маршрут {n}, {loc}. {out}",
        "Отменили рейс до райцентра, людям не добраться до больницы. {loc}. {out}",
    ],
    "health": [
        "В поликлинике {loc} невозможно дозвониться в регистратуру {since}, записи к терапевту нет. {out}",
        "Скорая ехала полтора часа к пожилому человеку на {st}. {loc}. {out}",
        "В аптеках {loc} нет льготных лекарств для диабетиков {since}. {out}",
        "В ЦРБ нет педиатра, с ребёнком ездим в соседний город. {loc}. {out}",
    ],
    "education": [
        "В школе на {st} {loc} в классах холодно, дети сидят в куртках. {out}",
        "Не можем устроить ребёнка в детский сад {since}, очередь не движется. {loc}. {out}",
        "В школьной столовой кормят просроченным, дети жалуются. {loc}. {out}",
    ],
    "social": [
        "Пенсионерке не выплачивают компенсацию {since}, в соцзащите отправляют по кругу. {loc}. {out}",
        "Многодетной семье отказали в пособии без объяснения. {loc}. {out}",
    ],
    "public_services": [
        "В МФЦ {loc} очередь на три часа, половина окон закрыта. {out}",
        "Госуслуги не принимают заявление {since}, в МФЦ говорят ждите. {loc}. {out}",
    ],
    "waste": [
        "Мусор не вывозят {since}, контейнеры переполнены, крысы бегают. {st} {h}, {loc}. {out}",
        "Стихийная свалка за гаражами на {st}, жгут мусор, дышать нечем. {loc}. {out}",
        "Региональный оператор ТКО не забирает мусор из частного сектора {since}. {loc}. {out}",
    ],
    "landscaping": [
        "Во дворе дома {h} по {st} сломана детская площадка, торчат гвозди. {loc}. {out}",
        "На {st} не горят фонари {since}, вечером идти страшно. {loc}. {out}",
        "Аварийное дерево над остановкой на {st} вот-вот упадёт. {loc}. {out}",
    ],
    "construction": [
        "Стройка на {st} шумит по ночам, работают после 23:00. {loc}. {out}",
        "Дольщики ждут дом на {st} уже третий год, стройка заморожена. {loc}. {out}",
    ],
    "safety": [
        "Стая бродячих собак на {st} кидается на детей. {loc}. {out}",
        "Открытый люк без крышки на {st} возле школы, ребёнок чуть не упал! {loc}. {out}",
        "Пожар в частном секторе на {st}, пожарные ехали долго. {loc}. {out}",
    ],
}
NOISE = [
    "Продам диван в хорошем состоянии, недорого. {loc}, самовывоз. Пишите в личку.",
    "Скидка 30% на все окна ПВХ до конца месяца! Замер бесплатно. {loc}.",
    "Сдаётся квартира на {st}, 2 комнаты, евроремонт. Звоните.",
    "Большое спасибо коммунальщикам за быстрый ремонт на {st}! Всё сделали за день.",
    "Благодарим врачей детской поликлиники {loc} за внимательное отношение. Спасибо!",
    "Сегодня {loc} прошёл праздничный концерт ко Дню народного единства. Фоторепортаж по ссылке.",
    "Администрация сообщает: с 10 по 12 ноября плановые работы на водоводе, график на сайте.",
    "Внимание! Завтра {loc} пройдёт субботник. Приглашаем всех жителей.",
    "Кто знает хорошего мастера по ремонту стиральных машин {loc}?",
    "Потерялся кот, рыжий, на {st}. Нашедшему вознаграждение.",
    "Доброе утро, {loc}! Погода сегодня солнечная, до +8.",
    "Открылся новый фитнес-клуб на {st}, первое занятие бесплатно.",
    "Новости спорта: наша команда {loc} заняла первое место в областном турнире!",
    "Ищу попутчиков до Ростова в пятницу утром.",
    "Спасибо водителю автобуса №{n}, вернул забытый телефон!",
    "Куплю гараж в районе {st}, недорого.",
    "В эти выходные ярмарка выходного дня на площади. Приходите!",
    "Поздравляем учителей школы №{n} с юбилеем!",
]
COMMUNITIES = [(p[2], i) for i, p in enumerate(PLACES)]

def post_time(day, rnd):
    return START + timedelta(days=day, hours=rnd.randint(0, 15), minutes=rnd.randint(0, 59))

def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")

def capitalize_sentences(text):
    out, cap = [], True
    for ch in text:
        if cap and ch.isalpha():
            ch, cap = ch.upper(), False
        elif ch in ".!?":
            cap = True
        out.append(ch)
    return "".join(out)

def fill(tpl, place, rnd):
    return capitalize_sentences(" ".join(tpl.format(loc=place[1], st=rnd.choice(STREETS), h=rnd.randint(1, 120),
                               since=rnd.choice(SINCE), out=rnd.choice(OUTRAGE), n=rnd.randint(1, 99)).split()))

def source(place_idx, rnd):
    if rnd.random() < 0.6:
        gid = 100000 + place_idx
        return ("vk", f"-{gid}", lambda pid: (f"wall-{gid}_{pid}", f"https://vk.com/wall-{gid}_{pid}"))
    ch = f"demo_{place_idx:02d}_news"
    return ("telegram", ch, lambda pid: (f"{ch}/{pid}", f"https://t.me/{ch}/{pid}"))

posts, counter = [], [1000]
def add(kind_id_url, text, t, place, extra=None, repost=None):
    kind, owner, mk = kind_id_url
    counter[0] += 1
    pid, url = mk(counter[0])
    p = {"source_kind": kind, "post_id": pid, "url": url, "published": iso(t), "text": text,
         "author_name": "Житель " + place[2] if kind == "vk" else None}
    if repost: p["repost_of"] = repost
    if extra: p.update(extra)
    posts.append({k: v for k, v in p.items() if v is not None})
    return p

rnd = random.Random(7)
complaint_posts = []
cats = list(COMPLAINTS)
for i in range(230):
    cat = cats[i % len(cats)] if i < len(cats) * 3 else rnd.choice(cats)
    pi = rnd.randrange(len(PLACES)) if rnd.random() < 0.75 else rnd.randrange(6)
    place = PLACES[pi]
    day = rnd.randrange(DAYS)
    text = fill(rnd.choice(COMPLAINTS[cat]), place, rnd)
    extra = None
    if rnd.random() < 0.1:
        extra = {"coordinates": {"lat": round(place[3] + rnd.uniform(-0.02, 0.02), 5),
                                 "lon": round(place[4] + rnd.uniform(-0.02, 0.02), 5)}}
    p = add(source(pi, rnd), text, post_time(day, rnd), place, extra)
    complaint_posts.append((p, pi, day))
for i in range(140):
    pi = rnd.randrange(len(PLACES))
    add(source(pi, rnd), fill(rnd.choice(NOISE), PLACES[pi], rnd), post_time(rnd.randrange(DAYS), rnd), PLACES[pi])
# Reposts of complaints into another community (VK copy_history shape, mapped).
for p, pi, day in rnd.sample(complaint_posts, 20):
    src = source(rnd.randrange(len(PLACES)), rnd)
    add(src, "", datetime.fromisoformat(p["published"].replace("Z", "+00:00")) + timedelta(hours=2), PLACES[pi],
        repost={"key": f'{p["source_kind"]}:{p["post_id"]}', "url": p["url"]})
    posts[-1]["text"] = p["text"]
# Near-duplicates: the same complaint re-posted with small edits elsewhere.
for p, pi, day in rnd.sample(complaint_posts, 25):
    src = source(rnd.randrange(len(PLACES)), rnd)
    edited = p["text"].replace("!", "!!").replace(". ", ", ", 1) + " Поддержите, чтобы увидели."
    add(src, edited, datetime.fromisoformat(p["published"].replace("Z", "+00:00")) + timedelta(hours=5), PLACES[pi])
# Exact duplicates (the same post delivered twice by a collector).
for p, _, _ in rnd.sample(complaint_posts, 10):
    posts.append(dict(p))

posts.sort(key=lambda p: p["published"])
for p in posts:
    sys.stdout.write(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n")
