"""Term lookup, scan, extraction and glossary exchange through the real command line."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from conftest import ARTICLE, ARTICLE_ID, copy_project, run_kervan


def kervan(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_kervan(*args, cwd=cwd, stdin=stdin)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("terms"))


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("AEB’nin", "eaeu"),
        ("AEB'ye", "eaeu"),
        ("Евразийского экономического союза", "eaeu"),
        ("BAĞIMSIZ DEVLETLER TOPLULUĞU", "cis"),
        ("Avrasya Ekonomik Birligi", "eaeu"),
        ("СНГ", "cis"),
        ("Hazar Denizi’ndeki", "caspian-sea"),
        ("Каспийском море", "caspian-sea"),
        ("nükleer enerji santralinin", "nuclear-power-plant"),
        ("işbirliği", "cooperation"),
        ("Putin’e", "putin"),
    ],
)
def test_lookup_finds_inflected_forms(project: Path, query: str, concept: str) -> None:
    result = kervan("term", "lookup", "--json", query, cwd=project)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["query"] == query
    best = data["matches"][0]
    assert best["concept"] == concept
    assert best["how"] in {"exact", "normalized", "inflected", "fuzzy"}
    assert 0 < best["score"] <= 1
    assert set(best["terms"]) == {"tr", "en", "ru"}


@pytest.mark.parametrize("query", ["ABD", "NATO", "Ankara", "xyzzy"])
def test_lookup_negative_exits_1(project: Path, query: str) -> None:
    result = kervan("term", "lookup", "--json", query, cwd=project)
    assert result.returncode == 1
    assert json.loads(result.stdout)["matches"] == []


def test_lookup_table_for_people(project: Path) -> None:
    result = kervan("term", "lookup", "BDT", cwd=project)
    assert result.returncode == 0
    assert "Commonwealth of Independent States" in result.stdout and "СНГ" in result.stdout


def test_scan_russian_longest_match(project: Path) -> None:
    text = "Страны ЕАЭС обсудили строительство АЭС на берегу Каспийского моря."
    result = kervan("term", "scan", "--lang", "ru", "--json", "-", cwd=project, stdin=text)
    assert result.returncode == 0, result.stderr
    found = [(o["text"], o["concept"]) for o in json.loads(result.stdout)["occurrences"]]
    assert ("ЕАЭС", "eaeu") in found and ("АЭС", "nuclear-power-plant") in found
    assert sum(concept == "nuclear-power-plant" for _, concept in found) == 1
    for occurrence in json.loads(result.stdout)["occurrences"]:
        assert text[occurrence["start"] : occurrence["end"]] == occurrence["text"]


def test_extract_acronyms_from_article(project: Path) -> None:
    result = kervan("term", "extract", "--json", str(ARTICLE), cwd=project)
    assert result.returncode == 0, result.stderr
    pairs = {c["text"]: c for c in json.loads(result.stdout)["candidates"]}
    assert pairs["AEB"]["expansion"] == "Avrasya Ekonomik Birliği" and pairs["AEB"]["known"]
    assert pairs["BDT"]["expansion"] == "Bağımsız Devletler Topluluğu"


def test_glossary_validate_clean(project: Path) -> None:
    result = kervan("glossary", "validate", "--json", cwd=project)
    assert result.returncode == 0, result.stdout
    assert json.loads(result.stdout) == {"findings": []}


def test_glossary_exports_read_by_translate_toolkit(project: Path, tmp_path: Path) -> None:
    from translate.storage import tbx as tt_tbx

    v2 = tmp_path / "martif.tbx"
    assert kervan("glossary", "export", "--format", "tbx2", "-o", str(v2), cwd=project).returncode == 0
    store = tt_tbx.tbxfile(v2.read_bytes())
    sources = {unit.source for unit in store.units}
    assert "Avrasya Ekonomik Birliği" in sources or "Eurasian Economic Union" in sources

    folder = tmp_path / "csv"
    assert kervan("glossary", "export", "--format", "csv", "-o", str(folder), cwd=project).returncode == 0
    with (folder / "glossary.tr-ru.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["source"]: row["target"] for row in csv.DictReader(handle)}
    assert rows["AEB"] == "ЕАЭС"


def test_glossary_export_import_is_stable(project: Path, tmp_path: Path) -> None:
    before = (project / "glossary" / "kervan.tbx").read_bytes()
    for fmt in ("tbx", "tbx2"):
        out = tmp_path / f"g-{fmt}.tbx"
        assert kervan("glossary", "export", "--format", fmt, "-o", str(out), cwd=project).returncode == 0
        result = kervan("glossary", "import", str(out), cwd=project)
        assert result.returncode == 0, result.stderr
    assert (project / "glossary" / "kervan.tbx").read_bytes() == before


def test_pot_comments_list_terms(repo: Path) -> None:
    import polib

    pot = polib.pofile(str(repo / "locales" / f"{ARTICLE_ID}.pot"))
    entry = next(e for e in pot if "(AEB)" in e.msgid)
    assert (
        "Term: Avrasya Ekonomik Birliği = en: Eurasian Economic Union, EAEU | ru: Евразийский экономический союз, ЕАЭС"
        in (entry.comment)
    )
    entry = next(e for e in pot if "(BDT)" in e.msgid)
    assert "СНГ" in entry.comment and "CIS" in entry.comment
