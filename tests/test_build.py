"""`kervan build` end to end on a copy of the shipped project, checked by GNU gettext, Python and lxml."""

from __future__ import annotations

import gettext
import hashlib
import json
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree

from conftest import ARTICLE_ID, copy_project, run_kervan

LANGS = ("en", "ru")


def kervan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_kervan(*args, cwd=cwd)


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], subprocess.CompletedProcess[str]]:
    root = copy_project(tmp_path_factory.mktemp("project"))
    committed = snapshot(root)
    result = kervan("build", cwd=root)
    return root, committed, result


def test_build_succeeds_and_summarises(built) -> None:
    _root, _, result = built
    assert result.returncode == 0, result.stderr + result.stdout
    assert "18 segments" in result.stdout
    for lang in LANGS:
        assert f"{lang}: 18 translated, 0 fuzzy, 0 untranslated" in result.stdout


def test_build_changes_no_committed_file(built) -> None:
    root, committed, _ = built
    after = snapshot(root)
    changed = [name for name, digest in committed.items() if after.get(name) != digest]
    assert changed == []


def test_second_build_changes_nothing(built) -> None:
    root, _, _ = built
    before = snapshot(root)
    result = kervan("build", cwd=root)
    assert result.returncode == 0, result.stderr
    after = snapshot(root)
    # Compiled catalogs are rewritten byte-identically; everything else must not even be touched.
    assert before == after


def test_catalogs_pass_msgfmt_check(built, msgfmt) -> None:
    root, _, _ = built
    files = [root / "locales" / f"{ARTICLE_ID}.pot"] + [
        root / "locales" / lang / "LC_MESSAGES" / f"{ARTICLE_ID}.po" for lang in LANGS
    ]
    for path in files:
        check = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, f"{path}: {check.stderr}"


def test_gettext_loads_every_mo_and_translates_every_segment(built) -> None:
    root, _, _ = built
    template = polib.pofile(str(root / "locales" / f"{ARTICLE_ID}.pot"))
    sources = [e.msgid for e in template if e.msgid]
    assert len(sources) == 18
    for lang in LANGS:
        translation = gettext.translation(ARTICLE_ID, localedir=str(root / "locales"), languages=[lang])
        po = polib.pofile(str(root / "locales" / lang / "LC_MESSAGES" / f"{ARTICLE_ID}.po"))
        expected = {e.msgid: e.msgstr for e in po if e.msgid}
        for source in sources:
            rendered = translation.gettext(source)
            assert rendered != source
            assert rendered == expected[source]


def test_tmx_is_valid_and_complete(built, schema_dir) -> None:
    root, _, _ = built
    tmx_files = list((root / "build").glob("*.tmx"))
    assert len(tmx_files) == 1
    data = tmx_files[0].read_bytes()
    doc = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True)).getroottree()
    dtd = etree.DTD(str(schema_dir / "tmx14.dtd"))
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()
    units = doc.getroot().findall("body/tu")
    assert len(units) == 18
    for tu in units:
        langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.findall("tuv")}
        assert langs == {"tr", "en", "ru"}


def test_rendered_articles(built) -> None:
    root, _, _ = built
    en = next((root / "build").glob("*.en.txt")).read_text(encoding="utf-8")
    ru = next((root / "build").glob("*.ru.txt")).read_text(encoding="utf-8")
    assert "November 13, 2025" in en
    assert "13 ноября 2025" in ru
    assert "Kassym-Jomart Tokayev" in en and "Касым-Жомарт Токаев" in ru


def test_gnu_msgcat_reproduces_our_catalogs(built, msgcat) -> None:
    root, _, _ = built
    files = [root / "locales" / f"{ARTICLE_ID}.pot"] + [
        root / "locales" / lang / "LC_MESSAGES" / f"{ARTICLE_ID}.po" for lang in LANGS
    ]
    for path in files:
        out = subprocess.run([msgcat, "--no-wrap", str(path)], capture_output=True, check=True)
        assert out.stdout == path.read_bytes(), path


def test_translate_toolkit_reads_our_tmx(built) -> None:
    from translate.storage import tmx as tt_tmx

    root, _, _ = built
    data = next((root / "build").glob("*.tmx")).read_bytes()
    expected = {}
    for lang in LANGS:
        po = polib.pofile(str(root / "locales" / lang / "LC_MESSAGES" / f"{ARTICLE_ID}.po"))
        expected[lang] = {e.msgid: e.msgstr for e in po if e.msgid}
    store = tt_tmx.tmxfile(data, sourcelanguage="tr", targetlanguage="ru")
    units = store.units
    assert len(units) == 18
    for unit in units:
        assert unit.target == expected["ru"][unit.source]
    english = tt_tmx.tmxfile(data, sourcelanguage="tr", targetlanguage="en")
    assert {u.source: u.target for u in english.units} == expected["en"]


def test_segment_command_on_the_article(built) -> None:
    root, _, _ = built
    result = kervan("segment", f"sources/{ARTICLE_ID}.txt", cwd=root)
    assert result.returncode == 0, result.stderr
    paragraphs = result.stdout.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 16
    assert [len(p.split("\n")) for p in paragraphs] == [1] * 15 + [3]
    assert "21. Rusya-Kazakistan Bölgelerarası" in paragraphs[15].split("\n")[2]
    records = json.loads(kervan("segment", "--json", f"sources/{ARTICLE_ID}.txt", cwd=root).stdout)
    assert [r["id"] for r in records][:2] == [f"{ARTICLE_ID}:1.1", f"{ARTICLE_ID}:2.1"]
    assert records[-1]["id"] == f"{ARTICLE_ID}:16.3" and records[-1]["paragraph"] == 16
