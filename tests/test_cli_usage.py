"""Usage errors on every command and subcommand: one line `kervan: error: ...` on stderr, exit code 2.

The command tree is walked, so a command added later is covered too: an unknown option, an option without
its value, a value outside an option's choices, and a missing argument.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import copy_project, run_kervan
from kervan.cli import main


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def _cases() -> Iterator[tuple[str, list[str]]]:
    yield "unknown command", ["no-such-command"]
    yield "unknown global option", ["--no-such-option"]
    yield "global option without value", ["--project"]
    for path, command in _commands(main):
        name = " ".join(path)
        yield f"{name}: unknown option", [*path, "--no-such-option"]
        if isinstance(command, click.Group):
            yield f"{name}: unknown subcommand", [*path, "no-such-command"]
            continue
        arguments = [p for p in command.params if isinstance(p, click.Argument)]
        if any(a.required for a in arguments):
            yield f"{name}: missing argument", list(path)
        fillers = ["x"] * sum(1 for a in arguments if a.required)
        for option in command.params:
            if not isinstance(option, click.Option) or option.is_flag or option.count:
                continue
            flag = max(option.opts, key=len)
            yield f"{name} {flag}: missing value", [*path, *fillers, flag]
            if isinstance(option.type, click.Choice):
                yield f"{name} {flag}: bad choice", [*path, flag, "no-such-choice", *fillers]


CASES = list(_cases())


@pytest.mark.parametrize("args", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_usage_error_is_one_kervan_line_and_exit_2(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no project here: a command that ran instead of failing would say so
    result = CliRunner().invoke(main, args, prog_name="kervan")
    assert result.exit_code == 2, (result.output, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("kervan: error: "), result.stderr
    assert lines[0].endswith(" --help')"), result.stderr  # a usage error, not an error of a command that ran
    assert "Error:" not in result.stderr and "Usage:" not in result.stderr
    assert result.stdout == ""


def test_the_walk_found_every_kind_of_case() -> None:
    kinds = {name.rpartition(": ")[2] for name, _ in CASES}
    assert kinds >= {"unknown option", "unknown subcommand", "missing argument", "missing value", "bad choice"}
    assert len(CASES) > 40


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["segment", "--bogus", "-"], "segment: No such option"),
        (["glossary", "export", "--format", "xml"], "(see 'kervan glossary export --help')"),
        (["tmx", "import"], "tmx import: Missing argument 'SOURCE'"),
        (["term", "lookup", "x", "--limit"], "--limit"),
        (["term", "lookup", "x", "--limit", "many"], "'many' is not a valid integer"),
    ],
)
def test_real_command_line(args: list[str], fragment: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    done = run_kervan(*args, cwd=project)
    assert done.returncode == 2
    assert done.stderr.startswith("kervan: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert fragment in done.stderr and "Traceback" not in done.stderr


def test_help_and_version_still_exit_0(tmp_path: Path) -> None:
    for args in (["--help"], ["--version"], ["tmx", "import", "--help"], [], ["glossary"]):
        result = CliRunner().invoke(main, args, prog_name="kervan")
        assert result.exit_code == 0, (args, result.output)
        assert "kervan" in result.stdout.lower()
