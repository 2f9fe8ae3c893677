"""Translation memory at scale: import, search and leverage, beside Translate Toolkit's tmdb and a brute-force
rapidfuzz scan over the same memory.

    python benchmarks/bench_tm.py [--units N] [--full] [--queries Q] [--pg URL] [--no-peers]

Default 100,000 units (a few minutes with the peers); --full runs the goals' size, 1,000,000 tr/en/ru units.
The memory is generated: Turkish-like sentences of 6 to 24 words drawn from the shipped article's words and
50,000 made-up ones with a skewed (Zipf-like) frequency, each with an English and a Russian target. Queries
are stored sentences with one to three words changed (the leverage case) and some new sentences.

Measured, each side by side with the peers in the same run (wall time, and for Kervan its own CPU time too: on a
machine shared with other work the wall time also counts the waits for a core):
- import: a TMX file into the index (`kervan tm import`, in a child process: wall time, the CPU time of the
  storing process and of the reader process it forks, and the peak RSS of both, also for a tenth of the units,
  to show memory does not grow with the file);
- search: the same call as `kervan tm search`, warm, per query: median and 95th percentile;
- leverage: a 100-segment article's catalog filled as `kervan update` fills it (matching and number carry-over).
Peers: Translate Toolkit's tmdb (SQLite FTS3 + Levenshtein, as behind `build_tmdb`/`tmserver`, taken from
translate-toolkit 3.12.2 where the installed version no longer ships it; run on the first --tmdb-units units
only, since it needs minutes per 10,000 units, with a linear estimate for the full size beside) and
rapidfuzz.process.extract over every source, with its character ratio and with Kervan's own word-level score
(no index: the floor an index must beat).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "sources" / "2025-11-13-tokayev-stratejik-ortaklik.txt"
SYLLABLES = ["ka", "ra", "de", "ni", "ye", "tur", "bak", "lar", "ler", "mış", "ğı", "sel", "ton", "çe", "şi", "vu"]


def vocabulary(rng: random.Random) -> list[str]:
    words = ARTICLE.read_text(encoding="utf-8").split() if ARTICLE.is_file() else []
    made = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(60_000)}
    return list(dict.fromkeys(words)) + sorted(made)[:50_000]


def sentence(rng: random.Random, words: list[str]) -> str:
    size = len(words)
    # Log-uniform ranks: a few words are very common, most are rare, as in news text.
    chosen = [words[min(size - 1, int(size ** rng.random()) - 1)] for _ in range(rng.randint(6, 24))]
    if rng.random() < 0.3:
        chosen.insert(rng.randrange(len(chosen)), f"{rng.randint(1, 40)}.")
    return " ".join(chosen).capitalize() + "."


def generate(count: int, seed: int = 1) -> Iterator[tuple[str, str, str]]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    for n in range(count):
        text = sentence(rng, words)
        yield text, f"EN {n}: {text.lower()}", f"RU {n}: {text.upper()}"


def edit(rng: random.Random, text: str, words: list[str]) -> str:
    parts = text.rstrip(".").split()
    for _ in range(rng.randint(1, 3)):
        spot = rng.randrange(len(parts))
        if rng.random() < 0.5:
            parts[spot] = rng.choice(words)
        elif len(parts) > 3:
            del parts[spot]
    return " ".join(parts) + "."


def queries(count: int, total: int, seed: int = 2) -> list[str]:
    """Stored sentences with words changed (80%) and new sentences (20%)."""
    rng = random.Random(seed)
    picks = sorted(rng.sample(range(total), int(count * 0.8)))
    stored = []
    wanted = set(picks)
    for n, (text, _en, _ru) in enumerate(generate(total)):
        if n in wanted:
            stored.append(text)
        if len(stored) == len(picks):
            break
    words = vocabulary(random.Random(1))
    result = [edit(rng, text, words) for text in stored]
    result += [sentence(rng, words) for _ in range(count - len(result))]
    rng.shuffle(result)
    return result


def write_memory(path: Path, count: int) -> None:
    from kervan.formats.tmx import write_tmx
    from kervan.model import Segment, Unit

    units = (
        Unit(Segment(f"bench:{n}.1", tr, "tr", ""), {"en": en, "ru": ru})
        for n, (tr, en, ru) in enumerate(generate(count))
    )
    write_tmx(units, str(path), srclang="tr", langs=["en", "ru"])


def make_project(folder: Path, url: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources").mkdir(exist_ok=True)
    config = '[project]\nname = "bench"\nsource-language = "tr"\ntarget-languages = ["en", "ru"]\n'
    if url:
        config += f'\n[tm]\nurl = "{url}"\n'
    (folder / "kervan.toml").write_text(config, encoding="utf-8")
    return folder


_IMPORT = """
import json, resource, sys, time
from kervan.pipeline import tm
from kervan.project import load_project
project = load_project(sys.argv[1])
start, cpu = time.perf_counter(), time.process_time()
report = tm.import_tm(project, sys.argv[2])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
child = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": elapsed, "cpu": cpu, "child_cpu": child.ru_utime + child.ru_stime, "units": report.units,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "child_rss_mib": child.ru_maxrss / 1024}))
"""


def kervan_import(project: Path, tmx: Path) -> dict[str, float]:
    run = subprocess.run([sys.executable, "-c", _IMPORT, str(project), str(tmx)], capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(run.stderr)
    return json.loads(run.stdout)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def kervan_search(project: Path, items: list[str]) -> tuple[float, float, float, int]:
    from kervan.pipeline import tm
    from kervan.project import load_project

    loaded = load_project(project)
    with tm.open_memory(loaded) as memory:
        for query in items[:20]:  # warm: pages of the index in the cache
            memory.matches(query, src_lang="tr", min_score=75, limit=10)
        times, hits = [], 0
        cpu = time.process_time()
        for query in items:
            start = time.perf_counter()
            found = memory.matches(query, src_lang="tr", min_score=75, limit=10)
            times.append(time.perf_counter() - start)
            hits += bool(found)
        cpu = (time.process_time() - cpu) / len(items) * 1000
    median, p95 = percentiles(times)
    return median, p95, cpu, hits


def kervan_leverage(project: Path, items: list[str]) -> tuple[float, float, int]:
    import polib

    from kervan.pipeline import tm
    from kervan.project import load_project

    loaded = load_project(project)
    catalog = polib.POFile()
    for text in items[:100]:
        catalog.append(polib.POEntry(msgid=text, msgstr=""))
    with tm.open_memory(loaded) as memory:
        start, cpu = time.perf_counter(), time.process_time()
        fills = tm.leverage_catalog(memory, loaded, "ru", "article", catalog, None)
        return time.perf_counter() - start, time.process_time() - cpu, len(fills)


def load_tmdb(folder: Path):
    """Translate Toolkit's tmdb module: installed, else from the translate-toolkit 3.12.2 wheel (pip download)."""
    try:
        from translate.storage import tmdb

        return tmdb
    except ImportError:
        pass
    wheels = folder / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "translate-toolkit==3.12.2", "-d", str(wheels)],
        check=True,
        capture_output=True,
    )
    import zipfile

    wheel = next(wheels.glob("translate_toolkit-*.whl"))
    source = folder / "tmdb.py"
    source.write_bytes(zipfile.ZipFile(wheel).read("translate/storage/tmdb.py"))
    spec = importlib.util.spec_from_file_location("tt_tmdb", source)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tmdb_run(folder: Path, count: int, items: list[str], queries: int) -> dict[str, float]:
    """tmdb over the first `count` units of the memory (in this process: its memory is not told apart)."""
    tmdb = load_tmdb(folder)
    db = tmdb.TMDB(str(folder / f"tmdb-{count}.sqlite"), max_candidates=10, min_similarity=50)
    start, cpu = time.perf_counter(), time.process_time()
    batch = []
    for tr, en, _ru in generate(count):
        batch.append({"source": tr, "target": en, "context": ""})
        if len(batch) == 10_000:
            db.add_list(batch, "tr", "en", commit=False)
            batch = []
    if batch:
        db.add_list(batch, "tr", "en", commit=False)
    db.connection.commit()
    imported, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.translate_unit(items[0], ["tr"], ["en"])
    # tmdb scores every unit sharing any word of three letters or more with the query, in Python: seconds per
    # query on a large memory. A few queries give its median; leverage is 100 such queries, estimated from them.
    times = []
    for query in items[:queries]:
        begin = time.perf_counter()
        db.translate_unit(query, ["tr"], ["en"])
        times.append(time.perf_counter() - begin)
    median, p95 = percentiles(times)
    leverage = statistics.mean(times) * 100
    return {"import": imported, "cpu": cpu, "median": median, "p95": p95, "leverage": leverage}


def rapidfuzz_runs(count: int, items: list[str], queries: int) -> list[tuple[str, float, float, float]]:
    """Brute force over every source, `queries` queries each: rapidfuzz's character ratio (its fastest scorer,
    the usual quick fuzzy search), and Kervan's own score (word-level Levenshtein) over pre-tokenized sources,
    which finds exactly what the index finds, without one. The default scorer (WRatio) is left out: it takes
    seconds a query at 100,000 units."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Levenshtein

    from kervan.tm.scoring import tokens

    sources = [tr for tr, _en, _ru in generate(count)]
    words = [tokens(text) for text in sources]
    results = []
    for label, choices, prepare, scorer, cutoff in (
        ("rapidfuzz extract, ratio (scan)", sources, str, fuzz.ratio, 50),
        ("rapidfuzz extract, word Levenshtein (scan)", words, tokens, Levenshtein.normalized_similarity, 0.5),
    ):
        process.extract(prepare(items[0]), choices, scorer=scorer, limit=10, score_cutoff=cutoff)
        times = []
        for query in items[:queries]:
            start = time.perf_counter()
            process.extract(prepare(query), choices, scorer=scorer, limit=10, score_cutoff=cutoff)
            times.append(time.perf_counter() - start)
        median, p95 = percentiles(times)
        results.append((label, median, p95, statistics.mean(times) * 100))  # leverage: 100 scans
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--full", action="store_true", help="1,000,000 units, the size of the goals")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--pg", default=os.environ.get("KERVAN_BENCH_PG_URL", ""), help="PostgreSQL URL too")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--tmdb-queries", type=int, default=5, help="queries timed on tmdb (seconds each)")
    parser.add_argument("--scan-queries", type=int, default=20, help="queries timed on each rapidfuzz scan")
    parser.add_argument("--tmdb-units", type=lambda v: [int(n) for n in v.split(",")], default=[10_000],
                        help="sizes of the memory tmdb is run on, comma-separated (default 10000)")
    args = parser.parse_args()
    count = 1_000_000 if args.full else args.units
    with tempfile.TemporaryDirectory(prefix="bench-tm-") as tmp:
        folder = Path(tmp)
        tmx = folder / "memory.tmx"
        small = folder / "small.tmx"
        start = time.perf_counter()
        write_memory(tmx, count)
        write_memory(small, max(1, count // 10))
        print(f"memory: {count:,} tr/en/ru units, {tmx.stat().st_size / 2**20:.0f} MiB of TMX "
              f"(written in {time.perf_counter() - start:.1f} s)")  # fmt: skip
        items = queries(args.queries, count)
        rows: list[tuple[str, str, str, str, str]] = []

        backends = [("kervan sqlite", "")] + ([("kervan postgresql", args.pg)] if args.pg else [])
        for label, url in backends:
            if url:
                _reset_pg(url)
            tenth = kervan_import(make_project(folder / f"{label}-small".replace(" ", "-"), url), small)
            if url:
                _reset_pg(url)
            project = make_project(folder / label.replace(" ", "-"), url)
            full = kervan_import(project, tmx)
            median, p95, cpu, hits = kervan_search(project, items)
            seconds, lev_cpu, fills = kervan_leverage(project, items)
            rows.append(_shown((
                label,
                f"{full['seconds']:.1f} s (cpu {full['cpu']:.1f} s + reader {full['child_cpu']:.1f} s), "
                f"{full['rss_mib']:.0f} + {full['child_rss_mib']:.0f} MiB "
                f"({tenth['rss_mib']:.0f} + {tenth['child_rss_mib']:.0f} MiB at 1/10)",
                f"{median:.1f} / {p95:.1f} ms (cpu {cpu:.1f} ms mean)",
                f"{seconds:.2f} s (cpu {lev_cpu:.2f} s, {fills} filled)",
                f"{hits}/{len(items)} queries matched",
            )))  # fmt: skip
        if not args.no_peers:
            for label, median, p95, leverage in rapidfuzz_runs(count, items, args.scan_queries):
                rows.append(_shown((label, "no index", f"{median:.1f} / {p95:.1f} ms",
                                    f"{leverage:.2f} s (100 x mean of {args.scan_queries})", "")))  # fmt: skip
            # tmdb scores, in Python, every unit sharing a word of three letters or more with the query: it is run
            # on the first units of the memory only. Its figures are scaled to the full size: the import linearly,
            # a query by the growth measured between the two largest sizes run (linearly if only one was run).
            measured: list[tuple[int, dict[str, float]]] = []
            for size in sorted({min(count, n) for n in args.tmdb_units}):
                peer = tmdb_run(folder, size, items, args.tmdb_queries)
                measured.append((size, peer))
                rows.append(_shown((
                    f"translate-toolkit tmdb, {size:,} units",
                    f"{peer['import']:.1f} s (cpu {peer['cpu']:.1f} s; tr-en only)",
                    f"{peer['median']:.1f} / {peer['p95']:.1f} ms",
                    f"{peer['leverage']:.2f} s (100 x mean of {args.tmdb_queries})",
                    "",
                )))  # fmt: skip
            size, peer = measured[-1]
            if size < count:
                exponent = 1.0
                if len(measured) > 1:
                    (small, before), (large, after) = measured[-2], measured[-1]
                    exponent = max(1.0, math.log(after["median"] / before["median"]) / math.log(large / small))
                grow = (count / size) ** exponent
                rows.append(_shown((
                    f"  tmdb scaled to {count:,} (estimate)",
                    f"~{peer['import'] * count / size:.0f} s (linear)",
                    f"~{peer['median'] * grow / 1000:.0f} / {peer['p95'] * grow / 1000:.0f} s (units^{exponent:.2f})",
                    f"~{peer['leverage'] * grow / 3600:.0f} h",
                    "",
                )))  # fmt: skip
        header = ("", "import (time, peak RSS)", "search median / p95", "leverage 100 segments", "")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
        for row in [header, *rows]:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        print("goals at 1,000,000 units: import <= 60 s with flat memory; search <= 20 ms median, 50 ms p95; "
              "leverage <= 2 s")  # fmt: skip


def _shown(row: tuple[str, str, str, str, str]) -> tuple[str, str, str, str, str]:
    print("  ".join(row), flush=True)
    return row


def _reset_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS kervan_tm_unit, kervan_tm_origin, kervan_tm_word, kervan_tm_posting CASCADE")
        conn.execute("DROP SEQUENCE IF EXISTS kervan_tm_unit_ids")


if __name__ == "__main__":
    main()
