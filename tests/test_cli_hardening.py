"""The command line under hostile and careless input: one error line and exit 2, never a traceback or a lost file.

Every test runs the real `kervan` in a fresh process on a copy of the shipped project.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_project, run_kervan

# `kervan: error: <where>: <message>`, one line, where <where> is a file with an optional line number.
ONE_LINE_ERROR = re.compile(r"\Akervan: error: [^\n]+\n\Z")


def assert_input_error(result, *, names: str, line: int | None = None) -> str:
    """Exit 2, no traceback, exactly one error line that starts with the file (and line, if given) at fault."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert ONE_LINE_ERROR.match(result.stderr), result.stderr
    where = re.escape(names) + (r"(:\d+)?" if line is None else f":{line}")
    assert re.match(f"kervan: error: {where}: ", result.stderr), result.stderr
    return result.stderr


def _config(tmp_path: Path, body: str) -> Path:
    project = tmp_path / "p"
    (project / "sources").mkdir(parents=True)
    (project / "sources" / "a.txt").write_text(" date 2025-11-13 Başlık\nBir cümle.\n", encoding="utf-8")
    (project / "kervan.toml").write_text(body, encoding="utf-8")
    return project


# --------------------------------------------------------------------------- kervan.toml


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("[project]\nsource-language = 5\n", 2),
        ('[project]\ntarget-languages = ["en"]\n[paths]\nsources = 5\n', 4),
        ("project = 3\n", 1),
        ('paths = "x"\n', 1),
        ('[project]\ntarget-languages = ["en"]\nname = ["x"]\n', 3),
    ],
    ids=["source-language-number", "paths-number", "project-not-table", "paths-not-table", "name-list"],
)
def test_config_values_of_the_wrong_type_are_input_errors(tmp_path: Path, body: str, line: int) -> None:
    project = _config(tmp_path, body)
    result = run_kervan("build", cwd=project)
    assert_input_error(result, names="kervan.toml", line=line)


@pytest.mark.parametrize(
    ("targets", "problem"),
    [
        ('["en", "en"]', "more than once"),
        ('["tr", "en"]', "source language"),
        ('["EN"]', "'en'"),
        ('["en-US"]', "'en_US'"),
    ],
    ids=["duplicate", "source-as-target", "upper-case", "hyphen"],
)
def test_config_target_languages_must_be_distinct_gettext_codes(tmp_path: Path, targets: str, problem: str) -> None:
    # A folder locales/en-US/ or a second "en" run would give catalogs gettext never finds or doubled work.
    project = _config(tmp_path, f"[project]\ntarget-languages = {targets}\n")
    result = run_kervan("build", cwd=project)
    message = assert_input_error(result, names="kervan.toml", line=2)
    assert problem in message
    assert not (project / "locales").exists()


def test_config_project_name_cannot_leave_the_build_folder(tmp_path: Path) -> None:
    project = _config(tmp_path, '[project]\nname = "../outside"\ntarget-languages = ["en"]\n')
    result = run_kervan("build", cwd=project)
    assert_input_error(result, names="kervan.toml", line=2)
    assert not (tmp_path / "outside.tmx").exists()


def test_project_option_naming_an_ordinary_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    article = next((project / "sources").glob("*.txt"))
    result = run_kervan("--project", str(article), "stats", cwd=tmp_path)
    message = assert_input_error(result, names=f"p/sources/{article.name}")
    assert "Not a directory" not in message


# --------------------------------------------------------------------------- writing files


def _tree(root: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def test_second_build_touches_no_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert run_kervan("build", cwd=project).returncode == 0
    before = _tree(project)
    assert run_kervan("build", cwd=project).returncode == 0
    after = _tree(project)
    changed = [name for name in before if before[name] != after.get(name)]
    assert changed == [] and set(after) == set(before)


@pytest.mark.parametrize(
    "command",
    [("tmx", "export", "-o"), ("glossary", "export", "-o"), ("glossary", "export", "--format", "tbx2", "-o")],
    ids=["tmx", "tbx", "tbx2"],
)
def test_output_onto_a_folder_names_that_folder(tmp_path: Path, command: tuple[str, ...]) -> None:
    project = copy_project(tmp_path / "p")
    (project / "out").mkdir()
    result = run_kervan(*command, "out", cwd=project)
    message = assert_input_error(result, names="out")
    assert ".tmp" not in message
    assert list(project.glob(".*.tmp")) == [] and list((project / "out").iterdir()) == []


def test_output_below_a_file_names_that_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    (project / "notes.txt").write_text("a file, not a folder\n")
    result = run_kervan("tmx", "export", "-o", "notes.txt/memory.tmx", cwd=project)
    assert_input_error(result, names="notes.txt")
    assert (project / "notes.txt").read_text() == "a file, not a folder\n"


def test_rewritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    po = next((project / "locales" / "en" / "LC_MESSAGES").glob("*.po"))
    po.chmod(0o640)
    (project / "sources" / "2025-12-01-yeni.txt").write_text(" date 2025-12-01 Yeni\nBir cümle.\n", encoding="utf-8")
    with po.open("a", encoding="utf-8") as handle:
        handle.write('\nmsgid "Eski bir cümle."\nmsgstr "An old sentence."\n')
    assert run_kervan("update", cwd=project).returncode == 0
    assert "#~ msgstr" in po.read_text(encoding="utf-8")  # rewritten: the stray entry went obsolete
    assert po.stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- catalogs gettext cannot hold

PO_REL = "locales/en/LC_MESSAGES/2025-11-13-tokayev-stratejik-ortaklik.po"


def _first_msgstr(project: Path) -> tuple[Path, list[str], int]:
    """The English catalog, its lines, and the index of the first translated msgstr line."""
    po = project / PO_REL
    lines = po.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and line != 'msgstr ""')
    return po, lines, index


def _line_in_entry(message: str, lines: list[str], msgstr_index: int) -> None:
    """The error's line number falls inside the entry that holds the msgstr (no blank line in between)."""
    number = int(re.match(rf"kervan: error: {re.escape(PO_REL)}:(\d+): ", message).group(1))
    assert 1 <= number <= msgstr_index + 1
    assert all(lines[i].strip() for i in range(number - 1, msgstr_index + 1)), (number, msgstr_index)


def test_carriage_return_escape_in_catalog_is_located_on_update(tmp_path: Path) -> None:
    # msgfmt compiles a "\r" escape; Kervan never writes one. Updating must say which entry of which file.
    project = copy_project(tmp_path / "p")
    po, lines, index = _first_msgstr(project)
    lines[index] = lines[index][:-1] + '\\r"'
    po.write_text("\n".join(lines), encoding="utf-8")
    before = po.read_bytes()
    result = run_kervan("update", cwd=project)
    message = assert_input_error(result, names=PO_REL)
    assert "carriage return" in message
    _line_in_entry(message, lines, index)
    assert po.read_bytes() == before


@pytest.mark.parametrize("command", [("compile",), ("update",), ("qa",), ("stats",), ("tmx", "export", "-o", "-")])
def test_nul_in_catalog_is_refused_at_its_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    # GNU msgfmt cuts the string at a raw NUL without a word: the rest of the translation would be lost.
    project = copy_project(tmp_path / "p")
    po, lines, index = _first_msgstr(project)
    lines[index] = lines[index].replace('msgstr "', 'msgstr "\x00', 1)
    po.write_bytes("\n".join(lines).encode("utf-8"))
    result = run_kervan(*command, cwd=project)
    message = assert_input_error(result, names=PO_REL, line=index + 1)
    assert "NUL" in message
    assert result.stdout == ""


# --------------------------------------------------------------------------- glossary exchange

TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>incoming</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="{id}">
      <langSec xml:lang="tr"><termSec><term>yeni terim</term></termSec></langSec>
      <langSec xml:lang="en"><termSec><term>new term</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


@pytest.mark.parametrize("bad_id", ["1 bad id", "7", "a:b"])
def test_glossary_import_refuses_an_id_tbx_cannot_hold_naming_the_incoming_file(tmp_path: Path, bad_id: str) -> None:
    project = copy_project(tmp_path / "p")
    (project / "in.tbx").write_text(TBX3.replace("{id}", bad_id), encoding="utf-8")
    before = (project / "glossary" / "kervan.tbx").read_bytes()
    result = run_kervan("glossary", "import", "in.tbx", cwd=project)
    assert_input_error(result, names="in.tbx", line=5)
    assert (project / "glossary" / "kervan.tbx").read_bytes() == before


@pytest.mark.parametrize(
    ("name", "row"), [("in.tsv", "iyi\tgood\nk\x00ötü\tbad\n"), ("in.csv", "iyi,good\nk\x01ötü,bad\n")]
)
def test_glossary_import_refuses_control_characters_at_their_line(tmp_path: Path, name: str, row: str) -> None:
    # XML cannot hold them: the merged termbase could not be written, and the error must point at the input.
    project = copy_project(tmp_path / "p")
    (project / name).write_text(row, encoding="utf-8")
    before = (project / "glossary" / "kervan.tbx").read_bytes()
    result = run_kervan("glossary", "import", name, "--lang", "en", cwd=project)
    assert_input_error(result, names=name, line=2)
    assert (project / "glossary" / "kervan.tbx").read_bytes() == before


# --------------------------------------------------------------------------- translation memories


def test_tmx_export_with_a_language_named_twice_has_one_variant_per_language(tmp_path: Path) -> None:
    from lxml import etree

    project = copy_project(tmp_path / "p")
    result = run_kervan(
        "tmx", "export", "-o", "-", "--lang", "en", "--lang", "ru", "--lang", "en", cwd=project, text=False
    )
    assert result.returncode == 0, result.stderr
    root = etree.fromstring(result.stdout)
    units = root.findall("body/tu")
    assert units
    for unit in units:
        langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in unit.findall("tuv")]
        assert sorted(langs) == sorted(set(langs)) == ["en", "ru", "tr"]


def test_tmx_export_of_text_xml_cannot_hold_names_the_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    po, lines, index = _first_msgstr(project)
    lines[index] = lines[index].replace('msgstr "', 'msgstr "\\v', 1)
    po.write_text("\n".join(lines), encoding="utf-8")
    result = run_kervan("tmx", "export", "-o", "memory.tmx", cwd=project)
    message = assert_input_error(result, names="memory.tmx")
    assert "U+000B" in message
    assert not (project / "memory.tmx").exists()
