"""The shipped termbase (content, completeness, attestation in the article) and the termbase operations."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ARTICLE, REPO
from kervan.formats.tbx import read_tbx
from kervan.model import Concept, Term
from kervan.terms.glossary import MergeResult, merge_concepts, validate
from kervan.text import casefold, words

LANGS = ("tr", "en", "ru")


@pytest.fixture(scope="module")
def shipped() -> list[Concept]:
    return read_tbx(REPO / "glossary" / "kervan.tbx")


def _concept(shipped: list[Concept], en: str) -> Concept:
    found = [c for c in shipped if c.preferred("en") and c.preferred("en").text == en]
    assert len(found) == 1, f"no single concept with English preferred term {en!r}"
    return found[0]


def _texts(concept: Concept, lang: str, kind: str | None = None, status: str | None = None) -> list[str]:
    return [
        t.text
        for t in concept.terms.get(lang, ())
        if (kind is None or t.kind == kind) and (status is None or t.status == status)
    ]


# --------------------------------------------------------------------------- the shipped termbase


def test_shipped_glossary_is_complete_and_clean(shipped: list[Concept]) -> None:
    assert len(shipped) >= 35
    assert validate(shipped, langs=LANGS) == []
    for concept in shipped:
        assert set(concept.terms) == set(LANGS), concept.id
        for lang in LANGS:
            first = concept.preferred(lang)
            assert first is not None and first.status == "preferred" and first.kind == "fullForm", (concept.id, lang)
        assert concept.subject, concept.id
        assert concept.definition, concept.id


# English preferred term, English abbreviation, Turkish preferred (and abbreviation), Russian preferred (and abbr.)
REQUIRED = [
    ("Eurasian Economic Union", "EAEU", "Avrasya Ekonomik Birliği", "AEB", "Евразийский экономический союз", "ЕАЭС"),
    ("Commonwealth of Independent States", "CIS", "Bağımsız Devletler Topluluğu", "BDT",
     "Содружество Независимых Государств", "СНГ"),
    ("Kazakhstan", None, "Kazakistan", None, "Казахстан", None),
    ("Russia", None, "Rusya", None, "Россия", None),
    ("Moscow", None, "Moskova", None, "Москва", None),
    ("Astana", None, "Astana", None, "Астана", None),
    ("Kremlin", None, "Kremlin", None, "Кремль", None),
    ("Eurasia", None, "Avrasya", None, "Евразия", None),
    ("Caspian Sea", None, "Hazar Denizi", None, "Каспийское море", None),
    ("Baikonur Cosmodrome", None, "Baykonur Uzay Üssü", None, "космодром «Байконур»", None),
    ("Kassym-Jomart Tokayev", None, "Kasım Cömert Tokayev", None, "Касым-Жомарт Токаев", None),
    ("Vladimir Putin", None, "Vladimir Putin", None, "Владимир Путин", None),
    ("President of Kazakhstan", None, "Kazakistan Cumhurbaşkanı", None, "Президент Республики Казахстан", None),
    ("President of Russia", None, "Rusya Devlet Başkanı", None, "Президент Российской Федерации", None),
    ("nuclear power plant", None, "nükleer enerji santrali", None, "атомная электростанция", "АЭС"),
    ("Russian language", None, "Rusça", None, "русский язык", None),
    ("cooperation", None, "iş birliği", None, "сотрудничество", None),
    ("comprehensive strategic partnership", None, "kapsamlı stratejik ortaklık", None,
     "всеобъемлющее стратегическое партнёрство", None),
    ("Declaration on Comprehensive Strategic Partnership and Alliance", None,
     "Kapsamlı Stratejik Ortaklık ve Müttefiklik Bildirgesi", None,
     "Декларация о переходе межгосударственных отношений Российской Федерации и Республики Казахстан на уровень "
     "всеобъемлющего стратегического партнёрства и союзничества", None),
    ("multipolar world order", None, "çok kutuplu dünya düzeni", None, "многополярный миропорядок", None),
    ("equal and indivisible security", None, "eşit ve bölünmez güvenlik", None,
     "равная и неделимая безопасность", None),
    ("national currencies", None, "ulusal para birimleri", None, "национальные валюты", None),
    ("language of interstate communication", None, "devletlerarası iletişim dili", None,
     "язык межгосударственного общения", None),
    ("Russia-Kazakhstan Interregional Cooperation Forum", None,
     "Rusya-Kazakistan Bölgelerarası İş Birliği Forumu", None,
     "Форум межрегионального сотрудничества России и Казахстана", None),
    ("strategic partnership", None, "stratejik ortaklık", None, "стратегическое партнёрство", None),
    ("alliance", None, "müttefiklik", None, "союзничество", None),
    ("common market", None, "ortak pazar", None, "общий рынок", None),
    ("energy resources", None, "enerji kaynakları", None, "энергоресурсы", None),
    ("water resources", None, "su kaynakları", None, "водные ресурсы", None),
    ("integration processes", None, "entegrasyon süreçleri", None, "интеграционные процессы", None),
    ("trade liberalization", None, "ticaret ilişkilerinin liberalleştirilmesi", None, "либерализация торговли", None),
    ("declaration", None, "bildirge", None, "декларация", None),
    ("official visit", None, "resmi ziyaret", None, "официальный визит", None),
    ("plenary session", None, "genel oturum", None, "пленарное заседание", None),
]  # fmt: skip


@pytest.mark.parametrize(("en", "en_abbr", "tr", "tr_abbr", "ru", "ru_abbr"), REQUIRED, ids=[r[0] for r in REQUIRED])
def test_required_concepts(
    shipped: list[Concept], en: str, en_abbr: str | None, tr: str, tr_abbr: str | None, ru: str, ru_abbr: str | None
) -> None:
    concept = _concept(shipped, en)
    assert concept.preferred("tr").text == tr
    assert concept.preferred("ru").text == ru
    for lang, abbreviation in (("en", en_abbr), ("tr", tr_abbr), ("ru", ru_abbr)):
        if abbreviation:
            # The abbreviation is its own term, typed as one, and the preferred one of its kind.
            assert _texts(concept, lang, "abbreviation", "preferred")[0] == abbreviation


def test_readable_ids_short_forms_and_variants(shipped: list[Concept]) -> None:
    ids = {c.id for c in shipped}
    assert {"eaeu", "cis", "kazakhstan", "russia", "tokayev", "putin"} <= ids
    for cid, short in (("tokayev", ("Tokayev", "Tokayev", "Токаев")), ("putin", ("Putin", "Putin", "Путин"))):
        concept = next(c for c in shipped if c.id == cid)
        for lang, text in zip(("tr", "en", "ru"), short, strict=True):
            assert text in _texts(concept, lang, status="admitted")
    cooperation = _concept(shipped, "cooperation")
    assert _texts(cooperation, "tr", "variant") == ["işbirliği"]
    eaeu = _concept(shipped, "Eurasian Economic Union")
    assert _texts(eaeu, "en", "abbreviation", "deprecated") == ["EEU"]
    baikonur = _concept(shipped, "Baikonur Cosmodrome")
    assert "Байконур" in _texts(baikonur, "ru", "variant")
    # News agencies spell the plant out: NPP is admitted, not preferred.
    plant = _concept(shipped, "nuclear power plant")
    assert _texts(plant, "en", "abbreviation", "admitted") == ["NPP"]
    # Short forms of the declaration are descriptions, not titles: lowercase.
    declaration = next(c for c in shipped if c.id == "declaration-on-partnership-and-alliance")
    for lang in ("en", "ru"):
        for term in declaration.terms[lang]:
            assert term.kind == "fullForm" or term.text[0].islower(), term


def _attested(term: str, article_words: list[str]) -> bool:
    """The term's words start consecutive words of the article (one extra word allowed in between: "bir")."""
    wanted = [casefold(w, "tr") for w in words(term)]
    for start in range(len(article_words)):
        position, ok = start, True
        for i, word in enumerate(wanted):
            window = article_words[position : position + (1 if i == 0 else 2)]
            hit = next((j for j, candidate in enumerate(window) if candidate.startswith(word)), None)
            if hit is None:
                ok = False
                break
            position += hit + 1
        if ok:
            return True
    return False


def test_every_concept_is_attested_in_the_article(shipped: list[Concept]) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    article_words = [casefold(w, "tr") for w in words(text)]
    attested = [c for c in shipped if any(_attested(t.text, article_words) for t in c.terms["tr"])]
    # A concept the article does not name belongs only as the contrast an attested concept's note points to
    # ("see state-visit" on official-visit): the rank the source did not say.
    contrasts = {c.id for c in shipped for other in attested if f"(see {c.id})" in other.note}
    missing = [c.id for c in shipped if c not in attested and c.id not in contrasts]
    assert missing == []
    assert "state-visit" in contrasts
    # The check is not vacuous: a term the article does not have is not attested.
    assert not _attested("Federasyon Konseyi", article_words)


# --------------------------------------------------------------------------- validate


def c(cid: str, **langs: list[Term] | tuple[Term, ...]) -> Concept:
    return Concept(cid, {lang: tuple(terms) for lang, terms in langs.items()})


def T(text: str, lang: str, kind: str = "fullForm", status: str = "preferred") -> Term:
    return Term(text, lang, kind, status)  # type: ignore[arg-type]


def _checks(concepts: list[Concept], langs: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    return [(f.check, f.unit_id, f.lang) for f in validate(concepts, langs=langs)]


def test_duplicate_terms_follow_turkish_case_rules() -> None:
    concepts = [
        c("a", tr=[T("İş birliği", "tr")]),
        c("b", tr=[T("iş birliği", "tr")]),
        c("c", tr=[T("ISIK", "tr")]),
        c("d", tr=[T("isik", "tr")]),  # I/i are different letters in Turkish: no duplicate
        c("e", tr=[T("IŞIK", "tr")]),
        c("f", tr=[T("ışık", "tr")]),
        c("g", en=[T("ISIK", "en")]),  # another language: no duplicate
    ]
    assert _checks(concepts) == [("glossary-duplicate-term", "b", "tr"), ("glossary-duplicate-term", "f", "tr")]
    (finding,) = [f for f in validate(concepts) if f.unit_id == "b"]
    assert finding.severity == "error" and "'a'" in finding.message


def test_each_problem_is_found() -> None:
    concepts = [
        c("ok", tr=[T("Kazakistan", "tr")], en=[T("Kazakhstan", "en")]),
        c("ok", tr=[T("Rusya", "tr")], en=[T("Russia", "en")]),
        c("1bad", tr=[T("a", "tr")], en=[T("a", "en")]),
        c("no-en", tr=[T("b", "tr")]),
        c("empty"),
        c(
            "orphan",
            tr=[T("AEB", "tr", "abbreviation")],
            en=[T("Eurasian Economic Union", "en"), T("EAEU", "en", "abbreviation")],
        ),
        c("badlang", tr=[T("c", "tr")], en=[T("c", "en")], xx_bogus=[T("c", "xx_bogus")]),
        c("mismatch", tr=[T("d", "en")], en=[T("d", "en")]),
        c("order", tr=[T("e", "tr")], en=[T("NPP", "en", "abbreviation"), T("nuclear power plant", "en")]),
        c("two", tr=[T("f", "tr"), T("g", "tr")], en=[T("f", "en")]),
        c("dead", tr=[T("h", "tr", status="deprecated")], en=[T("h", "en")]),
        c("twice", tr=[T("i", "tr"), T("I", "tr", "variant", "admitted")], en=[T("i", "en")]),
        c("blank", tr=[T(" ", "tr")], en=[T("j  k", "en")]),
    ]
    found = set(_checks(concepts, ("tr", "en")))
    expected = {
        ("glossary-duplicate-id", "ok", ""),
        ("glossary-bad-id", "1bad", ""),
        ("glossary-missing-language", "no-en", "en"),
        ("glossary-no-terms", "empty", ""),
        ("glossary-missing-language", "empty", "tr"),
        ("glossary-missing-language", "empty", "en"),
        ("glossary-abbreviation-without-full-form", "orphan", "tr"),
        ("glossary-bad-language", "badlang", "xx_bogus"),
        ("glossary-bad-language", "mismatch", "tr"),
        ("glossary-preferred-order", "order", "en"),
        ("glossary-preferred-conflict", "two", "tr"),
        ("glossary-no-approved-term", "dead", "tr"),
        ("glossary-empty-term", "blank", "tr"),
        ("glossary-spacing", "blank", "en"),
    }
    assert expected <= found
    # "i" and "I" differ in Turkish (I is the capital of ı): not a repeat.
    assert ("glossary-repeated-term", "twice", "tr") not in found
    assert found == expected
    (repeated,) = validate([c("x", en=[T("same", "en"), T("Same", "en", "variant", "admitted")])])
    assert repeated.check == "glossary-repeated-term" and repeated.severity == "warning"


# --------------------------------------------------------------------------- merge


def _eaeu_case() -> tuple[list[Concept], list[Concept]]:
    existing = [
        Concept(
            "eaeu",
            {
                "tr": (T("Avrasya Ekonomik Birliği", "tr"),),
                "en": (T("Eurasian Economic Union", "en"), T("EEU", "en", "abbreviation")),
            },
            definition="Union of five states.",
        ),
        c("cis", en=[T("CIS", "en", "abbreviation")]),
    ]
    incoming = [
        Concept(
            "eaeu",
            {
                "en": (T("EAEU", "en", "abbreviation"), T("eeu", "en", "abbreviation", "deprecated")),
                "ru": (T("ЕАЭС", "ru", "abbreviation"),),
            },
            definition="Economic union.",
            note="Since 2015.",
        ),
        c("moscow", en=[T("Moscow", "en")]),
    ]
    return existing, incoming


def test_merge_keeps_the_curated_termbase_and_reports_what_it_did_not_take() -> None:
    existing, incoming = _eaeu_case()
    result = merge_concepts(existing, incoming)
    assert isinstance(result, MergeResult)
    assert [x.id for x in result.concepts] == ["eaeu", "cis", "moscow"]
    assert result.added == ("moscow",) and result.updated == ("eaeu",)
    eaeu = result.concepts[0]
    # Existing terms and values win; new terms are added, a competing preferred one as admitted.
    assert eaeu.terms["en"] == (
        T("Eurasian Economic Union", "en"),
        T("EEU", "en", "abbreviation"),
        T("EAEU", "en", "abbreviation", "admitted"),
    )
    assert eaeu.terms["tr"] == existing[0].terms["tr"]
    assert eaeu.terms["ru"] == (T("ЕАЭС", "ru", "abbreviation"),)
    assert (eaeu.definition, eaeu.note) == ("Union of five states.", "Since 2015.")
    assert result.concepts[1] == existing[1]
    conflicts = [(f.check, f.lang) for f in result.conflicts]
    assert conflicts == [
        ("glossary-merge-conflict", "en"),
        ("glossary-merge-demoted", "en"),
        ("glossary-merge-conflict", ""),
    ]
    assert "'eeu' (abbreviation, deprecated)" in result.conflicts[0].message
    assert "Economic union." in result.conflicts[2].message
    assert str(result) == "1 concepts added, 1 updated, 1 unchanged, 3 conflicting values settled (see below)"


def test_merge_preferring_the_import() -> None:
    existing, incoming = _eaeu_case()
    result = merge_concepts(existing, incoming, prefer="incoming")
    eaeu = result.concepts[0]
    # The matching term takes the incoming spelling and status; the replaced preferred abbreviation is demoted.
    assert eaeu.terms["en"] == (
        T("Eurasian Economic Union", "en"),
        T("EAEU", "en", "abbreviation"),
        T("eeu", "en", "abbreviation", "deprecated"),
    )
    assert eaeu.definition == "Economic union."
    infos = [f.message for f in result.changes if f.check == "glossary-merge-field"]
    assert any("was: 'Union of five states.'" in m for m in infos)
    assert result.conflicts == ()


def test_merge_demotes_a_replaced_preferred_term_and_says_so() -> None:
    existing = [c("npp", en=[T("nuclear power station", "en"), T("NPP", "en", "abbreviation")])]
    incoming = [c("npp", en=[T("nuclear power plant", "en")])]
    result = merge_concepts(existing, incoming, prefer="incoming")
    (concept,) = result.concepts
    assert concept.terms["en"] == (
        T("nuclear power plant", "en"),
        T("NPP", "en", "abbreviation"),
        T("nuclear power station", "en", status="admitted"),
    )
    assert concept.preferred("en").text == "nuclear power plant"
    (demoted,) = [f for f in result.changes if f.check == "glossary-merge-demoted"]
    assert demoted.severity == "warning" and "nuclear power station" in demoted.message
    assert validate(result.concepts) == []
    kept = merge_concepts(existing, incoming).concepts[0]
    assert kept.preferred("en").text == "nuclear power station"
    assert T("nuclear power plant", "en", status="admitted") in kept.terms["en"]


def test_merge_matches_concepts_without_known_ids_by_their_terms() -> None:
    existing = [c("kremlin", tr=[T("Kremlin", "tr")], en=[T("Kremlin", "en")]), c("moscow", tr=[T("Moskova", "tr")])]
    imported = [
        c("kremlin-2", tr=[T("KREMLİN", "tr")], ru=[T("Кремль", "ru")]),  # from a TSV import: made-up id
        c("x", tr=[T("Moskova", "tr")], en=[T("Kremlin", "en")]),  # names two concepts: added as new
    ]
    result = merge_concepts(existing, imported)
    assert [x.id for x in result.concepts] == ["kremlin", "moscow", "x"]
    assert result.concepts[0].terms == {
        "tr": (T("Kremlin", "tr"),),
        "en": (T("Kremlin", "en"),),
        "ru": (T("Кремль", "ru"),),
    }
    assert any(f.check == "glossary-merge-ambiguous" for f in result.changes)
    # The spelling difference is no conflict worth a warning: the import says nothing but "a term".
    assert [f.check for f in result.conflicts] == ["glossary-merge-ambiguous"]
    unmatched = merge_concepts(existing, imported[:1], match_terms=False)
    assert [x.id for x in unmatched.concepts] == ["kremlin", "moscow", "kremlin-2"]


_WORD = st.sampled_from(["Astana", "astana", "Moskova", "İş", "iş", "IŞIK", "ışık", "AEB", "Rusya", "Kremlin"])
_TERM = st.builds(
    Term,
    _WORD,
    st.just("tr"),
    st.sampled_from(["fullForm", "abbreviation", "variant"]),
    st.sampled_from(["preferred", "admitted", "deprecated"]),
)


def _distinct(terms: list[Term]) -> tuple[Term, ...]:
    unique = {casefold(t.text, t.lang): t for t in terms}
    return tuple(unique.values())


_CONCEPT = st.builds(
    lambda cid, tr, en: Concept(cid, {"tr": _distinct(tr), "en": _distinct(en)}),
    st.sampled_from(["a", "b", "c", "d"]),
    st.lists(_TERM, min_size=1, max_size=3),
    st.lists(_TERM.map(lambda t: Term(t.text, "en", t.kind, t.status)), max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(
    existing=st.lists(_CONCEPT, max_size=4, unique_by=lambda x: x.id),
    incoming=st.lists(_CONCEPT, max_size=4),
    prefer=st.sampled_from(["existing", "incoming"]),
)
def test_merge_never_drops_a_term(existing: list[Concept], incoming: list[Concept], prefer: str) -> None:
    result = merge_concepts(existing, incoming, prefer=prefer)  # type: ignore[arg-type]

    def keys(concepts: tuple[Concept, ...] | list[Concept]) -> set[tuple[str, str]]:
        return {(lang, casefold(t.text, lang)) for x in concepts for lang, terms in x.terms.items() for t in terms}

    assert keys(existing) | keys(incoming) <= keys(result.concepts)
    assert len(result.concepts) == len(existing) + len(result.added)
    assert len({x.id for x in result.concepts}) == len(result.concepts)
    # Merging never repeats a term within a concept.
    for x in result.concepts:
        for lang, terms in x.terms.items():
            assert len({casefold(t.text, lang) for t in terms}) == len(terms)
