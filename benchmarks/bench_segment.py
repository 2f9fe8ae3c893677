"""`kervan segment` speed, start-up and memory, beside PyICU's sentence iterator and a five-line regex splitter.

    python benchmarks/bench_segment.py [--mb 20] [--gold FILE.jsonl] [--rules FILE.srx] [--rounds 2] [--big-mb 47]

The text is running Turkish prose with many sentence ends: the paragraphs of a gold file (default: the UD
development set in ../shared/eval/segmentation/) shuffled and repeated until the asked size, one per line,
written to a temporary file (nothing large is kept). Every tool runs as its own process on the same file, its
output going to /dev/null, and the rounds interleave the tools, so each figure has its anchors beside it.
Wall time is what a user waits on a busy machine; CPU time (user + system of the process) is steadier, and the
ratios use it.

Also measured: seconds from process start to the first segment on stdout (`kervan segment -` fed one short
paragraph), and the peak resident memory of `kervan segment` on one paragraph of --big-mb megabytes.
"""

from __future__ import annotations

import argparse
import compileall
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The development kit sits beside the repository (../shared/eval/segmentation/), or one level up from a worktree.
GOLD = next(
    (p for p in (REPO.parent / "shared", REPO.parent.parent / "shared") if p.is_dir()), REPO.parent / "shared"
) / "eval" / "segmentation" / "ud_tr_dev.jsonl"

ICU = """
import sys, icu
breaker = icu.BreakIterator.createSentenceInstance(icu.Locale("tr"))
out = sys.stdout
for line in open(sys.argv[1], encoding="utf-8"):
    text = line.rstrip("\\n")
    if not text.strip():
        continue
    breaker.setText(text)
    start = breaker.first()
    pieces = []
    for end in breaker:
        pieces.append(text[start:end].strip())
        start = end
    out.write("\\n".join(p for p in pieces if p) + "\\n\\n")
"""

# Five lines: the baseline any project starts with.
REGEX = """
import re, sys
SPLIT = re.compile(r'(?<=[.!?…])["”’»)]*\\s+(?=["“‘«(]*[A-ZÇĞİÖŞÜ0-9])')
out = sys.stdout
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        out.write("\\n".join(SPLIT.split(line.strip())) + "\\n\\n")
"""


def prose(gold: Path, megabytes: float, seed: int) -> list[str]:
    paragraphs = [json.loads(line)["text"] for line in gold.open(encoding="utf-8") if line.strip()]
    rng = random.Random(seed)
    lines, size, target = [], 0, int(megabytes * 1_000_000)
    while size < target:
        rng.shuffle(paragraphs)
        for paragraph in paragraphs:
            lines.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 1
            if size >= target:
                break
    return lines


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of a child process whose output is discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def first_segment(kervan: list[str]) -> float:
    """Seconds from starting `kervan segment -` to reading its first segment."""
    started = time.perf_counter()
    process = subprocess.Popen([*kervan, "segment", "-", "--lang", "tr"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("Toplantı bitti. Yarın devam edecek.\n".encode())
    process.stdin.flush()
    process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.stdin.close()
    process.wait()
    return elapsed


def peak_rss_mb(command: list[str]) -> float:
    """Peak resident memory of one child process, in MB (ru_maxrss of a fresh waiter)."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--rules", type=str, default=None, help="SRX file for kervan (default: shipped rules)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--big-mb", type=float, default=47.0, help="size of the one-paragraph memory test (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    # The console script a user runs (beside this Python), else the module.
    script = Path(sys.executable).parent / "kervan"
    kervan = [str(script)] if script.is_file() else [sys.executable, "-m", "kervan.cli"]
    rules = ["--rules", args.rules] if args.rules else []
    # Kervan's modules byte-compiled, as a wheel install leaves them (PYTHONDONTWRITEBYTECODE would otherwise make
    # every run compile them), and the rule cache warm, as after any earlier run: start-up is measured as users see it.
    compileall.compile_dir(REPO / "src" / "kervan", quiet=1)
    warm = [*kervan, "segment", "-", "--lang", "tr", *rules]
    subprocess.run(warm, input=b"Bir. Iki.\n", capture_output=True, check=True)
    try:
        import icu  # noqa: F401

        has_icu = True
    except ImportError:
        has_icu = False
        print("PyICU is not installed: its column is left out (pip install pyicu)")

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "prose.txt"
        lines = prose(args.gold, args.mb, args.seed)
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        megabytes = source.stat().st_size / 1_000_000
        sentence_ends = sum(line.count(". ") + line.count("? ") + line.count("! ") + 1 for line in lines)
        print(f"{megabytes:.1f} MB of prose from {args.gold.name}: {len(lines):,} paragraphs, "
              f"~{sentence_ends:,} sentence ends")  # fmt: skip

        tools = {"kervan segment": [*kervan, "segment", str(source), "--lang", "tr", *rules]}
        if has_icu:
            tools["PyICU sentence iterator"] = [sys.executable, "-c", ICU, str(source)]
        tools["five-line regex splitter"] = [sys.executable, "-c", REGEX, str(source)]
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in tools}
        for _ in range(args.rounds):
            for name, command in tools.items():
                figures[name].append(timed(command))
        best = {name: (min(w for w, _ in runs), min(c for _, c in runs)) for name, runs in figures.items()}
        ours_cpu = best["kervan segment"][1]
        print(f"\n{'':<26} {'MB/s wall':>10} {'MB/s CPU':>10} {'CPU vs kervan':>14}")
        for name, (wall, cpu) in best.items():
            print(f"{name:<26} {megabytes / wall:>10.1f} {megabytes / cpu:>10.1f} {ours_cpu / cpu:>13.2f}x")

        starts = sorted(first_segment(kervan) for _ in range(5))
        print(f"\nstart to first segment: median {starts[2]:.3f} s, best {starts[0]:.3f} s (wall, 5 runs)")

        if args.big_mb > 0:
            big = Path(folder) / "one-paragraph.txt"
            with big.open("w", encoding="utf-8") as out:
                size, target = 0, int(args.big_mb * 1_000_000)
                while size < target:
                    for line in lines:
                        out.write(line + " ")
                        size += len(line.encode("utf-8")) + 1
                        if size >= target:
                            break
                out.write("\n")
            big_mb = big.stat().st_size / 1_000_000
            small_rss = peak_rss_mb([*kervan, "segment", str(source), "--lang", "tr", *rules])
            started = time.perf_counter()
            big_rss = peak_rss_mb([*kervan, "segment", str(big), "--lang", "tr", *rules])
            print(f"peak RSS: {small_rss:.0f} MB on {megabytes:.1f} MB of paragraphs; {big_rss:.0f} MB on one "
                  f"{big_mb:.1f} MB paragraph ({time.perf_counter() - started:.1f} s)")  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
