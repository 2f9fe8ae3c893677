"""Translation checks on the shipped article's sentences with good and damaged English and Russian renderings."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from conftest import ARTICLE
from kervan import qa
from kervan.model import Concept, Finding, Term
from kervan.qa import QaContext, QaItem, TermScanner, run_checks

ARTICLE_TEXT = ARTICLE.read_text(encoding="utf-8")

# Source sentences, verbatim from the article (test_sources_are_from_the_article keeps them honest).
HEADLINE = "Tokayev: Stratejik Ortaklık Bildirgesi, Rusya ile işbirliğini güçlendirecek"
QUOTE = (
    "Tokayev, “Kazakistan ve Rusya arasındaki devletlerarası ilişkilerin kapsamlı stratejik ortaklık ve "
    "müttefiklik düzeyine çıkarılmasına ilişkin Bildirge özel bir öneme sahip. Bu belge, ülkelerimiz arasındaki "
    "çok boyutlu iş birliğini önemli ölçüde güçlendirecektir” ifadelerine yer verdi."
)
PROVISIONS = (
    "Rusya ve Kazakistan arasında imzalanan ‘Kapsamlı Stratejik Ortaklık ve Müttefiklik Bildirgesi’nin ana hükümleri:"
)
CONTACTS = "Moskova ve Astana siyasi temasların her düzeyde sürdürülmesi konusunda mutabakata vardı."
CIS = (
    "Rusça’nın Bağımsız Devletler Topluluğu (BDT) çerçevesinde devletlerarası iletişim dili olarak kullanılması "
    "ve Baykonur Uzay Üssü’nde iş birliğinin geliştirilmesi kararlaştırıldı."
)
EAEU = (
    "Taraflar, Avrasya Ekonomik Birliği (AEB) çerçevesinde ortak pazarların geliştirilmesi, ekonomilerin rekabet "
    "gücünün artırılması, finansal iş birliğinin genişletilmesi ve ulusal para birimlerinin kullanımının "
    "yaygınlaştırılmasına devam edecek."
)
VISIT = (
    "Tokayev, 11-12 Kasım tarihlerinde Rusya'ya gerçekleştirdiği resmi ziyaret kapsamında Kremlin'de Rusya "
    "lideri Putin ile bir araya gelmişti."
)
FORUM = (
    "İki lider ayrıca 21. Rusya-Kazakistan Bölgelerarası İş Birliği Forumu’nun çevrim içi genel oturumuna "
    "katılarak bir dizi belge ve Stratejik Ortaklık Bildirgesi’ni imzalamıştı."
)

# Reviewed translations, as in the shipped catalogs: (source, English, Russian).
GOOD = [
    (
        HEADLINE,
        "Tokayev: Strategic partnership declaration to strengthen cooperation with Russia",
        "Токаев: декларация о стратегическом партнёрстве укрепит сотрудничество с Россией",
    ),
    (
        QUOTE,
        "“The Declaration on raising interstate relations between Kazakhstan and Russia to the level of "
        "comprehensive strategic partnership and alliance is of particular importance. This document will "
        "significantly strengthen multidimensional cooperation between our countries,” Tokayev wrote.",
        "«Декларация о переходе межгосударственных отношений между Казахстаном и Россией на уровень "
        "всеобъемлющего стратегического партнёрства и союзничества имеет особое значение. Этот документ "
        "значительно укрепит многоплановое сотрудничество между нашими странами», — написал Токаев.",
    ),
    (
        PROVISIONS,
        "Key provisions of the Declaration on Comprehensive Strategic Partnership and Alliance signed by "
        "Russia and Kazakhstan:",
        "Основные положения подписанной Россией и Казахстаном декларации о всеобъемлющем стратегическом "
        "партнёрстве и союзничестве:",
    ),
    (
        CONTACTS,
        "Moscow and Astana agreed to maintain political contacts at all levels.",
        "Москва и Астана договорились поддерживать политические контакты на всех уровнях.",
    ),
    (
        CIS,
        "The sides agreed to use the Russian language as the language of interstate communication within the "
        "Commonwealth of Independent States (CIS) and to develop cooperation at the Baikonur Cosmodrome.",
        "Стороны договорились об использовании русского языка в качестве языка межгосударственного общения в "
        "рамках Содружества Независимых Государств (СНГ) и о развитии сотрудничества на космодроме "
        "«Байконур».",
    ),
    (
        EAEU,
        "Within the Eurasian Economic Union (EAEU), the sides will continue to develop common markets, "
        "increase the competitiveness of their economies, expand financial cooperation and promote wider use "
        "of national currencies.",
        "В рамках Евразийского экономического союза (ЕАЭС) стороны продолжат развивать общие рынки, повышать "
        "конкурентоспособность экономик, расширять финансовое сотрудничество и способствовать более широкому "
        "использованию национальных валют.",
    ),
    (
        VISIT,
        "During an official visit to Russia on November 11–12, Tokayev met Putin at the Kremlin.",
        "В ходе официального визита в Россию 11–12 ноября Токаев встретился в Кремле с президентом России "
        "Владимиром Путиным.",
    ),
    (
        FORUM,
        "The two leaders also took part by video link in the plenary session of the 21st Russia-Kazakhstan "
        "Interregional Cooperation Forum and signed a number of documents as well as the Declaration on "
        "Comprehensive Strategic Partnership and Alliance.",
        "Лидеры двух стран также в режиме видеоконференции приняли участие в пленарном заседании XXI Форума "
        "межрегионального сотрудничества России и Казахстана и подписали ряд документов, а также декларацию о"
        " всеобъемлющем стратегическом партнёрстве и союзничестве.",
    ),
]
RU = {source: ru for source, _, ru in GOOD}
EN = {source: en for source, en, _ in GOOD}


def item(source: str, target: str, lang: str = "ru", *, fuzzy: bool = False, unit: str = "a:1.1") -> QaItem:
    return QaItem(unit_id=unit, source=source, target=target, lang=lang, source_lang="tr", fuzzy=fuzzy)


def findings(check: qa.Check, source: str, target: str, lang: str = "ru", **kwargs: object) -> list[Finding]:
    ctx = kwargs.pop("ctx", QaContext(source_lang="tr"))
    assert isinstance(ctx, QaContext)
    return list(check(item(source, target, lang, **kwargs), ctx))  # type: ignore[arg-type]


def test_sources_are_from_the_article() -> None:
    for source, _, _ in GOOD:
        assert source in ARTICLE_TEXT


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_reviewed_translations_raise_nothing(lang: str) -> None:
    """No check fires on good text: every finding here would be noise for a reviewer."""
    column = 1 if lang == "en" else 2
    items = [item(row[0], row[column], lang, unit=f"a:{n}.1") for n, row in enumerate(GOOD, 1)]
    assert run_checks(items, QaContext(index=FakeIndex(CONCEPTS), source_lang="tr")) == []


def real_terminology(index: TermScanner, source: str, target: str, lang: str) -> list[Finding]:
    return list(qa.check_terminology(item(source, target, lang), QaContext(index=index)))


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("source", [HEADLINE, QUOTE, PROVISIONS, CONTACTS, CIS, EAEU, FORUM])
def test_shipped_glossary_accepts_translations_that_follow_it(
    shipped_index: TermScanner, source: str, lang: str
) -> None:
    target = EN[source] if lang == "en" else RU[source]
    assert real_terminology(shipped_index, source, target, lang) == []


@pytest.mark.parametrize(
    ("lang", "damaged"),
    [
        ("ru", "Стороны продолжат развивать общие рынки, повышать конкурентоспособность экономик, расширять "
         "финансовое сотрудничество и способствовать более широкому использованию национальных валют."),
        ("en", "The parties will continue to develop common markets, increase the competitiveness of their "
         "economies, expand financial cooperation and promote wider use of national currencies."),
    ],
)  # fmt: skip
def test_shipped_glossary_reports_dropped_union_name(shipped_index: TermScanner, lang: str, damaged: str) -> None:
    [finding] = real_terminology(shipped_index, EAEU, damaged, lang)
    assert (finding.check, finding.severity) == ("terminology", "error")
    assert finding.message.startswith("source term “Avrasya Ekonomik Birliği”: expected one of ")
    expected = {"ru": ["Евразийский экономический союз", "ЕАЭС"], "en": ["Eurasian Economic Union", "EAEU"]}[lang]
    assert all(f"“{term}”" in finding.message for term in expected)


def test_shipped_glossary_inflected_russian_name_alone_is_enough(shipped_index: TermScanner) -> None:
    # The abbreviation dropped, the genitive full name kept: still the union.
    target = RU[EAEU].replace(" (ЕАЭС)", "")
    assert real_terminology(shipped_index, EAEU, target, "ru") == []
    # And the other way round: only the abbreviation.
    target = RU[EAEU].replace("Евразийского экономического союза (ЕАЭС)", "ЕАЭС")
    assert real_terminology(shipped_index, EAEU, target, "ru") == []


def test_shipped_glossary_names_deprecated_abbreviation(shipped_index: TermScanner) -> None:
    target = EN[EAEU].replace("the Eurasian Economic Union (EAEU)", "the EEU")
    [finding] = real_terminology(shipped_index, EAEU, target, "en")
    assert finding.severity == "error"
    assert finding.message.startswith("deprecated term “EEU” for source term “Avrasya Ekonomik Birliği”")


def test_shipped_glossary_checks_every_concept_of_the_sentence(shipped_index: TermScanner) -> None:
    # The admitted short name "Байконур", inflected, is fine; the Commonwealth replaced by a loose phrase is not.
    target = RU[CIS].replace("на космодроме «Байконур»", "в Байконуре")
    assert real_terminology(shipped_index, CIS, target, "ru") == []
    target = target.replace("Содружества Независимых Государств (СНГ)", "стран содружества")
    messages = [f.message for f in real_terminology(shipped_index, CIS, target, "ru")]
    assert messages == [
        "source term “Bağımsız Devletler Topluluğu”: expected one of “Содружество Независимых Государств”, “СНГ”"
    ]


# --------------------------------------------------------------------------- completeness


@pytest.mark.parametrize("target", ["", "  \n"])
def test_untranslated_is_an_error(target: str) -> None:
    [finding] = findings(qa.check_untranslated, CONTACTS, target)
    assert (finding.check, finding.severity, finding.unit_id, finding.lang) == ("untranslated", "error", "a:1.1", "ru")


def test_translated_or_empty_source_is_not_untranslated() -> None:
    assert findings(qa.check_untranslated, CONTACTS, RU[CONTACTS]) == []
    assert findings(qa.check_untranslated, "", "") == []


def test_fuzzy_is_a_warning_and_untranslated_fuzzy_only_untranslated() -> None:
    [finding] = findings(qa.check_fuzzy, CONTACTS, RU[CONTACTS], fuzzy=True)
    assert (finding.check, finding.severity) == ("fuzzy", "warning")
    assert findings(qa.check_fuzzy, CONTACTS, RU[CONTACTS]) == []
    found = run_checks([item(CONTACTS, "", fuzzy=True)], QaContext())
    assert [f.check for f in found] == ["untranslated"]


def test_other_checks_skip_untranslated_items() -> None:
    found = run_checks([item(VISIT, "")], QaContext(index=FakeIndex(CONCEPTS)))
    assert [f.check for f in found] == ["untranslated"]


# --------------------------------------------------------------------------- terminology (logic, fake matcher)


@dataclass(frozen=True)
class FakeOccurrence:
    start: int
    end: int
    text: str
    concept: Concept
    term: Term


class FakeIndex:
    """Case-sensitive search for listed word forms; only to exercise the check's logic."""

    def __init__(self, concepts: list[tuple[Concept, dict[str, list[str]]]]) -> None:
        self.forms: list[tuple[str, Concept, Term]] = []
        for concept, inflected in concepts:
            for terms in concept.terms.values():
                for term in terms:
                    for form in [term.text, *inflected.get(term.text, [])]:
                        self.forms.append((form, concept, term))

    def scan(self, text: str, lang: str) -> list[FakeOccurrence]:
        hits = []
        for form, concept, term in self.forms:
            start = text.find(form)
            if term.lang == lang and start >= 0:
                hits.append(FakeOccurrence(start, start + len(form), form, concept, term))
        return sorted(hits, key=lambda o: (o.start, o.start - o.end))


def _concept(cid: str, **terms: list[Term]) -> Concept:
    return Concept(id=cid, terms={lang: tuple(t) for lang, t in terms.items()})


EAEU_CONCEPT = _concept(
    "eaeu",
    tr=[Term("Avrasya Ekonomik Birliği", "tr"), Term("AEB", "tr", "abbreviation")],
    en=[Term("Eurasian Economic Union", "en"), Term("EAEU", "en", "abbreviation", "admitted")],
    ru=[
        Term("Евразийский экономический союз", "ru"),
        Term("ЕАЭС", "ru", "abbreviation", "admitted"),
        Term("Евразийский союз", "ru", "variant", "deprecated"),
    ],
)
BAIKONUR = _concept(
    "baikonur",
    tr=[Term("Baykonur Uzay Üssü", "tr")],
    en=[Term("Baikonur Cosmodrome", "en")],
    ru=[Term("космодром «Байконур»", "ru"), Term("Байконурский космодром", "ru", status="deprecated")],
)
# Only Turkish and English terms: nothing to require of a Russian translation.
KREMLIN = _concept("kremlin", tr=[Term("Kremlin", "tr")], en=[Term("Kremlin", "en")])
CONCEPTS = [
    (
        EAEU_CONCEPT,
        {
            "Евразийский экономический союз": ["Евразийского экономического союза"],
            "Евразийский союз": ["Евразийского союза"],
        },
    ),
    (
        BAIKONUR,
        {"космодром «Байконур»": ["космодроме «Байконур»"], "Байконурский космодром": ["Байконурском космодроме"]},
    ),
    (KREMLIN, {"Kremlin": ["Kremlin'de"]}),
]


def terminology(source: str, target: str, lang: str = "ru") -> list[Finding]:
    return findings(qa.check_terminology, source, target, lang, ctx=QaContext(index=FakeIndex(CONCEPTS)))


def test_terminology_accepts_inflected_approved_term() -> None:
    assert terminology(EAEU, RU[EAEU]) == []
    assert terminology(EAEU, EN[EAEU], "en") == []
    assert terminology(CIS, RU[CIS]) == []


def test_terminology_flags_dropped_concept_naming_source_and_expected_terms() -> None:
    damaged = "Стороны продолжат развивать общие рынки и расширять финансовое сотрудничество."
    [finding] = terminology(EAEU, damaged)
    assert (finding.check, finding.severity) == ("terminology", "error")
    assert "Avrasya Ekonomik Birliği" in finding.message
    assert "Евразийский экономический союз" in finding.message and "ЕАЭС" in finding.message
    assert "Евразийский союз" not in finding.message.replace("Евразийский союз»", "")


def test_terminology_names_deprecated_term() -> None:
    damaged = RU[CIS].replace("на космодроме «Байконур»", "на Байконурском космодроме")
    [finding] = terminology(CIS, damaged)
    assert finding.severity == "error"
    assert "Байконурском космодроме" in finding.message and "космодром «Байконур»" in finding.message


def test_terminology_warns_when_deprecated_term_accompanies_approved_one() -> None:
    mixed = RU[EAEU].replace("стороны продолжат", "члены Евразийского союза продолжат")
    [finding] = terminology(EAEU, mixed)
    assert finding.severity == "warning" and "Евразийского союза" in finding.message


def test_terminology_skips_concepts_without_target_language_terms_and_missing_index() -> None:
    assert terminology(VISIT, RU[VISIT]) == []  # Kremlin has no Russian term in this glossary
    assert [f.message for f in terminology(VISIT, EN[VISIT].replace("Kremlin", "palace"), "en")] == [
        "source term “Kremlin'de”: expected one of “Kremlin”"
    ]
    assert findings(qa.check_terminology, EAEU, "Стороны продолжат.") == []  # no index: no terminology check


# --------------------------------------------------------------------------- numbers


def test_numbers_range_with_en_dash_and_ordinals_pass() -> None:
    assert findings(qa.check_numbers, VISIT, RU[VISIT]) == []
    assert findings(qa.check_numbers, VISIT, EN[VISIT], "en") == []
    assert findings(qa.check_numbers, FORUM, RU[FORUM]) == []  # "21." -> "21-го"
    assert findings(qa.check_numbers, FORUM, EN[FORUM], "en") == []  # "21." -> "21st"


def test_numbers_dropped_day_of_range_fails() -> None:
    [finding] = findings(qa.check_numbers, VISIT, RU[VISIT].replace("11–12 ноября", "11 ноября"))
    assert (finding.check, finding.severity) == ("numbers", "error")
    assert "missing 12" in finding.message


def test_numbers_changed_ordinal_fails_naming_both() -> None:
    [finding] = findings(qa.check_numbers, FORUM, EN[FORUM].replace("21st", "22nd"), "en")
    assert "missing 21" in finding.message and "extra 22" in finding.message


@pytest.mark.parametrize(
    ("source", "target", "lang"),
    [
        ("Büyüme %3,5 oldu.", "Growth was 3.5%.", "en"),
        ("Büyüme %3,5 oldu.", "Рост составил 3,5%.", "ru"),
        ("1.000 kişi katıldı.", "1,000 people attended.", "en"),
        ("1.000 kişi katıldı.", "Участвовали 1 000 человек.", "ru"),
        ("1.000 kişi katıldı.", "Участвовали 1000 человек.", "ru"),
        ("Bütçe 1.234,5 milyon lira.", "The budget is 1,234.5 million lira.", "en"),
        ("Görüşme 13.11.2025 tarihinde yapıldı.", "The talks were held on November 13, 2025.", "en"),
        ("Görüşme 05.06.2025 tarihinde yapıldı.", "Переговоры прошли 5 июня 2025 г.", "ru"),
        ("Toplantı 14.30'da başladı.", "The meeting began at 14:30.", "en"),
    ],
)
def test_numbers_equal_across_notations(source: str, target: str, lang: str) -> None:
    assert findings(qa.check_numbers, source, target, lang) == []


@pytest.mark.parametrize(
    ("source", "target", "lang"),
    [
        ("Büyüme %3,5 oldu.", "Growth was 3.05%.", "en"),
        ("Büyüme %3,5 oldu.", "Growth was 35%.", "en"),
        ("1.000 kişi katıldı.", "100 people attended.", "en"),
        ("Görüşme 13.11.2025 tarihinde yapıldı.", "The talks were held on November 14, 2025.", "en"),
        ("Görüşme 13.11.2025 tarihinde yapıldı.", "The talks were held on November 13, 2024.", "en"),
        ("Toplantı 14.30'da başladı.", "The meeting began at 14:00.", "en"),
    ],
)
def test_numbers_differences_are_found(source: str, target: str, lang: str) -> None:
    assert [f.check for f in findings(qa.check_numbers, source, target, lang)] == ["numbers"]


_AMOUNTS = st.one_of(
    st.integers(min_value=0, max_value=10**9),
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
)


@given(amount=_AMOUNTS, lang=st.sampled_from(["en", "ru", "de", "fr"]))
def test_numbers_as_locales_write_them_are_equal(amount: object, lang: str) -> None:
    """CLDR's own number formatting (via babel) is the oracle for grouping and decimal separators."""
    source = f"Toplam {format_decimal(amount, locale='tr')} birim."
    target = f"Total {format_decimal(amount, locale=lang)} units."
    assert findings(qa.check_numbers, source, target, lang) == []


@given(amount=st.integers(min_value=0, max_value=10**9), delta=st.integers(min_value=1, max_value=10**6))
def test_numbers_different_amounts_are_found(amount: int, delta: int) -> None:
    source = f"Toplam {format_decimal(amount, locale='tr')} birim."
    target = f"Итого {format_decimal(amount + delta, locale='ru')} единиц."
    assert [f.check for f in findings(qa.check_numbers, source, target, "ru")] == ["numbers"]


# --------------------------------------------------------------------------- final punctuation


def test_punctuation_matching_ends_pass() -> None:
    assert findings(qa.check_punctuation, QUOTE, EN[QUOTE], "en") == []  # ".” " counts as "."
    assert findings(qa.check_punctuation, QUOTE, RU[QUOTE]) == []  # "»." likewise
    assert findings(qa.check_punctuation, PROVISIONS, RU[PROVISIONS]) == []  # "»:" ends with ":"
    assert findings(qa.check_punctuation, HEADLINE, RU[HEADLINE]) == []
    assert findings(qa.check_punctuation, "Ne dedi...", "What did he say…", "en") == []


def test_punctuation_missing_stop_is_a_warning() -> None:
    [finding] = findings(qa.check_punctuation, CONTACTS, RU[CONTACTS].rstrip("."))
    assert (finding.check, finding.severity) == ("punctuation", "warning")
    assert "'.'" in finding.message


def test_punctuation_headline_gaining_a_stop_is_a_warning() -> None:
    [finding] = findings(qa.check_punctuation, HEADLINE, EN[HEADLINE] + ".", "en")
    assert "no final punctuation" in finding.message
    # A closing abbreviation is not a sentence stop.
    assert findings(qa.check_punctuation, "Tokayev'in 2025 ziyareti", "Визит Токаева в 2025 г.") == []


def test_punctuation_different_mark_is_a_warning() -> None:
    assert len(findings(qa.check_punctuation, PROVISIONS, EN[PROVISIONS].rstrip(":") + ".", "en")) == 1
    assert len(findings(qa.check_punctuation, "Neden?", "Why.", "en")) == 1


# --------------------------------------------------------------------------- quotation marks


def test_quotes_in_language_style_pass() -> None:
    assert findings(qa.check_quotes, PROVISIONS, EN[PROVISIONS], "en") == []
    assert findings(qa.check_quotes, PROVISIONS, RU[PROVISIONS]) == []
    nested = "Токаев написал: «Документ о „всеобъемлющем партнёрстве“ важен»."
    assert findings(qa.check_quotes, QUOTE, nested) == []
    # Apostrophes are not quotation marks: "Russia’s" has no opening mark to match.
    assert findings(qa.check_quotes, CONTACTS, "Russia’s and Kazakhstan’s leaders agreed.", "en") == []


def test_english_quotes_in_russian_are_a_warning() -> None:
    wrong = RU[CIS].replace("«", "“").replace("»", "”")
    [finding] = findings(qa.check_quotes, CIS, wrong)
    assert (finding.check, finding.severity) == ("quotes", "warning")
    assert "“…”" in finding.message and "«…»" in finding.message


def test_russian_quotes_in_english_are_a_warning() -> None:
    [finding] = findings(qa.check_quotes, QUOTE, EN[QUOTE].replace("“", "«").replace("”", "»"), "en")
    assert "«…»" in finding.message and "“…”" in finding.message


def test_ascii_quotes_are_a_warning() -> None:
    [finding] = findings(qa.check_quotes, QUOTE, EN[QUOTE].replace("“", '"').replace("”", '"'), "en")
    assert finding.severity == "warning" and "ASCII" in finding.message


def test_unbalanced_quotes_are_an_error() -> None:
    [finding] = findings(qa.check_quotes, CIS, RU[CIS].replace("»", ""))
    assert (finding.severity, finding.message) == ("error", "unbalanced quotation marks: « is never closed")
    [finding] = findings(qa.check_quotes, QUOTE, EN[QUOTE].replace("“", ""), "en")
    assert finding.severity == "error" and "”" in finding.message


def test_quotation_open_in_the_source_segment_too_is_not_the_translators_error() -> None:
    source = "Tokayev, “Bildirge özel bir öneme sahip."
    assert findings(qa.check_quotes, source, "Токаев: «Декларация имеет особое значение.") == []


# --------------------------------------------------------------------------- whitespace


def test_doubled_space_is_a_warning_naming_the_place() -> None:
    [finding] = findings(qa.check_spacing, CONTACTS, RU[CONTACTS].replace("Астана ", "Астана  "))
    assert (finding.check, finding.severity) == ("spacing", "warning")
    assert "Астана  договорились" in finding.message


def test_edge_whitespace_must_match_the_source() -> None:
    assert len(findings(qa.check_spacing, CONTACTS, " " + RU[CONTACTS])) == 1
    assert len(findings(qa.check_spacing, CONTACTS, RU[CONTACTS] + "\n")) == 1
    assert findings(qa.check_spacing, CONTACTS + "\n", RU[CONTACTS] + "\n") == []
    assert findings(qa.check_spacing, CONTACTS, RU[CONTACTS]) == []


# --------------------------------------------------------------------------- identical to source


def test_copied_source_is_a_warning() -> None:
    [finding] = findings(qa.check_identical, CONTACTS, CONTACTS)
    assert (finding.check, finding.severity) == ("identical", "warning")


@pytest.mark.parametrize("text", ["Vladimir Putin", "NATO", "11-12", "2025", "G20", "Putin’e", "Putin\u02bce"])
def test_names_and_numbers_may_stay_as_they_are(text: str) -> None:
    assert findings(qa.check_identical, text, text, "en") == []


# --------------------------------------------------------------------------- length


def test_length_outliers_are_warnings() -> None:
    [finding] = findings(qa.check_length, EAEU, "Стороны продолжат.")
    assert (finding.check, finding.severity) == ("length", "warning")
    assert "0.6–2.2" in finding.message
    padded = EN[CONTACTS] + " " + EN[EAEU]
    assert [f.check for f in findings(qa.check_length, CONTACTS, padded, "en")] == ["length"]


def test_length_within_band_or_short_segment_passes() -> None:
    assert findings(qa.check_length, EAEU, RU[EAEU]) == []
    assert findings(qa.check_length, "Moskova", "Moscow, the capital of the Russian Federation", "en") == []


def test_length_bands_per_language_pair() -> None:
    assert qa.length_band("tr", "en") == (0.6, 2.0)
    assert qa.length_band("tr", "ru-RU") == (0.6, 2.2)
    assert qa.length_band("tr", "de") == (0.4, 3.0)
    # 2.5× is inside the generic band, outside the Turkish-English one.
    source, target = "a" * 40, "b" * 100
    assert len(findings(qa.check_length, source, target, "en")) == 1
    assert findings(qa.check_length, source, target, "de") == []


# --------------------------------------------------------------------------- running and JSON


def test_run_checks_orders_by_item_then_check_and_honours_selection() -> None:
    items = [
        item(VISIT, "Токаев встретился с Путиным", unit="a:16.1"),
        item(CONTACTS, "", unit="a:7.1"),
    ]
    found = run_checks(items, QaContext())
    assert [(f.unit_id, f.check) for f in found] == [
        ("a:16.1", "numbers"),
        ("a:16.1", "punctuation"),
        ("a:16.1", "length"),
        ("a:7.1", "untranslated"),
    ]
    assert [f.check for f in run_checks(items, QaContext(), [qa.check_untranslated])] == ["untranslated"]


def test_every_check_is_registered_under_its_finding_name() -> None:
    assert tuple(qa.CHECKS.values()) == qa.ALL_CHECKS
    assert set(qa.CHECKS) == {
        "untranslated", "fuzzy", "terminology", "added-term", "numbers", "punctuation", "quotes", "spacing",
        "identical", "document-title", "title-case", "length", "placeholders", "bidi",
    }  # fmt: skip
    damaged = [
        item(EAEU, ' Стороны  продолжат 2 "рынки', fuzzy=True),
        item(EAEU, ""),
        item(EAEU, EAEU),
        item(EAEU, "\u202eСтороны"),
        item(CONTACTS, "Москва и Астана подписали «Соглашение о контактах» с Президентом России и ЕАЭС."),
    ]
    damaged.append(QaItem("a:2.1", "%(n)s ülke", "%(m)s стран", "ru", "tr", flags=("python-format",)))
    ctx = QaContext(index=FakeIndex(CONCEPTS))
    fired = set()
    for name, check in qa.CHECKS.items():
        for finding in (f for one in damaged for f in check(one, ctx)):
            assert finding.check == name
            fired.add(name)
    assert fired == set(qa.CHECKS)


def test_finding_to_json() -> None:
    finding = Finding("numbers", "error", "a:16.1", "ru", "numbers differ: missing 12")
    assert qa.finding_to_json(finding) == {
        "check": "numbers",
        "severity": "error",
        "unit": "a:16.1",
        "lang": "ru",
        "message": "numbers differ: missing 12",
    }


@pytest.mark.parametrize(
    ("source", "target", "fires"),
    [
        ("İki lider 21. Forum’a katıldı.", "Лидеры приняли участие в XXI Форуме.", False),
        ("XIX. yüzyılda kuruldu.", "It was founded in the 19th century.", False),
        ("İki lider 21. Forum’a katıldı.", "Лидеры приняли участие в XX Форуме.", True),
        ("Washington’da görüştüler.", "They met in Washington, DC.", False),
    ],
)
def test_numbers_roman_numerals_stand_in_for_values(source: str, target: str, fires: bool) -> None:
    item = QaItem("u:1.1", source, target, "ru" if target[0] in "Лл" else "en", "tr")
    findings = list(qa.check_numbers(item, QaContext()))
    assert bool(findings) == fires, findings


# --------------------------------------------------------------------------- later references and added terms


def test_a_later_reference_may_drop_a_title_the_article_already_gave(shipped_index: TermScanner) -> None:
    target = EN[VISIT]  # "… Tokayev met Putin at the Kremlin": no "Russian President" on a later reference
    first = qa.QaItem("a:16.1", VISIT, target, "en", "tr")
    later = qa.QaItem("a:16.1", VISIT, target, "en", "tr", named_before=frozenset({"president-of-russia"}))
    ctx = QaContext(index=shipped_index)
    [error] = qa.check_terminology(first, ctx)
    assert error.severity == "error" and "Rusya lideri" in error.message
    [info] = qa.check_terminology(later, ctx)
    assert info.severity == "info" and "later reference" in info.message
    # Only the concept named before is excused: another omission in the same segment is still an error.
    damaged = later.replace(target=target.replace("official visit", "visit"))
    assert [f.severity for f in qa.check_terminology(damaged, ctx)] == ["error", "info"]


def test_added_term_reports_a_rank_the_source_did_not_say(shipped_index: TermScanner) -> None:
    ctx = QaContext(index=shipped_index)
    wrong = EN[VISIT].replace("official visit", "state visit")
    [added] = qa.check_added_term(qa.QaItem("a:16.1", VISIT, wrong, "en", "tr"), ctx)
    assert added.check == "added-term" and "state-visit" in added.message and "devlet ziyareti" in added.message
    wrong = RU[VISIT].replace("официального визита", "государственного визита")
    [added] = qa.check_added_term(qa.QaItem("a:16.1", VISIT, wrong, "ru", "tr"), ctx)
    assert "государственного визита" in added.message
    # The reviewed renderings add nothing.
    for source, en, ru in GOOD:
        assert list(qa.check_added_term(qa.QaItem("a:1.1", source, en, "en", "tr"), ctx)) == []
        assert list(qa.check_added_term(qa.QaItem("a:1.1", source, ru, "ru", "tr"), ctx)) == []


@pytest.mark.parametrize(
    "target",
    [
        "Стороны подписали «Декларацию о всеобъемлющем стратегическом партнёрстве и союзничестве».",
        "Основные положения «Соглашения о свободной торговле»:",
        "Министры обсудили «Договор между Россией и Казахстаном».",
        "Стороны одобрили « Меморандум о взаимопонимании».",
    ],
)
def test_document_title_flags_quoted_names_of_the_declaration_kind(target: str) -> None:
    [finding] = findings(qa.check_document_title, PROVISIONS, target)
    assert finding.check == "document-title" and finding.severity == "warning"


@pytest.mark.parametrize(
    "target",
    [
        "Стороны подписали декларацию о всеобъемлющем стратегическом партнёрстве и союзничестве.",
        "Депутаты приняли закон «О статусе столицы».",  # a title standing apart from the generic word
        "«Декларация о партнёрстве имеет особое значение», — написал Токаев.",  # speech
        "Токаев написал: «Декларация о партнёрстве имеет особое значение».",  # speech
        RU[QUOTE],  # a quotation of two sentences is speech
        "Стороны подписали «Декларацию о партнёрстве».",  # English text is not checked: see below
    ],
)
def test_document_title_leaves_speech_and_real_titles_alone(target: str) -> None:
    lang = "en" if target.endswith("«Декларацию о партнёрстве».") else "ru"
    assert findings(qa.check_document_title, PROVISIONS, target, lang) == []


def test_title_case_flags_capitalised_titles_inside_a_sentence() -> None:
    [finding] = findings(qa.check_title_case, VISIT, "Токаев встретился в Кремле с Президентом России Путиным.")
    assert finding.check == "title-case" and "“президентом”" in finding.message
    for good in (
        "Президент Казахстана Касым-Жомарт Токаев заявил, что …",  # sentence start
        "Токаев написал: «Премьер-министр прав». Министр согласился.",  # after an opening quote, a full stop
        RU[VISIT],
        RU[CIS],
    ):
        assert findings(qa.check_title_case, VISIT, good) == []
    assert findings(qa.check_title_case, VISIT, "Tokayev met the President of Russia.", "en") == []
