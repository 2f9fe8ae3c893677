"""`kervan term scan` streams: offsets as if the whole text were scanned, memory independent of the input size."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ARTICLE, copy_project, run_kervan

# `kervan ARGS` in-process; the last stderr line is the process's peak resident set in KiB.
PEAK = """
import resource, sys
from kervan.cli import main
try:
    main(sys.argv[1:])
finally:
    print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def _paragraphs() -> str:
    lines = ARTICLE.read_text(encoding="utf-8").split("\n")[1:]
    return "\n".join(line for line in lines if line.strip()) + "\n"


def test_offsets_match_a_scan_of_the_whole_text(tmp_path: Path, shipped_index) -> None:
    project = copy_project(tmp_path / "p")
    # CRLF line ends and a byte-order mark: offsets count characters of the decoded text, BOM excluded.
    text = _paragraphs().replace("\n", "\r\n") * 2
    (project / "in.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = run_kervan("term", "scan", "--json", "in.txt", cwd=project)
    assert result.returncode == 0, result.stderr
    streamed = [(o["start"], o["end"], o["text"], o["concept"]) for o in json.loads(result.stdout)["occurrences"]]
    whole = [(o.start, o.end, o.text, o.concept.id) for o in shipped_index.scan(text, "tr")]
    assert streamed == whole and len(whole) > 40
    assert all(text[start:end] == found for start, end, found, _ in streamed)


def test_table_rows_keep_their_columns_past_the_first_rows(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "in.txt").write_text(_paragraphs() * 60, encoding="utf-8")  # well over 1,000 occurrences
    table = run_kervan("term", "scan", "in.txt", cwd=project).stdout.splitlines()
    data = json.loads(run_kervan("term", "scan", "--json", "in.txt", cwd=project).stdout)["occurrences"]
    assert len(table) == len(data) + 2 > 1002
    concept_column = table[0].index("concept")
    for number, (line, record) in enumerate(zip(table[2:], data, strict=True)):
        cells = re.split(r"\s{2,}", line)
        assert cells[:3] == [f"{record['start']}-{record['end']}", record["text"], record["concept"]]
        if number < 1000:  # aligned on the rows read before printing began; later ones follow those widths
            assert line[concept_column:].startswith(record["concept"] + " ")


def _peak_kib(project: Path, *args: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", PEAK, *args], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("maxrss"), result.stderr
    return int(last.split()[1])


@pytest.mark.parametrize(("flags", "copies"), [((), 330), (("--json",), 120)], ids=["table", "json"])
def test_memory_does_not_grow_with_the_input(tmp_path: Path, flags: tuple[str, ...], copies: int) -> None:
    # 1 MB for the table, 380 kB for JSON: sizes at which holding the whole input and result would show
    # above the peak that loading the glossary makes anyway.
    project = copy_project(tmp_path / "p")
    body = _paragraphs()
    (project / "small.txt").write_text(body * 10, encoding="utf-8")  # 30 kB
    (project / "large.txt").write_text(body * copies, encoding="utf-8")
    run_kervan("term", "lookup", "Rusya", cwd=project)  # the matcher's cache is built outside the measurement
    small = _peak_kib(project, "term", "scan", *flags, "small.txt")
    large = _peak_kib(project, "term", "scan", *flags, "large.txt")
    # A whole-text scan holds the text, every occurrence and the printed result: 40 to 90 MB more here.
    assert large - small < 12 * 1024, (small, large)
