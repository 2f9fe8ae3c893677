"""Everyday use through the real command line: a new project with articles of its own, work in progress,
and every function on plain files from elsewhere, checked against GNU gettext, Python's gettext and
Translate Toolkit."""

from __future__ import annotations

import gettext
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from conftest import ARTICLE, ARTICLE_ID, REPO, copy_project, run_kervan

GLOSSARY = REPO / "glossary" / "kervan.tbx"
RU_PO = REPO / "locales" / "ru" / "LC_MESSAGES" / f"{ARTICLE_ID}.po"
EN_PO = REPO / "locales" / "en" / "LC_MESSAGES" / f"{ARTICLE_ID}.po"


def kervan(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_kervan(*args, cwd=cwd, stdin=stdin)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def article(tmp: Path, number: int, headline: str, date: str = "2025-12-01") -> Path:
    """An article of the user's own: the shipped body, paragraphs rotated, under a new header."""
    body = ARTICLE.read_text(encoding="utf-8").split("\n")[1:]
    body = [line for line in body if line.strip()]
    rotated = body[number % len(body) :] + body[: number % len(body)]
    path = tmp / f"draft-{number}.txt"
    path.write_text(f" date {date} {headline}\n" + "\n".join(rotated) + f"\nEk paragraf {number}.\n", encoding="utf-8")
    return path


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kervan: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


# --------------------------------------------------------------------------- init, add, list


@pytest.fixture(scope="module")
def new_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """init, add three articles, translate a few entries by hand, build."""
    tmp = tmp_path_factory.mktemp("new")
    result = kervan("init", "news", cwd=tmp)
    assert result.returncode == 0, result.stderr
    root = tmp / "news"
    drafts = [
        article(tmp, 1, "Astana’da enerji zirvesi başladı", "2025-12-01"),
        article(tmp, 2, "Hazar Denizi’nde su seviyesi düşüyor", "2025-12-02"),
        article(tmp, 3, "Rusya ile Kazakistan ortak pazar için anlaştı", "2025-12-03"),
    ]
    added = kervan("add", *map(str, drafts), cwd=root)
    assert added.returncode == 0, added.stderr
    first = kervan("build", cwd=root)
    assert first.returncode == 0, first.stderr
    # A translator fills three Russian entries of the first article.
    po_path = next((root / "locales" / "ru" / "LC_MESSAGES").glob("2025-12-01-*.po"))
    po = polib.pofile(str(po_path))
    for entry in [e for e in po if e.msgid][:3]:
        entry.msgstr = "Перевод: " + entry.msgid
    po.save()
    return root


def test_init_makes_a_loadable_project_with_an_empty_termbase(tmp_path: Path) -> None:
    from translate.storage.tbx import tbxfile

    from kervan.formats.tbx import read_tbx
    from kervan.project import load_project

    result = kervan("init", "desk", "--lang", "en", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {f["path"] for f in json.loads(result.stdout)["files"]} >= {"kervan.toml", "glossary/kervan.tbx"}
    project = load_project(tmp_path / "desk")
    assert (project.name, project.source_lang, project.target_langs) == ("desk", "tr", ("en",))
    assert project.sources_dir.is_dir() and project.locales_dir.is_dir()
    assert read_tbx(str(project.glossary_path)) == []
    data = project.glossary_path.read_bytes()
    assert b'type="TBX-Basic"' in data and b"urn:iso:std:iso:30042" in data
    # An independent reader takes it, in the TBX v2 form OmegaT and Translate Toolkit read.
    exported = kervan("glossary", "export", "--format", "tbx2", "-o", "-", cwd=tmp_path / "desk")
    assert exported.returncode == 0, exported.stderr
    assert tbxfile.parsestring(exported.stdout.encode("utf-8")).units == []
    # Running it again changes nothing and says why.
    before = snapshot(tmp_path)
    assert "already a Kervan project" in one_error_line(kervan("init", "desk", cwd=tmp_path))
    assert snapshot(tmp_path) == before


def test_add_takes_articles_under_readable_ids(new_project: Path) -> None:
    names = sorted(p.name for p in (new_project / "sources").iterdir())
    assert names == [
        "2025-12-01-astanada-enerji-zirvesi.txt",
        "2025-12-02-hazar-denizinde-su.txt",
        "2025-12-03-rusya-ile-kazakistan.txt",
    ]


def test_add_refuses_duplicates_and_bad_headers_and_adds_nothing_then(new_project: Path, tmp_path: Path) -> None:
    before = snapshot(new_project)
    again = new_project / "sources" / "2025-12-01-astanada-enerji-zirvesi.txt"
    copy = tmp_path / "copy.txt"
    copy.write_bytes(again.read_bytes())
    assert "already in the project as sources/2025-12-01-astanada-enerji-zirvesi.txt" in one_error_line(
        kervan("add", str(copy), cwd=new_project)
    )
    headless = tmp_path / "headless.txt"
    headless.write_text("Başlıksız bir metin.\nİkinci paragraf.\n", encoding="utf-8")
    fresh = article(tmp_path, 7, "Yepyeni bir haber")
    line = one_error_line(kervan("add", str(fresh), str(headless), cwd=new_project))
    assert re.search(r"headless\.txt:1: no article header", line)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(" date 2025-12-09 Kışın\nMetin.\n".encode("iso-8859-9"))  # not UTF-8
    one_error_line(kervan("add", str(latin1), cwd=new_project))
    same_id = article(tmp_path, 8, "Astana’da enerji zirvesi sürüyor", "2025-12-01")
    assert "already in the project" in one_error_line(kervan("add", str(same_id), cwd=new_project))
    assert snapshot(new_project) == before
    named = kervan("add", str(same_id), "--id", "2025-12-01-astana-ikinci-gun", "--json", cwd=new_project)
    assert json.loads(named.stdout)["added"][0]["id"] == "2025-12-01-astana-ikinci-gun"
    (new_project / "sources" / "2025-12-01-astana-ikinci-gun.txt").unlink()


def test_list_shows_per_language_progress(new_project: Path) -> None:
    result = kervan("list", "--json", cwd=new_project)
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)["articles"]}
    assert len(rows) == 3
    first = rows["2025-12-01-astanada-enerji-zirvesi"]
    assert first["headline"] == "Astana’da enerji zirvesi başladı" and first["date"] == "2025-12-01"
    assert first["languages"]["ru"] == {"translated": 3, "fuzzy": 0, "untranslated": first["segments"] - 3}
    assert first["languages"]["en"]["translated"] == 0
    table = kervan("list", cwd=new_project).stdout
    assert "3/" in table and "2025-12-03-rusya-ile-kazakistan" in table


# --------------------------------------------------------------------------- build with work in progress


def test_build_with_work_in_progress_succeeds_briefly(new_project: Path) -> None:
    # --no-tm: the three hand-made translations alone (the memory would copy them into the other articles).
    result = kervan("build", "--no-tm", cwd=new_project)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) < 25, result.stdout
    assert lines[0].startswith("3 article(s)")
    assert re.search(r"^  ru: 3 translated, 0 fuzzy, \d+ untranslated \(\d+%\)$", result.stdout, re.M)
    assert "untranslated" not in "\n".join(line for line in lines if line.startswith("    "))  # no per-segment flood


def test_build_strict_and_json(new_project: Path) -> None:
    strict = kervan("build", "--strict", "--no-tm", cwd=new_project)
    assert strict.returncode == 1
    data = json.loads(kervan("build", "--json", "--no-tm", cwd=new_project).stdout)
    assert data["articles"] == 3
    ru = next(t for t in data["totals"] if t["lang"] == "ru")
    assert ru["translated"]["segments"] == 3
    checks = {c["check"]: c for c in data["qa"]["checks"]}
    assert checks["untranslated"]["errors"] == ru["untranslated"]["segments"] + next(
        t for t in data["totals"] if t["lang"] == "en"
    )["untranslated"]["segments"]
    assert len(data["qa"]["findings"]) >= checks["untranslated"]["errors"]


def test_build_renders_one_page_per_article_and_language(new_project: Path) -> None:
    pages = sorted(p.name for p in (new_project / "build").glob("*.txt"))
    ids = sorted(p.stem for p in (new_project / "sources").iterdir())
    assert pages == [f"{a}.{lang}.txt" for a in ids for lang in ("en", "ru")]
    page = (new_project / "build" / "2025-12-01-astanada-enerji-zirvesi.ru.txt").read_text(encoding="utf-8")
    blocks = page.split("\n\n")
    assert blocks[0] == "Перевод: Astana’da enerji zirvesi başladı"  # the headline, translated
    assert blocks[1] == "1 декабря 2025\u202fг."  # the date, as Russian writes it (CLDR: narrow space)
    assert re.search(r"^\[untranslated: \d+ of \d+ segments left in Turkish: [\d., ]+\]$", page, re.M)
    done = kervan("render", "--lang", "en", "--article", "2025-12-02-hazar-denizinde-su", cwd=new_project)
    assert done.stdout.split("\n\n")[1] == "December 2, 2025"
    assert "untranslated" in done.stderr and "untranslated" in done.stdout.splitlines()[-1]


def test_qa_selects_and_excludes_checks(new_project: Path) -> None:
    everything = kervan("qa", "--json", cwd=new_project)
    assert everything.returncode == 1
    found = {f["check"] for f in json.loads(everything.stdout)["findings"]}
    assert "untranslated" in found
    only = json.loads(kervan("qa", "--check", "untranslated", "--json", cwd=new_project).stdout)["findings"]
    assert {f["check"] for f in only} == {"untranslated"}
    rest = kervan("qa", "--exclude", "untranslated", "--json", cwd=new_project)
    assert "untranslated" not in {f["check"] for f in json.loads(rest.stdout)["findings"]}
    assert "unknown check 'spelling'" in one_error_line(kervan("qa", "--check", "spelling", cwd=new_project))


def test_a_wrong_glossary_path_is_an_error(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    config = root / "kervan.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("glossary/kervan.tbx", "glosary/kervan.tbx"))
    before = snapshot(root)
    for command in (["build"], ["qa"], ["term", "lookup", "AEB"]):
        line = one_error_line(kervan(*command, cwd=root))
        expected = r"kervan: error: kervan\.toml:\d+: glossary 'glosary/kervan.tbx' named in kervan.toml not found"
        assert re.match(expected, line), line
    assert snapshot(root) == before


def test_twenty_articles_stay_a_short_summary(tmp_path: Path) -> None:
    assert kervan("init", "big", "--lang", "ru", cwd=tmp_path).returncode == 0
    root = tmp_path / "big"
    drafts = [article(tmp_path, n, f"Haber numarası {n} yayında", f"2025-11-{n:02d}") for n in range(1, 21)]
    assert kervan("add", *map(str, drafts), cwd=root).returncode == 0
    result = kervan("build", cwd=root)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) < 20 and len(result.stdout) < 2_000, result.stdout
    assert len(list((root / "build").glob("*.ru.txt"))) == 20


# --------------------------------------------------------------------------- progress bar: terminal only


def test_progress_bar_on_a_terminal_never_in_a_pipe(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    env = {**os.environ, "KERVAN_PROGRESS_DELAY": "0"}
    piped = subprocess.run(
        [sys.executable, "-m", "kervan.cli", "build"], cwd=root, capture_output=True, text=True, env=env
    )
    assert piped.returncode == 0 and piped.stderr == ""
    leader, follower = pty.openpty()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "kervan.cli", "build"], cwd=root, stdout=subprocess.PIPE, stderr=follower, env=env
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert run.returncode == 0
    assert b"building" in shown and b"100%" in shown
    assert b"building" not in run.stdout


# --------------------------------------------------------------------------- files from elsewhere, no project

HEADER = """msgid ""
msgstr ""
"Project-Id-Version: other 2.0\\n"
"PO-Revision-Date: 2025-01-01 10:00+0000\\n"
"Last-Translator: A Translator <a@example.org>\\n"
"Language-Team: Russian <ru@example.org>\\n"
"Language: ru\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=3; plural=RU_PLURAL;\\n"

""".replace("RU_PLURAL", "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)")

# Bodies after the header: msgfmt -c itself says which it accepts.
CASES = {
    "plain": 'msgid "a"\nmsgstr "b"\n',
    "c-format ok": '#, c-format\nmsgid "%d files in %s"\nmsgstr "%d файлов в %s"\n',
    "c-format missing": '#, c-format\nmsgid "%d files"\nmsgstr "файлы"\n',
    "c-format extra": '#, c-format\nmsgid "files"\nmsgstr "%d файлы"\n',
    "c-format type": '#, c-format\nmsgid "%d files"\nmsgstr "%s файлы"\n',
    "c-format reordered": '#, c-format\nmsgid "%s of %d"\nmsgstr "%2$d из %1$s"\n',
    "c-format percent": '#, c-format\nmsgid "100%% of %s"\nmsgstr "100%% из %s"\n',
    "no-c-format": '#, no-c-format\nmsgid "%d files"\nmsgstr "файлы"\n',
    "python named ok": '#, python-format\nmsgid "%(n)d of %(m)s"\nmsgstr "%(m)s: %(n)d"\n',
    "python named unknown": '#, python-format\nmsgid "%(n)s files"\nmsgstr "%(m)s файлы"\n',
    "python named missing": '#, python-format\nmsgid "%(n)s of %(m)s"\nmsgstr "%(n)s"\n',
    "python positional count": '#, python-format\nmsgid "%s and %s"\nmsgstr "%s"\n',
    "python brace ok": '#, python-brace-format\nmsgid "{n} files"\nmsgstr "{n} файлов"\n',
    "python brace unknown": '#, python-brace-format\nmsgid "{n} files"\nmsgstr "{m} файлов"\n',
    "fuzzy bad format": '#, fuzzy, c-format\nmsgid "%d files"\nmsgstr "файлы"\n',
    "untranslated bad": '#, c-format\nmsgid "%d files"\nmsgstr ""\n',
    "newline end": 'msgid "a\\n"\nmsgstr "b"\n',
    "newline begin": 'msgid "\\na"\nmsgstr "b"\n',
    "plural ok": 'msgid "a file"\nmsgid_plural "%d files"\nmsgstr[0] "файл"\nmsgstr[1] "файла"\nmsgstr[2] "файлов"\n',
    "plural too few": 'msgid "a file"\nmsgid_plural "files"\nmsgstr[0] "файл"\nmsgstr[1] "файла"\n',
    "plural c-format": '#, c-format\nmsgid "%d file"\nmsgid_plural "%d files"\n'
    'msgstr[0] "%d файл"\nmsgstr[1] "%d файла"\nmsgstr[2] "%d файлов"\n',
}
HEADER_CASES = {
    "no header": 'msgid "a"\nmsgstr "b"\n',
    "placeholders": HEADER.replace("other 2.0", "PACKAGE VERSION").replace(
        "A Translator <a@example.org>", "FULL NAME <EMAIL@ADDRESS>"
    )
    + 'msgid "a"\nmsgstr "b"\n',
    "no plural forms": "\n".join(line for line in HEADER.split("\n") if "Plural-Forms" not in line)
    + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "c"\nmsgstr[2] "d"\n',
    "minimal header": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n',
}


def test_compile_check_agrees_with_msgfmt_c(tmp_path: Path, msgfmt: str) -> None:
    paths = []
    for number, name in enumerate([*CASES, *HEADER_CASES]):
        path = tmp_path / f"case{number}.po"
        path.write_text(HEADER + CASES[name] if name in CASES else HEADER_CASES[name], encoding="utf-8")
        paths.append((name, path))
    checked = json.loads(kervan("compile", *(str(p) for _, p in paths), "--check", "--json", cwd=tmp_path).stdout)
    plain = json.loads(kervan("compile", *(str(p) for _, p in paths), "--json", cwd=tmp_path).stdout)
    verdicts = {}
    for (name, path), ours, ours_plain in zip(paths, checked["files"], plain["files"], strict=True):
        theirs = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        theirs_plain = subprocess.run([msgfmt, "-o", "/dev/null", str(path)], capture_output=True, text=True)
        failed = any(p["severity"] == "error" for p in ours["problems"])
        warned = any(p["severity"] == "warning" for p in ours["problems"])
        verdicts[name] = (
            (failed, theirs.returncode != 0),
            # msgfmt words a missing header as a warning, yet counts it fatal: compare warnings where it passed.
            (warned, "warning" in theirs.stderr) if theirs.returncode == 0 else (None, None),
            (any(p["severity"] == "error" for p in ours_plain["problems"]), theirs_plain.returncode != 0),
        )
        assert (ours["output"] is None) is failed
    disagreements = {name: v for name, v in verdicts.items() if any(a != b for a, b in v)}
    assert disagreements == {}
    assert sum(v[0][1] for v in verdicts.values()) >= 10  # the cases include plenty that msgfmt -c refuses
    assert kervan("compile", *(str(p) for _, p in paths), "--check", cwd=tmp_path).returncode == 1


def test_compile_a_po_from_elsewhere_as_msgfmt_does(tmp_path: Path, msgfmt: str) -> None:
    path = tmp_path / "elsewhere" / "ru" / "LC_MESSAGES" / "other.po"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + CASES["c-format ok"] + "\n" + CASES["plural ok"], encoding="utf-8")
    result = kervan("compile", str(path), "--check", "--statistics", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 translated messages." in result.stdout
    mo = path.with_suffix(".mo")
    reference = tmp_path / "msgfmt.mo"
    subprocess.run([msgfmt, "-o", str(reference), str(path)], check=True)
    assert mo.read_bytes() == reference.read_bytes()
    t = gettext.translation("other", localedir=str(tmp_path / "elsewhere"), languages=["ru"])
    assert t.ngettext("a file", "%d files", 5) == "файлов"
    listed = json.loads(kervan("compile", str(path), "--json", cwd=tmp_path).stdout)
    assert listed["files"][0]["translated"] == 2 and listed["files"][0]["problems"] == []


def test_qa_stats_terms_on_files_outside_a_project(tmp_path: Path) -> None:
    ru = tmp_path / "ru.po"
    po = polib.pofile(str(RU_PO))
    spoiled = next(e for e in po if "ЕАЭС" in e.msgstr)
    spoiled.msgstr = "Текст без терминов."  # the glossary terms are gone
    untranslated = next(e for e in po if e.msgid and e is not spoiled)
    untranslated.msgstr = ""
    po.save(str(ru))
    lines = {e.msgid: e.linenum for e in polib.pofile(str(ru))}
    spoiled.linenum, untranslated.linenum = lines[spoiled.msgid], lines[untranslated.msgid]
    found = kervan("qa", str(ru), "--glossary", str(GLOSSARY), "--source-lang", "tr", "--json", cwd=tmp_path)
    assert found.returncode == 1, found.stderr
    checks = {(f["check"], f["unit"].split(":")[-1]) for f in json.loads(found.stdout)["findings"]}
    assert ("untranslated", str(untranslated.linenum)) in checks
    assert ("terminology", str(spoiled.linenum)) in checks
    # Without a glossary there is no terminology check, and the untranslated entry can be excluded.
    clean = kervan("qa", str(ru), "--source-lang", "tr", "--exclude", "untranslated", "--json", cwd=tmp_path)
    assert "terminology" not in {f["check"] for f in json.loads(clean.stdout)["findings"]}

    stats = json.loads(kervan("stats", str(ru), str(EN_PO), "--json", cwd=tmp_path).stdout)
    assert [r["lang"] for r in stats["languages"]] == ["ru", "en"]
    total = next(t for t in stats["totals"] if t["lang"] == "*")
    assert total["translated"]["segments"] == 17 + 18 and total["untranslated"]["segments"] == 1
    only_ru = json.loads(kervan("stats", str(ru), str(EN_PO), "--lang", "ru", "--json", cwd=tmp_path).stdout)
    assert [r["lang"] for r in only_ru["languages"]] == ["ru"]
    assert "total" in kervan("stats", str(ru), str(EN_PO), cwd=tmp_path).stdout

    lookup = kervan("term", "lookup", "Tokaev", "--glossary", str(GLOSSARY), "--json", cwd=tmp_path)
    assert [m["concept"] for m in json.loads(lookup.stdout)["matches"]] == ["tokayev"]
    args = ["term", "scan", "-", "--lang", "ru", "--glossary", str(GLOSSARY), "--json"]
    scan = kervan(*args, cwd=tmp_path, stdin="Страны ЕАЭС строят АЭС.")
    assert [o["concept"] for o in json.loads(scan.stdout)["occurrences"]] == ["eaeu", "nuclear-power-plant"]
    assert "--glossary" in one_error_line(kervan("term", "lookup", "AEB", cwd=tmp_path))


def test_tmx_from_catalogs_matches_translate_toolkit_po2tmx(tmp_path: Path) -> None:
    from translate.storage import tmx as tt_tmx

    ru = tmp_path / "ru.po"
    po = polib.pofile(str(RU_PO))
    entries = [e for e in po if e.msgid]
    entries[0].msgstr = ""
    entries[1].flags.append("fuzzy")
    po.save(str(ru))
    ours = tmp_path / "ours.tmx"
    args = ["tmx", "export", "--from", str(ru), str(EN_PO), "--source-lang", "tr", "-o", str(ours), "--json"]
    result = kervan(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["units"] == 18

    def pairs(path: Path, lang: str) -> set[tuple[str, str]]:
        store = tt_tmx.tmxfile.parsefile(str(path))
        return {(unit.source, unit.gettarget(lang)) for unit in store.units if unit.gettarget(lang)}

    for source, lang in ((ru, "ru"), (EN_PO, "en")):
        theirs = tmp_path / f"theirs-{lang}.tmx"
        po2tmx = Path(sys.executable).with_name("po2tmx")
        args = [str(po2tmx), "-i", str(source), "-o", str(theirs), "-l", lang, "--source-language", "tr"]
        subprocess.run(args, check=True, capture_output=True)
        expected = pairs(theirs, lang)
        assert pairs(ours, lang) == expected
        assert len(expected) == (16 if lang == "ru" else 18)
