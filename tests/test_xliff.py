"""XLIFF 1.2: valid against the OASIS strict and transitional schemas, read by Translate Toolkit and by OmegaT
3.6's XLIFF filter, and read back from other tools with their inline codes kept as native text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree
from translate.storage import xliff as ttk_xliff

from conftest import ARTICLE_ID, DATA, copy_project, run_kervan
from kervan.formats.pocheck import Problem
from kervan.formats.xliff import XLIFF_NS, XliffDocument, XliffFile, read_xliff

XLIFF_DATA = DATA / "xliff"
NS = {"x": XLIFF_NS}


def kervan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = run_kervan(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result


def schema(kind: str) -> etree.XMLSchema:
    """The OASIS schema, its import of xml.xsd pointed at the local copy (no network)."""
    text = (XLIFF_DATA / f"xliff-core-1.2-{kind}.xsd").read_bytes()
    text = text.replace(b'schemaLocation="http://www.w3.org/2001/xml.xsd"', b'schemaLocation="xml.xsd"')
    return etree.XMLSchema(etree.fromstring(text, base_url=f"{XLIFF_DATA}/"))


def po_entries(root: Path, lang: str) -> dict[str, polib.POEntry]:
    po = polib.pofile(str(root / "locales" / lang / "LC_MESSAGES" / f"{ARTICLE_ID}.po"))
    return {e.msgid: e for e in po if e.msgid and not e.obsolete}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def test_export_is_valid_strict_and_transitional_xliff(project: Path) -> None:
    kervan("xliff", "export", "-o", "out/", cwd=project)
    for lang in ("en", "ru"):
        tree = etree.parse(str(project / "out" / f"kervan-news.{lang}.xlf"))
        for kind in ("strict", "transitional"):
            xsd = schema(kind)
            assert xsd.validate(tree), (kind, lang, xsd.error_log)
        # One <file> per article, a group per paragraph, a unit per segment.
        assert len(tree.findall("x:file", NS)) == 1
        assert len(tree.findall(".//x:group", NS)) == 16  # the headline and 15 paragraphs
        assert len(tree.findall(".//x:trans-unit", NS)) == 18
    # The schema is a real check: a unit without <source> is refused.
    tree = etree.parse(str(project / "out" / "kervan-news.en.xlf"))
    unit = tree.find(".//x:trans-unit", NS)
    unit.remove(unit.find("x:source", NS))
    assert not schema("strict").validate(tree)


def test_translate_toolkit_reads_every_unit_with_the_right_texts(project: Path) -> None:
    po = po_entries(project, "ru")
    fuzzy_id = next(iter(po))
    po[fuzzy_id].flags.append("fuzzy")
    po[fuzzy_id].msgstr = "Токаев: черновик"
    po_path = project / "locales" / "ru" / "LC_MESSAGES" / f"{ARTICLE_ID}.po"
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        if entry.msgid == fuzzy_id:
            entry.flags.append("fuzzy")
            entry.msgstr = "Токаев: черновик"
    catalog.save()
    kervan("xliff", "export", "--lang", "ru", "-o", "ru.xlf", cwd=project)
    segments = json.loads(kervan("segment", "--json", f"sources/{ARTICLE_ID}.txt", cwd=project).stdout)
    store = ttk_xliff.xlifffile.parsefile(str(project / "ru.xlf"))
    units = [u for u in store.units if not u.isheader()]
    assert [u.source for u in units] == [s["text"] for s in segments]
    assert [u.target for u in units] == [po[s["text"]].msgstr for s in segments]
    assert [u.istranslated() for u in units] == [s["text"] != fuzzy_id for s in segments]
    assert units[0].isfuzzy() and units[0].get_state_n() != units[1].get_state_n()
    # Glossary terms as notes, headline and date as context.
    notes = units[11].getnotes()
    expected = (
        "Term: Avrasya Ekonomik Birliği = en: Eurasian Economic Union, EAEU | ru: Евразийский экономический союз, ЕАЭС"
    )
    assert expected in notes.splitlines()
    context = etree.parse(str(project / "ru.xlf")).find(".//x:trans-unit/x:context-group[@purpose='information']", NS)
    assert [c.get("context-type") for c in context] == ["x-headline", "x-date"]
    assert context[1].text == "2025-11-13"


def test_round_trip_fills_and_reports_a_revised_unit(project: Path) -> None:
    kervan("xliff", "export", "--lang", "en", "-o", "en.xlf", cwd=project)
    before = po_entries(project, "en")
    tree = etree.parse(str(project / "en.xlf"))
    targets = tree.findall(".//x:target", NS)
    targets[3].text = targets[3].text + " (revised)"
    tree.write(str(project / "en.xlf"), encoding="UTF-8", xml_declaration=True)
    po_path = project / "locales" / "en" / "LC_MESSAGES" / f"{ARTICLE_ID}.po"
    catalog = polib.pofile(str(po_path))
    blank = [e for e in catalog if e.msgid][5]
    blank.msgstr = ""
    catalog.save()

    report = json.loads(kervan("xliff", "import", "en.xlf", "--json", cwd=project).stdout)
    assert report["filled"] == {"en": 1} and report["unchanged"] == {"en": 16}
    assert [c["tmx"] for c in report["conflicts"]] == [targets[3].text]
    assert po_entries(project, "en")[blank.msgid].msgstr == before[blank.msgid].msgstr
    report = json.loads(kervan("xliff", "import", "en.xlf", "--overwrite", "--json", cwd=project).stdout)
    assert report["overwritten"] == {"en": 1}
    assert po_entries(project, "en")[targets[3].getparent().find("x:source", NS).text].msgstr == targets[3].text


def test_inline_codes_read_as_translate_toolkit_reads_them() -> None:
    for name in ("omegat-tags.xlf", "cat-tool-inline.xlf"):
        ours = [u for f in read_xliff(XLIFF_DATA / name).files for u in f.units]
        theirs = [u for u in ttk_xliff.xlifffile.parsefile(str(XLIFF_DATA / name)).units if not u.isheader()]
        assert [(u.segment.text, u.target) for u in ours] == [(u.source, u.target) for u in theirs], name
    units = read_xliff(XLIFF_DATA / "omegat-tags.xlf").files[0].units
    assert units[1].target == "About <b>Gandalf</b>"  # <bpt>/<ept> keep their native code


def test_import_from_a_cat_tool_keeps_inline_codes(project: Path) -> None:
    po_path = project / "locales" / "ru" / "LC_MESSAGES" / f"{ARTICLE_ID}.po"
    catalog = polib.pofile(str(po_path))
    blank = next(e for e in catalog if e.msgid.startswith("Moskova ve Astana siyasi"))
    blank.msgstr = ""
    # The catalog holds what the tool's file was made from (the fixture does not follow later catalog edits).
    for entry in catalog:
        if entry.msgid.startswith("Liderler, stratejik"):
            entry.msgstr = (
                "Помимо стратегического партнёрства, лидеры обсудили также сотрудничество в экономической и "
                "энергетической сферах."
            )
        if entry.msgid.startswith("Rusya, Kazakistan’da kurulacak"):
            entry.msgstr = (
                "Россия в полном объёме выполнит свои обязательства по проекту строительства первой атомной "
                "электростанции в Казахстане."
            )
    catalog.save()
    shutil.copy(XLIFF_DATA / "cat-tool-inline.xlf", project / "in.xlf")
    report = json.loads(kervan("xliff", "import", "in.xlf", "--json", cwd=project).stdout)
    assert report["units"] == 4
    assert report["filled"] == {"ru": 1} and report["unchanged"] == {"ru": 1}
    assert [c["tmx"] for c in report["conflicts"]] == [
        "Россия в полном объёме выполнит свои обязательства<br/>по проекту строительства первой атомной "
        "электростанции в Казахстане."
    ]
    assert po_entries(project, "ru")[blank.msgid].msgstr == (
        "Москва и Астана договорились поддерживать политические контакты на всех уровнях."
    )
    # The unit that needs review is not taken as a translation.
    assert "может быть" not in po_path.read_text(encoding="utf-8")


def test_bad_xliff_is_one_line_error(project: Path) -> None:
    cases = {
        "broken.xlf": b"<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'><file>",
        "two.xlf": b"<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0' srcLang='tr'/>",
        "other.xlf": b"<tmx version='1.4'/>",
    }
    before = (project / "locales" / "ru" / "LC_MESSAGES" / f"{ARTICLE_ID}.po").read_bytes()
    for name, data in cases.items():
        (project / name).write_bytes(data)
        result = run_kervan("xliff", "import", name, cwd=project)
        assert result.returncode == 2, name
        assert re.fullmatch(rf"kervan: error: {name}(:\d+)?: .+\n", result.stderr), result.stderr
    assert "XLIFF 2.x is not supported" in run_kervan("xliff", "import", "two.xlf", cwd=project).stderr
    assert (project / "locales" / "ru" / "LC_MESSAGES" / f"{ARTICLE_ID}.po").read_bytes() == before


def test_omegat_xliff_filter_opens_the_export(omegat: tuple[str, str, str], project: Path, tmp_path: Path) -> None:
    java, _javac, jar = omegat
    folder = tmp_path / "omt"
    kervan("omegat", "export", str(folder), "--lang", "ru", cwd=project)
    for path in (folder / "source").iterdir():
        path.unlink()
    kervan("xliff", "export", "--lang", "ru", "-o", str(folder / "source" / "article.xlf"), cwd=project)
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        [java, "-Djava.awt.headless=true", f"-Duser.home={home}", "-jar", jar, str(folder),
         "--mode=console-translate"],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    # OmegaT 3.6's XLIFF filter opens the file and writes it back, each unit in place. That filter translates
    # the content of <target> (it expects a copy of the source there, as Okapi prepares files), so its 18
    # segments are the 18 translations of the shipped catalog; docs/xliff.md says to use `kervan omegat export`.
    stats = (folder / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    assert re.search(r"^Total:\s+18\s", stats, re.M), stats
    written = read_xliff(folder / "target" / "article.xlf").files[0].units
    exported = read_xliff(folder / "source" / "article.xlf").files[0].units
    assert [(u.segment.id, u.segment.text) for u in written] == [(u.segment.id, u.segment.text) for u in exported]


def test_results_do_not_share_their_lists() -> None:
    from kervan.pipeline.exchange import ExchangeResult
    from kervan.pipeline.files import CompileResult

    one, two = XliffDocument(), XliffDocument()
    one.files.append(XliffFile("a.txt", "tr", "en", ()))
    one.warnings.append("w")
    assert (two.files, two.warnings) == ([], [])
    first, second = ExchangeResult(), ExchangeResult()
    first.lines.append("x: written")
    first.files.append({"path": "x"})
    assert (second.lines, second.files) == ([], [])
    compiled, other = CompileResult("a.po", "a.mo"), CompileResult("b.po", "b.mo")
    compiled.problems.append(Problem(1, "error", "e"))
    assert other.problems == [] and not other.failed and compiled.failed
