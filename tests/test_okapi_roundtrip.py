"""Okapi's own files end to end: its TMX of potest.po fills an emptied copy of that catalog, placeholders
included, and the one translation in it whose placeholders do not fit (an extra %d, in Okapi's test data) is
refused by `kervan compile` exactly where `msgfmt -c` refuses it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib

from conftest import DATA, run_kervan

OKAPI = DATA / "okapi"


def _project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "p"
    (root / "sources").mkdir(parents=True)
    (root / "kervan.toml").write_text(
        '[project]\nname = "potest"\nsource-language = "en"\ntarget-languages = ["fr"]\n', encoding="utf-8"
    )
    folder = root / "locales" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.pofile(str(OKAPI / "potest.po"))
    for entry in po:
        entry.msgstr = ""
        entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Language"] = "fr"
    po.save(str(folder / "potest.po"))
    return root, folder / "potest.po"


def test_okapi_tmx_fills_the_catalog_with_its_placeholders(tmp_path: Path, msgfmt: str) -> None:
    root, po_path = _project(tmp_path)
    done = run_kervan("tmx", "import", str(OKAPI / "potest.po.normal.tmx"), "--lang", "fr", cwd=root)
    assert done.returncode == 0, done.stderr
    filled = {e.msgid: e.msgstr for e in polib.pofile(str(po_path)) if e.msgstr}
    assert filled["Text with an approved translation %s"] == "Texte avec une traducion approuvée %s"
    assert filled["First sentence. Second sentence with %s."] == "Deuxième phrase d'abord avec %s. Puis la première."
    assert all(("%s" in source) == ("%s" in target) for source, target in filled.items() if "%d" not in target)

    # Okapi's data translates "... %s" as "... %s et d'autre codes %d.": one argument too many.
    gnu = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert gnu.returncode != 0
    gnu_lines = {line.split(":")[1] for line in gnu.stderr.splitlines() if "warning" not in line and ".po:" in line}
    compiled = run_kervan("compile", cwd=root)
    assert compiled.returncode == 2
    assert compiled.stderr.count("\n") == 1 and "potest.po:" in compiled.stderr
    assert compiled.stderr.split("potest.po:")[1].split(":")[0] in gnu_lines
    assert not po_path.with_suffix(".mo").exists()

    qa = run_kervan("qa", "--json", cwd=root)
    assert '"check": "placeholders"' in qa.stdout and qa.returncode == 1
