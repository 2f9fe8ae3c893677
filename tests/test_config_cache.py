"""kervan.toml read again from the user's cache: the same project as a fresh parse, never a stale or damaged
entry, never tomllib's work when the text was parsed before."""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from kervan.errors import KervanError
from kervan.project import load_project

CONFIG = """[project]
name = "news"
source-language = "tr"
target-languages = ["en", "ru"]

[tm]
min-score = 80
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KERVAN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _project(folder: Path, text: str = CONFIG) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kervan.toml").write_text(text, "utf-8")
    return folder


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "config").glob("*.json"))


def _parsed_fresh(folder: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        patch.setenv("KERVAN_CACHE_DIR", "")
        return load_project(folder)


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_parse(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _project(tmp_path / "p")
    first = load_project(folder)
    assert len(_entries(cache)) == 1
    again = load_project(folder)
    assert again == first == _parsed_fresh(folder, monkeypatch)
    assert (again.target_langs, again.tm_min_score, again.name) == (("en", "ru"), 80, "news")


def test_a_cached_load_does_not_import_tomllib(tmp_path: Path, cache: Path) -> None:
    folder = _project(tmp_path / "p")
    probe = "import sys, kervan.project as p; p.load_project(sys.argv[1]); print('tomllib' in sys.modules)"
    runs = [
        subprocess.run([sys.executable, "-c", probe, str(folder)], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]


def test_an_edited_file_is_parsed_again(tmp_path: Path, cache: Path) -> None:
    folder = _project(tmp_path / "p")
    assert load_project(folder).target_langs == ("en", "ru")
    _project(folder, CONFIG.replace('["en", "ru"]', '["en"]'))
    assert load_project(folder).target_langs == ("en",)
    assert len(_entries(cache)) == 1  # the project's entry, replaced
    assert load_project(folder).target_langs == ("en",)
    load_project(_project(tmp_path / "other"))
    assert len(_entries(cache)) == 2  # one per project


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-5],  # truncated: the checksum no longer matches
        lambda raw: b"00000000\n" + raw.partition(b"\n")[2],  # a wrong checksum
        lambda raw: b"",
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path: Path, cache: Path, damage) -> None:  # type: ignore[no-untyped-def]
    folder = _project(tmp_path / "p")
    load_project(folder)
    (entry,) = _entries(cache)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert load_project(folder).tm_min_score == 80
    assert entry.read_bytes() == good


def test_an_entry_for_other_text_under_the_same_name_is_not_used(tmp_path: Path, cache: Path) -> None:
    # An entry is found by the file's path: it must hold the whole text, compared in full.
    folder = _project(tmp_path / "p")
    load_project(folder)
    (entry,) = _entries(cache)
    lie = {"text": CONFIG + "# other\n", "data": {"project": {"name": "evil", "target-languages": ["de"]}}}
    body = json.dumps(lie).encode()
    entry.write_bytes(b"%08x\n" % zlib.crc32(body) + body)
    project = load_project(folder)
    assert (project.name, project.target_langs) == ("news", ("en", "ru"))


def test_cached_data_goes_through_the_same_checks(tmp_path: Path, cache: Path) -> None:
    # An entry is the user's own data, yet what it holds is checked as a fresh parse would be.
    folder = _project(tmp_path / "p")
    load_project(folder)
    (entry,) = _entries(cache)
    forged = {"text": CONFIG, "data": {"project": {"source-language": 5}}}
    body = json.dumps(forged).encode()
    entry.write_bytes(b"%08x\n" % zlib.crc32(body) + body)
    with pytest.raises(KervanError, match="source-language") as caught:
        load_project(folder)
    assert caught.value.path == str(folder.resolve() / "kervan.toml")


def test_dates_are_never_cached_and_still_read(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # JSON would give a TOML date back as a string: such a file is parsed each time.
    folder = _project(tmp_path / "p", CONFIG + "released = 2025-11-13\n")
    assert load_project(folder) == _parsed_fresh(folder, monkeypatch)
    assert _entries(cache) == []


def test_invalid_toml_is_reported_whatever_the_cache_holds(tmp_path: Path, cache: Path) -> None:
    folder = _project(tmp_path / "p")
    load_project(folder)
    _project(folder, CONFIG + "[project\n")
    with pytest.raises(KervanError, match="invalid TOML") as caught:
        load_project(folder)
    assert caught.value.line == 8
    assert len(_entries(cache)) == 1


def test_with_the_cache_off_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERVAN_CACHE_DIR", "")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = _project(tmp_path / "p")
    assert load_project(folder).name == "news"
    assert not (tmp_path / "home").exists() and not (tmp_path / "xdg").exists()
    assert sorted(p.name for p in folder.iterdir()) == ["kervan.toml"]


def _nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "data",
    [
        {"project": {"name": "x", "deep": _nested(150)}},  # nested past the limit of 100
        {"project": {"name": "x", "version": 2**64}},  # past 64 bits
    ],
    ids=["deep", "large"],
)
def test_an_entry_past_what_a_fresh_parse_allows_is_not_used(tmp_path: Path, cache: Path, data: dict) -> None:
    folder = _project(tmp_path / "p")
    load_project(folder)
    (entry,) = _entries(cache)
    body = json.dumps({"text": CONFIG, "data": data}).encode()
    entry.write_bytes(b"%08x\n" % zlib.crc32(body) + body)
    assert load_project(folder).name == "news"


def test_a_relative_cache_folder_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Relative to where Kervan runs would be inside a project, which may come from anyone.
    from kervan.usercache import cache_dir

    folder = _project(tmp_path / "p")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("KERVAN_CACHE_DIR", "relcache")
    assert cache_dir() is None
    assert load_project(folder).name == "news"
    assert sorted(p.name for p in folder.iterdir()) == ["kervan.toml"]


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "too large"])
def test_something_else_in_place_of_an_entry_is_ignored(tmp_path: Path, cache: Path, kind: str) -> None:
    import os
    import threading

    folder = _project(tmp_path / "p")
    load_project(folder)
    (entry,) = _entries(cache)
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)  # opened for reading as a plain file, it would wait for a writer for ever
    elif kind == "device":
        entry.symlink_to("/dev/zero")  # read whole, it would fill the memory
    elif kind == "folder":
        entry.mkdir()
    else:
        with entry.open("wb") as handle:
            handle.truncate(65 << 20)
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(load_project(folder)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert done and done[0].name == "news"  # type: ignore[attr-defined]
