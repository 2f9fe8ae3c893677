"""Catalog and memory I/O end to end, each row beside its anchor in the same run: time, CPU and peak memory.

    python benchmarks/bench_io.py [--rows compile,parse,import,growth,write,build,startup] [--repeat 3] [--large]

Every figure is a fresh process, timed as a user times the command: wall clock, CPU (user + system) and peak
resident memory (from wait4). Anchor and Kervan alternate, `--repeat` rounds, medians shown; the ratio is
Kervan's over the anchor's. Rows:

- compile: `kervan compile` in a project holding one catalog, against `msgfmt` and `pybabel compile` on the
  same PO file (10k and 50k entries; 100k with --large); "same bytes" compares the MO files with msgfmt's.
- parse: `kervan.formats.po.read_po` against babel's `read_po` and `polib.pofile` (50k; 100k with --large).
- import: `kervan tmx import` of a TMX into en and ru catalogs against a 30-line polib + lxml script doing the
  same fill (50k units; 200k with --large); the catalogs written must hold the same translations.
- growth: the same import into catalogs of 2,000 entries from TMX files of 20k and 200k units, most of them
  from other projects (as a translator's whole memory is): peak memory must not grow with the TMX.
- write: `kervan.formats.tmx.write_tmx` against raw lxml `xmlfile` writing the same units (200k units x 3
  languages; 1M with --large), with the output size and a DTD validation of Kervan's file.
- build: `kervan build` of N generated articles (200 by default), then again unchanged.
- startup: `pybabel --version` against Kervan commands on the shipped project (reading and writing ones:
  exports and imports of TMX, XLIFF and OmegaT projects, the memory, the glossary).

Python writes byte code caches for these runs (PYTHONDONTWRITEBYTECODE is cleared), as a user's install does.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
ENV["LC_ALL"] = "C.UTF-8"

TURKISH = [
    "Kazakistan",
    "Cumhurbaşkanı",
    "Tokayev",
    "Rusya",
    "ile",
    "imzalanan",
    "Kapsamlı",
    "Stratejik",
    "Ortaklık",
    "Bildirgesi’nin",
    "iki",
    "ülke",
    "arasındaki",
    "ilişkileri",
    "daha",
    "da",
    "geliştireceğini",
    "belirtti",
    "“güven",
    "ve",
    "açıklık”",
    "atmosferi",
]
RUSSIAN = [
    "Президент",
    "Казахстана",
    "Токаев",
    "заявил",
    "что",
    "Декларация",
    "о",
    "всеобъемлющем",
    "стратегическом",
    "партнёрстве",
    "с",
    "Россией",
    "укрепит",
    "отношения",
    "двух",
    "стран",
    "«доверие",
    "и",
    "открытость»",
]
ENGLISH = [
    "President",
    "Tokayev",
    "of",
    "Kazakhstan",
    "said",
    "the",
    "Declaration",
    "on",
    "Comprehensive",
    "Strategic",
    "Partnership",
    "with",
    "Russia",
    "would",
    "deepen",
    "relations",
    "between",
    "the",
    "two",
    "countries",
    "in",
    "an",
    "atmosphere",
    "of",
    "trust",
    "and",
    "openness",
]


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float


# A small process starts each measured command: a child's peak RSS starts from its parent's at fork, and this
# script holds large test data.
# Runs the command and reports its own figures: the launcher's start-up (a Python process) stays out of them.
_LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
wall = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} {wall}")
"""


def measure(command: Sequence[str], cwd: Path | None = None) -> Run:
    """One fresh process: wall clock, user+system CPU and peak RSS (MiB) of the command."""
    with tempfile.NamedTemporaryFile("r", suffix=".usage") as usage:
        run = subprocess.run(
            [PYTHON, "-c", _LAUNCHER, usage.name, *command],
            cwd=cwd,
            env=ENV,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        code, cpu, rss, wall = usage.read().split()
    if int(code) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}\n{run.stderr.decode(errors='replace')}")
    return Run(float(wall), float(cpu), int(rss) / 1024)


def python(code: str, *args: str) -> list[str]:
    return [PYTHON, "-c", textwrap.dedent(code), *args]


def compare(
    title: str,
    contenders: dict[str, tuple[Callable[[], list[str]], Path | None]],
    repeat: int,
    before: Callable[[str], None] | None = None,
) -> dict[str, Run]:
    """Run each contender `repeat` times, interleaved; print medians and the ratio to the first (the anchor)."""
    runs: dict[str, list[Run]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, (command, cwd) in contenders.items():
            if before is not None:
                before(name)
            runs[name].append(measure(command(), cwd))
    medians = {
        name: Run(*(statistics.median(getattr(r, f) for r in found) for f in ("wall", "cpu", "rss_mb")))
        for name, found in runs.items()
    }
    anchor = next(iter(medians.values()))
    print(f"\n{title}")
    for name, run in medians.items():
        ratio = f"x{run.wall / anchor.wall:4.2f} wall  x{run.cpu / anchor.cpu:4.2f} cpu"
        ratio += f"  x{run.rss_mb / anchor.rss_mb:4.2f} mem"
        print(f"  {name:34} {run.wall:7.2f} s  cpu {run.cpu:7.2f} s  {run.rss_mb:7.1f} MiB   {ratio}")
    return medians


# --------------------------------------------------------------------------------------------- data


def write_catalog(path: Path, size: int, lang: str = "ru", translated: bool = True, seed: int = 1) -> list[str]:
    """An article-like catalog: Turkish sources, translations, some plural, context, fuzzy and untranslated."""
    import polib

    from kervan.formats.po import dumps_po
    from kervan.locales import plural_forms

    rng = random.Random(seed)
    words = {"ru": RUSSIAN, "en": ENGLISH}[lang]
    catalog = polib.POFile(wrapwidth=0)
    catalog.metadata = {
        "Project-Id-Version": "bench 1.0",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
    }
    nplurals = int(plural_forms(lang).split("nplurals=")[1].split(";")[0])
    sources = []
    for number in range(size):
        source = " ".join(rng.choices(TURKISH, k=rng.randint(6, 24))) + f" ({number})."
        target = " ".join(rng.choices(words, k=rng.randint(6, 24))) + f" ({number})." if translated else ""
        sources.append(source)
        entry = polib.POEntry(msgid=source, occurrences=[("sources/bench.txt", str(number + 1))])
        kind = number % 20
        if kind == 0 and translated:
            entry.msgid_plural = source + " (çoğul)"
            entry.msgstr_plural = {i: f"{target} ({i})" for i in range(nplurals)}
        else:
            entry.msgstr = "" if kind == 1 else target
        if kind == 2:
            entry.msgctxt = "başlık"
        if kind == 3 and translated:
            entry.flags = ["fuzzy"]
        catalog.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps_po(catalog), "utf-8")
    return sources


def make_project(folder: Path, langs: Sequence[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    targets = ", ".join(f'"{lang}"' for lang in langs)
    (folder / "kervan.toml").write_text(
        f'[project]\nname = "bench"\nsource-language = "tr"\ntarget-languages = [{targets}]\n', "utf-8"
    )
    return folder


def units_for(sources: Sequence[str], seed: int = 2) -> list[tuple[str, str, str, str]]:
    """(tuid, Turkish source, English, Russian) for each source."""
    rng = random.Random(seed)
    return [
        (
            f"bench:{n + 1}.1",
            text,
            " ".join(rng.choices(ENGLISH, k=rng.randint(6, 24))),
            " ".join(rng.choices(RUSSIAN, k=rng.randint(6, 24))),
        )
        for n, text in enumerate(sources)
    ]


def write_plain_tmx(path: Path, units: Sequence[tuple[str, str, str, str]]) -> None:
    from xml.sax.saxutils import escape

    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        out.write(
            '<header creationtool="bench" creationtoolversion="1" segtype="sentence" o-tmf="bench" '
            'adminlang="en" srclang="tr" datatype="plaintext"/>\n<body>\n'
        )
        for tuid, tr, en, ru in units:
            out.write(f'<tu tuid="{tuid}">')
            for lang, text in (("tr", tr), ("en", en), ("ru", ru)):
                out.write(f'<tuv xml:lang="{lang}"><seg>{escape(text)}</seg></tuv>')
            out.write("</tu>\n")
        out.write("</body>\n</tmx>\n")


# --------------------------------------------------------------------------------------------- rows


def row_compile(sizes: Sequence[int], repeat: int, work: Path) -> None:
    msgfmt, pybabel = shutil.which("msgfmt"), BIN / "pybabel"
    for size in sizes:
        project = make_project(work / f"compile-{size}", ["ru"])
        po = project / "locales" / "ru" / "LC_MESSAGES" / "bench.po"
        write_catalog(po, size)
        reference = work / f"compile-{size}.msgfmt.mo"
        mo = po.with_suffix(".mo")
        contenders: dict[str, tuple[Callable[[], list[str]], Path | None]] = {}
        if msgfmt:
            contenders["msgfmt"] = (lambda r=reference, p=po: [msgfmt, "-o", str(r), str(p)], None)
        contenders["pybabel compile"] = (
            lambda p=po: [str(pybabel), "compile", "-i", str(p), "-o", str(work / "babel.mo"), "--use-fuzzy"],
            None,
        )
        contenders["kervan compile"] = ([str(BIN / "kervan"), "compile"].copy, project)
        compare(
            f"compile {size:,} ru entries", contenders, repeat, before=lambda _name, m=mo: m.unlink(missing_ok=True)
        )
        if msgfmt:
            same = mo.read_bytes() == reference.read_bytes()
            print(f"  same bytes as msgfmt: {'yes' if same else 'NO'} ({mo.stat().st_size:,} bytes)")


def row_parse(sizes: Sequence[int], repeat: int, work: Path) -> None:
    for size in sizes:
        po = work / f"parse-{size}.po"
        write_catalog(po, size)
        contenders: dict[str, tuple[Callable[[], list[str]], Path | None]] = {
            "babel read_po": (
                lambda p=po: python(
                    "import sys\nfrom babel.messages.pofile import read_po\n"
                    "with open(sys.argv[1], 'rb') as f: read_po(f)",
                    str(p),
                ),
                None,
            ),
            "polib.pofile": (lambda p=po: python("import sys, polib; polib.pofile(sys.argv[1])", str(p)), None),
            "kervan read_po": (
                lambda p=po: python("import sys\nfrom kervan.formats.po import read_po\nread_po(sys.argv[1])", str(p)),
                None,
            ),
        }
        compare(f"parse {size:,} entries", contenders, repeat)


ANCHOR_IMPORT = """
import sys
import polib
from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
tmx, *specs = sys.argv[1:]
catalogs = {}
for spec in specs:
    lang, path = spec.split("=", 1)
    po = polib.pofile(path, wrapwidth=0)
    catalogs[lang] = (po, path, {e.msgid: e for e in po if not e.obsolete})
for _, tu in etree.iterparse(tmx, tag="tu"):
    texts = {}
    for tuv in tu.iter("tuv"):
        lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").split("-")[0].lower()
        seg = tuv.find("seg")
        texts[lang] = "".join(seg.itertext()) if seg is not None else ""
    for lang, (po, path, index) in catalogs.items():
        entry = index.get(texts.get("tr"))
        if entry is not None and texts.get(lang) and not entry.msgstr:
            entry.msgstr = texts[lang]
    tu.clear()
    while tu.getprevious() is not None:
        del tu.getparent()[0]
for po, path, index in catalogs.values():
    po.save(path)
"""


class _ImportSetup:
    """A project with empty en and ru catalogs of `size` entries, a folder for the script's copies, and the reset
    that gives either contender pristine catalogs before each run."""

    def __init__(self, work: Path, name: str, size: int) -> None:
        self.project = make_project(work / name, ["en", "ru"])
        self.pristine = work / f"{name}-pristine"
        self.sources: list[str] = []
        for lang in ("en", "ru"):
            self.sources = write_catalog(self.pristine / f"{lang}.po", size, lang, translated=False)
        self.anchor = work / f"{name}-anchor"
        self.anchor.mkdir(exist_ok=True)
        self.specs = [f"{lang}={self.anchor / f'{lang}.po'}" for lang in ("en", "ru")]

    def reset(self, name: str) -> None:
        for lang in ("en", "ru"):
            target = self.project / "locales" / lang / "LC_MESSAGES" / "bench.po"
            target.parent.mkdir(parents=True, exist_ok=True)
            kept = target if name.startswith("kervan") else self.anchor / f"{lang}.po"
            shutil.copyfile(self.pristine / f"{lang}.po", kept)

    def contenders(self, tmx: Path) -> dict[str, tuple[Callable[[], list[str]], Path | None]]:
        return {
            "polib + lxml script": (lambda: python(ANCHOR_IMPORT, str(tmx), *self.specs), None),
            "kervan tmx import": (lambda: [str(BIN / "kervan"), "tmx", "import", str(tmx)], self.project),
        }


def row_growth(sizes: Sequence[int], repeat: int, work: Path) -> None:
    setup = _ImportSetup(work, "growth", 2_000)
    for size in sizes:
        others = [f"Başka bir projenin {n}. cümlesi burada duruyor." for n in range(size - len(setup.sources))]
        tmx = work / f"growth-{size}.tmx"
        write_plain_tmx(tmx, units_for([*setup.sources, *others]))
        title = (
            f"tmx import of {size:,} units ({len(setup.sources):,} in the catalogs) into en + ru, "
            f"TMX {tmx.stat().st_size / 2**20:.0f} MiB"
        )
        compare(title, setup.contenders(tmx), repeat, before=setup.reset)
        tmx.unlink()


def row_import(size: int, repeat: int, work: Path) -> None:
    setup = _ImportSetup(work, f"import-{size}", size)
    project, pristine, anchor = setup.project, setup.pristine, setup.anchor
    tmx = work / f"import-{size}.tmx"
    write_plain_tmx(tmx, units_for(setup.sources))
    print(
        f"\n  (TMX {tmx.stat().st_size / 2**20:.0f} MiB, "
        f"catalogs {2 * (pristine / 'ru.po').stat().st_size / 2**20:.0f} MiB)"
    )
    compare(f"tmx import of {size:,} units into en + ru", setup.contenders(tmx), repeat, before=setup.reset)
    import polib

    for lang in ("en", "ru"):
        ours = polib.pofile(str(project / "locales" / lang / "LC_MESSAGES" / "bench.po"))
        theirs = polib.pofile(str(anchor / f"{lang}.po"))
        same = {e.msgid: e.msgstr for e in ours} == {e.msgid: e.msgstr for e in theirs}
        filled = sum(1 for e in ours if e.msgstr)
        print(f"  {lang}: {filled:,} filled; same translations as the script: {'yes' if same else 'NO'}")


ANCHOR_WRITE = """
import sys
from lxml import etree
sys.path.insert(0, sys.argv[3])
from bench_io import generated_units

count, path = int(sys.argv[1]), sys.argv[2]
with open(path, "wb") as handle:
    handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\\n')
    with etree.xmlfile(handle, encoding="UTF-8") as xf, xf.element("tmx", version="1.4"):
        xf.write("\\n")
        xf.write(etree.Element("header", creationtool="raw", creationtoolversion="1", datatype="plaintext",
                 segtype="sentence", adminlang="en", srclang="tr", **{"o-tmf": "raw"}))
        xf.write("\\n")
        with xf.element("body"):
            for unit in generated_units(count):
                source = unit.source
                xf.write("\\n")
                with xf.element("tu", tuid=source.id):
                    with xf.element("prop", type="x-document"):
                        xf.write(source.id.split(":")[0])
                    with xf.element("prop", type="x-reference"):
                        xf.write(source.ref)
                    for lang, text in [(source.lang, source.text), *unit.targets.items()]:
                        with xf.element("tuv", {"xml:lang": lang}), xf.element("seg"):
                            xf.write(text)
            xf.write("\\n")
"""

KERVAN_WRITE = """
import sys
sys.path.insert(0, sys.argv[3])
from bench_io import generated_units
from kervan.formats.tmx import write_tmx

write_tmx(generated_units(int(sys.argv[1])), sys.argv[2], srclang="tr", langs=["en", "ru"])
"""


def generated_units(count: int):  # -> Iterator[Unit]: the same units for the anchor and for Kervan
    from kervan.model import Segment, Unit

    texts = [" ".join(TURKISH[i : i + 12]) + "." for i in range(0, len(TURKISH) - 6, 3)]
    for n in range(count):
        text = texts[n % len(texts)]
        segment = Segment(
            f"bench-{n // 1000}:{n % 1000 + 1}.1", text, "tr", f"sources/bench-{n // 1000}.txt:{n % 1000}"
        )
        yield Unit(segment, {"en": f"English rendering {n}: {text[:60]}", "ru": f"Русский перевод {n}: {text[:40]}"})


def row_write(size: int, repeat: int, work: Path) -> None:
    here = str(Path(__file__).resolve().parent)
    raw, ours = work / "raw.tmx", work / "kervan.tmx"
    compare(
        f"TMX write {size:,} units x 3 languages",
        {
            "raw lxml xmlfile": (lambda: python(ANCHOR_WRITE, str(size), str(raw), here), None),
            "kervan write_tmx": (lambda: python(KERVAN_WRITE, str(size), str(ours), here), None),
        },
        repeat,
    )
    print(f"  size: raw {raw.stat().st_size / 2**20:.1f} MiB, kervan {ours.stat().st_size / 2**20:.1f} MiB")
    dtd = REPO / ".schemas" / "tmx14.dtd"
    if dtd.is_file() and shutil.which("xmllint") and size <= 200_000:
        check = subprocess.run(
            ["xmllint", "--noout", "--dtdvalid", str(dtd), str(ours)], capture_output=True, text=True, check=False
        )
        print(f"  kervan's file valid against the TMX 1.4 DTD: {'yes' if check.returncode == 0 else 'NO'}")


def make_articles(project: Path, count: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    article = (REPO / "sources" / "2025-11-13-tokayev-stratejik-ortaklik.txt").read_text("utf-8").splitlines()
    body = [line for line in article[1:] if line.strip()]
    for n in range(count):
        paragraphs = [f"{line} ({n}.{k})" for k, line in enumerate(rng.sample(body, k=min(len(body), 6)))]
        text = f" {2025}-11-{n % 28 + 1:02d} Haber {n}: Tokayev ve Putin\n" + "\n".join(paragraphs) + "\n"
        (project / "sources" / f"2025-11-{n % 28 + 1:02d}-haber-{n:04d}.txt").write_text(text, "utf-8")


def row_build(count: int, repeat: int, work: Path) -> None:
    timings: dict[str, list[Run]] = {"full build": [], "unchanged rebuild": []}
    for round_ in range(repeat):
        project = work / f"build-{count}-{round_}"
        shutil.rmtree(project, ignore_errors=True)
        shutil.copytree(REPO / "glossary", project / "glossary")
        shutil.copy2(REPO / "kervan.toml", project / "kervan.toml")
        (project / "sources").mkdir()
        make_articles(project, count)
        kervan = [str(BIN / "kervan"), "build"]
        timings["full build"].append(measure(kervan, project))
        timings["unchanged rebuild"].append(measure(kervan, project))
    full = statistics.median(r.wall for r in timings["full build"])
    print(f"\nbuild {count} articles")
    for name, found in timings.items():
        wall = statistics.median(r.wall for r in found)
        cpu = statistics.median(r.cpu for r in found)
        rss = statistics.median(r.rss_mb for r in found)
        print(f"  {name:34} {wall:7.2f} s  cpu {cpu:7.2f} s  {rss:7.1f} MiB   {wall / full:5.0%} of a full build")


def row_startup(repeat: int, work: Path) -> None:
    project = work / "shipped"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in ("kervan.toml", "sources", "glossary", "locales"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, project / name)
        else:
            shutil.copy2(REPO / name, project / name)
    kervan = str(BIN / "kervan")
    article = next((project / "sources").glob("*.txt"))
    subprocess.run([kervan, "build"], cwd=project, env=ENV, capture_output=True, check=False)
    tmx, xlf, omt = work / "startup.tmx", work / "startup.xlf", work / "startup-omegat"
    for made in (
        ["tmx", "export", "-o", str(tmx)],
        ["xliff", "export", "-o", str(xlf), "--lang", "ru"],
        ["omegat", "export", str(omt), "--lang", "ru"],
    ):
        subprocess.run([kervan, *made], cwd=project, env=ENV, capture_output=True, check=False)
    # What the translator's OmegaT would have saved: the memory it was given.
    shutil.copyfile(next((omt / "tm" / "auto").glob("*.tmx")), omt / "omegat" / "project_save.tmx")
    po = next((project / "locales" / "ru" / "LC_MESSAGES").glob("*.po"))
    commands = [
        ["--version"],
        ["--help"],
        ["segment", str(article)],
        ["term", "lookup", "AEB"],
        ["term", "scan", str(article)],
        ["stats"],
        ["compile"],
        ["qa"],
        ["extract"],
        ["update"],
        ["render", "--lang", "ru"],
        ["glossary", "validate"],
        ["tmx", "export"],
        ["list"],
        ["tm", "stats"],
        ["tm", "search", "Tokayev"],
        ["build"],
        ["term", "extract", str(article)],
        ["glossary", "export", "-o", str(work / "startup.tbx")],
        ["tmx", "import", str(tmx)],
        ["tm", "import", str(tmx)],
        ["xliff", "export", "-o", str(xlf), "--lang", "ru"],
        ["xliff", "import", str(xlf)],
        ["omegat", "export", str(omt), "--lang", "ru"],
        ["omegat", "import", str(omt)],
        ["compile", str(po), "-o", str(work / "startup.mo")],
    ]
    rounds = max(repeat, 5)
    contenders: dict[str, tuple[Callable[[], list[str]], Path | None]] = {
        "pybabel --version": ([str(BIN / "pybabel"), "--version"].copy, None)
    }
    for args in commands:
        contenders["kervan " + " ".join(a if len(a) < 20 else Path(a).name[:16] + "…" for a in args)] = (
            [kervan, *args].copy,
            project,
        )
    cache = project / "build" / ".cache"
    contenders["kervan term lookup AEB (cold cache)"] = ([kervan, "term", "lookup", "AEB"].copy, project)
    runs: dict[str, list[Run]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, (command, cwd) in contenders.items():
            if "cold" in name:
                for index in cache.glob("terms-*.json"):
                    index.unlink()
            runs[name].append(measure(command(), cwd))
    print(f"\nstart-up on the shipped project (best of {rounds}; CPU is less disturbed by other load than wall time)")
    anchor_wall = min(r.wall for r in runs["pybabel --version"])
    anchor_cpu = min(r.cpu for r in runs["pybabel --version"])
    for name, found in runs.items():
        wall, cpu = min(r.wall for r in found), min(r.cpu for r in found)
        print(
            f"  {name:42} {wall * 1000:6.0f} ms  cpu {cpu * 1000:5.0f} ms   "
            f"x{wall / anchor_wall:4.2f} wall  x{cpu / anchor_cpu:4.2f} cpu"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="compile,parse,import,growth,write,build,startup")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large", action="store_true", help="100k catalogs, 200k-unit import, 1M-unit write")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    rows = set(args.rows.split(","))
    work = args.keep or Path(tempfile.mkdtemp(prefix="kervan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; work in {work}")
    try:
        if "compile" in rows:
            row_compile([10_000, 50_000, 100_000] if args.large else [10_000, 50_000], args.repeat, work)
        if "parse" in rows:
            row_parse([50_000, 100_000] if args.large else [50_000], args.repeat, work)
        if "import" in rows:
            row_import(200_000 if args.large else 50_000, args.repeat, work)
        if "growth" in rows:
            row_growth([20_000, 200_000], args.repeat, work)
        if "write" in rows:
            row_write(1_000_000 if args.large else 200_000, args.repeat, work)
        if "build" in rows:
            row_build(args.articles, args.repeat, work)
        if "startup" in rows:
            row_startup(args.repeat, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nload at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
