"""TermIndex.scan: offsets into the original text, word boundaries, leftmost-longest, abbreviation case."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ARTICLE
from kervan.model import Concept, Term
from kervan.terms import Occurrence, TermIndex
from test_lookup import CONCEPTS, concept

TEXT = ARTICLE.read_text(encoding="utf-8")


def pairs(found: list[Occurrence]) -> list[tuple[str, str]]:
    return [(o.text, o.concept.id) for o in found]


def assert_well_formed(text: str, found: list[Occurrence]) -> None:
    """Spans are exact slices, in order, never overlapping, and start and end on word boundaries."""
    previous_end = -1
    for occ in found:
        assert text[occ.start : occ.end] == occ.text
        assert occ.start >= previous_end
        assert occ.start == 0 or not text[occ.start - 1].isalnum()
        assert occ.end == len(text) or not text[occ.end].isalnum()
        previous_end = occ.end


def word_count(word: str, text: str) -> int:
    """Occurrences of a word not joined to other letters (an apostrophe suffix or a hyphen may follow)."""
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text))


# ---------------------------------------------------------------------------------------------- the article


def test_article(index: TermIndex) -> None:
    found = index.scan(TEXT, "tr")
    assert_well_formed(TEXT, found)
    got = pairs(found)
    for expected in [
        ("Avrasya Ekonomik Birliği", "eaeu"),
        ("AEB", "eaeu"),
        ("Bağımsız Devletler Topluluğu", "cis"),
        ("BDT", "cis"),
        ("Avrasya’da", "eurasia"),
        ("Hazar Denizi’nin", "caspian"),
        ("Baykonur Uzay Üssü’nde", "baikonur"),
        ("Moskova’ya", "moscow"),
        ("Kazakistan’da", "kazakhstan"),
        ("Rusya'ya", "russia"),
        ("Kremlin'de", "kremlin"),
        ("Rusça’nın", "russian-language"),
        ("Vladimir Putin’e", "putin"),
        ("Putin", "putin"),
        ("Kasım Cömert Tokayev", "tokayev"),
        ("nükleer enerji santrali", "npp"),
        ("ulusal para birimlerinin", "currencies"),
        ("iş birliğini", "cooperation"),
        ("iş birliğinin", "cooperation"),
        ("işbirliğini", "cooperation"),
        ("İş Birliği", "cooperation"),
        ("kapsamlı stratejik ortaklık", "partnership"),
        ("Bildirgesi’nin", "declaration"),
        ("ortak pazarların", "market"),
    ]:
        assert expected in got, expected
    # "Avrasya" inside "Avrasya Ekonomik Birliği" is not Eurasia; "Rusya" inside "Rusyalı" would not be Russia.
    assert got.count(("Avrasya’da", "eurasia")) == len([p for p in got if p[1] == "eurasia"]) == 1
    assert ("Avrasya", "eurasia") not in got
    # Every standalone "Rusya" and every "Tokayev" (alone or in the full name) is found once.
    assert len([p for p in got if p[1] == "russia"]) == word_count("Rusya", TEXT)
    assert len([p for p in got if p[1] == "tokayev"]) == word_count("Tokayev", TEXT)
    # "çok kutuplu bir dünya düzeninin": the article puts "bir" inside the term, so it is not the term.
    assert "world-order" not in {p[1] for p in got}


def test_article_with_the_shipped_glossary(shipped_index: TermIndex) -> None:
    found = shipped_index.scan(TEXT, "tr")
    assert_well_formed(TEXT, found)
    got = pairs(found)
    for expected in [
        ("Kazakistan Cumhurbaşkanı", "president-of-kazakhstan"),
        ("Rusya Devlet Başkanı", "president-of-russia"),
        ("Kapsamlı Stratejik Ortaklık ve Müttefiklik Bildirgesi’nin", "declaration-on-partnership-and-alliance"),
        ("Stratejik Ortaklık Bildirgesi’ni", "declaration-on-partnership-and-alliance"),
        ("Rusya-Kazakistan Bölgelerarası İş Birliği Forumu’nun", "russia-kazakhstan-interregional-cooperation-forum"),
        ("devletlerarası iletişim dili", "language-of-interstate-communication"),
        ("stratejik ortaklığın", "strategic-partnership"),
        ("genel oturumuna", "plenary-session"),
        ("su seviyesindeki", "water-level"),
        ("rekabet gücünün", "competitiveness"),
        ("AEB", "eaeu"),
        ("BDT", "cis"),
    ]:
        assert expected in got, expected
    # Leftmost-longest: the forum is one occurrence, not also Russia, Kazakhstan and cooperation.
    forum = next(o for o in found if o.concept.id == "russia-kazakhstan-interregional-cooperation-forum")
    assert not [o for o in found if o is not forum and forum.start <= o.start < forum.end]


def test_overlapping_terms_on_request(shipped_index: TermIndex) -> None:
    plain = pairs(shipped_index.scan(TEXT, "tr"))
    both = shipped_index.scan(TEXT, "tr", overlapping=True)
    assert ("eşit ve bölünmez güvenlik", "equal-and-indivisible-security") in plain
    assert ("güvenlik mimarisinin", "security-architecture") not in plain
    assert ("güvenlik mimarisinin", "security-architecture") in pairs(both)
    assert set(plain) <= set(pairs(both))
    # Nested terms stay hidden: "Avrasya" inside the EAEU, "Rusya" inside the forum.
    assert ("Avrasya", "eurasia") not in pairs(both)
    for occ in both:
        assert TEXT[occ.start : occ.end] == occ.text


# ---------------------------------------------------------------------------------------------- Russian


def test_russian_eaeu_is_not_a_power_plant(index: TermIndex) -> None:
    text = (
        "Государства — члены ЕАЭС обсудили строительство АЭС в Казахстане. "
        "В рамках Евразийского экономического союза (ЕАЭС) и Содружества Независимых Государств (СНГ) "
        "стороны договорились об атомной электростанции на Каспийском море; еаэс и аэс строчными не в счёт."
    )
    found = index.scan(text, "ru")
    assert_well_formed(text, found)
    assert pairs(found) == [
        ("ЕАЭС", "eaeu"),
        ("АЭС", "npp"),
        ("Казахстане", "kazakhstan"),
        ("Евразийского экономического союза", "eaeu"),
        ("ЕАЭС", "eaeu"),
        ("Содружества Независимых Государств", "cis"),
        ("СНГ", "cis"),
        ("атомной электростанции", "npp"),
        ("Каспийском море", "caspian"),
    ]


def test_russian_abbreviation_with_case_ending() -> None:
    index = TermIndex.build([concept("mfa", ru=[("МИД", "abbreviation", "preferred")])])
    assert pairs(index.scan("Глава МИДа и сотрудники МИД; мида нет.", "ru")) == [("МИДа", "mfa"), ("МИД", "mfa")]


# ---------------------------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AEB’nin kararı", [("AEB’nin", "eaeu")]),
        ("AEB'ye göre", [("AEB'ye", "eaeu")]),
        ("AEB", [("AEB", "eaeu")]),
        ("aeb ve Aeb değil", []),
        ("AEBnin yazımı yanlış", []),
        ("ABD'nin ve NATO'nun", []),
        ("Rusyalı yetkililer", []),
        ("Moskovada", []),  # a one-word name takes its suffix after an apostrophe in running text
        ("Rusya", [("Rusya", "russia")]),
        ("RUSYA’NIN", [("RUSYA’NIN", "russia")]),
        ("Avrasya, Ekonomik Birliği", [("Avrasya", "eurasia")]),
        ("Avrasya  Ekonomik\u00a0Birliği", [("Avrasya  Ekonomik\u00a0Birliği", "eaeu")]),
        ("Hazar. Denizi", []),
        ("Hazar\nDenizi", [("Hazar\nDenizi", "caspian")]),  # a wrapped line
        ("Hazar\n\nDenizi", []),  # a new paragraph
        ("Rusya-Kazakistan", [("Rusya", "russia"), ("Kazakistan", "kazakhstan")]),
        ("iş birlikleri", [("iş birlikleri", "cooperation")]),
        ("Avrasya Ekonomik Birlikte", [("Avrasya", "eurasia")]),
        ("", []),
    ],
)
def test_rules(index: TermIndex, text: str, expected: list[tuple[str, str]]) -> None:
    found = index.scan(text, "tr")
    assert_well_formed(text, found)
    assert pairs(found) == expected


def test_english(index: TermIndex) -> None:
    text = "The EAEU's members, the Eurasian Economic Union's council and eaeu in lower case; nuclear power plants."
    assert pairs(index.scan(text, "en")) == [
        ("EAEU's", "eaeu"),
        ("Eurasian Economic Union's", "eaeu"),
        ("nuclear power plants", "npp"),
    ]


def test_unknown_language_and_combining_marks(index: TermIndex) -> None:
    assert index.scan("Rusya", "de") == []
    decomposed = "I\u0307stanbul’da"  # İ typed as I + combining dot above
    assert pairs(index.scan(decomposed, "tr")) == [(decomposed, "istanbul")]


def test_same_length_prefers_the_uninflected_reading() -> None:
    index = TermIndex.build([concept("unity-of", tr=["birliği"]), concept("union", tr=["birlik"])])
    assert pairs(index.scan("birliği", "tr")) == [("birliği", "unity-of")]
    assert pairs(index.scan("birlikte", "tr")) == [("birlikte", "union")]


def test_same_letters_win_over_folded_ones() -> None:
    # "Çin" (China) and "Cin" (a jinn) fold to the same key; the spelling in the text decides.
    index = TermIndex.build([concept("jinn", tr=["Cin"]), concept("china", tr=["Çin"])])
    assert pairs(index.scan("Çin’in ve Cin’in", "tr")) == [("Çin’in", "china"), ("Cin’in", "jinn")]
    assert [m.concept.id for m in index.lookup("Çin’e")] == ["china", "jinn"]


def test_scan_returns_the_caller_s_objects(index: TermIndex) -> None:
    (occ,) = index.scan("AEB’nin", "tr")
    assert occ.concept is CONCEPTS[0]
    assert occ.term is CONCEPTS[0].terms["tr"][1]


# ---------------------------------------------------------------------------------------------- properties

_ALPHABET = st.sampled_from([*"abcçdeğhıiklmnoöprsştuüyzABCİIŞÖÜ АЭСЕаэсе'’-.,()\n", "Rusya", "AEB", " "])


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_any_text_gives_well_formed_spans(text: str) -> None:
    index = TermIndex.build(CONCEPTS)
    for lang in ("tr", "ru", "en"):
        assert_well_formed(text, index.scan(text, lang))


_TERMS = [(c, t) for c in CONCEPTS for lang in ("tr", "ru") for t in c.terms.get(lang, ()) if t.status != "deprecated"]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_TERMS),
    st.lists(st.integers(0, 999).map(str), max_size=3).map(" ".join),
    st.lists(st.integers(0, 999).map(str), max_size=3).map(" ".join),
    st.booleans(),
)
def test_a_term_in_any_context_is_found(picked: tuple[Concept, Term], left: str, right: str, suffix: bool) -> None:
    chosen, term = picked
    written = term.text + ("’nin" if suffix and term.lang == "tr" else "")
    text = f"{left} {written}, {right}"
    found = TermIndex.build(CONCEPTS).scan(text, term.lang)
    start = len(left) + 1
    # The span covers words: a closing quote after the last word ("космодром «Байконур»") stays outside.
    end = start + len(written.rstrip("»"))
    assert (start, end, chosen.id) in [(o.start, o.end, o.concept.id) for o in found]
