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
    """Exit 2, no traceback, exactly one error line that starts with the file (and line) at fault."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    assert ONE_LINE_ERROR.match(result.stderr), result.stderr
    where = names if line is None else f"{names}:{line}"
    assert result.stderr.startswith(f"kervan: error: {where}: "), result.stderr
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
