"""Edge cases of the command line's own plumbing: odd file names, a closed stdout, special files as `-o`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_project
from test_cli_errors import assert_clean_error, kervan

PO = REPO / "tests" / "data" / "po" / "django-humanize-ru.po"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "p")


def test_file_name_with_a_newline_stays_one_line(project: Path, tmp_path: Path) -> None:
    name = tmp_path / "new\nline.txt"
    name.write_text("no header\n", encoding="utf-8")
    line = assert_clean_error(kervan("add", str(name), cwd=project), "no article header")
    assert "new\\nline.txt" in line


def closed_stdout(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The command with file descriptor 1 closed, as `kervan ... >&-` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "kervan.cli", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: os.close(1),
        timeout=300,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("segment", "sources/2025-11-13-tokayev-stratejik-ortaklik.txt"),
        ("tmx", "export", "-o", "-"),
        ("xliff", "export", "--lang", "en", "-o", "-"),
        ("compile", str(PO), "-o", "-"),
        ("render", "--lang", "en"),
        ("list",),
        ("--help",),
    ],
)
def test_closed_stdout_is_one_error_line(project: Path, args: tuple[str, ...]) -> None:
    assert_clean_error(closed_stdout(*args, cwd=project), "stdout")


@pytest.mark.parametrize(
    "args",
    [
        ("tmx", "export", "-o", "{out}"),
        ("xliff", "export", "--lang", "en", "-o", "{out}"),
        ("compile", str(PO), "-o", "{out}"),
        ("render", "--lang", "en", "-o", "{out}"),
        ("glossary", "export", "-o", "{out}"),
    ],
)
def test_output_to_a_fifo_is_refused_and_the_fifo_kept(project: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "kervan.cli", *(a.replace("{out}", str(fifo)) for a in args)],
        cwd=project,
        capture_output=True,
        timeout=60,  # a reader-less FIFO would block an open() forever
    )
    assert_clean_error(result, "fifo", "not a regular file")
    assert fifo.is_fifo()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".fifo")] == []


def test_glossary_given_as_a_folder_is_named_so(tmp_path: Path) -> None:
    line = assert_clean_error(kervan("qa", str(PO), "--glossary", str(tmp_path), cwd=tmp_path), "is a folder")
    assert "not found" not in line
