"""Translators' round trip through the real CLI: TMX import from foreign tools, source edits, QA, stats, render."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import ARTICLE_ID, copy_project, run_kervan

PO = {lang: Path("locales") / lang / "LC_MESSAGES" / f"{ARTICLE_ID}.po" for lang in ("en", "ru")}


def kervan(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_kervan(*args, cwd=cwd, stdin=stdin)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def catalog(root: Path, lang: str) -> polib.POFile:
    return polib.pofile(str(root / PO[lang]))


def entries(root: Path, lang: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in catalog(root, lang) if e.msgid and not e.obsolete}


def empty_translations(root: Path, lang: str, count: int) -> dict[str, str]:
    """Blank the first `count` translations; return what they were."""
    po = catalog(root, lang)
    emptied = {}
    for entry in [e for e in po if e.msgid][:count]:
        emptied[entry.msgid] = entry.msgstr
        entry.msgstr = ""
    po.save()
    return emptied


def foreign_tmx(pairs: dict[str, str], lang_tag: str) -> str:
    """A TMX as an older CAT tool writes it: TMX 1.1 `lang`, upper-case tags, inline <ph>, no tuid."""
    units = []
    for source, target in pairs.items():
        src = source.replace("&", "&amp;").replace("<", "&lt;")
        tgt = target.replace("&", "&amp;").replace("<", "&lt;")
        # An empty inline code at the end of the target, as tools write a tag they do not carry the text of.
        units.append(
            f'<tu><tuv lang="TR-TR"><seg>{src}</seg></tuv>'
            f'<tuv lang="{lang_tag}"><seg>{tgt}<ph x="1"/></seg></tuv></tu>'
        )
    body = "\n".join(units)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.1">\n'
        '<header creationtool="OldCAT" creationtoolversion="2" segtype="sentence" o-tmf="x" adminlang="EN-US" '
        'srclang="TR-TR" datatype="plaintext"/>\n'
        f"<body>\n{body}\n</body>\n</tmx>\n"
    )


def test_export_then_import_restores_emptied_translations(project: Path) -> None:
    emptied = empty_translations(project, "ru", 5)
    other = {k: v for k, v in list(entries(project, "en").items())[:3]}
    tmx = project / "from-translator.tmx"
    tmx.write_text(foreign_tmx(emptied, "RU-RU"), encoding="utf-8")
    result = kervan("tmx", "import", str(tmx), "--lang", "ru", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["filled"] == {"ru": 5}
    assert report["conflicts"] == [] and report["unmatched"] == []
    assert any("ph" in warning for warning in report["warnings"])
    restored = entries(project, "ru")
    for source, target in emptied.items():
        assert restored[source].msgstr == target
    assert {k: v.msgstr for k, v in list(entries(project, "en").items())[:3]} == {k: v.msgstr for k, v in other.items()}


def test_changed_target_is_kept_and_reported_then_overwritten(project: Path) -> None:
    source, entry = next(iter(entries(project, "en").items()))
    changed = entry.msgstr.replace("Tokayev", "Tokaev")
    assert changed != entry.msgstr
    tmx = project / "changed.tmx"
    tmx.write_text(foreign_tmx({source: changed, "Bu cümle katalogda yok.": "Not in the catalog."}, "en-US"))
    result = kervan("tmx", "import", str(tmx), "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["conflicts"] == [{"lang": "en", "source": source, "catalog": entry.msgstr, "tmx": changed}]
    assert [u["source"] for u in report["unmatched"]] == ["Bu cümle katalogda yok."]
    assert entries(project, "en")[source].msgstr == entry.msgstr

    result = kervan("tmx", "import", str(tmx), "--overwrite", cwd=project)
    assert result.returncode == 0, result.stderr
    assert entries(project, "en")[source].msgstr == changed


def test_units_of_other_projects_are_counted_past_the_first_hundred(project: Path) -> None:
    # A translator's whole memory holds mostly units of other projects: the report lists a hundred of them and
    # counts the rest, so it (and the memory the import takes) stays small whatever the file's size.
    source, entry = next(iter(entries(project, "en").items()))
    others = {f"Başka bir projenin cümlesi {n}.": f"Another project's sentence {n}." for n in range(250)}
    tmx = project / "memory.tmx"
    tmx.write_text(foreign_tmx({**others, source: entry.msgstr}, "en"))
    report = json.loads(kervan("tmx", "import", str(tmx), "--json", cwd=project).stdout)
    assert report["units"] == 251 and report["unchanged"] == {"en": 1}
    assert [u["source"] for u in report["unmatched"]] == list(others)[:100]
    assert report["unmatched_total"] == 250
    # Each unit's target ends with an empty inline code: one warning per unit, a hundred listed.
    assert len(report["warnings"]) == 100 and report["warnings_total"] == 251
    shown = kervan("tmx", "import", str(tmx), cwd=project)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert sum("not in the catalogs (" in line for line in lines) == 100
    assert lines[-1] == "  ... and 150 more units not in the catalogs"


def test_a_report_lists_a_hundred_warnings_and_counts_the_rest(project: Path) -> None:
    units = "".join(f'<tu tuid="u{n}"><tuv xml:lang="en"><seg>English only {n}</seg></tuv></tu>' for n in range(130))
    tmx = project / "english.tmx"
    tmx.write_text(f'<?xml version="1.0"?><tmx version="1.4"><header srclang="tr"/><body>{units}</body></tmx>')
    result = kervan("tmx", "import", str(tmx), "--json", cwd=project)
    report = json.loads(result.stdout)
    assert len(report["warnings"]) == 100 and report["warnings_total"] == 130
    assert "unit u0 has no Turkish (tr) text, skipped" in report["warnings"][0]
    shown = kervan("tmx", "import", str(tmx), cwd=project)
    warnings = shown.stderr.splitlines()
    assert len(warnings) == 101 and warnings[-1] == "kervan: warning: ... and 30 more warnings (--json counts them all)"


def test_our_own_tmx_round_trips(project: Path) -> None:
    before = {lang: {k: v.msgstr for k, v in entries(project, lang).items()} for lang in ("en", "ru")}
    out = project / "ours.tmx"
    assert kervan("tmx", "export", "-o", str(out), cwd=project).returncode == 0
    for lang in ("en", "ru"):
        empty_translations(project, lang, 18)
    result = kervan("tmx", "import", str(out), "--json", cwd=project)
    assert json.loads(result.stdout)["filled"] == {"en": 18, "ru": 18}
    after = {lang: {k: v.msgstr for k, v in entries(project, lang).items()} for lang in ("en", "ru")}
    assert after == before


def test_source_edit_fuzzy_removed_obsolete_added_untranslated(project: Path) -> None:
    before = {lang: {k: v.msgstr for k, v in entries(project, lang).items()} for lang in ("en", "ru")}
    article = project / "sources" / f"{ARTICLE_ID}.txt"
    text = article.read_text(encoding="utf-8")
    lines = text.split("\n")
    edited_old = "Moskova ve Astana siyasi temasların her düzeyde sürdürülmesi konusunda mutabakata vardı."
    edited_new = (
        "Moskova ve Astana siyasi temasların her düzeyde düzenli olarak sürdürülmesi konusunda mutabakata vardı."
    )
    removed = lines[13]
    added = "Taraflar, bir sonraki zirvenin 2026 yılında Astana’da yapılmasını kararlaştırdı."
    assert edited_old in lines
    lines[lines.index(edited_old)] = edited_new
    lines[13] = added
    article.write_text("\n".join(lines), encoding="utf-8")

    result = kervan("update", cwd=project)
    assert result.returncode == 0, result.stderr
    for lang in ("en", "ru"):
        po = catalog(project, lang)
        live = {e.msgid: e for e in po if e.msgid and not e.obsolete}
        fuzzy = live[edited_new]
        assert fuzzy.fuzzy and fuzzy.previous_msgid == edited_old
        assert fuzzy.msgstr == before[lang][edited_old]
        assert live[added].msgstr == ""
        obsolete = {e.msgid: e.msgstr for e in po if e.obsolete}
        assert obsolete[removed] == before[lang][removed]
        # Nothing lost: every old translation is still in the file, live, fuzzy or obsolete.
        kept = {e.msgstr for e in po}
        assert set(before[lang].values()) <= kept
    stats = json.loads(kervan("stats", "--json", cwd=project).stdout)["languages"]
    for row in stats:
        assert row["fuzzy"]["segments"] == 1 and row["untranslated"]["segments"] == 1
        assert row["translated"]["segments"] == 16
    qa = kervan("qa", "--json", cwd=project)
    assert qa.returncode == 1
    checks = {(f["check"], f["unit"].split(":")[1]) for f in json.loads(qa.stdout)["findings"]}
    assert ("fuzzy", "7.1") in checks and ("untranslated", "14.1") in checks


def test_qa_passes_shipped_and_catches_dropped_term(project: Path) -> None:
    clean = kervan("qa", "--json", cwd=project)
    assert clean.returncode == 0, clean.stdout
    assert [f for f in json.loads(clean.stdout)["findings"] if f["severity"] == "error"] == []

    po = catalog(project, "ru")
    for entry in po:
        if "(ЕАЭС)" in entry.msgstr:
            entry.msgstr = entry.msgstr.replace("В рамках Евразийского экономического союза (ЕАЭС) с", "С")
    po.save()
    found = kervan("qa", "--lang", "ru", "--json", cwd=project)
    assert found.returncode == 1
    findings = json.loads(found.stdout)["findings"]
    assert any(f["check"] == "terminology" and "ЕАЭС" in f["message"] for f in findings)


def test_render_has_every_translation_and_a_localized_date(project: Path) -> None:
    for lang, date in (("en", "November 13, 2025"), ("ru", "13 ноября 2025")):
        result = kervan("render", "--lang", lang, cwd=project)
        assert result.returncode == 0 and result.stderr == ""
        for entry in entries(project, lang).values():
            assert entry.msgstr in result.stdout
        assert date in result.stdout.replace("\u202f", " ")


def test_render_reports_untranslated(project: Path) -> None:
    emptied = empty_translations(project, "en", 2)
    result = kervan("render", "--lang", "en", cwd=project)
    assert result.returncode == 0
    assert "2 segment(s) untranslated" in result.stderr
    for source in emptied:
        assert source in result.stdout


def test_import_confirms_fuzzy_entry_and_reports_the_replaced_text(project: Path) -> None:
    article = project / "sources" / f"{ARTICLE_ID}.txt"
    old = "Moskova ve Astana siyasi temasların her düzeyde sürdürülmesi konusunda mutabakata vardı."
    new = "Moskova ve Astana siyasi temasların her düzeyde sürdürülmesi konusunda tam mutabakata vardı."
    article.write_text(article.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert kervan("update", cwd=project).returncode == 0
    stale = entries(project, "en")[new]
    assert stale.fuzzy
    revised = "Moscow and Astana reached full agreement to maintain political contacts at all levels."
    tmx = project / "revised.tmx"
    tmx.write_text(foreign_tmx({new: revised}, "en"), encoding="utf-8")
    report = json.loads(kervan("tmx", "import", str(tmx), "--json", cwd=project).stdout)
    assert report["filled"] == {"en": 1}
    assert report["fuzzy_replaced"] == [{"lang": "en", "source": new, "fuzzy": stale.msgstr, "tmx": revised}]
    confirmed = entries(project, "en")[new]
    assert not confirmed.fuzzy and confirmed.previous_msgid is None and confirmed.msgstr == revised


def test_template_of_a_removed_article_is_kept_and_reported(project: Path) -> None:
    stale = project / "locales" / "2024-01-01-eski-haber.pot"
    stale.write_bytes((project / "locales" / f"{ARTICLE_ID}.pot").read_bytes())
    result = kervan("extract", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "locales/2024-01-01-eski-haber.pot: unchanged (no source article any more; kept)" in result.stdout
    assert stale.is_file()
