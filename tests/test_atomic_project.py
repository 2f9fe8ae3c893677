"""Atomic writes, project discovery and locale facts."""

from __future__ import annotations

import os

import pytest

from kervan import locales
from kervan.errors import KervanError
from kervan.formats import atomic
from kervan.project import load_project


def test_atomic_write_replaces_whole_file(tmp_path) -> None:
    path = tmp_path / "sub" / "f.txt"
    atomic.write_text(path, "one")
    atomic.write_text(path, "two")
    assert path.read_text() == "two"
    assert os.listdir(path.parent) == ["f.txt"]


def test_atomic_write_failure_keeps_old_content(tmp_path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("precious")
    with pytest.raises(RuntimeError), atomic.atomic_open(path) as handle:
        handle.write(b"half")
        raise RuntimeError("crash in the middle")
    assert path.read_text() == "precious"
    assert os.listdir(tmp_path) == ["f.txt"]


def test_temp_files_are_new_private_and_recognised(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "catalog.po"
    first, second = atomic._temp_file(target), atomic._temp_file(target)
    for fd, name in (first, second):
        os.close(fd)
        assert os.path.dirname(name) == str(tmp_path)
        assert os.stat(name).st_mode & 0o777 == 0o600
        assert atomic.is_own_temp(os.path.basename(name)) == os.getpid()
    assert first[1] != second[1]
    # A name already taken (here by a link to a file elsewhere) is never opened: another one is drawn.
    outside = tmp_path / "outside"
    outside.write_text("keep")
    draws = iter([b"\x00" * 6, b"\x00" * 6, b"\x01" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    os.symlink(outside, tmp_path / f".catalog.po.kervan-{os.getpid()}-{'00' * 6}.tmp")
    fd, name = atomic._temp_file(target)
    os.close(fd)
    assert name.endswith(f"-{'01' * 6}.tmp") and outside.read_text() == "keep"


def test_write_if_changed(tmp_path) -> None:
    path = tmp_path / "f.txt"
    assert atomic.write_if_changed(path, b"x")
    mtime = path.stat().st_mtime_ns
    assert not atomic.write_if_changed(path, b"x")
    assert path.stat().st_mtime_ns == mtime


def test_shipped_project(repo) -> None:
    project = load_project(repo / "sources")
    assert project.root == repo
    assert project.source_lang == "tr" and project.target_langs == ("en", "ru")
    assert [p.name for p in project.source_files()] == ["2025-11-13-tokayev-stratejik-ortaklik.txt"]


def test_missing_project(tmp_path) -> None:
    with pytest.raises(KervanError, match=r"no kervan\.toml"):
        load_project(tmp_path)


def test_unknown_language_in_project(tmp_path) -> None:
    (tmp_path / "kervan.toml").write_text('[project]\nsource-language = "tr"\ntarget-languages = ["en", "xx"]\n')
    with pytest.raises(KervanError, match="unknown language code 'xx'") as info:
        load_project(tmp_path)
    assert info.value.path.endswith("kervan.toml")


def test_plural_forms_come_from_cldr() -> None:
    assert locales.plural_forms("en") == "nplurals=2; plural=(n != 1);"
    ru = locales.plural_forms("ru")
    assert ru.startswith("nplurals=3; plural=(") and ru.endswith(");")


def test_language_names_and_dates() -> None:
    import datetime as dt

    assert locales.language_name("ru") == "Russian"
    assert locales.language_name("tr", "tr") == "Türkçe"
    assert locales.format_date(dt.date(2025, 11, 13), "ru") == "13 ноября 2025\u202fг."  # CLDR: narrow no-break space
    assert locales.format_date(dt.date(2025, 11, 13), "en") == "November 13, 2025"
    with pytest.raises(KervanError):
        locales.check_language("klingon!")
