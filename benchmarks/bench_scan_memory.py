"""`kervan term scan` on a large input: peak memory and time, streamed output beside a whole-text scan.

    python benchmarks/bench_scan_memory.py [--mb 20]

The input is the shipped article's paragraphs repeated to --mb megabytes. Each measurement runs in a fresh
process; peak memory is the process's maximum resident set. The anchor, in the same run, is the whole-text
approach (read everything, scan it at once, build the full result, print it): how Kervan scanned before the
output was streamed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "sources" / "2025-11-13-tokayev-stratejik-ortaklik.txt"

# Runs `kervan ARGS` in-process and reports this process's peak RSS (KiB) on stderr's last line.
KERVAN = """
import resource, sys
from kervan.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    sys.stdout.flush()
    print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""

# The anchor: the whole text read and scanned at once, the whole result built, then printed (the same rows
# and JSON records as kervan's).
WHOLE = """
import json, resource, sys
from kervan.cli import _table
from kervan.project import load_project
from kervan.pipeline import ScanResult, term_index
project = load_project(".")
text = open(sys.argv[2], encoding="utf-8").read()
result = ScanResult(list(term_index(project).scan(text, "tr")), (project.source_lang, *project.target_langs))
if sys.argv[1] == "json":
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
else:
    print(result.table(_table))
print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def measure(code: str, args: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seconds = time.perf_counter() - start
    last = result.stderr.strip().splitlines()[-1]
    if not last.startswith("maxrss"):
        raise SystemExit(result.stderr)
    return seconds, int(last.split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=20.0, help="input size in megabytes (default 20)")
    options = parser.parse_args()
    lines = ARTICLE.read_text(encoding="utf-8").split("\n")[1:]
    body = "\n".join(line for line in lines if line.strip()) + "\n"
    copies = int(options.mb * 1_000_000 // len(body.encode())) + 1
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "big.txt"
        source.write_text(body * copies, encoding="utf-8")
        size = source.stat().st_size / 1e6
        print(f"input: {size:.1f} MB ({copies} copies of the article's paragraphs)")
        print(f"{'output':8}  {'kervan term scan (streamed)':>30}  {'whole-text scan (anchor)':>30}  memory ratio")
        for mode in ("table", "json"):
            flags = ["--json"] if mode == "json" else []
            k_time, k_mem = measure(KERVAN, ["term", "scan", *flags, str(source)])
            a_time, a_mem = measure(WHOLE, [mode, str(source)])
            print(
                f"{mode:8}  {k_mem:9.0f} MB peak {k_time:8.1f} s  {a_mem:9.0f} MB peak {a_time:8.1f} s"
                f"  {a_mem / k_mem:6.1f}x less"
            )


if __name__ == "__main__":
    main()
