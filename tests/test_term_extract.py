"""Term candidates: acronym/expansion pairs (Schwartz & Hearst, Turkish-aware) and repeated names."""

from __future__ import annotations

import re

import pytest

from conftest import ARTICLE
from kervan.sources import read_document
from kervan.terms import Candidate, TermIndex, extract_candidates
from test_lookup import CONCEPTS


@pytest.fixture(scope="module")
def article_text() -> str:
    document = read_document(ARTICLE, lang="tr")
    return "\n".join(p.text for p in document.all_paragraphs())


def by_text(found: list[Candidate]) -> dict[str, Candidate]:
    return {c.text: c for c in found}


def standalone(word: str, text: str) -> int:
    """How often `word` stands as a word of its own (an apostrophe suffix may follow, a hyphen may not)."""
    return len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text))


def test_article_acronyms(article_text: str) -> None:
    found = by_text(extract_candidates(article_text, "tr"))
    assert found["AEB"].kind == "acronym"
    assert found["AEB"].expansion == "Avrasya Ekonomik Birliği"
    assert found["BDT"].expansion == "Bağımsız Devletler Topluluğu"
    assert found["AEB"].count == standalone("AEB", article_text)
    acronyms = [c.text for c in extract_candidates(article_text, "tr") if c.kind == "acronym"]
    assert acronyms == ["BDT", "AEB"]  # in order of appearance


def test_article_names(article_text: str) -> None:
    found = by_text(extract_candidates(article_text, "tr"))
    for name in ("Tokayev", "Kazakistan", "Rusya", "Moskova", "Astana", "Putin"):
        assert found[name].kind == "name"
        assert found[name].count >= 2
        assert found[name].expansion is None
    # Every standalone occurrence counts, suffixed ("Rusya'ya", "Kazakistan’da") or not.
    for name in ("Rusya", "Kazakistan", "Tokayev", "Moskova"):
        assert found[name].count == standalone(name, article_text), name
    # Sentence-initial words never seen capitalised in mid-sentence are not names; months are not either.
    for word in ("Taraflar", "Liderler", "Bu", "İki", "Kasım"):
        assert word not in found
    # Names are ordered by count.
    names = [c for c in extract_candidates(article_text, "tr") if c.kind == "name"]
    assert [c.count for c in names] == sorted((c.count for c in names), reverse=True)
    assert names[0].text == "Rusya"


def test_known_concepts(article_text: str, shipped_index: TermIndex) -> None:
    found = by_text(extract_candidates(article_text, "tr", shipped_index))
    assert found["AEB"].known_concept == "eaeu"
    assert found["BDT"].known_concept == "cis"
    assert found["Rusya"].known_concept == "russia"
    assert found["Tokayev"].known_concept == "tokayev"
    assert found["Tokayev"].known
    # Without an index nothing is known.
    assert not any(c.known for c in extract_candidates(article_text, "tr"))


def test_unknown_candidates_stay_unknown() -> None:
    index = TermIndex.build(CONCEPTS)
    text = "Şanghay İşbirliği Örgütü (ŞİÖ) toplandı. Ali Veli geldi, Ali Veli gitti."
    found = by_text(extract_candidates(text, "tr", index))
    assert found["ŞİÖ"].known_concept is None
    assert found["Ali Veli"].known_concept is None


@pytest.mark.parametrize(
    ("text", "lang", "acronym", "expansion"),
    [
        ("Avrasya Ekonomik Birliği (AEB)’nin toplantısı yapıldı.", "tr", "AEB", "Avrasya Ekonomik Birliği"),
        ("Taraflar, Avrasya Ekonomik Birliği (AEB) çerçevesinde", "tr", "AEB", "Avrasya Ekonomik Birliği"),
        ("Avrupa İnsan Hakları Mahkemesi (AİHM) karar verdi.", "tr", "AİHM", "Avrupa İnsan Hakları Mahkemesi"),
        ("Şanghay İşbirliği Örgütü (ŞİÖ) toplandı.", "tr", "ŞİÖ", "Şanghay İşbirliği Örgütü"),
        ("Türkiye Büyük Millet Meclisi (TBMM) açıldı.", "tr", "TBMM", "Türkiye Büyük Millet Meclisi"),
        (
            "Лидеры Евразийского экономического союза (ЕАЭС) встретились.",
            "ru",
            "ЕАЭС",
            "Евразийского экономического союза",
        ),
        ("Содружества Независимых Государств (СНГ)", "ru", "СНГ", "Содружества Независимых Государств"),
        ("the Commonwealth of Independent States (CIS) met", "en", "CIS", "Commonwealth of Independent States"),
        ("NATO (North Atlantic Treaty Organization) met", "en", "NATO", "North Atlantic Treaty Organization"),
    ],
)
def test_acronym_pairs(text: str, lang: str, acronym: str, expansion: str) -> None:
    (candidate,) = [c for c in extract_candidates(text, lang) if c.kind == "acronym"]
    assert (candidate.text, candidate.expansion, candidate.count) == (acronym, expansion, 1)


@pytest.mark.parametrize(
    "text",
    [
        "Toplantıya katılan ülkeler (ABD) vardı.",  # the letters do not spell the acronym
        "Kuzey Atlantik Antlaşması Örgütü (NATO) toplandı.",  # Turkish words, English acronym
        "Yıl (2025) ve şehir (Moskova) parantez içinde.",
        "Ekonomik Birliği, Avrasya (AEB)",  # the expansion must end at the parenthesis, in the same clause
    ],
)
def test_no_false_pairs(text: str) -> None:
    assert [c for c in extract_candidates(text, "tr") if c.expansion] == []


def test_repeated_acronym_without_expansion() -> None:
    found = by_text(extract_candidates("NATO açıklama yaptı. NATO’nun sözcüsü konuştu. ABD sustu.", "tr"))
    assert (found["NATO"].kind, found["NATO"].count, found["NATO"].expansion) == ("acronym", 2, None)
    assert "ABD" not in found  # seen once


def test_sentence_initial_words() -> None:
    text = "Taraflar anlaştı. Taraflar imzaladı. Moskova ve Astana. Tokayev Moskova'ya gitti."
    found = by_text(extract_candidates(text, "tr"))
    assert "Taraflar" not in found
    assert found["Moskova"].count == 2  # initial once, but also capitalised in mid-sentence
    assert "Tokayev" not in found  # only ever first in a sentence, and seen once


def test_periods_that_end_no_sentence() -> None:
    text = "Dr. Ahmet Yılmaz geldi. Ahmet Yılmaz gitti. İki lider 21. Rusya-Kazakistan Forumu’na katıldı."
    found = by_text(extract_candidates(text, "tr", min_count=1))
    assert found["Ahmet Yılmaz"].count == 2
    assert "Rusya-Kazakistan Forumu" in found  # a hyphenated word stays one word
    assert "İki" not in found


def test_names_with_connectors_and_hyphens() -> None:
    text = (
        "Kassym-Jomart Tokayev met the Bank of Russia. Later Kassym-Jomart Tokayev and the Bank of Russia spoke; "
        "Russia and Kazakhstan agreed with Russia."
    )
    found = by_text(extract_candidates(text, "en"))
    assert found["Kassym-Jomart Tokayev"].count == 2
    assert found["Bank of Russia"].count == 2
    assert found["Russia"].count == 4
    assert "Russia and Kazakhstan" not in found


def test_min_count() -> None:
    text = "Bugün Astana ile Moskova görüştü."
    assert extract_candidates(text, "tr") == []
    assert {c.text for c in extract_candidates(text, "tr", min_count=1)} == {"Astana", "Moskova"}


def test_russian_names_count_all_their_forms() -> None:
    text = (
        "Переговоры прошли в Москве. Лидеры России и Казахстана встретились; "
        "Россия и Казахстан подписали декларацию, а в Москву прибыл Токаев. "
        "Сотрудничество с Россией и Казахстаном растёт, сказал Токаев в Москве."
    )
    found = by_text(extract_candidates(text, "ru"))
    # Shown in the form closest to a nominative that the text has ("Москва" itself never occurs).
    forms = {"Россия": "Росси", "Казахстан": "Казахстан", "Москве": "Москв", "Токаев": "Токаев"}
    for name, stem in forms.items():
        assert found[name].count == len(re.findall(rf"\b{stem}\w*", text)), name
    assert {"России", "Россией", "Казахстана", "Москву"}.isdisjoint(found)
