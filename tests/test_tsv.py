"""Glossary TSV (OmegaT) and CSV: read back by Python's csv module and Translate Toolkit, round trips, bad input."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from kervan.errors import KervanError
from kervan.formats.tbx import read_tbx
from kervan.formats.tsv import read_tsv, write_tsv
from kervan.model import Concept, Term
from kervan.text import casefold


@pytest.fixture(scope="module")
def shipped() -> list[Concept]:
    return read_tbx(REPO / "glossary" / "kervan.tbx")


def _export(concepts: list[Concept], target: str, dialect: str = "tsv") -> bytes:
    out = io.BytesIO()
    write_tsv(concepts, out, source_lang="tr", target_lang=target, dialect=dialect)  # type: ignore[arg-type]
    return out.getvalue()


def _check_rows(rows: list[tuple[str, str, str]], concepts: list[Concept], target: str) -> None:
    """Every source term is a row; each row's target is an approved term of the same concept, of the same kind."""
    by_source = {}
    for concept in concepts:
        for term in concept.terms["tr"]:
            by_source[term.text] = (concept, term)
    assert sorted(row[0] for row in rows) == sorted(by_source)
    for source, rendering, comment in rows:
        concept, term = by_source[source]
        approved = {t.text: t for t in concept.terms[target] if t.status != "deprecated"}
        assert rendering in approved
        if term.kind == "abbreviation" and any(t.kind == "abbreviation" for t in approved.values()):
            assert approved[rendering].kind == "abbreviation"
        elif term.kind != "abbreviation":
            assert rendering == concept.preferred(target).text
        assert concept.definition in comment


@pytest.mark.parametrize("target", ["en", "ru"])
def test_tsv_export_as_python_csv_and_omegat_read_it(shipped: list[Concept], target: str) -> None:
    data = _export(shipped, target)
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff") and "\r" not in text
    lines = text.split("\n")
    assert lines[-1] == ""
    # What OmegaT's reader needs: no comment lines by accident, 2 or 3 fields per line.
    assert all(not line.startswith("#") and line.count("\t") in (1, 2) for line in lines[:-1])
    rows = [tuple([*row, ""][:3]) for row in csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)]
    _check_rows(rows, shipped, target)  # type: ignore[arg-type]

    from translate.storage.omegat import OmegaTFile

    store = OmegaTFile(io.BytesIO(data))
    assert [(u.source, u.target, u.getnotes() or "") for u in store.units] == rows


def test_abbreviations_map_to_abbreviations(shipped: list[Concept]) -> None:
    rows = {row[0]: row[1] for row in csv.reader(io.StringIO(_export(shipped, "en").decode()), delimiter="\t")}
    assert rows["AEB"] == "EAEU"
    assert rows["BDT"] == "CIS"
    assert rows["Avrasya Ekonomik Birliği"] == "Eurasian Economic Union"
    # A deprecated source term still maps (texts contain it); deprecated targets never appear.
    assert rows["Nur-Sultan"] == "Astana"
    assert "EEU" not in rows.values()
    assert rows["işbirliği"] == "cooperation"
    ru = {row[0]: row[1] for row in csv.reader(io.StringIO(_export(shipped, "ru").decode()), delimiter="\t")}
    assert (ru["AEB"], ru["BDT"], ru["NES"]) == ("ЕАЭС", "СНГ", "АЭС")


@pytest.mark.parametrize("target", ["en", "ru"])
def test_csv_export_as_python_csv_and_translate_toolkit_read_it(shipped: list[Concept], target: str) -> None:
    data = _export(shipped, target, "csv")
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    assert reader.fieldnames == ["source", "target", "notes"]
    rows = [(r["source"], r["target"], r["notes"]) for r in reader]
    _check_rows(rows, shipped, target)
    assert data.count(b"\r\n") == len(rows) + 1  # RFC 4180 line ends, one line per record

    from translate.storage.csvl10n import csvfile

    store = csvfile(io.BytesIO(data))
    assert [(u.source, u.target, u.getnotes()) for u in store.units] == rows


def test_csv_quotes_what_needs_quoting() -> None:
    concept = Concept("q", {"tr": (Term('a, "b"', "tr"),), "en": (Term("c;d", "en"),)}, definition='say "x", then y')
    data = _export([concept], "en", "csv")
    assert list(csv.reader(io.StringIO(data.decode(), newline="")))[1] == [
        'a, "b"',
        "c;d",
        'Definition: say "x", then y',
    ]
    (back,) = read_tsv(io.BytesIO(data), source_lang="tr", target_lang="en", dialect="csv")
    assert back.terms["tr"][0].text == 'a, "b"' and back.definition == 'say "x", then y' and back.note == ""


def test_comment_holds_definition_and_note_and_reads_back() -> None:
    concept = Concept("c", {"tr": (Term("a", "tr"),), "en": (Term("b", "en"),)}, "Def | with bar.", "A note.")
    data = _export([concept], "en")
    assert data == b"a\tb\tDefinition: Def | with bar. | Note: A note.\n"
    (back,) = read_tsv(io.BytesIO(data), source_lang="tr", target_lang="en")
    assert (back.definition, back.note) == ("Def | with bar.", "A note.")
    # A comment written by someone else is a note.
    (other,) = read_tsv(io.BytesIO(b"a\tb\tsee p. 3 | Definition: x\n"), source_lang="tr", target_lang="en")
    assert (other.definition, other.note) == ("", "see p. 3 | Definition: x")


# --------------------------------------------------------------------------- round trips

_FIELD = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"),
        min_size=1,
        max_size=25,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and not s.startswith("#"))
)


@st.composite
def _pairs(draw: st.DrawFn) -> list[tuple[str, str, str]]:
    rows = draw(st.lists(st.tuples(_FIELD, _FIELD, st.one_of(st.just(""), _FIELD)), min_size=1, max_size=8))
    unique: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        unique.setdefault(casefold(row[0], "tr"), row)
    return list(unique.values())


@pytest.mark.parametrize("dialect", ["tsv", "csv"])
@settings(max_examples=80, deadline=None)
@given(pairs=_pairs())
def test_bilingual_glossary_round_trips(pairs: list[tuple[str, str, str]], dialect: str) -> None:
    concepts = [
        Concept(f"c{i}", {"tr": (Term(s, "tr"),), "ru": (Term(t, "ru"),)}, note=n) for i, (s, t, n) in enumerate(pairs)
    ]
    out = io.BytesIO()
    assert write_tsv(concepts, out, source_lang="tr", target_lang="ru", dialect=dialect) == len(pairs)  # type: ignore[arg-type]
    back = read_tsv(io.BytesIO(out.getvalue()), source_lang="tr", target_lang="ru", dialect=dialect)  # type: ignore[arg-type]
    assert [(c.terms["tr"][0].text, c.terms["ru"][0].text, c.note) for c in back] == pairs
    assert all(set(c.terms) == {"tr", "ru"} for c in back)
    # And once read, writing again gives the same file.
    again = io.BytesIO()
    write_tsv(back, again, source_lang="tr", target_lang="ru", dialect=dialect)  # type: ignore[arg-type]
    assert again.getvalue() == out.getvalue()


def test_shipped_glossary_survives_tsv_and_reimport(shipped: list[Concept], tmp_path: Path) -> None:
    path = tmp_path / "glossary.tr-en.utf8"
    rows = write_tsv(shipped, path, source_lang="tr", target_lang="en")
    back = read_tsv(path, source_lang="tr", target_lang="en")
    assert len(back) == rows  # every Turkish term of the glossary is distinct, so each row is a concept
    for concept in back:
        (source,) = concept.terms["tr"]
        assert source.kind == "fullForm" and source.status == "preferred"
        assert [t.status for t in concept.terms["en"]] == ["preferred"]
    assert len({c.id for c in back}) == len(back)


# --------------------------------------------------------------------------- reading


def test_rows_sharing_a_source_term_make_one_concept() -> None:
    data = (
        "# exported by hand\nİş birliği\tcooperation\tTDK spelling\n\n"
        "iş birliği\tco-operation\r\nİŞ BİRLİĞİ\tcooperation\tTDK spelling\nIşık\tlight\n"
    )
    concepts = read_tsv(io.BytesIO(("\ufeff" + data).encode()), source_lang="tr", target_lang="en")
    assert [c.id for c in concepts] == ["is-birligi", "isik"]
    first = concepts[0]
    assert first.terms["tr"] == (Term("İş birliği", "tr"),)
    assert first.terms["en"] == (Term("cooperation", "en"), Term("co-operation", "en", "fullForm", "admitted"))
    assert first.note == "TDK spelling"


def test_csv_header_names_and_order() -> None:
    data = "Notes,EN,tr,extra\nn1,Astana,Astana,x\n,Moscow,Moskova,\n"
    concepts = read_tsv(io.BytesIO(data.encode()), source_lang="tr", target_lang="en", dialect="csv")
    assert [(c.terms["tr"][0].text, c.terms["en"][0].text, c.note) for c in concepts] == [
        ("Astana", "Astana", "n1"),
        ("Moskova", "Moscow", ""),
    ]
    headerless = read_tsv(
        io.BytesIO(b"Rusya,Russia\r\nRusya,Russian Federation,official\r\n"),
        source_lang="tr",
        target_lang="en",
        dialect="csv",
    )
    assert [t.text for t in headerless[0].terms["en"]] == ["Russia", "Russian Federation"]


def test_a_row_without_target_keeps_its_source_term() -> None:
    (concept,) = read_tsv(io.BytesIO(b"Kremlin\t\n"), source_lang="tr", target_lang="en")
    assert concept.terms == {"tr": (Term("Kremlin", "tr"),)}


@pytest.mark.parametrize(
    ("data", "dialect", "message", "line"),
    [
        (b"a\tb\n\nonly-one-field\n", "tsv", "found 1 field(s)", 3),
        (b"a\tb\tc\td\n", "tsv", "found 4 field(s)", 1),
        (b"a\tb\n\tb\n", "tsv", "empty source term", 2),
        (b"ok\tfine\n\xff\xfe\tbad\n", "tsv", "not valid UTF-8", 2),
        (b"a,b\nc\n", "csv", "found 1 field(s)", 2),
        (b'source,target\nx,"unterminated\n', "csv", "malformed CSV", 2),
    ],
)
def test_bad_rows_are_refused_with_their_line(data: bytes, dialect: str, message: str, line: int) -> None:
    with pytest.raises(KervanError, match=re.escape(message)) as caught:
        read_tsv(io.BytesIO(data), source_lang="tr", target_lang="en", dialect=dialect)  # type: ignore[arg-type]
    assert caught.value.line == line


def test_bad_arguments_and_files(tmp_path: Path) -> None:
    with pytest.raises(KervanError, match="unknown language code"):
        read_tsv(io.BytesIO(b"a\tb\n"), source_lang="tr", target_lang="xx-bogus")
    with pytest.raises(KervanError, match="both 'tr'"):
        write_tsv([], io.BytesIO(), source_lang="tr", target_lang="tr")
    with pytest.raises(KervanError, match="unknown glossary dialect"):
        read_tsv(io.BytesIO(b""), source_lang="tr", target_lang="en", dialect="xlsx")  # type: ignore[arg-type]
    with pytest.raises(KervanError, match="No such file") as caught:
        read_tsv(tmp_path / "none.tsv", source_lang="tr", target_lang="en")
    assert caught.value.path == str(tmp_path / "none.tsv")


@pytest.mark.parametrize("text", ["a\tb", "a\nb", "#tag"])
def test_writer_refuses_terms_a_line_based_reader_would_misread(text: str, tmp_path: Path) -> None:
    concept = Concept("c", {"tr": (Term(text, "tr"),), "en": (Term("x", "en"),)})
    path = tmp_path / "out.tsv"
    with pytest.raises(KervanError) as caught:
        write_tsv([concept], path, source_lang="tr", target_lang="en")
    assert caught.value.path == str(path)
    assert not path.exists()


def test_comments_are_one_line() -> None:
    concept = Concept("c", {"tr": (Term("a", "tr"),), "en": (Term("b", "en"),)}, definition="two\nlines\tand tab")
    assert _export([concept], "en") == b"a\tb\tDefinition: two lines and tab\n"


@pytest.mark.parametrize(("dialect", "target"), [("tsv", "en"), ("csv", "ru")])
def test_reimporting_an_export_changes_nothing(shipped: list[Concept], dialect: str, target: str) -> None:
    from kervan.terms.glossary import merge_concepts

    incoming = read_tsv(
        io.BytesIO(_export(shipped, target, dialect)), source_lang="tr", target_lang=target, dialect=dialect
    )  # type: ignore[arg-type]
    result = merge_concepts(shipped, incoming)
    assert list(result.concepts) == shipped
    # Every imported row found its concept (by its terms, or by an id that happens to be the same word).
    assert (result.added, result.updated, result.conflicts) == ((), (), ())
