"""OmegaT round trip with the real tool: `kervan omegat export`, OmegaT 3.6 in console mode, `kervan omegat import`.

OmegaT runs headless (`--mode=console-translate`) on the exported project as it is, with no other step: it
must segment the article exactly as Kervan does, fill every segment from the memory in tm/auto, and write
target files equal to `kervan render`. Its glossary reader must load the exported TBX. A translator's
project_save.tmx (TMX 1.1 as OmegaT writes it) comes back into the catalogs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree

from conftest import ARTICLE_ID, REPO, copy_project, run_kervan

HARNESS = REPO / "tests" / "java" / "GlossaryProbe.java"


def kervan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = run_kervan(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result


def console_translate(
    omegat: tuple[str, str, str], folder: Path, home: Path, *, wait: bool = True
) -> subprocess.Popen[str]:
    """OmegaT 3.6 headless on `folder`: translate the project (when `wait`, check it finished well)."""
    java, _javac, jar = omegat
    home.mkdir(exist_ok=True)
    # user.home: OmegaT keeps its preferences there; a fresh one means nothing from this machine's settings.
    command = [java, "-Djava.awt.headless=true", f"-Duser.home={home}", "-jar", jar, str(folder)]
    process = subprocess.Popen(
        [*command, "--mode=console-translate"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=folder,
    )  # fmt: skip
    if wait:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, out[-2000:] + err[-2000:]
    return process


def stats(folder: Path) -> tuple[int, int]:
    """(total, remaining) segments from OmegaT's own omegat/project_stats.txt."""
    text = (folder / "omegat" / "project_stats.txt").read_text(encoding="utf-8")
    total = re.search(r"^Total:\s+(\d+)", text, re.M)
    remaining = re.search(r"^Remaining:\s+(\d+)", text, re.M)
    assert total and remaining, text
    return int(total.group(1)), int(remaining.group(1))


def omegat_memory(folder: Path, lang: str) -> dict[str, str]:
    """Source -> target of the memory OmegaT writes beside the project (<folder>-omegat.tmx, TMX 1.1)."""
    tree = etree.parse(str(folder / f"{folder.name}-omegat.tmx"))
    memory = {}
    for tu in tree.iter("tu"):
        texts = {tuv.get("lang").lower(): "".join(tuv.find("seg").itertext()) for tuv in tu.iter("tuv")}
        memory[texts["tr"]] = texts[lang]
    return memory


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("omegat") / "p")


@pytest.fixture(scope="module")
def runs(omegat: tuple[str, str, str], project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The project exported for en and for ru, each translated by OmegaT in console mode (both at once)."""
    base = tmp_path_factory.mktemp("runs")
    folders = {lang: base / f"omt-{lang}" for lang in ("en", "ru")}
    for lang, folder in folders.items():
        kervan("omegat", "export", str(folder), "--lang", lang, cwd=project)
    running = [console_translate(omegat, folder, base / f"home-{lang}", wait=False) for lang, folder in folders.items()]
    for process in running:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, out[-2000:] + err[-2000:]
    return folders


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_omegat_fills_every_segment_and_writes_the_rendered_article(
    runs: dict[str, Path], project: Path, lang: str
) -> None:
    from kervan import pipeline
    from kervan.project import load_project

    folder = runs[lang]
    loaded = load_project(project)
    article = pipeline.article_units(loaded)[0]
    segments = [s.text for s in article.segments]
    po_path = project / "locales" / lang / "LC_MESSAGES" / f"{ARTICLE_ID}.po"
    catalog = {e.msgid: e.msgstr for e in polib.pofile(str(po_path))}
    assert len(segments) == 18
    # OmegaT's segments: the article's 18 and the date line; none left untranslated.
    assert stats(folder) == (19, 0)
    memory = omegat_memory(folder, lang)
    filled = [text for text in segments if memory.get(text) == catalog[text]]
    assert len(filled) == 18, set(segments) - set(filled)
    rendered = kervan("render", "--lang", lang, cwd=project).stdout
    assert (folder / "target" / f"{ARTICLE_ID}.txt").read_text(encoding="utf-8") == rendered


def test_exported_project_files_are_valid_for_omegat(runs: dict[str, Path], schema_dir: Path) -> None:
    folder = runs["ru"]
    for name, schema in (("omegat.project", "project_properties.xsd"), ("omegat/filters.xml", "filters.xsd")):
        xsd = etree.XMLSchema(etree.parse(str(schema_dir / schema)))
        assert xsd.validate(etree.parse(str(folder / name))), (name, xsd.error_log)
    srx = etree.XMLSchema(etree.parse(str(schema_dir / "srx20.xsd")))
    assert srx.validate(etree.parse(str(folder / "omegat" / "segmentation.srx"))), srx.error_log
    # segmentation.conf as Java's XMLDecoder reads it: every rule of the shipped file, in order.
    from kervan.formats.srx import read_srx
    from kervan.segmentation import default_rules_path

    rules = read_srx(default_rules_path())
    conf = etree.parse(str(folder / "omegat" / "segmentation.conf"))
    befores = [s.text or "" for s in conf.xpath("//void[@property='beforebreak']/string")]
    assert befores == [r.before for name in (n for _, n in rules.maprules) for r in rules.languagerules[name]]


def test_glossary_loads_in_omegats_reader_without_deprecated_terms(
    omegat: tuple[str, str, str], runs: dict[str, Path], tmp_path: Path
) -> None:
    java, javac, jar = omegat
    folder = runs["en"]
    classes = tmp_path / "classes"
    subprocess.run([javac, "-cp", jar, "-d", str(classes), str(HARNESS)], check=True, capture_output=True, timeout=120)
    result = subprocess.run(
        [java, "-Djava.awt.headless=true", f"-Duser.home={tmp_path}", "-cp", f"{classes}:{jar}", "GlossaryProbe",
         str(folder), str(folder / "glossary" / "kervan-news.tbx")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "languages\ttr\ten"
    pairs = {tuple(line.split("\t")) for line in lines[1:]}
    assert ("AEB", "EAEU") in pairs and ("Avrasya Ekonomik Birliği", "Eurasian Economic Union") in pairs
    assert ("Astana", "Astana") in pairs
    # Deprecated terms are not offered at all: EEU for the union, Nur-Sultan for Astana.
    assert not any(target in ("EEU", "Nur-Sultan") or source == "Nur-Sultan" for source, target in pairs)
    assert len(pairs) > 60


def _translator_save(folder: Path, revise: str, revised: str, add: tuple[str, str]) -> None:
    """omegat/project_save.tmx as OmegaT writes it after a translator's session: OmegaT's own TMX 1.1 of the
    project, with one translation revised and one segment translated anew."""
    tree = etree.parse(str(folder / f"{folder.name}-omegat.tmx"))
    body = tree.find("body")
    for tu in body.iter("tu"):
        tuvs = tu.findall("tuv")
        if "".join(tuvs[0].find("seg").itertext()) == revise:
            tuvs[1].find("seg").text = revised
            tuvs[1].set("changeid", "translator")
            tuvs[1].set("changedate", "20251201T101500Z")
    tu = etree.SubElement(body, "tu")
    for lang, text in zip(("tr", "en"), add, strict=True):
        tuv = etree.SubElement(tu, "tuv", lang=lang)
        etree.SubElement(tuv, "seg").text = text
    tree.write(str(folder / "omegat" / "project_save.tmx"), encoding="UTF-8", xml_declaration=True)


def test_translator_work_comes_back_from_project_save_tmx(omegat: tuple[str, str, str], tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    po_path = root / "locales" / "en" / "LC_MESSAGES" / f"{ARTICLE_ID}.po"
    po = polib.pofile(str(po_path))
    live = [e for e in po if e.msgid and not e.obsolete]
    blank, revise = live[4], live[6]
    original = blank.msgstr
    blank.msgstr = ""
    po.save()

    folder = tmp_path / "omt"
    kervan("omegat", "export", str(folder), "--lang", "en", cwd=root)
    console_translate(omegat, folder, tmp_path / "home")
    assert stats(folder) == (19, 1)  # the blanked segment is the one OmegaT cannot fill
    revised = revise.msgstr.replace(".", " (revised).", 1) if "." in revise.msgstr else revise.msgstr + " (revised)"
    _translator_save(folder, revise.msgid, revised, (blank.msgid, original))
    save = folder / "omegat" / "project_save.tmx"
    saved = save.read_bytes()

    report = json.loads(kervan("omegat", "import", str(folder), "--json", cwd=root).stdout)
    assert report["filled"] == {"en": 1}
    assert report["unchanged"] == {"en": 16}
    assert [c["tmx"] for c in report["conflicts"]] == [revised]
    entries = {e.msgid: e.msgstr for e in polib.pofile(str(po_path))}
    assert entries[blank.msgid] == original and entries[revise.msgid] == revise.msgstr

    report = json.loads(kervan("omegat", "import", str(folder), "--overwrite", "--json", cwd=root).stdout)
    assert report["overwritten"] == {"en": 1} and not report["conflicts"]
    assert {e.msgid: e.msgstr for e in polib.pofile(str(po_path))}[revise.msgid] == revised

    # Exporting again refreshes the project and leaves the translator's file alone.
    stamp = save.stat().st_mtime_ns
    kervan("omegat", "export", str(folder), "--lang", "en", cwd=root)
    assert save.read_bytes() == saved and save.stat().st_mtime_ns == stamp
    assert console_translate(omegat, folder, tmp_path / "home") and stats(folder) == (19, 0)


def test_import_errors_are_one_line(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "omt"
    kervan("omegat", "export", str(folder), "--lang", "ru", cwd=project)
    result = run_kervan("omegat", "import", str(folder), cwd=project)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "project_save.tmx" in result.stderr and "Traceback" not in result.stderr
    shutil.copy(REPO / "tests" / "data" / "tmx" / "legacy_tmx11.tmx", folder / "omegat" / "project_save.tmx")
    (folder / "omegat" / "project_save.tmx").write_bytes(b"<tmx version='1.1'><body><tu>")
    result = run_kervan("omegat", "import", str(folder), cwd=project)
    assert result.returncode == 2 and result.stderr.startswith("kervan: error: ") and result.stderr.count("\n") == 1
    result = run_kervan("omegat", "import", str(folder), "--lang", "en", cwd=project)
    assert result.returncode == 2 and "not 'en'" in result.stderr
    result = run_kervan("omegat", "export", str(folder), "--lang", "en", cwd=project)
    assert result.returncode == 2 and "'ru'" in result.stderr
