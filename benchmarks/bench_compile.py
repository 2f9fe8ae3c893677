"""Compile speed: Kervan's MO writer against GNU msgfmt and polib, on generated catalogs.

Run: python benchmarks/bench_compile.py [--sizes 10000 100000] [--polib-max 10000]

Each catalog is article-like: Turkish sources, Russian translations, with some plural, context, fuzzy and
untranslated messages. Times are the best of --repeat runs (wall clock, seconds). "read+write_mo" starts from
the PO file as msgfmt does; "write_mo" starts from the catalog in memory. polib's save_as_mofile is quadratic,
so it only runs up to --polib-max entries.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polib

from kervan.formats import mo, po
from kervan.locales import plural_forms

TURKISH = (
    "Kazakistan Cumhurbaşkanı Tokayev Rusya ile imzalanan Kapsamlı Stratejik Ortaklık Bildirgesi’nin iki ülke "
    "arasındaki ilişkileri daha da geliştireceğini belirtti “güven ve açıklık” atmosferi"
)
RUSSIAN = (
    "Президент Казахстана Токаев заявил что Декларация о всеобъемлющем стратегическом партнёрстве с Россией "
    "укрепит отношения двух стран «доверие и открытость»"
)


def make_catalog(size: int, seed: int = 1) -> polib.POFile:
    rng = random.Random(seed)
    turkish, russian = TURKISH.split(), RUSSIAN.split()
    catalog = polib.POFile()
    catalog.metadata = {
        "Project-Id-Version": "bench 1.0",
        "Language": "ru",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms("ru"),
    }
    for number in range(size):
        source = " ".join(rng.choices(turkish, k=rng.randint(6, 24))) + f" ({number})."
        target = " ".join(rng.choices(russian, k=rng.randint(6, 24))) + f" ({number})."
        entry = polib.POEntry(msgid=source, occurrences=[("sources/bench.txt", str(number + 1))])
        kind = number % 20
        if kind == 0:
            entry.msgid_plural = source + " (çoğul)"
            entry.msgstr_plural = {0: target, 1: target + " (2)", 2: target + " (5)"}
        else:
            entry.msgstr = "" if kind == 1 else target
        if kind == 2:
            entry.msgctxt = "başlık"
        if kind == 3:
            entry.flags = ["fuzzy"]
        catalog.append(entry)
    return catalog


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--polib-max", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    msgfmt = shutil.which("msgfmt")

    header = ("entries", "write_mo", "read+write_mo", "msgfmt", "polib", "same bytes")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for size in args.sizes:
            catalog = make_catalog(size)
            po_path, ours, theirs, slow = (base / f"{size}.{ext}" for ext in ("po", "mo", "ref.mo", "polib.mo"))
            po.write_po(catalog, po_path)
            write = best_of(args.repeat, lambda c=catalog, p=ours: mo.write_mo(c, p))
            both = best_of(args.repeat, lambda s=po_path, p=ours: mo.write_mo(po.read_po(s), p))
            reference = "-"
            same = "-"
            if msgfmt:
                command = [msgfmt, "-o", str(theirs), str(po_path)]
                reference = f"{best_of(args.repeat, lambda c=command: subprocess.run(c, check=True)):.2f}"
                same = "yes" if ours.read_bytes() == theirs.read_bytes() else "NO"
            old = "-"
            if size <= args.polib_max:
                old = f"{best_of(1, lambda c=catalog, p=slow: c.save_as_mofile(str(p))):.2f}"
            rows.append((f"{size:,}", f"{write:.2f}", f"{both:.2f}", reference, old, same))

    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)))
    print("seconds, best of", args.repeat, "(polib: one run)")


if __name__ == "__main__":
    main()
