"""Hostile projects and hostile input, command by command.

The table below pairs a way of breaking things (a crafted file in the project, a closed standard stream, an
output path that is a FIFO or a link) with the commands it can reach. Every pair must end the same way: exit
status 2, exactly one `kervan: error:` line naming the culprit, no traceback, and the project tree exactly as
it was (bytes, time stamps, inodes, links). Each case runs the real `kervan` in a fresh process with a time
and memory limit, so a hang or a runaway read fails the test instead of the machine.
"""

from __future__ import annotations

import os
import re
import resource
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from conftest import ARTICLE_ID, copy_project, run_kervan

ARTICLE_FILE = f"sources/{ARTICLE_ID}.txt"
EN_PO = f"locales/en/LC_MESSAGES/{ARTICLE_ID}.po"
ONE_ERROR_LINE = re.compile(r"\Akervan: error: [^\n]+\n\Z")


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry below root, links not followed: kind, bytes, mtime and inode.

    The glossary matcher's cache (`build/.cache`, written by readers too) is left out, and so is a folder
    holding nothing else."""
    state: dict[str, tuple] = {}
    for path in sorted(root.rglob("*")):
        if ".cache" in path.parts:
            continue
        only_cache = path.is_dir() and all(".cache" in p.parts for p in path.rglob("*"))
        if only_cache and not path.is_symlink() and any(path.iterdir()):
            continue
        info = path.lstat()
        if path.is_symlink():
            state[str(path.relative_to(root))] = ("link", os.readlink(path), info.st_ino)
        elif path.is_file():
            state[str(path.relative_to(root))] = ("file", path.read_bytes(), info.st_mtime_ns, info.st_ino)
        else:
            state[str(path.relative_to(root))] = ("other", info.st_mode, info.st_ino)
    return state


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # a read of /dev/zero dies, not the machine


def run(args: list[str], cwd: Path, *, close: int | None = None) -> subprocess.CompletedProcess[str]:
    """`kervan ARGS`, with standard input (close=0) or output (close=1) closed as `<&-` / `>&-` do."""

    def prepare() -> None:
        _limits()
        if close is not None:
            os.close(close)

    return subprocess.run(
        [sys.executable, "-m", "kervan.cli", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL if close == 1 else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=prepare,
    )


@dataclass(frozen=True)
class Hostile:
    name: str
    setup: Callable[[Path], None]
    commands: tuple[tuple[str, ...], ...]
    message: str  # a regular expression the one error line must match (after "kervan: error: ")
    close: int | None = None


def _nothing(project: Path) -> None:
    pass


def _source_named(name: bytes) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        data = (project / ARTICLE_FILE).read_bytes()
        with open(os.path.join(os.fsencode(project / "sources"), name), "wb") as handle:
            handle.write(data)

    return setup


def _config_line(line: str) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        text = (project / "kervan.toml").read_text(encoding="utf-8")
        if line.startswith("bugs"):
            text = re.sub(r"^bugs-address = .*$", lambda _: line, text, flags=re.M)
        else:
            text += line
        (project / "kervan.toml").write_text(text, encoding="utf-8")

    return setup


def _project_value(key: str, value: str, table: str = "project") -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        text = (project / "kervan.toml").read_text(encoding="utf-8")
        text = re.sub(rf"^{key} = .*\n", "", text, flags=re.M)
        text = text.replace(f"[{table}]\n", f"[{table}]\n{key} = {value}\n", 1)
        (project / "kervan.toml").write_text(text, encoding="utf-8")

    return setup


def _fifo(relative: str) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)

    return setup


def _link(relative: str, to: str) -> Callable[[Path], None]:
    """A link at `relative` (to the project; "../x" is beside it) pointing at `to` (absolute, or relative to
    the project, then made as a file holding "outside")."""

    def setup(project: Path) -> None:
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        target = to if to.startswith("/") else str(project / to)
        if not to.startswith("/") and not os.path.lexists(target):
            Path(target).write_text("outside\n")
        os.symlink(target, path)

    return setup


def _file(relative: str, data: bytes) -> Callable[[Path], None]:
    def setup(project: Path) -> None:
        (project / relative).write_bytes(data)

    return setup


TU_FIRST = (
    b'<?xml version="1.0"?>\n<tmx version="1.4">\n<tu><tuv xml:lang="tr"><seg>a</seg></tuv></tu>\n'
    b'<header srclang="tr"/><body/></tmx>\n'
)
TU_IN_HEADER = (
    b'<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="tr">\n'
    b'<tu><tuv xml:lang="tr"><seg>a</seg></tuv></tu></header><body/></tmx>\n'
)

READS_STDIN = (
    ("segment", "-"),
    ("segment", "--json", "-"),
    ("term", "scan", "-"),
    ("term", "scan", "--json", "-"),
    ("term", "extract", "-"),
    ("tmx", "import", "-"),
    ("glossary", "import", "-"),
    ("glossary", "import", "--format", "tsv", "--lang", "en", "-"),
)
WRITES_STDOUT = (
    ("--help",),
    ("--version",),
    ("tmx", "export", "--help"),
    ("build",),
    ("update",),
    ("stats",),
    ("segment", ARTICLE_FILE),
    ("segment", "--json", ARTICLE_FILE),
    ("term", "scan", ARTICLE_FILE),
    ("term", "scan", "--json", ARTICLE_FILE),
    ("term", "extract", ARTICLE_FILE),
    ("tmx", "export"),
    ("tmx", "export", "-o", "-"),
    ("tmx", "import", "in.tmx"),
    ("glossary", "export", "-o", "-"),
    ("glossary", "export", "--format", "csv", "--lang", "en", "-o", "-"),
    ("render", "--lang", "en"),
    ("xliff", "export", "--lang", "en", "-o", "-"),
    ("omegat", "export", "omt", "--lang", "ru"),
)

CASES = [
    Hostile(
        "source-name-newline",
        _source_named(b"new\nline.txt"),
        (("build",), ("qa",), ("tmx", "export")),
        r"sources/new\\nline\.txt: file name holds the control character U\+000A; rename the file",
    ),
    Hostile(
        "source-name-not-utf8",
        _source_named(b"bad\xff.txt"),
        (("extract",), ("tmx", "export")),
        r"sources/bad\\xff\.txt: file name is not valid UTF-8; rename the file",
    ),
    Hostile(
        "source-name-bidi-override",
        _source_named("evil\u202etxt.exe.txt".encode()),
        (("update",),),
        r"sources/evil\\u202etxt\.exe\.txt: file name holds the control character U\+202E",
    ),
    Hostile(
        "catalog-name-not-utf8",
        _file(b"locales/en/LC_MESSAGES/x\xff.po".decode("utf-8", "surrogateescape"), b'msgid ""\nmsgstr ""\n'),
        (("stats",), ("compile",)),
        r"locales/en/LC_MESSAGES/x\\xff\.po: file name is not valid UTF-8",
    ),
    Hostile(
        "toml-nested-500",
        _config_line("x = " + "[" * 500 + "]" * 500 + "\n"),
        (("stats",), ("term", "lookup", "Rusya")),
        r"kervan\.toml:\d+: invalid TOML: arrays or tables nested too deeply",
    ),
    Hostile(
        "toml-inline-tables-500",
        _config_line("x = " + "{a = " * 500 + "1" + "}" * 500 + "\n"),
        (("build",),),
        r"kervan\.toml:\d+: invalid TOML: arrays or tables nested too deeply",
    ),
    Hostile(
        # Past the limit, yet shallow enough for tomllib: refused all the same, from the cache or not.
        "toml-nested-150",
        _config_line("x = " + "[" * 150 + "]" * 150 + "\n"),
        (("list",), ("term", "lookup", "Rusya"), ("stats",)),
        r"kervan\.toml:15: invalid TOML: arrays or tables nested too deeply",
    ),
    Hostile(
        # Dotted keys nest tables without any bracket (tomllib reads them without recursion).
        "toml-dotted-keys-1000",
        _config_line(".".join(["a"] * 1000) + " = 1\n"),
        (("list",), ("extract",)),
        r"kervan\.toml: invalid TOML: arrays or tables nested too deeply",
    ),
    Hostile(
        "toml-integer-5000-digits",
        _project_value("version", "1" + "0" * 5000),
        (("list",),),
        r"kervan\.toml:\d+: invalid TOML: integer outside the 64-bit range TOML allows",
    ),
    Hostile(
        "toml-hex-integer-past-64-bits",
        _project_value("version", "0x1" + "0" * 16),
        (("stats",), ("list",)),
        r"kervan\.toml:\d+: invalid TOML: integer outside the 64-bit range TOML allows",
    ),
    Hostile(
        "bugs-address-newline",
        _config_line('bugs-address = "a@b.example\\nLanguage: de"'),
        (("extract",),),
        r"kervan\.toml:\d+: bugs-address must be one line without control characters \(found U\+000A\)",
    ),
    Hostile(
        "copyright-holder-newline",
        _project_value("copyright-holder", '"X\\r\\nPlural-Forms: nplurals=9"'),
        (("update",),),
        r"kervan\.toml:\d+: copyright-holder must be one line",
    ),
    Hostile(
        "version-newline",
        _project_value("version", '"1\\nContent-Type: text/plain; charset=latin1"'),
        (("stats",),),
        r"kervan\.toml:\d+: version must be one line",
    ),
    Hostile(
        "name-newline",
        _project_value("name", '"x\\ny"'),
        (("tmx", "export"),),
        r"kervan\.toml:\d+: name must be one line",
    ),
    Hostile(
        "tmx-tu-before-header",
        _file("in.tmx", TU_FIRST),
        (("tmx", "import", "in.tmx"),),
        r"in\.tmx:3: <tu> before <header>: not a valid TMX document",
    ),
    Hostile(
        "tmx-tu-inside-header",
        _file("in.tmx", TU_IN_HEADER),
        (("tmx", "import", "in.tmx"),),
        r"in\.tmx:3: <tu> before <header>: not a valid TMX document",
    ),
    Hostile(
        "stdin-closed",
        _nothing,
        READS_STDIN,
        r"<stdin>: standard input is closed",
        close=0,
    ),
    Hostile(
        "stdout-closed",
        _file("in.tmx", b'<tmx version="1.4"><header srclang="tr"/><body/></tmx>'),
        WRITES_STDOUT,
        r"<stdout>: standard output is closed; redirect it to /dev/null",
        close=1,
    ),
    Hostile(
        "output-fifo",
        _fifo("out/pipe"),
        (
            ("tmx", "export", "-o", "out/pipe"),
            ("glossary", "export", "-o", "out/pipe"),
            ("glossary", "export", "--format", "tbx2", "-o", "out/pipe"),
            ("render", "--lang", "en", "-o", "out/pipe"),
            ("xliff", "export", "--lang", "en", "-o", "out/pipe"),
        ),
        r"out/pipe: is a FIFO, not a regular file; Kervan writes regular files only",
    ),
    Hostile(
        "output-folder-holds-fifo",
        _fifo("out/glossary.tr-en.csv"),
        (("glossary", "export", "--format", "csv", "-o", "out"),),
        r"out/glossary\.tr-en\.csv: is a FIFO, not a regular file",
    ),
    Hostile(
        "output-link-to-fifo",
        lambda p: (_fifo("../out/pipe")(p), _link("../out/link", "../out/pipe")(p)),
        (
            ("tmx", "export", "-o", "../out/link"),
            ("render", "--lang", "en", "-o", "../out/link"),
            ("xliff", "export", "--lang", "en", "-o", "../out/link"),
        ),
        r"\.\./out/link: links to .*/out/pipe, which is a FIFO, not a regular file",
    ),
    Hostile(
        "output-link-to-device",
        _link("../out/zero", "/dev/zero"),
        (
            ("tmx", "export", "-o", "../out/zero"),
            ("glossary", "export", "-o", "../out/zero"),
            ("render", "--lang", "en", "-o", "../out/zero"),
        ),
        r"\.\./out/zero: links to /dev/zero, which is a device, not a regular file",
    ),
    Hostile(
        "output-link-inside-the-project",
        _link("out/link", "/dev/zero"),
        (("tmx", "export", "-o", "out/link"), ("render", "--lang", "en", "-o", "out/link")),
        r"out/link: is a symbolic link; Kervan does not replace links with files",
    ),
    Hostile(
        "project-output-is-link",
        _link("build/kervan-news.tmx", "outside.tmx"),
        (("tmx", "export"),),
        r"build/kervan-news\.tmx: is a symbolic link; Kervan does not replace links with files",
    ),
    Hostile(
        "rendered-article-is-link",
        _link(f"build/{ARTICLE_ID}.en.txt", "outside.txt"),
        (("build",), ("render", "--lang", "en", "-o", f"build/{ARTICLE_ID}.en.txt")),
        rf"build/{ARTICLE_ID}\.en\.txt: is a symbolic link; Kervan does not replace links with files",
    ),
    Hostile(
        "catalog-is-link",
        _link(f"locales/en/LC_MESSAGES/{ARTICLE_ID}.mo", "outside.mo"),
        (("compile",),),
        rf"locales/en/LC_MESSAGES/{ARTICLE_ID}\.mo: is a symbolic link",
    ),
    Hostile(
        "compiled-catalog-is-fifo",
        _fifo(f"locales/ru/LC_MESSAGES/{ARTICLE_ID}.mo"),
        (("compile",),),
        rf"locales/ru/LC_MESSAGES/{ARTICLE_ID}\.mo: is a FIFO, not a regular file",
    ),
    Hostile(
        "catalog-is-fifo",
        _fifo("locales/en/LC_MESSAGES/other.po"),
        (("stats",), ("tmx", "import", "in.tmx")),
        r"locales/en/LC_MESSAGES/other\.po: is a FIFO, not a regular file; Kervan reads regular files only",
    ),
    Hostile(
        "catalog-links-to-device",
        lambda p: (
            (p / EN_PO).unlink(),
            _link(EN_PO, "/dev/zero")(p),
            _file("in.tmx", b'<tmx version="1.4"><header srclang="tr"/><body/></tmx>')(p),
        ),
        (("update",), ("tmx", "export")),
        rf"{re.escape(EN_PO)}: is a device, not a regular file; Kervan reads regular files only",
    ),
    Hostile(
        "template-is-fifo",
        _fifo("locales/other.pot"),
        (("update",),),
        r"locales/other\.pot: is a FIFO, not a regular file",
    ),
    Hostile(
        "glossary-is-fifo",
        lambda p: ((p / "glossary" / "kervan.tbx").unlink(), _fifo("glossary/kervan.tbx")(p)),
        (("term", "lookup", "Rusya"), ("glossary", "export"), ("extract",)),
        r"glossary/kervan\.tbx: is a FIFO, not a regular file",
    ),
    Hostile(
        "locales-outside-the-project",
        _project_value("locales", '"../../usr/share/locale"', "paths"),
        (("compile",),),
        r"kervan\.toml:\d+: locales '\.\./\.\./usr/share/locale' is outside the project; give a folder inside it",
    ),
    Hostile(
        "build-absolute",
        _project_value("build", '"/tmp"', "paths"),
        (("tmx", "export"),),
        r"kervan\.toml:\d+: build '/tmp' is outside the project",
    ),
    Hostile(
        "build-folder-links-outside",
        lambda p: ((p.parent / "elsewhere").mkdir(), os.symlink(p.parent / "elsewhere", p / "build")),
        (("build",), ("glossary", "export")),
        r"build: leads outside the project \(to .*/elsewhere\); Kervan writes only inside it",
    ),
    Hostile(
        "report-is-fifo",
        _fifo("build/qa.json"),
        (("build",),),
        r"build/qa\.json: is a FIFO, not a regular file",
    ),
]

PAIRS = [(case, command) for case in CASES for command in case.commands]


@pytest.mark.parametrize(
    ("case", "command"), PAIRS, ids=[f"{case.name}:{' '.join(command)}" for case, command in PAIRS]
)
def test_hostile_input_is_one_error_line_and_changes_nothing(tmp_path: Path, case: Hostile, command) -> None:
    project = copy_project(tmp_path / "p")
    case.setup(project)
    before = snapshot(project)
    result = run(list(command), project, close=case.close)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert ONE_ERROR_LINE.match(result.stderr), result.stderr
    assert re.match("kervan: error: " + case.message, result.stderr), result.stderr
    assert snapshot(project) == before


# --------------------------------------------------------------------------- correct behaviour, not errors


def test_output_link_to_a_file_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    # A link the user keeps outside the project (one inside it is the project's, and refused).
    project = copy_project(tmp_path / "p")
    real = tmp_path / "shared" / "memory.tmx"
    real.parent.mkdir()
    real.write_text("old\n")
    os.symlink(real, tmp_path / "memory.tmx")
    result = run(["tmx", "export", "-o", "../memory.tmx"], project)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "memory.tmx").is_symlink() and os.readlink(tmp_path / "memory.tmx") == str(real)
    assert real.read_bytes().startswith(b"<?xml") and b"<tmx" in real.read_bytes()
    assert not [p for p in real.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_device_is_never_replaced(tmp_path: Path) -> None:
    # Run as root, a rename over /dev/null would replace the device node for the whole machine: as root the
    # test makes its own null device, as anyone else it may safely name /dev/null (its folder is not theirs).
    project = copy_project(tmp_path / "p")
    device = os.devnull
    if os.geteuid() == 0:
        device = str(tmp_path / "null")
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = os.lstat(device)
    for command in (["tmx", "export", "-o", device], ["render", "--lang", "en", "-o", device]):
        result = run(command, project)
        assert result.returncode == 2 and "is a device, not a regular file" in result.stderr, result.stderr
    after = os.lstat(device)
    assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)


def test_input_from_a_pipe_still_works(tmp_path: Path) -> None:
    # Refusing FIFOs is for outputs: `kervan segment <(cmd)` reads a pipe.
    project = copy_project(tmp_path / "p")
    result = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m kervan.cli segment <(printf 'Bir. İki.\\n')"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout == "Bir.\nİki.\n", result


def test_cr_only_tsv_glossary_keeps_its_rows_apart(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "old-mac.txt").write_bytes("sulh\tpeace\rbarış\tpeace treaty\rateşkes\tceasefire\r".encode())
    result = run_kervan("glossary", "import", "old-mac.txt", "--lang", "en", cwd=project)
    assert result.returncode == 0, result.stderr
    export = run_kervan("glossary", "export", "--format", "tsv", "--lang", "en", "-o", "-", cwd=project)
    rows = {line.split("\t")[0]: line.split("\t")[1] for line in export.stdout.splitlines()}
    assert rows["sulh"] == "peace" and rows["barış"] == "peace treaty" and rows["ateşkes"] == "ceasefire"


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "'=already quoted", "-lar"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_spreadsheet_formulas_are_escaped_on_export_and_restored_on_import(tmp_path: Path, fmt: str) -> None:
    from kervan.formats.tbx import read_tbx, write_tbx
    from kervan.model import Concept, Term

    project = copy_project(tmp_path / "p")
    # A termbase (as a terminologist's TBX may bring it) whose terms and notes a spreadsheet would run.
    hostile = [
        Concept(f"c{n}", {"tr": (Term(f"terim{n}", "tr"),), "en": (Term(text, "en"),)}, note=text)
        for n, text in enumerate(FORMULAS)
    ]
    write_tbx(hostile, str(project / "glossary" / "kervan.tbx"))
    result = run_kervan("glossary", "export", "--format", fmt, "--lang", "en", "-o", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    exported = (project / "out" / f"glossary.tr-en.{'csv' if fmt == 'csv' else 'txt'}").read_text(encoding="utf-8")
    import csv
    import io

    table = csv.reader(io.StringIO(exported)) if fmt == "csv" else (r.split("\t") for r in exported.split("\n"))
    cells = [cell for row in table for cell in row]
    # No cell a spreadsheet would evaluate: each starts with an apostrophe instead.
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    for text in FORMULAS:
        assert "'" + text in cells
    # Imported into another project, the terms come back exactly.
    other = copy_project(tmp_path / "q")
    (other / "glossary" / "kervan.tbx").unlink()
    name = "back.csv" if fmt == "csv" else "back.txt"
    (other / name).write_text(exported, encoding="utf-8")
    result = run_kervan("glossary", "import", name, "--lang", "en", cwd=other)
    assert result.returncode == 0, result.stderr
    terms = {t.text for c in read_tbx(str(other / "glossary" / "kervan.tbx")) for ts in c.terms.values() for t in ts}
    assert set(FORMULAS) <= terms


def test_bidi_controls_in_a_source_are_flagged_by_qa(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    article = project / ARTICLE_FILE
    lines = article.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(" ", " \u202e", 1)
    article.write_text("\n".join(lines), encoding="utf-8")
    assert run_kervan("update", cwd=project).returncode == 0
    result = run_kervan("qa", "--json", cwd=project)
    import json

    bidi = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "bidi"]
    assert result.returncode == 1
    assert {f["lang"] for f in bidi} == {"en", "ru"}
    assert all(f["severity"] == "error" and "U+202E RIGHT-TO-LEFT OVERRIDE" in f["message"] for f in bidi)


def test_bidi_in_a_translation_is_flagged_and_direction_marks_only_outside_rtl_text(tmp_path: Path) -> None:
    from kervan import qa

    def bidi(source: str, target: str) -> list[tuple[str, str]]:
        item = qa.QaItem("a:1.1", source, target, "en", "tr")
        return [(f.severity, f.message) for f in qa.check_bidi(item, qa.QaContext())]

    assert bidi("Bir cümle.", "A sentence.") == []
    assert [s for s, _ in bidi("Bir cümle.", "A \u2067sentence\u2069.")] == ["error", "error"]
    assert bidi("Bir cümle.", "A sentence\u200f.") == [
        ("warning", "target holds U+200F RIGHT-TO-LEFT MARK at character 11 in text without right-to-left letters")
    ]
    assert bidi("Bir cümle.", "Arabic \u0627\u0644\u200f name.") == []  # a mark where right-to-left text needs it


def test_tmx_comments_inside_seg_are_reported(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    source = polib.pofile(str(project / EN_PO))[0].msgid
    head, _, tail = source.partition(" ")
    (project / "c.tmx").write_text(
        '<tmx version="1.4"><header srclang="tr"/><body><tu>'
        f'<tuv xml:lang="tr"><seg>{head}<!-- reviewer: check --> {tail}</seg></tuv>'
        '<tuv xml:lang="en"><seg>X<?tool cursor?></seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    result = run_kervan("tmx", "import", "c.tmx", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "dropped 1 comment(s), 1 processing instruction(s)" in result.stdout + result.stderr


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    name = b"memory\xff.tmx"
    result = subprocess.run(
        [sys.executable, "-m", "kervan.cli", "tmx", "export", "-o", os.fsdecode(name)],
        cwd=project,
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr
    assert result.stdout.startswith(b"memory\\udcff.tmx: ")
    assert (os.fsencode(project) + b"/" + name) in [os.fsencode(p) for p in project.iterdir()]


def test_closed_standard_error_still_gives_status_2_and_no_output(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()

    def prepare() -> None:
        os.close(2)

    result = subprocess.run(
        [sys.executable, "-m", "kervan.cli", "stats"],
        cwd=tmp_path / "empty",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=prepare,
        timeout=60,
    )
    assert result.returncode == 2 and result.stdout == b""


def test_no_module_of_kervan_imports_a_serializer_that_can_run_code() -> None:
    import ast

    src = Path(__file__).resolve().parent.parent / "src" / "kervan"
    banned = {"pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "copyreg"}
    found = []
    for path in sorted(src.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            found += [f"{path.name}: {name}" for name in names if name.split(".")[0] in banned]
    assert found == []
