"""Morphology: which written forms count as forms of a glossary term, word by word, per language.

The forms below are Turkish, Russian and English grammar as a reader knows it (most of them from the shipped
article); the matcher must accept each positive form and refuse each negative one.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kervan.terms.morphology import accepts, analyze, is_abbreviation, key, term_patterns, tokens
from kervan.text import upper


def is_form(term: str, written: str, lang: str, *, strict: bool = True, abbreviation: bool = False) -> bool:
    """Whether `written` (as many words as the term) is a form of `term`."""
    patterns = term_patterns(term, lang, abbreviation=abbreviation)
    words = [m.group() for m in tokens(written)]
    if len(words) != len(patterns):
        return False
    return all(
        any(
            reading.key == k and accepts(pattern, paradigm, reading, lang, strict=strict)
            for reading in analyze(word, lang)
            for k, paradigm in pattern.keys
        )
        for pattern, word in zip(patterns, words, strict=True)
    )


TURKISH_FORMS = [
    # Suffixes after an apostrophe on names and abbreviations (spelled as pronounced, so no harmony check).
    ("AEB", "AEB'nin"),
    ("AEB", "AEB’ye"),
    ("AEB", "AEB’de"),
    ("AEB", "AEB’den"),
    ("BDT", "BDT’nin"),
    ("Putin", "Putin’e"),
    ("Putin", "Putin’le"),
    ("Rusya", "Rusya'ya"),
    ("Rusya", "Rusya’nın"),
    ("Rusya", "Rusya’daki"),
    ("Rusya", "Rusya’dakiler"),
    ("Rusya", "Rusya’dır"),
    ("Moskova", "Moskova’ya"),
    ("Kazakistan", "Kazakistan’da"),
    ("Kazakistan", "Kazakistan`dan"),
    ("Kazakistan", "Kazakistan’la"),
    ("Kremlin", "Kremlin'de"),
    ("Paris", "Paris’te"),
    ("Hazar Denizi", "Hazar Denizi’ndeki"),
    ("Hazar Denizi", "Hazar Denizi’nin"),
    ("Baykonur Uzay Üssü", "Baykonur Uzay Üssü’nde"),
    ("Bildirge", "Bildirgesi’nin"),
    ("Stratejik Ortaklık Bildirgesi", "Stratejik Ortaklık Bildirgesi’ni"),
    ("Rusça", "Rusça’nın"),
    # Without an apostrophe: common nouns, and multi-word names.
    ("Rusça", "Rusçanın"),
    ("bildirge", "bildirgenin"),
    ("bildirge", "Bildirgesi"),
    ("nükleer enerji santrali", "nükleer enerji santralinin"),
    ("nükleer enerji santrali", "nükleer enerji santralleri"),
    ("iş birliği", "iş birliğini"),
    ("iş birliği", "iş birliğinin"),
    ("iş birliği", "iş birlikleri"),
    ("işbirliği", "işbirliğini"),
    ("çok kutuplu dünya düzeni", "çok kutuplu dünya düzeninin"),
    ("ulusal para birimleri", "ulusal para birimlerinin"),
    ("ulusal para birimi", "ulusal para birimlerinin"),
    ("kapsamlı stratejik ortaklık", "kapsamlı stratejik ortaklığın"),
    ("kapsamlı stratejik ortaklık", "kapsamlı stratejik ortaklığı"),
    ("Avrasya Ekonomik Birliği", "Avrasya Ekonomik Birliğinin"),
    ("ortak pazar", "ortak pazarların"),
    ("rekabet gücü", "rekabet gücünün"),
    ("genel oturum", "genel oturumuna"),
    ("su seviyesi", "su seviyesindeki"),
    ("siyasi temaslar", "siyasi temasların"),
    ("devletlerarası ilişkiler", "devletlerarası ilişkilerin"),
    ("birlik", "birlikte"),
    # Consonant alternation, doubled consonants, dropped vowels, front vowels after l-final loanwords.
    ("kitap", "kitabı"),
    ("ağaç", "ağacın"),
    ("renk", "rengi"),
    ("kağıt", "kağıdı"),
    ("şehir", "şehri"),
    ("ağız", "ağzı"),
    ("hak", "hakkı"),
    ("santral", "santrali"),
    ("petrol", "petrolü"),
    ("saat", "saati"),
    ("ev", "evlerimizden"),
    ("masa", "masalarda"),
    # Case with Turkish rules, and text typed without Turkish letters.
    ("Avrasya Ekonomik Birliği", "AVRASYA EKONOMİK BİRLİĞİ’NİN"),
    ("İstanbul", "ISTANBUL’DA"),
    ("iş birliği", "is birligini"),
    ("Avrasya Ekonomik Birliği", "Avrasya Ekonomik Birligi'nin"),
    ("ortaklık", "ortakligin"),
]

TURKISH_NON_FORMS = [
    ("Rusya", "Rusyalı"),  # a derivation (a Russian), not an inflection
    ("Kremlin", "Kremlinli"),
    ("deniz", "denizci"),
    ("Rusya", "Rusyaya"),  # in running text a one-word name takes its suffix after an apostrophe
    ("Moskova", "Moskovada"),
    ("AEB", "AEBnin"),
    ("AEB", "aeb"),  # abbreviations in running text are written in capitals
    ("AEB", "Aeb’nin"),
    ("AEB", "ABD'nin"),
    ("Rus", "Rusya"),  # "ya" only follows a vowel
    ("ev", "evlar"),  # vowel harmony
    ("masa", "masaler"),
    ("kitap", "kitapda"),  # t after a voiceless consonant: kitapta
    ("kitap", "kitapte"),
    ("Avrasya Ekonomik Birliği", "Avrasya Ekonomik Birlikte"),  # the compound needs its marker
    ("Avrasya Ekonomik Birliği", "Avrasya’nın Ekonomik Birliği"),  # only the last word inflects
    ("Avrasya Ekonomik Birliği", "Avrasya Ekonomik"),
    ("iş birliği", "iş"),
    ("ortaklık", "ortaklıkçı"),
]


def test_queries_are_lenient_where_running_text_is_not() -> None:
    assert is_form("Rusya", "Rusyaya", "tr", strict=False)
    assert is_form("AEB", "aeb", "tr", strict=False)
    assert is_form("AEB", "aeb’nin", "tr", strict=False)
    assert not is_form("AEB", "AEBnin", "tr", strict=False)
    assert not is_form("Rusya", "Rusyalı", "tr", strict=False)


RUSSIAN_FORMS = [
    ("Евразийский экономический союз", "Евразийского экономического союза"),
    ("Евразийский экономический союз", "Евразийскому экономическому союзу"),
    ("Евразийский экономический союз", "Евразийским экономическим союзом"),
    ("Евразийский экономический союз", "Евразийском экономическом союзе"),
    ("Каспийское море", "Каспийского моря"),
    ("Каспийское море", "Каспийском море"),
    ("Каспийское море", "Каспийским морем"),
    ("Содружество Независимых Государств", "Содружества Независимых Государств"),
    ("Содружество Независимых Государств", "Содружеством Независимых Государств"),
    ("Россия", "России"),
    ("Россия", "Россию"),
    ("Россия", "Россией"),
    ("Россия", "РОССИИ"),
    ("Москва", "Москвы"),
    ("Москва", "Москве"),
    ("Москва", "Москву"),
    ("Москва", "Москвой"),
    ("Казахстан", "Казахстана"),
    ("Казахстан", "Казахстаном"),
    ("Казахстан", "Казахстане"),
    ("Кремль", "Кремля"),
    ("Кремль", "Кремле"),
    ("атомная электростанция", "атомной электростанции"),
    ("атомная электростанция", "атомную электростанцию"),
    ("атомная электростанция", "атомных электростанций"),
    ("атомная электростанция", "атомными электростанциями"),
    ("сотрудничество", "сотрудничества"),
    ("сотрудничество", "сотрудничеству"),
    ("сотрудничество", "сотрудничеством"),
    ("сотрудничество", "сотрудничестве"),
    ("национальные валюты", "национальных валют"),
    ("национальные валюты", "национальным валютам"),
    ("национальные валюты", "национальными валютами"),
    ("национальные валюты", "национальных валютах"),
    ("Владимир Путин", "Владимира Путина"),
    ("Владимир Путин", "Владимиром Путиным"),
    ("Касым-Жомарт Токаев", "Касым-Жомарта Токаева"),
    ("Токаев", "Токаевым"),
    ("общий рынок", "общего рынка"),
    ("уровень воды", "уровня воды"),
    ("уровень воды", "уровнем воды"),
    ("многополярный миропорядок", "многополярного миропорядка"),
    ("равная и неделимая безопасность", "равной и неделимой безопасности"),
    ("равная и неделимая безопасность", "равную и неделимую безопасность"),
    ("стратегическое партнёрство", "стратегического партнерства"),
    ("соглашение", "соглашения"),
    ("соглашение", "соглашений"),
    ("Президент Республики Казахстан", "Президента Республики Казахстан"),
    ("ЕАЭС", "ЕАЭС"),
    ("МИД", "МИДа"),
]

RUSSIAN_NON_FORMS = [
    ("АЭС", "ЕАЭС"),
    ("Россия", "Росс"),
    ("Россия", "Российский"),
    ("Казахстан", "Казахстанский"),
    ("море", "мор"),
    ("союз", "союзник"),
    ("союз", "союзный"),
    ("Содружество Независимых Государств", "Содружество Независимого Государства"),
    ("ЕАЭС", "еаэс"),
    ("МИД", "мида"),
    ("Евразийский экономический союз", "Евразийский экономический"),
    ("уровень воды", "уровнь воды"),
    ("уровень воды", "уровень воде"),  # the genitive complement does not inflect
]


ENGLISH_FORMS = [
    ("Eurasian Economic Union", "Eurasian Economic Union's"),
    ("EAEU", "EAEU's"),
    ("EAEU", "EAEU’s"),
    ("national currencies", "national currency"),
    ("national currency", "national currencies"),
    ("nuclear power plant", "nuclear power plants"),
    ("Russia", "Russia’s"),
    ("integration process", "integration processes"),
    ("tax", "taxes"),
]

ENGLISH_NON_FORMS = [
    ("Russia", "Russian"),
    ("plant", "planted"),
    ("EAEU", "eaeu"),
    ("Eurasian Economic Union", "Eurasian Economics Union"),
    ("process", "proces"),
]


def by_language(**pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(lang, term, written) for lang, forms in pairs.items() for term, written in forms]


@pytest.mark.parametrize(("lang", "term", "written"), by_language(tr=TURKISH_FORMS, ru=RUSSIAN_FORMS, en=ENGLISH_FORMS))
def test_forms(lang: str, term: str, written: str) -> None:
    assert is_form(term, written, lang)


@pytest.mark.parametrize(
    ("lang", "term", "written"), by_language(tr=TURKISH_NON_FORMS, ru=RUSSIAN_NON_FORMS, en=ENGLISH_NON_FORMS)
)
def test_non_forms(lang: str, term: str, written: str) -> None:
    assert not is_form(term, written, lang)


def test_languages_without_rules_match_words_exactly() -> None:
    assert is_form("Kasachstan", "kasachstan", "de")
    assert not is_form("Kasachstan", "Kasachstans", "de")


# ---------------------------------------------------------------------------------------------- helpers


def test_tokens_keep_apostrophe_suffixes_and_combining_marks() -> None:
    text = "“AEB’nin”, I\u0307stanbul'da Rusya-Kazakistan 21. ЕАЭС"
    expected = ["AEB’nin", "I\u0307stanbul'da", "Rusya", "Kazakistan", "21", "ЕАЭС"]
    assert [(m.group(), m.start()) for m in tokens(text)] == [(w, text.index(w)) for w in expected]


def test_abbreviations() -> None:
    assert is_abbreviation("AEB")
    assert is_abbreviation("ЕАЭС")
    assert not is_abbreviation("Rusya")
    assert not is_abbreviation("A")
    assert not is_abbreviation("AEB BDT")


def test_first_reading_is_the_word_itself() -> None:
    for word, lang in (("Birliği’nin", "tr"), ("союза", "ru"), ("EAEU's", "en")):
        assert analyze(word, lang)[0].key == key(word, lang)
        assert analyze(word, lang)[0].ending == ""


_TURKISH = st.text(alphabet="abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ", max_size=20)


@given(_TURKISH)
def test_turkish_key_ignores_case_and_turkish_letters(word: str) -> None:
    assert key(upper(word, "tr"), "tr") == key(word, "tr")
    assert key(key(word, "tr"), "tr") == key(word, "tr")
    assert key(word, "tr").isascii()


@given(st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", max_size=20))
def test_russian_key_keeps_short_i(word: str) -> None:
    assert key(word.upper(), "ru") == key(word, "ru")
    assert key(word, "ru").count("й") == word.lower().count("й")
    assert "ё" not in key(word, "ru")


@given(st.text(max_size=30))
def test_analysis_never_fails(text: str) -> None:
    for match in tokens(text):
        for lang in ("tr", "ru", "en", "kk"):
            readings = analyze(match.group(), lang)
            assert readings
            assert readings[0].key == key(unicodedata.normalize("NFC", match.group()), lang)
