"""TermIndex.lookup: exact > normalized > inflected > fuzzy, Turkish case rules, and no wrong answers.

`CONCEPTS` (built here from model objects) is shared with test_scan.py and test_term_extract.py.
"""

from __future__ import annotations

import os
import pickle
import shutil
import types
from pathlib import Path

import pytest

from kervan.errors import KervanError
from kervan.formats.tbx import read_tbx
from kervan.model import Concept, Term
from kervan.terms import TermIndex
from kervan.text import APOSTROPHES


def concept(cid: str, **langs: list[str | tuple[str, str, str]]) -> Concept:
    """A concept from plain strings (preferred full forms) or (text, kind, status) triples."""
    terms = {}
    for lang, items in langs.items():
        terms[lang] = tuple(
            Term(item, lang) if isinstance(item, str) else Term(item[0], lang, item[1], item[2])  # type: ignore[arg-type]
            for item in items
        )
    return Concept(cid, terms)


ABBR = ("abbreviation", "preferred")
SHORT = ("variant", "admitted")

CONCEPTS = [
    concept(
        "eaeu",
        en=["Eurasian Economic Union", ("EAEU", *ABBR)],
        tr=["Avrasya Ekonomik Birliği", ("AEB", *ABBR)],
        ru=["Евразийский экономический союз", ("ЕАЭС", *ABBR)],
    ),
    concept(
        "cis",
        en=["Commonwealth of Independent States", ("CIS", *ABBR)],
        tr=["Bağımsız Devletler Topluluğu", ("BDT", *ABBR)],
        ru=["Содружество Независимых Государств", ("СНГ", *ABBR)],
    ),
    concept("kazakhstan", en=["Kazakhstan"], tr=["Kazakistan"], ru=["Казахстан"]),
    concept("russia", en=["Russia"], tr=["Rusya"], ru=["Россия"]),
    concept("moscow", en=["Moscow"], tr=["Moskova"], ru=["Москва"]),
    concept("astana", en=["Astana"], tr=["Astana"], ru=["Астана"]),
    concept("kremlin", en=["Kremlin"], tr=["Kremlin"], ru=["Кремль"]),
    concept("eurasia", en=["Eurasia"], tr=["Avrasya"], ru=["Евразия"]),
    concept("istanbul", en=["Istanbul"], tr=["İstanbul"], ru=["Стамбул"]),
    concept("caspian", en=["Caspian Sea"], tr=["Hazar Denizi"], ru=["Каспийское море"]),
    concept("baikonur", en=["Baikonur Cosmodrome"], tr=["Baykonur Uzay Üssü"], ru=["космодром «Байконур»"]),
    concept(
        "tokayev",
        en=["Kassym-Jomart Tokayev", ("Tokayev", *SHORT)],
        tr=["Kasım Cömert Tokayev", ("Tokayev", *SHORT)],
        ru=["Касым-Жомарт Токаев", ("Токаев", *SHORT)],
    ),
    concept(
        "putin",
        en=["Vladimir Putin", ("Putin", *SHORT)],
        tr=["Vladimir Putin", ("Putin", *SHORT)],
        ru=["Владимир Путин", ("Путин", *SHORT)],
    ),
    concept(
        "npp",
        en=["nuclear power plant", ("NPP", *ABBR)],
        tr=["nükleer enerji santrali"],
        ru=["атомная электростанция", ("АЭС", *ABBR)],
    ),
    concept("russian-language", en=["Russian language"], tr=["Rusça"], ru=["русский язык"]),
    concept(
        "cooperation",
        en=["cooperation", ("co-operation", *SHORT)],
        tr=["iş birliği", ("işbirliği", *SHORT)],
        ru=["сотрудничество"],
    ),
    concept(
        "partnership",
        en=["comprehensive strategic partnership"],
        tr=["kapsamlı stratejik ortaklık"],
        ru=["всеобъемлющее стратегическое партнёрство"],
    ),
    concept(
        "world-order",
        en=["multipolar world order"],
        tr=["çok kutuplu dünya düzeni"],
        ru=["многополярный мировой порядок"],
    ),
    concept("currencies", en=["national currencies"], tr=["ulusal para birimleri"], ru=["национальные валюты"]),
    concept("declaration", en=["declaration"], tr=["Bildirge"], ru=["декларация"]),
    concept("market", en=["common market"], tr=["ortak pazar"], ru=["общий рынок"]),
    concept("deprecated-only", tr=[("Kazakistan Cumhuriyeti", "fullForm", "deprecated")]),
]


def ids(found: list) -> list[str]:
    return [m.concept.id for m in found]


def top(index: TermIndex, query: str, lang: str | None = None) -> tuple[str, str, str]:
    found = index.lookup(query, lang)
    assert found, f"nothing found for {query!r}"
    return found[0].concept.id, found[0].how, found[0].matched.text


# ---------------------------------------------------------------------------------------------- tiers


def test_exact_match_as_typed(index: TermIndex) -> None:
    found = index.lookup("Rusya")
    assert [(m.concept.id, m.how, m.score, m.matched.text) for m in found] == [("russia", "exact", 1.0, "Rusya")]


def test_exact_match_is_not_also_fuzzy_elsewhere(index: TermIndex) -> None:
    for query in ("Kazakistan", "Kazakhstan", "Avrasya Ekonomik Birliği", "Eurasian Economic Union"):
        found = index.lookup(query)
        assert found[0].how == "exact"
        assert all(m.how != "fuzzy" for m in found), query


@pytest.mark.parametrize(
    ("query", "expected", "matched"),
    [
        ("BAĞIMSIZ DEVLETLER TOPLULUĞU", "cis", "Bağımsız Devletler Topluluğu"),
        ("bağımsız devletler topluluğu", "cis", "Bağımsız Devletler Topluluğu"),
        ("aeb", "eaeu", "AEB"),
        ("еаэс", "eaeu", "ЕАЭС"),
        ("Avrasya Ekonomik Birligi", "eaeu", "Avrasya Ekonomik Birliği"),
        ("Bagimsiz Devletler Toplulugu", "cis", "Bağımsız Devletler Topluluğu"),
        ("isbirligi", "cooperation", "işbirliği"),
        ("is birligi", "cooperation", "iş birliği"),
        ("  Hazar   Denizi  ", "caspian", "Hazar Denizi"),
        ("«Каспийское море»", "caspian", "Каспийское море"),
        ("Kassym Jomart Tokayev", "tokayev", "Kassym-Jomart Tokayev"),
        ("всеобъемлющее стратегическое партнерство", "partnership", "всеобъемлющее стратегическое партнёрство"),
    ],
)
def test_normalized(index: TermIndex, query: str, expected: str, matched: str) -> None:
    assert top(index, query) == (expected, "normalized", matched)


@pytest.mark.parametrize("query", ["ıstanbul", "İSTANBUL", "ISTANBUL", "istanbul"])
def test_turkish_dotted_and_dotless_i(index: TermIndex, query: str) -> None:
    assert top(index, query, "tr") == ("istanbul", "normalized", "İstanbul")


def test_case_only_scores_above_diacritics(index: TermIndex) -> None:
    case_only = index.lookup("AVRASYA EKONOMİK BİRLİĞİ")[0]
    folded = index.lookup("Avrasya Ekonomik Birligi")[0]
    assert case_only.how == folded.how == "normalized"
    assert 1.0 > case_only.score > folded.score


@pytest.mark.parametrize(
    ("query", "expected", "matched"),
    [
        ("AEB'nin", "eaeu", "AEB"),
        ("AEB’ye", "eaeu", "AEB"),
        ("AEB’de", "eaeu", "AEB"),
        ("Avrasya Ekonomik Birliği’nin", "eaeu", "Avrasya Ekonomik Birliği"),
        ("Avrasya Ekonomik Birliğinin", "eaeu", "Avrasya Ekonomik Birliği"),
        ("Avrasya Ekonomik Birligi'ne", "eaeu", "Avrasya Ekonomik Birliği"),
        ("AVRASYA EKONOMİK BİRLİĞİ’NİN", "eaeu", "Avrasya Ekonomik Birliği"),
        ("Bağımsız Devletler Topluluğu’nun", "cis", "Bağımsız Devletler Topluluğu"),
        ("BDT’ye", "cis", "BDT"),
        ("Putin’e", "putin", "Putin"),
        ("Vladimir Putin’le", "putin", "Vladimir Putin"),
        ("Rusya'ya", "russia", "Rusya"),
        ("Rusyaya", "russia", "Rusya"),
        ("Rusya’daki", "russia", "Rusya"),
        ("Moskova’ya", "moscow", "Moskova"),
        ("Kazakistan’da", "kazakhstan", "Kazakistan"),
        ("Kazakistan’dan", "kazakhstan", "Kazakistan"),
        ("Kremlin'de", "kremlin", "Kremlin"),
        ("Hazar Denizi’ndeki", "caspian", "Hazar Denizi"),
        ("Hazar Denizi’nin", "caspian", "Hazar Denizi"),
        ("Baykonur Uzay Üssü’nde", "baikonur", "Baykonur Uzay Üssü"),
        ("Bildirgesi’nin", "declaration", "Bildirge"),
        ("bildirgenin", "declaration", "Bildirge"),
        ("nükleer enerji santralinin", "npp", "nükleer enerji santrali"),
        ("nükleer enerji santralleri", "npp", "nükleer enerji santrali"),
        ("iş birliğini", "cooperation", "iş birliği"),
        ("iş birliğinin", "cooperation", "iş birliği"),
        ("işbirliğini", "cooperation", "işbirliği"),
        ("is birligini", "cooperation", "iş birliği"),
        ("çok kutuplu dünya düzeninin", "world-order", "çok kutuplu dünya düzeni"),
        ("ulusal para birimlerinin", "currencies", "ulusal para birimleri"),
        ("kapsamlı stratejik ortaklığın", "partnership", "kapsamlı stratejik ortaklık"),
        ("kapsamlı stratejik ortaklığı", "partnership", "kapsamlı stratejik ortaklık"),
        ("ortak pazarların", "market", "ortak pazar"),
        ("Rusça’nın", "russian-language", "Rusça"),
        ("Rusçanın", "russian-language", "Rusça"),
        ("Tokayev’in", "tokayev", "Tokayev"),
    ],
)
def test_inflected_turkish(index: TermIndex, query: str, expected: str, matched: str) -> None:
    assert top(index, query) == (expected, "inflected", matched)


@pytest.mark.parametrize("apostrophe", list(APOSTROPHES))
def test_every_apostrophe_variant(index: TermIndex, apostrophe: str) -> None:
    assert top(index, f"AEB{apostrophe}nin") == ("eaeu", "inflected", "AEB")
    assert top(index, f"Hazar Denizi{apostrophe}nde") == ("caspian", "inflected", "Hazar Denizi")


@pytest.mark.parametrize(
    ("query", "expected", "matched"),
    [
        ("Евразийского экономического союза", "eaeu", "Евразийский экономический союз"),
        ("Евразийским экономическим союзом", "eaeu", "Евразийский экономический союз"),
        ("Евразийском экономическом союзе", "eaeu", "Евразийский экономический союз"),
        ("Содружества Независимых Государств", "cis", "Содружество Независимых Государств"),
        ("Содружеству Независимых Государств", "cis", "Содружество Независимых Государств"),
        ("Каспийском море", "caspian", "Каспийское море"),
        ("Каспийского моря", "caspian", "Каспийское море"),
        ("России", "russia", "Россия"),
        ("Россией", "russia", "Россия"),
        ("Россию", "russia", "Россия"),
        ("Москве", "moscow", "Москва"),
        ("Москвы", "moscow", "Москва"),
        ("Казахстаном", "kazakhstan", "Казахстан"),
        ("Казахстане", "kazakhstan", "Казахстан"),
        ("Кремле", "kremlin", "Кремль"),
        ("атомной электростанции", "npp", "атомная электростанция"),
        ("атомных электростанций", "npp", "атомная электростанция"),
        ("сотрудничества", "cooperation", "сотрудничество"),
        ("сотрудничестве", "cooperation", "сотрудничество"),
        ("национальных валют", "currencies", "национальные валюты"),
        ("национальными валютами", "currencies", "национальные валюты"),
        ("Владимира Путина", "putin", "Владимир Путин"),
        ("Путиным", "putin", "Путин"),
        ("Касым-Жомарта Токаева", "tokayev", "Касым-Жомарт Токаев"),
        ("общего рынка", "market", "общий рынок"),
        ("космодроме «Байконур»", "baikonur", "космодром «Байконур»"),
        ("многополярного мирового порядка", "world-order", "многополярный мировой порядок"),
    ],
)
def test_inflected_russian(index: TermIndex, query: str, expected: str, matched: str) -> None:
    assert top(index, query) == (expected, "inflected", matched)


@pytest.mark.parametrize(
    ("query", "expected", "matched"),
    [
        ("EAEU's", "eaeu", "EAEU"),
        ("EAEU’s", "eaeu", "EAEU"),
        ("Eurasian Economic Union's", "eaeu", "Eurasian Economic Union"),
        ("Russia's", "russia", "Russia"),
        ("nuclear power plants", "npp", "nuclear power plant"),
        ("national currency", "currencies", "national currencies"),
        ("declarations", "declaration", "declaration"),
    ],
)
def test_inflected_english(index: TermIndex, query: str, expected: str, matched: str) -> None:
    assert top(index, query) == (expected, "inflected", matched)


# ---------------------------------------------------------------------------------------------- negatives


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "’",
        "ABD",
        "ABD'nin",
        "NATO",
        "Ankara",
        "birlik",
        "Rusyalı",
        "Kazakistanlı",
        "masa",
        "kitaplar",
        "Росс",
        "Российский",
        "союзник",
        "мор",
        "ЕАЭСС",
        "EAEV",
        "Kazakhstanian",
        "çok kutuplu bir dünya düzeninin",
    ],
)
def test_no_wrong_answer(index: TermIndex, query: str) -> None:
    assert index.lookup(query) == []


@pytest.mark.parametrize(
    "query",
    ["Avrasya Ekonomik Birlikte", "Avrasya’nın Ekonomik Birliği", "Содружество Независимого Государства"],
)
def test_not_a_form_of_the_term_at_most_a_near_miss(index: TermIndex, query: str) -> None:
    # Not inflected forms (a locative without the compound marker, an inflected modifier, an inflected
    # genitive complement); close enough in spelling to be offered as a fuzzy match, nothing better.
    assert [m.how for m in index.lookup(query)] in ([], ["fuzzy"])


def test_a_word_of_a_term_is_not_the_term(index: TermIndex) -> None:
    # "Avrasya" is Eurasia, never the EAEU; "birlik" finds nothing at all.
    assert ids(index.lookup("Avrasya")) == ["eurasia"]
    assert "eaeu" not in ids(index.lookup("birlik"))
    # A word of a longer term is at most a partial match, ranked as one.
    assert {m.how for m in index.lookup("Birliğinin")} == {"partial"}


# ---------------------------------------------------------------------------------------------- fuzzy


def test_fuzzy_is_the_last_resort(index: TermIndex) -> None:
    found = index.lookup("Kazakhistan")
    assert [(m.concept.id, m.how) for m in found] == [("kazakhstan", "fuzzy")]
    assert 0 < found[0].score < 0.8  # always below any inflected match
    assert top(index, "Avrasya Ekonomk Birliği") == ("eaeu", "fuzzy", "Avrasya Ekonomik Birliği")
    assert top(index, "Kazakhistan’da", "tr") == ("kazakhstan", "fuzzy", "Kazakistan")


def test_fuzzy_never_for_short_queries_or_abbreviations(index: TermIndex) -> None:
    # One edit in five to eight letters is below the 0.88 similarity threshold; abbreviations never fuzzy.
    for query in ("Astna", "AEBB", "EAEUU", "ЕАЭ", "ABD"):
        assert index.lookup(query) == [], query


def test_fuzzy_threshold(index: TermIndex) -> None:
    # Two edits in 10 letters (similarity 0.8) is not enough.
    assert index.lookup("Kazakhsatn") != []  # a transposition is one edit
    assert index.lookup("Kazzakhsatn") == []


# ---------------------------------------------------------------------------------------------- ranking


def test_exact_before_inflected_across_concepts() -> None:
    union = concept("union", tr=["birlik"])
    unit = concept("unity-of", tr=["birliği"])
    index = TermIndex.build([union, unit])
    found = index.lookup("birliği")
    assert [(m.concept.id, m.how) for m in found] == [("unity-of", "exact"), ("union", "inflected")]


def test_preferred_term_first_within_a_concept() -> None:
    both = Concept(
        "federation",
        {"tr": (Term("Rusya federasyonu", "tr", "variant", "admitted"), Term("Rusya Federasyonu", "tr"))},
    )
    found = TermIndex.build([both]).lookup("RUSYA FEDERASYONU")
    assert len(found) == 1
    assert found[0].matched.status == "preferred"
    assert found[0].matched.text == "Rusya Federasyonu"


def test_one_match_per_concept_best_first(index: TermIndex) -> None:
    found = index.lookup("Tokayev")
    assert ids(found) == ["tokayev"]
    assert found[0].how == "exact"


def test_language_filter_and_limit(index: TermIndex) -> None:
    assert ids(index.lookup("Astana", "en")) == ["astana"]
    # In Russian, the Latin query is only a transliteration of "Астана".
    assert [(m.concept.id, m.how) for m in index.lookup("Astana", "ru")] == [("astana", "transliterated")]
    # "Rusya" is how Turkish spells the name: found as a transliteration, never better.
    assert [(m.concept.id, m.how) for m in index.lookup("Russia", "tr")] == [("russia", "transliterated")]
    assert ids(index.lookup("Russia", "en-GB")) == ["russia"]
    assert index.lookup("Rusya", limit=0) == []
    union = TermIndex.build([concept("a", tr=["birlik"]), concept("b", tr=["birliği"])])
    assert len(union.lookup("birliği", limit=1)) == 1


def test_deprecated_terms_are_found_and_tell_their_status(index: TermIndex) -> None:
    found = index.lookup("Kazakistan Cumhuriyeti")
    assert found[0].matched.status == "deprecated"


# ---------------------------------------------------------------------------------------------- pickling, cache


def test_pickle_round_trip(index: TermIndex) -> None:
    copy = pickle.loads(pickle.dumps(index))
    assert copy.concepts == index.concepts
    for query in ("AEB'nin", "Евразийского экономического союза", "Kazakhistan", "isbirligi", "ABD"):
        assert copy.lookup(query) == index.lookup(query)


def test_read_only_term_mappings_pickle() -> None:
    frozen = Concept("x", types.MappingProxyType({"tr": (Term("Astana", "tr"),)}))
    index = TermIndex.build([frozen])
    copy = pickle.loads(pickle.dumps(index))
    assert copy.lookup("Astana’da")[0].concept == frozen


def test_save_and_load(index: TermIndex, tmp_path: Path) -> None:
    path = tmp_path / "cache" / "terms.pickle"
    index.save(path)
    loaded = TermIndex.load(path)
    assert len(loaded) == len(index)
    assert loaded.lookup("Rusya’ya") == index.lookup("Rusya’ya")
    assert loaded.concept("eaeu") == index.concept("eaeu")
    assert loaded.concept("nope") is None


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps({"some": "dict"}), b"\x80\x04garbage"])
def test_load_refuses_other_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.pickle"
    path.write_bytes(content)
    with pytest.raises(KervanError) as caught:
        TermIndex.load(path)
    assert caught.value.path == str(path)


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KervanError):
        TermIndex.load(tmp_path / "missing.pickle")


def test_cached_rebuilds_only_when_the_glossary_changes(repo: Path, tmp_path: Path) -> None:
    glossary = tmp_path / "kervan.tbx"
    shutil.copy(repo / "glossary" / "kervan.tbx", glossary)
    cache = tmp_path / "cache"
    reads: list[Path] = []

    def read(path: Path) -> list[Concept]:
        reads.append(path)
        return read_tbx(str(path))

    first = TermIndex.cached(glossary, cache, read)
    second = TermIndex.cached(glossary, cache, read)
    assert len(reads) == 1
    assert second.lookup("AEB'nin") == first.lookup("AEB'nin")
    assert len(list(cache.iterdir())) == 1

    stat = glossary.stat()
    os.utime(glossary, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    TermIndex.cached(glossary, cache, read)
    assert len(reads) == 2

    # A damaged cache file is rebuilt, not trusted and not an error.
    (entry,) = cache.iterdir()
    entry.write_bytes(b"\x80\x05damaged")
    third = TermIndex.cached(glossary, cache, read)
    assert len(reads) == 3
    assert ids(third.lookup("AEB'nin")) == ["eaeu"]


def test_cached_missing_glossary(tmp_path: Path) -> None:
    with pytest.raises(KervanError):
        TermIndex.cached(tmp_path / "none.tbx", tmp_path, lambda path: [])


# ---------------------------------------------------------------------------------------------- shipped glossary


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("AEB'nin", "tr", "eaeu"),
        ("Avrasya Ekonomik Birliği’nin", "tr", "eaeu"),
        ("BDT’nin", "tr", "cis"),
        ("Rusya'ya", "tr", "russia"),
        ("Moskova’ya", "tr", "moscow"),
        ("Kazakistan’da", "tr", "kazakhstan"),
        ("Hazar Denizi’ndeki", "tr", "caspian-sea"),
        ("Baykonur Uzay Üssü’nde", "tr", "baikonur-cosmodrome"),
        ("Stratejik Ortaklık Bildirgesi’ni", "tr", "declaration-on-partnership-and-alliance"),
        ("nükleer enerji santralinin", "tr", "nuclear-power-plant"),
        ("güvenlik mimarisinin", "tr", "security-architecture"),
        ("Rusya Devlet Başkanı", "tr", "president-of-russia"),
        ("isbirligi", "tr", "cooperation"),
        ("Евразийского экономического союза", "ru", "eaeu"),
        ("ЕАЭС", "ru", "eaeu"),
        ("АЭС", "ru", "nuclear-power-plant"),
        ("Президента Республики Казахстан", "ru", "president-of-kazakhstan"),
        ("космодроме «Байконур»", "ru", "baikonur-cosmodrome"),
        ("Каспийском море", "ru", "caspian-sea"),
        ("EAEU's", "en", "eaeu"),
        ("national currencies", "en", "national-currencies"),
    ],
)
def test_shipped_glossary(shipped_index: TermIndex, query: str, lang: str, expected: str) -> None:
    assert ids(shipped_index.lookup(query, lang))[:1] == [expected]


@pytest.mark.parametrize("query", ["ABD", "NATO", "Ankara", "birlik", "ЕАЭСС"])
def test_shipped_glossary_negatives(shipped_index: TermIndex, query: str) -> None:
    assert shipped_index.lookup(query) == []
