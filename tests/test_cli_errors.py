"""Bad input through the real command line: one line on stderr naming file and line, exit 2, no traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import copy_project, run_kervan


def kervan(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return run_kervan(*args, cwd=cwd, stdin=stdin, text=False)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the shipped project to break things in."""
    return copy_project(tmp_path / "p")


def assert_clean_error(result: subprocess.CompletedProcess[bytes], *fragments: str) -> str:
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], err
    return lines[0]


def test_missing_file(project: Path) -> None:
    assert_clean_error(kervan("segment", "nope.txt", cwd=project), "nope.txt", "No such file")


def test_non_utf8_input_names_line(project: Path) -> None:
    bad = project / "latin1.txt"
    bad.write_bytes("Bir c\u00fcmle.\nT\u00fcrk\u00e7e.\n".encode("latin-1"))
    assert_clean_error(kervan("segment", str(bad), cwd=project), "latin1.txt:1", "UTF-8")


def test_non_utf8_on_stdin(project: Path) -> None:
    assert_clean_error(kervan("segment", "-", cwd=project, stdin=b"ok\n\xfe\n"), "<stdin>:2")


def test_unknown_language(project: Path) -> None:
    assert_clean_error(kervan("segment", "--lang", "qq", "-", cwd=project, stdin=b"x"), "unknown language code 'qq'")
    assert_clean_error(kervan("render", "--lang", "zz", cwd=project), "unknown language code 'zz'")


def test_language_not_in_project(project: Path) -> None:
    assert_clean_error(kervan("compile", "--lang", "de", cwd=project), "not a target language")


def test_malformed_po_names_file_and_line(project: Path) -> None:
    po = project / "locales" / "ru" / "LC_MESSAGES" / "2025-11-13-tokayev-stratejik-ortaklik.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    lines.insert(30, 'msgstr "dangling')
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_clean_error(kervan("compile", cwd=project), "tokayev-stratejik-ortaklik.po:")


def test_po_in_wrong_encoding(project: Path) -> None:
    po = project / "locales" / "en" / "LC_MESSAGES" / "2025-11-13-tokayev-stratejik-ortaklik.po"
    po.write_bytes(po.read_bytes().replace(b"Kassym", b"Kass\xffm"))
    assert_clean_error(kervan("stats", cwd=project), ".po:", "UTF-8")


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<tmx/>',
        b'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<tmx>&x;</tmx>',
    ],
)
def test_hostile_tmx(project: Path, payload: bytes) -> None:
    evil = project / "evil.tmx"
    evil.write_bytes(payload)
    assert_clean_error(kervan("tmx", "import", str(evil), cwd=project), "evil.tmx:", "entity")


def test_malformed_tmx(project: Path) -> None:
    bad = project / "bad.tmx"
    bad.write_bytes(b'<?xml version="1.0"?>\n<tmx version="1.4">\n<header/>\n<body><tu>\n</body></tmx>')
    assert_clean_error(kervan("tmx", "import", str(bad), cwd=project), "bad.tmx:5", "malformed XML")


def test_malformed_glossary(project: Path) -> None:
    (project / "glossary" / "kervan.tbx").write_bytes(b"<tbx>\n<text>\n</tbx>")
    assert_clean_error(kervan("term", "lookup", "AEB", cwd=project), "kervan.tbx:3")


def test_no_project(tmp_path: Path) -> None:
    assert_clean_error(kervan("build", cwd=tmp_path), "no kervan.toml")


def test_bad_srx_rules(project: Path) -> None:
    rules = project / "rules.srx"
    rules.write_bytes(b"<srx>\n<header>\n</srx>")
    assert_clean_error(kervan("segment", "--rules", str(rules), "-", cwd=project, stdin=b"x"), "rules.srx:3")


def test_missing_rules_file_is_one_line(project: Path) -> None:
    assert_clean_error(kervan("segment", "--rules", "none.srx", "-", cwd=project, stdin=b"x"), "none.srx")


def test_glossary_import_of_a_folder(project: Path) -> None:
    assert_clean_error(kervan("glossary", "import", "sources", cwd=project), "sources", "folder")


def test_glossary_import_from_stdin(project: Path) -> None:
    exported = kervan("glossary", "export", "-o", "-", cwd=project)
    assert exported.returncode == 0
    result = kervan("glossary", "import", "-", cwd=project, stdin=exported.stdout)
    assert result.returncode == 0, result.stderr
    assert b"unchanged" in result.stdout


def test_lookup_limit_must_be_positive(project: Path) -> None:
    result = kervan("term", "lookup", "--limit", "0", "AEB", cwd=project)
    assert result.returncode == 2 and b"Traceback" not in result.stderr


def test_repeated_language_is_done_once(project: Path) -> None:
    result = kervan("update", "--lang", "en", "--lang", "en", cwd=project)
    assert result.returncode == 0
    assert result.stdout.count(b"LC_MESSAGES") == 1
