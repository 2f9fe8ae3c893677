"""TBX files written by other tools (Okapi's test suite: Maryland, SDL, IBM and Oracle exports): every
non-empty term is read and imported, empty `<term/>`s are skipped with a warning naming their line, ISO 12620
termTypes the model has no kind for are kept as notes, and concepts that share a term are never merged.

The term counts are checked against lxml counting the `<term>` elements directly.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from lxml import etree

from conftest import DATA, copy_project, run_kervan
from kervan.formats.tbx import read_tbx, write_tbx
from kervan.model import Concept, Term
from kervan.terms.glossary import merge_concepts

OKAPI = DATA / "okapi"


@pytest.fixture(scope="module")
def sdl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("okapi") / "sdl_tbx.tbx"
    path.write_bytes(gzip.decompress((OKAPI / "sdl_tbx.tbx.gz").read_bytes()))
    return path


def _counted_by_lxml(path: Path) -> tuple[int, int, list[int]]:
    """(entries, non-empty terms, lines of empty terms), straight from the XML tree."""
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True))
    entries = tree.xpath("count(//*[local-name()='termEntry' or local-name()='conceptEntry'])")
    terms = tree.xpath("//*[local-name()='term']")
    full = [t for t in terms if "".join(t.itertext()).strip()]
    return int(entries), len(full), [t.sourceline for t in terms if not "".join(t.itertext()).strip()]


@pytest.mark.parametrize("name", ["maryland.tbx", "sdl", "ibm_tbx.tbx", "oracle_TBX.tbx"])
def test_every_term_of_foreign_files_is_read(name: str, sdl: Path) -> None:
    path = sdl if name == "sdl" else OKAPI / name
    entries, terms, empty_lines = _counted_by_lxml(path)
    warnings: list[str] = []
    concepts = read_tbx(path, warnings=warnings)
    assert len(concepts) == entries
    assert sum(len(t) for c in concepts for t in c.terms.values()) == terms
    assert warnings == [f"{path}:{line}: " + warnings[n].split(": ", 1)[1] for n, line in enumerate(empty_lines)]
    assert all("empty <term>" in w for w in warnings)


def test_sdl_export_figures(sdl: Path) -> None:
    """The figures Okapi's own TBX reader test gives for this file: 223 entries, the last one c228."""
    warnings: list[str] = []
    concepts = read_tbx(sdl, warnings=warnings)
    assert (len(concepts), concepts[-1].id) == (223, "c228")
    assert sum(len(t) for c in concepts for t in c.terms.values()) == 472
    assert len(warnings) == 44
    lines = sdl.read_text(encoding="utf-8").split("\n")
    for warning in warnings:
        line = int(re.match(r".*:(\d+): ", warning).group(1))
        assert lines[line - 1].strip() == "<term/>"


def test_synonym_is_a_full_form_with_a_note() -> None:
    (concept,) = read_tbx(OKAPI / "maryland.tbx")
    assert concept.id == "eid-VocCod-211.01"
    fr = {t.text: t for t in concept.terms["fr"]}
    assert set(fr) == {"copiste", "scribe", "écrivain"}
    assert fr["scribe"].kind == "fullForm"
    assert "[fr] scribe: termType: synonym (read as fullForm)" in concept.note
    assert "[fr] copiste: termType: entryTerm (read as fullForm)" in concept.note
    assert concept.definition.startswith("personne qui accomplit un travail copie")


@pytest.mark.parametrize("value", ["synonym", "synonymousPhrase", "internationalism", "phraseologicalUnit",
                                   "orthographicVariant", "entryTerm", "SKU"])  # fmt: skip
def test_iso_12620_term_types_are_accepted(value: str, tmp_path: Path) -> None:
    path = tmp_path / "t.tbx"
    path.write_text(
        '<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>t</p></sourceDesc></fileDesc>'
        '</martifHeader><text><body><termEntry id="a"><langSet xml:lang="en"><ntig><termGrp><term>x</term>'
        f'<termNote type="termType">{value}</termNote></termGrp></ntig></langSet></termEntry></body></text></martif>',
        encoding="utf-8",
    )
    (concept,) = read_tbx(path)
    assert concept.terms["en"][0].text == "x"
    assert f"termType: {value}" in concept.note


def test_a_concept_of_empty_terms_only_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "t.tbx"
    path.write_text(
        '<martif type="TBX" xml:lang="en"><text><body>\n<termEntry id="a">\n<langSet xml:lang="en"><tig>'
        '<term/></tig></langSet></termEntry>\n<termEntry id="b"><langSet xml:lang="en"><tig><term>y</term></tig>'
        '</langSet><langSet xml:lang="de"><tig><term> </term></tig></langSet></termEntry>\n</body></text></martif>',
        encoding="utf-8",
    )
    warnings: list[str] = []
    concepts = read_tbx(path, warnings=warnings)
    assert [(c.id, sorted(c.terms)) for c in concepts] == [("b", ["en"])]
    assert warnings == [f"{path}:3: empty <term> in en skipped", f"{path}:2: concept 'a' skipped: all its terms are "
                        "empty", f"{path}:4: empty <term> in de skipped"]  # fmt: skip


def _terms(path: Path) -> int:
    return sum(len(t) for c in read_tbx(path) for t in c.terms.values())


def test_import_of_the_sdl_export_keeps_every_term(tmp_path: Path, sdl: Path) -> None:
    project = copy_project(tmp_path / "p")
    glossary = project / "glossary" / "kervan.tbx"
    before = _terms(glossary)
    done = run_kervan("glossary", "import", str(sdl), cwd=project)
    assert done.returncode == 0, done.stderr
    assert _terms(glossary) == before + 472
    assert f"{sdl}: 223 concepts, 472 terms read" in done.stdout
    assert done.stdout.count("empty <term>") == 44
    # Importing again changes nothing: every concept is matched by its id.
    again = run_kervan("glossary", "import", str(sdl), cwd=project)
    assert again.returncode == 0 and "(unchanged)" in again.stdout
    assert _terms(glossary) == before + 472


RIVER = Concept(
    "river-bank",
    {"en": (Term("bank", "en"),), "ru": (Term("берег", "ru"),)},
    definition="the land alongside a river",
)
MONEY = Concept(
    "financial-bank",
    {"en": (Term("bank", "en"),), "ru": (Term("банк", "ru"),)},
    definition="an institution that keeps money",
)


def test_identified_concepts_that_share_a_term_are_homonyms() -> None:
    result = merge_concepts([RIVER], [MONEY], identified=lambda _c: True)
    assert [c.id for c in result.concepts] == ["river-bank", "financial-bank"]
    assert result.concepts[0] == RIVER and result.concepts[1] == MONEY
    assert [f.unit_id for f in result.homonyms] == ["financial-bank"]
    assert "river-bank" in result.homonyms[0].message and result.conflicts == ()


def test_import_keeps_homonyms_apart_and_says_so(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    glossary = project / "glossary" / "kervan.tbx"
    write_tbx([*read_tbx(glossary), RIVER], glossary)
    incoming = tmp_path / "bank.tbx"
    write_tbx([MONEY], incoming, version=2)
    done = run_kervan("glossary", "import", str(incoming), cwd=project)
    assert done.returncode == 0, done.stderr
    assert "homonym: financial-bank:" in done.stdout and "1 homonyms kept apart" in done.stdout
    concepts = {c.id: c for c in read_tbx(glossary)}
    assert concepts["river-bank"] == RIVER
    assert concepts["financial-bank"].terms["ru"][0].text == "банк"
    assert concepts["financial-bank"].definition == MONEY.definition


def test_tsv_rows_still_merge_by_their_terms() -> None:
    """A TSV row has no id of its own: its terms are what identifies it."""
    row = Concept("tsv-1", {"en": (Term("bank", "en"),), "de": (Term("Ufer", "de"),)})
    result = merge_concepts([RIVER], [row])
    assert [c.id for c in result.concepts] == ["river-bank"]
    assert [t.text for t in result.concepts[0].terms["de"]] == ["Ufer"]

