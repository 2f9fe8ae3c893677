"""Reviewed translations and header fields read as a catalog streams give what the catalog model gives."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project
from kervan.pipeline import common
from kervan.project import load_project

CATALOG = r'''# A translator's comment
msgid ""
msgstr ""
"Project-Id-Version: news 1.0\n"
"POT-Creation-Date: 2025-11-13 10:00+0000\n"
"PO-Revision-Date: 2025-11-20 09:30+0300\n"
"Language: ru\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
"n%100>=20) ? 1 : 2);\n"
"X-Note: a value\n"
"continued on a line without a colon\n"

msgid "Reviewed."
msgstr "Проверено."

#, fuzzy
msgid "Fuzzy."
msgstr "Неточно."

msgid "Empty."
msgstr ""

msgctxt "menu"
msgid "Reviewed."
msgstr "Проверено (меню)."

msgid "One file"
msgid_plural "%d files"
msgstr[0] "%d файл"
msgstr[1] "%d файла"
msgstr[2] "%d файлов"

msgid "Multi\n"
"line"
msgstr "Много\n"
"строк"

#~ msgid "Old."
#~ msgstr "Старое."
'''


def _both(project_root: Path, reader):  # type: ignore[no-untyped-def]
    project = load_project(project_root)
    common._CATALOGS.clear()
    streamed = reader(project)
    for _lang, domain, po in common.catalog_paths(project, None):
        common.read_catalog(po)
        common.read_catalog(project.pot_path(domain))
    assert common._CATALOGS  # the second read comes from the models
    modelled = reader(project)
    common._CATALOGS.clear()
    return streamed, modelled


def test_streamed_and_modelled_reads_agree(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    domain = next((root / "sources").glob("*.txt")).stem
    crafted = root / "locales" / "ru" / "LC_MESSAGES" / f"{domain}.po"
    shipped = root / "locales" / "en" / "LC_MESSAGES" / f"{domain}.po"
    crafted.write_text(CATALOG, encoding="utf-8")

    def reviewed(project):  # type: ignore[no-untyped-def]
        return [common.reviewed_translations(project, lang, domain) for lang in ("en", "ru")]

    def headers(project):  # type: ignore[no-untyped-def]
        return [common.catalog_header(path) for path in (shipped, crafted, project.pot_path(domain))]

    streamed, modelled = _both(root, reviewed)
    assert streamed == modelled
    assert list(streamed[1].items()) == [("Reviewed.", "Проверено (меню)."), ("Multi\nline", "Много\nстрок")]
    assert len(streamed[0]) > 10  # the shipped English catalog
    streamed, modelled = _both(root, headers)
    assert streamed == modelled
    assert streamed[1]["X-Note"] == "a value\ncontinued on a line without a colon"
    assert streamed[1]["PO-Revision-Date"] == "2025-11-20 09:30+0300"
