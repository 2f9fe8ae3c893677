"""Write and read a large generated TMX: units/s, MB/s, peak RSS and tracemalloc peak.

    python benchmarks/bench_tmx.py [UNITS] [--no-trace] [--keep PATH]

UNITS defaults to 1,000,000. Each unit has a Turkish source (sentences of the shipped article, cycled),
English and Russian targets, a reference and, for every tenth unit, a note.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from kervan.formats.tmx import iter_tmx, write_tmx
from kervan.model import Segment, Unit

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "sources" / "2025-11-13-tokayev-stratejik-ortaklik.txt"
FALLBACK = [
    "Kazakistan Cumhurbaşkanı Tokayev, Rusya ile imzalanan bildirgenin ilişkileri geliştireceğini belirtti.",
    "Taraflar, enerji ve ulaştırma alanlarında iş birliğini derinleştirme kararı aldı.",
]


def sentences() -> list[str]:
    if not ARTICLE.is_file():
        return FALLBACK
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()[1:]
    found = [part.strip() + "." for line in lines for part in line.split(". ") if part.strip()]
    return found or FALLBACK


def generate(count: int) -> Iterator[Unit]:
    texts = sentences()
    for n in range(count):
        text = texts[n % len(texts)]
        seg = Segment(f"bench-{n // 1000}:{n % 1000 + 1}.1", text, "tr", f"sources/bench-{n // 1000}.txt:{n % 1000}")
        targets = {"en": f"English rendering {n} of: {text[:60]}", "ru": f"Русский перевод {n}: {text[:40]}"}
        yield Unit(seg, targets, ("reviewed",) if n % 10 == 0 else ())


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def report(what: str, count: int, size: int, seconds: float) -> None:
    print(
        f"{what:<16} {count:>10,} units  {seconds:8.2f} s  {count / seconds:>10,.0f} units/s  "
        f"{size / 2**20 / seconds:7.1f} MB/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("units", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--no-trace", action="store_true", help="skip the (slow) tracemalloc read pass")
    parser.add_argument("--keep", type=Path, help="write the TMX here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.tmx"
        rss_start = rss_mib()
        started = time.perf_counter()
        written = write_tmx(
            generate(args.units), path, srclang="tr", langs=["en", "ru"], creationdate=dt.datetime.now(dt.UTC)
        )
        elapsed = time.perf_counter() - started
        size = path.stat().st_size
        print(f"file: {size / 2**20:,.1f} MiB, {written:,} units; RSS at start {rss_start:.1f} MiB")
        report("write", written, size, elapsed)
        print(f"{'':<16} peak RSS so far {peak_rss_mib():.1f} MiB")

        started = time.perf_counter()
        read = chars = 0
        rss_samples = []
        for unit in iter_tmx(path):
            read += 1
            chars += sum(len(text) for text in unit.variants.values())
            if read % max(1, args.units // 10) == 0:
                rss_samples.append(rss_mib())
        elapsed = time.perf_counter() - started
        report("read", read, size, elapsed)
        samples = ", ".join(f"{value:.0f}" for value in rss_samples)
        print(f"{'':<16} RSS during the read (MiB, every 10%): {samples}; peak RSS {peak_rss_mib():.1f} MiB")

        if not args.no_trace:
            tracemalloc.start()
            started = time.perf_counter()
            traced = sum(1 for _ in iter_tmx(path))
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            report("read (traced)", traced, size, elapsed)
            print(f"{'':<16} tracemalloc peak {peak / 2**20:.2f} MiB")


if __name__ == "__main__":
    main()
