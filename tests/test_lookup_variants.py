"""Lookups people type: parts of terms, names in other spellings and scripts, irregular Russian forms.

Held-out queries (none of them a term as written in the glossary) must find exactly the right concepts, and a long
list of ordinary words that are no part of any term must find nothing at all: precision is tested as hard as recall.
"""

from __future__ import annotations

import pytest

from kervan.model import Concept, Term
from kervan.terms import TermIndex
from kervan.translit import skeleton

# --------------------------------------------------------------------------- recall: the right concepts, only them

HELD_OUT = [
    # parts of terms (Turkish compounds: the bare noun, plural, genitive; Russian and English heads)
    ("Cumhurbaşkanı", "partial", {"president-of-kazakhstan"}),
    ("Cumhurbaşkanı’nın", "partial", {"president-of-kazakhstan"}),
    ("santral", "partial", {"nuclear-power-plant"}),
    ("santraller", "partial", {"nuclear-power-plant"}),
    ("santralin", "partial", {"nuclear-power-plant"}),
    ("Devlet Başkanı", "partial", {"president-of-russia"}),
    ("электростанции", "partial", {"nuclear-power-plant"}),
    ("союза", "partial", {"eaeu"}),
    ("Ekonomik Birliği", "partial", {"eaeu"}),
    ("ortaklık", "partial", {"strategic-partnership", "comprehensive-strategic-partnership", "declaration-on-p-a"}),
    # transliteration: the other spellings of names, across Latin and Cyrillic
    ("Tokaev", "transliterated", {"tokayev"}),
    ("tokaev", "transliterated", {"tokayev"}),
    ("Tokaev’in", "transliterated", {"tokayev"}),
    ("Kassym-Jomart Tokaev", "transliterated", {"tokayev"}),
    ("Kasym-Zhomart Tokayev", "transliterated", {"tokayev"}),
    ("Kazahstan", "transliterated", {"kazakhstan"}),
    ("Moskva", "transliterated", {"moscow"}),
    ("Rossiya", "transliterated", {"russia"}),
    ("Evraziyskiy ekonomicheskiy soyuz", "transliterated", {"eaeu"}),
    # the tiers above still answer first
    ("Tokayev", "exact", {"tokayev"}),
    ("Токаев", "exact", {"tokayev"}),
    ("Путина", "inflected", {"putin"}),
]


@pytest.mark.parametrize(("query", "how", "concepts"), HELD_OUT, ids=[q for q, _, _ in HELD_OUT])
def test_held_out_queries_find_exactly_the_right_concepts(shipped_index, query: str, how: str, concepts: set) -> None:
    found = shipped_index.lookup(query)
    expected = {c.replace("declaration-on-p-a", "declaration-on-partnership-and-alliance") for c in concepts}
    assert {m.concept.id for m in found} == expected
    assert {m.how for m in found} == {how}


def test_partial_matches_rank_below_whole_term_matches(shipped_index) -> None:
    partial = shipped_index.lookup("Cumhurbaşkanı")[0]
    inflected = shipped_index.lookup("Kazakistan Cumhurbaşkanı’nın")[0]
    assert partial.concept.id == inflected.concept.id == "president-of-kazakhstan"
    assert inflected.how == "inflected" and partial.how == "partial"
    assert partial.score < shipped_index.lookup("Tokaev")[0].score < inflected.score
    # The more of a term the query covers, the higher: "nükleer santral" (1 of 2 words) before 1 of 3.
    ranked = shipped_index.lookup("ortaklık")
    assert ranked[0].concept.id == "strategic-partnership"
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


def test_lang_limits_every_tier(shipped_index) -> None:
    assert [m.concept.id for m in shipped_index.lookup("Tokaev", lang="ru")] == ["tokayev"]
    assert shipped_index.lookup("santral", lang="en") == []


@pytest.mark.parametrize(
    ("spellings", "same"),
    [
        (["Tokayev", "Tokaev", "Токаев"], True),
        (["Kassym-Jomart", "Kasym-Zhomart", "Касым-Жомарт", "Kasım Comart"], True),
        (["Shoigu", "Şoygu", "Шойгу"], True),
        (["Yeltsin", "Ельцин"], True),
        (["Zelensky", "Zelenskiy", "Зеленский"], True),
        (["Khrushchev", "Хрущёв"], True),
        (["Tokayev", "Tokarev"], False),
        (["Putin", "Pushkin"], False),
    ],
)
def test_transliteration_skeleton(spellings: list[str], same: bool) -> None:
    assert (len({skeleton(s) for s in spellings}) == 1) is same


# --------------------------------------------------------------------------- precision: nothing for non-terms

# Everyday words and names that are no word of any term in the shipped glossary, in all three languages.
NOT_TERMS = {
    "tr": """ekonomi toplantı bakan hükümet şehir okul kitap masa ev araba yol dağ nehir göl orman hava yağmur kar
        güneş ay yıl gün hafta saat dakika insan çocuk kadın erkek aile arkadaş öğretmen doktor hastane ilaç fiyat
        alışveriş ekmek çay kahve yemek sofra kapı pencere duvar oda mutfak banyo bahçe çiçek ağaç kuş kedi köpek at
        inek koyun tavuk balık futbol maç takım oyuncu gol hakem stadyum seçim oy parti meclis yasa mahkeme hakim
        avukat polis asker savaş barış anlaşma görüşme açıklama haber gazete televizyon radyo internet telefon
        bilgisayar yazılım program proje plan bütçe vergi ihracat ithalat üretim fabrika işçi maaş emekli sağlık
        eğitim üniversite öğrenci sınav ders tarih coğrafya matematik fizik kimya biyoloji sanat müzik film tiyatro
        kültür spor turizm otel uçak tren otobüs gemi liman havalimanı köprü tünel bina inşaat konut kira tarım
        buğday pamuk zeytin Ankara İzmir Bursa Antalya Erdoğan Almanya Fransa Çin Japonya Amerika NATO ABD AB BM
        Özbekistan Kırgızistan Tokarev Putinov Kazan Moskvich Astanalı Kremlinli bakanlık görüştü imzaladı
        belirtti açıkladı katıldı ve ile bir""",
    "en": """economy meeting minister government city school book table house car road mountain river lake forest
        weather rain snow sun moon year day week hour minute human child woman man family friend teacher doctor
        hospital medicine money price shopping bread tea coffee food door window wall room kitchen garden flower
        tree bird cat dog horse fish football match team player goal referee election vote parliament law court
        judge lawyer police soldier war peace agreement statement news newspaper television radio internet phone
        computer software program project budget tax export import production factory worker salary pension health
        education university student exam history art music film theatre culture sport tourism hotel plane train
        bus ship port airport bridge tunnel building rent agriculture wheat cotton olive Paris London Berlin
        Beijing Tokyo Washington Merkel Macron Biden Tokarev Kazan Minsk Kiev Tashkent Bishkek of the and""",
    "ru": """экономика встреча министр правительство город школа книга стол дом машина дорога гора река озеро лес
        погода дождь снег солнце луна год день неделя час минута ребёнок женщина мужчина семья друг учитель врач
        больница лекарство деньги цена хлеб чай кофе еда дверь окно стена комната кухня сад цветок дерево птица
        кошка собака лошадь рыба футбол матч команда игрок гол судья выборы голос парламент закон суд адвокат
        полиция солдат война мир соглашение заявление новости газета телевидение радио интернет телефон компьютер
        программа проект бюджет налог экспорт импорт производство завод рабочий зарплата пенсия здоровье
        образование университет студент экзамен история искусство музыка фильм театр культура спорт туризм
        гостиница самолёт поезд автобус корабль порт аэропорт мост туннель здание аренда пшеница хлопок Париж
        Лондон Берлин Пекин Токио Вашингтон Минск Киев Ташкент Бишкек Токарев Пушкин люди детей времени людьми
        детьми и в на""",
}


def test_hundreds_of_non_terms_find_nothing(shipped_index) -> None:
    queries = [(lang, word) for lang, text in NOT_TERMS.items() for word in text.split()]
    assert len(queries) > 400
    wrong = {f"{lang}:{word}": [m.concept.id for m in shipped_index.lookup(word)] for lang, word in queries}
    assert {query: found for query, found in wrong.items() if found} == {}


def test_the_precision_list_is_not_trivially_empty(shipped_index) -> None:
    # The same machinery does find words that are part of terms, so an empty answer above means something.
    for word in ("deniz", "para", "pazar", "market", "enerji", "союз"):
        assert shipped_index.lookup(word), word


# --------------------------------------------------------------------------- Russian forms no rule reaches

IRREGULAR = [
    Concept("person", {"ru": (Term("человек", "ru"),), "en": (Term("person", "en"),)}),
    Concept("children", {"ru": (Term("дети", "ru"),), "en": (Term("children", "en"),)}),
    Concept("time", {"ru": (Term("время", "ru"),), "en": (Term("time", "en"),)}),
    Concept("year", {"ru": (Term("год", "ru"),), "en": (Term("year", "en"),)}),
    Concept("mother", {"ru": (Term("мать", "ru"),), "en": (Term("mother", "en"),)}),
    Concept("name", {"ru": (Term("имя", "ru"),), "en": (Term("name", "en"),)}),
    Concept("time-zone", {"ru": (Term("часовой пояс", "ru"),), "en": (Term("time zone", "en"),)}),
    Concept("house", {"ru": (Term("дом", "ru"),), "en": (Term("house", "en"),)}),
]


@pytest.fixture(scope="module")
def irregular() -> TermIndex:
    return TermIndex.build(IRREGULAR)


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("люди", "person"),
        ("людей", "person"),
        ("людям", "person"),
        ("человека", "person"),
        ("детей", "children"),
        ("детьми", "children"),
        ("ребёнка", "children"),
        ("времени", "time"),
        ("временами", "time"),
        ("лет", "year"),
        ("матери", "mother"),
        ("имени", "name"),
        ("именами", "name"),
        ("часовых поясов", "time-zone"),
    ],
)
def test_irregular_russian_forms_find_their_concept(irregular: TermIndex, query: str, concept: str) -> None:
    assert [m.concept.id for m in irregular.lookup(query)] == [concept]


@pytest.mark.parametrize("query", ["домен", "матрас", "летом", "имение", "детский", "временный", "годный", "люк"])
def test_lookalikes_of_irregular_forms_find_nothing(irregular: TermIndex, query: str) -> None:
    assert irregular.lookup(query) == []
