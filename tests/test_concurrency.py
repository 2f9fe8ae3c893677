"""Concurrent runs, killed runs and failing runs: no lost update, no half-changed project, no leftovers.

Every test drives the real `kervan` in separate processes on a copy of the shipped project.
"""

from __future__ import annotations

import fcntl
import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import polib
import pytest

from conftest import ARTICLE_ID, REPO, copy_project, run_kervan

EN_PO = f"locales/en/LC_MESSAGES/{ARTICLE_ID}.po"
RU_PO = f"locales/ru/LC_MESSAGES/{ARTICLE_ID}.po"


def _snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file below root (the matcher's cache aside) with its bytes, mtime and inode."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def _fresh_project(tmp_path: Path) -> Path:
    """The shipped project without its catalogs: every segment untranslated after one build."""
    project = tmp_path / "p"
    project.mkdir()
    for name in ("kervan.toml", "sources", "glossary"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, project / name)
        else:
            (project / name).write_bytes(src.read_bytes())
    assert run_kervan("build", cwd=project).returncode in (0, 1)  # 1 where QA counts untranslated as errors
    return project


def _tmx(path: Path, pairs: list[tuple[str, str]], lang: str = "en", padding: int = 0) -> Path:
    """A TMX filling `pairs`; `padding` units match nothing (they make reading take a while)."""
    pairs = pairs + [(f"Katalogda olmayan cümle {n}.", f"Not in the catalog {n}.") for n in range(padding)]
    units = "".join(
        f'<tu><tuv xml:lang="tr"><seg>{escape(src)}</seg></tuv><tuv xml:lang="{lang}"><seg>{escape(tgt)}</seg></tuv>'
        "</tu>\n"
        for src, tgt in pairs
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" creationtoolversion="1"'
        ' segtype="sentence" o-tmf="t" adminlang="en" srclang="tr" datatype="plaintext"/>\n'
        f"<body>\n{units}</body></tmx>\n",
        encoding="utf-8",
    )
    return path


def _kervan_process(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kervan.cli", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_concurrent_imports_and_builds_lose_no_reported_fill(tmp_path: Path) -> None:
    project = _fresh_project(tmp_path)
    msgids = [e.msgid for e in polib.pofile(str(project / EN_PO)) if e.msgid]
    # Four translators' files, each filling its own share of the segments, imported while two builds run.
    shares = [msgids[i::4] for i in range(4)]
    # Each file takes a while to read, so that without the lock the imports' read-merge-write would overlap.
    files = [
        _tmx(tmp_path / f"t{i}.tmx", [(m, f"EN{i} {m}") for m in share], padding=3000) for i, share in enumerate(shares)
    ]
    env = {"KERVAN_LOCK_TIMEOUT": "120"}
    procs = [_kervan_process("build", cwd=project, env=env)]
    procs += [_kervan_process("tmx", "import", str(f), "--lang", "en", cwd=project, env=env) for f in files]
    procs += [_kervan_process("build", cwd=project, env=env)]
    results = [(p.args, *p.communicate(timeout=300), p.returncode) for p in procs]
    for args, out, err, code in results:
        # A build exits 1 while QA finds untranslated segments.
        assert code in ((0, 1) if "build" in args else (0,)) and "Traceback" not in err, (args, out, err)
    reported = sum(int(m) for _, out, _, _ in results for m in re.findall(r"en: (\d+) filled", out))
    assert reported == len(msgids)
    final = {e.msgid: e.msgstr for e in polib.pofile(str(project / EN_PO)) if e.msgid}
    for i, share in enumerate(shares):
        for msgid in share:
            assert final[msgid] == f"EN{i} {msgid}"


def _hold_lock(project: Path) -> int:
    fd = os.open(project, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


@pytest.mark.parametrize(
    "command",
    [
        ("build",),
        ("update",),
        ("compile",),
        ("extract",),
        ("tmx", "import", "T"),
        ("tm", "import", "T"),
        ("glossary", "import", "G"),
        ("tmx", "export"),
        ("glossary", "export", "--format", "csv"),
        ("render", "--lang", "ru", "-o", "ru.txt"),
    ],
    ids=[
        "build", "update", "compile", "extract", "tmx-import", "tm-import", "glossary-import", "tmx-export", "csv",
        "render",
    ],
)
def test_a_busy_project_is_an_error_after_the_timeout_and_nothing_changes(tmp_path: Path, command) -> None:
    project = copy_project(tmp_path / "p")
    tmx = _tmx(tmp_path / "t.tmx", [("Bir cümle.", "A sentence.")])
    args = [str(tmx) if a == "T" else str(REPO / "glossary" / "kervan.tbx") if a == "G" else a for a in command]
    fd = _hold_lock(project)
    before = _snapshot(project)
    try:
        result = run_kervan(*args, cwd=project, env={"KERVAN_LOCK_TIMEOUT": "0.2"})
    finally:
        os.close(fd)
    assert result.returncode == 2, result
    assert re.fullmatch(r"kervan: error: [^\n]*: project is busy: [^\n]*\n", result.stderr), result.stderr
    assert _snapshot(project) == before
    if command == ("build",):  # once the other run is done, the same command goes through
        assert run_kervan(*args, cwd=project).returncode == 0


def test_readers_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    fd = _hold_lock(project)
    try:
        for args in (("stats",), ("qa",), ("term", "lookup", "Rusya"), ("tmx", "export", "-o", "-")):
            result = run_kervan(*args, cwd=project, env={"KERVAN_LOCK_TIMEOUT": "0"})
            assert result.returncode in (0, 1) and not result.stderr.startswith("kervan: error"), (args, result)
    finally:
        os.close(fd)


def test_the_lock_timeout_setting_is_checked(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    result = run_kervan("build", cwd=project, env={"KERVAN_LOCK_TIMEOUT": "soon"})
    assert result.returncode == 2 and result.stderr.startswith("kervan: error: KERVAN_LOCK_TIMEOUT must be")


# --------------------------------------------------------------------------- all or nothing


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_tmx_import_failing_on_the_second_catalog_leaves_the_first_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    msgids = [e.msgid for e in polib.pofile(str(project / EN_PO)) if e.msgid]
    en_size = (project / EN_PO).stat().st_size
    ru_size = (project / RU_PO).stat().st_size
    assert en_size < 20_000 < ru_size
    units = "".join(
        f'<tu><tuv xml:lang="tr"><seg>{escape(m)}</seg></tuv><tuv xml:lang="en"><seg>E</seg></tuv>'
        f'<tuv xml:lang="ru"><seg>{"Р" * 300}</seg></tuv></tu>'
        for m in msgids
    )
    tmx = tmp_path / "both.tmx"
    tmx.write_text(
        f'<tmx version="1.4"><header srclang="tr" creationtool="t" creationtoolversion="1" segtype="sentence" '
        f'o-tmf="t" adminlang="en" datatype="plaintext"/><body>{units}</body></tmx>',
        encoding="utf-8",
    )
    before = _snapshot(project)
    # Writing the Russian catalog (over 20,000 bytes) fails as on a full disk; the English one is staged first.
    result = subprocess.run(
        [sys.executable, "-m", "kervan.cli", "tmx", "import", str(tmx), "--overwrite"],
        cwd=project,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size(20_000),
    )
    assert result.returncode == 2, result
    assert re.fullmatch(rf"kervan: error: {re.escape(RU_PO)}: cannot write: File too large\n", result.stderr)
    after = _snapshot(project)
    assert after.get(EN_PO) == before[EN_PO]
    assert after == before
    assert not [p for p in project.rglob("*.tmp")]


def test_build_failing_at_its_last_step_changes_no_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "sources" / "2025-12-01-yeni.txt").write_text(" date 2025-12-01 Yeni\nBir cümle.\n", encoding="utf-8")
    (project / "build").mkdir()
    os.mkfifo(project / "build" / f"{ARTICLE_ID}.en.txt")  # the English rendering cannot be written
    before = _snapshot(project)
    result = run_kervan("build", cwd=project)
    assert result.returncode == 2, result
    assert result.stderr == (
        f"kervan: error: build/{ARTICLE_ID}.en.txt: is a FIFO, not a regular file; Kervan writes regular files only\n"
    )
    assert _snapshot(project) == before
    assert not (project / "locales" / "2025-12-01-yeni.pot").exists()
    assert not [p for p in project.rglob("*.tmp")]


def test_full_disk_names_the_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    result = subprocess.run(
        [sys.executable, "-m", "kervan.cli", "tmx", "export", "-o", "big.tmx"],
        cwd=project,
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size(4096),
    )
    assert result.returncode == 2
    assert result.stderr == "kervan: error: big.tmx: cannot write: File too large\n"
    assert sorted(p.name for p in project.iterdir() if p.name.startswith((".big", "big"))) == []


# --------------------------------------------------------------------------- killed runs


_KILLED_AT_COMMIT = (
    "import os, sys\n"
    "os.replace = lambda *a, **k: os._exit(137)\n"  # the run dies where it would rename its first file
    "from kervan.cli import main\n"
    "main(sys.argv[1:])\n"
)


def test_a_killed_build_leaves_the_old_files_and_later_runs_remove_its_temp_files(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    # A first read-only run fills the user cache (outside the project, written with os.replace too), so that
    # the kill below comes where the build commits its own files.
    assert run_kervan("stats", cwd=project).returncode == 0
    before = {k: v[0] for k, v in _snapshot(project).items()}
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_AT_COMMIT, "build"], cwd=project, capture_output=True, text=True
    )
    assert killed.returncode == 137
    leftovers = sorted(p.relative_to(project) for p in project.rglob(".*.tmp"))
    assert leftovers, "the killed run should have left its temp files"
    assert {k: v[0] for k, v in _snapshot(project).items() if not k.endswith(".tmp")} == before
    # A temp file of a run still going (this test's process) is not Kervan's to remove.
    live = project / "locales" / f".x.po.kervan-{os.getpid()}-abcd1234.tmp"
    live.write_text("in progress")
    foreign = project / "build" / ".notes.tmp"
    foreign.write_text("someone else's")
    assert run_kervan("build", cwd=project).returncode == 0
    assert sorted(p.name for p in project.rglob("*.tmp")) == sorted([live.name, foreign.name])


# --------------------------------------------------------------------------- the transaction helper


def test_a_failing_transaction_removes_its_temp_files_and_the_folders_it_made(tmp_path: Path) -> None:
    from kervan.formats import atomic

    (tmp_path / "kept.txt").write_text("old")
    with pytest.raises(RuntimeError), atomic.transaction():
        atomic.write_text(tmp_path / "kept.txt", "new")
        atomic.write_text(tmp_path / "a" / "b" / "new.txt", "new")
        assert (tmp_path / "kept.txt").read_text() == "old"  # staged, not yet replaced
        assert atomic.view(tmp_path / "kept.txt").read_text() == "new"  # but readable inside
        raise RuntimeError("a later step fails")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]
    assert (tmp_path / "kept.txt").read_text() == "old"


def test_a_commit_that_fails_halfway_puts_back_what_it_replaced(tmp_path: Path) -> None:
    from kervan.errors import KervanError
    from kervan.formats import atomic

    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("first old")
    second.write_text("second old")
    with pytest.raises(KervanError, match="is a folder"), atomic.transaction() as txn:
        atomic.write_text(first, "first new")
        atomic.write_text(second, "second new")
        assert txn.will_change(first) and txn.will_change(second)
        # Between staging and commit, something puts a folder where the second file was.
        second.unlink()
        second.mkdir()
    assert first.read_text() == "first old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first.txt", "second.txt"]


def test_nested_transactions_commit_once_at_the_outermost(tmp_path: Path) -> None:
    from kervan.formats import atomic

    target = tmp_path / "f.txt"
    with atomic.transaction() as outer:
        with atomic.transaction() as inner:
            assert inner is outer
            atomic.write_text(target, "x")
        assert not target.exists()
    assert target.read_text() == "x"
