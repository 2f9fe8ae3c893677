"""Locale facts kept between runs: the same strings babel gives, from a cache entry checked as it is read."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_project
from kervan import locales
from kervan.errors import KervanError

FACTS = [
    ("plural_forms", ("ru",)),
    ("plural_forms", ("tr",)),
    ("plural_forms", ("pt-br",)),
    ("language_name", ("tr",)),
    ("language_name", ("ru", "tr")),
    ("format_date", (dt.date(2025, 11, 13), "ru")),
    ("format_date", (dt.date(2025, 2, 1), "tr")),
    ("check_language", ("pt-br",)),
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of the test's own, and no facts remembered in this process."""
    monkeypatch.setenv("KERVAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(locales, "_facts", None)
    yield tmp_path / "cache"
    locales._facts = None


def _from_babel() -> list[str]:
    """The facts as babel gives them, with the cache off."""
    import os

    saved, locales._facts = locales._facts, None
    before = os.environ.get("KERVAN_CACHE_DIR")
    os.environ["KERVAN_CACHE_DIR"] = ""
    try:
        return _facts()
    finally:
        os.environ["KERVAN_CACHE_DIR"] = before if before is not None else ""
        if before is None:
            del os.environ["KERVAN_CACHE_DIR"]
        locales._facts = saved


def _facts() -> list[str]:
    return [getattr(locales, kind)(*args) for kind, args in FACTS]


def test_cached_facts_are_babels(cache: Path) -> None:
    expected = _from_babel()
    assert _facts() == expected  # computed, and kept
    [entry] = cache.glob("locale-babel-*.json")
    locales._facts = None
    assert _facts() == expected  # read back
    # Read back from the entry, not computed again: babel is not asked.
    locales._facts = None
    original = locales._locale
    locales._locale = None  # type: ignore[assignment]
    try:
        assert _facts() == expected
    finally:
        locales._locale = original
    checksum, _, text = entry.read_bytes().partition(b"\n")
    assert checksum == b"%08x" % zlib.crc32(text)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.replace("ноября", "марта"),  # checksum no longer matches
        lambda text: text[: len(text) // 2],
        lambda text: "\x80\x81 not json",
    ],
)
def test_a_damaged_entry_is_ignored_and_written_anew(cache: Path, damage) -> None:  # type: ignore[no-untyped-def]
    expected = _from_babel()
    _facts()
    [entry] = cache.glob("locale-babel-*.json")
    entry.write_text(damage(entry.read_text("utf-8")), "utf-8")
    locales._facts = None
    assert _facts() == expected
    locales._facts = None
    assert _facts() == expected


def test_an_entry_of_the_wrong_shape_is_ignored(cache: Path) -> None:
    expected = _from_babel()
    _facts()
    [entry] = cache.glob("locale-babel-*.json")
    for value in ({"format": 1, "facts": {"plural_forms\x1fru": 3}}, {"format": 2, "facts": {}}, [1, 2], "x"):
        text = json.dumps(value).encode()
        entry.write_bytes(b"%08x\n" % zlib.crc32(text) + text)
        locales._facts = None
        assert _facts() == expected


def test_unknown_languages_are_errors_and_never_kept(cache: Path) -> None:
    for _ in range(2):
        locales._facts = None
        with pytest.raises(KervanError):
            locales.plural_forms("xx-notalang")
        with pytest.raises(KervanError):
            locales.language_name("qqq")
    entries = list(cache.glob("locale-babel-*.json"))
    assert not entries or "notalang" not in entries[0].read_text("utf-8")


def test_a_command_run_again_does_not_import_babel(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    probe = (
        "import json, sys\n"
        "from kervan.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('\\n' + json.dumps(sorted(m for m in sys.modules if m.startswith('babel'))))\n"
    )
    env = {"KERVAN_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    outputs = []
    for _ in range(2):
        command = [sys.executable, "-c", probe, "render", "--lang", "ru"]
        run = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, check=False)
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout)
    first, second = (json.loads(out.strip().splitlines()[-1]) for out in outputs)
    assert "babel.dates" in first
    assert second == []
    assert outputs[0].splitlines()[:-1] == outputs[1].splitlines()[:-1]  # the same page
