"""The rule cache: an SRX file read before comes back without parsing, the same; a bad entry is never used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import regex

from conftest import REPO
from kervan.formats import rulecache, srx
from kervan.segmentation import engine, javaregex
from kervan.segmentation.engine import Segmenter, default_rules_path

TEXT = (
    "Prof. Dr. Ayşe Kaya 3. kez geldi. Toplantı 21. Forum'da yapıldı. Yıkılan bina sayısı 37. Enkaz kaldırılıyor. "
    '"Gel," dedi. Ne oldu? Bilmiyorum… Peki ya sen? (Bkz. Ek 2.) Marmara Yapı A.Ş. Firmanın açıklaması geldi.'
)


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KERVAN_CACHE_DIR", str(folder))
    monkeypatch.setattr(javaregex, "pattern_store", None)
    return folder


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules.srx"
    target.write_bytes(default_rules_path().read_bytes())
    return target


def _cuts(rules: srx.SrxRules) -> list[str]:
    engine._plan.cache_clear()
    return Segmenter(rules, "tr").split(TEXT)


def test_a_file_read_again_comes_from_the_cache_unparsed(cache: Path, tmp_path: Path, monkeypatch) -> None:
    path = _copy_rules(tmp_path)
    first = srx.read_srx(path)
    assert len(list((cache / "rules").glob("*.json"))) == 1

    def refuse(data: bytes, shown: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(srx, "_parse_srx", refuse)
    second = srx.read_srx(path)
    assert second == first and second.path == str(path)
    assert [r.line for rs in second.languagerules.values() for r in rs] == [
        r.line for rs in first.languagerules.values() for r in rs
    ]
    assert _cuts(second) == _cuts(first)


def test_translations_from_the_cache_equal_new_ones(cache: Path, tmp_path: Path, monkeypatch) -> None:
    path = _copy_rules(tmp_path)
    srx.read_srx(path)
    remembered: dict[tuple[str, str], javaregex.Translation] = {}
    monkeypatch.setattr(javaregex, "_remembered", remembered)
    srx.read_srx(path)  # from the cache, which makes its translations known again
    assert len(remembered) > 20
    for (text, factor), kept in remembered.items():
        made = javaregex._translate.__wrapped__(text, factor)
        # (Not their reprs: two equal frozensets may list their items in different orders.)
        assert kept == made and hash(kept) == hash(made), text


def test_a_changed_file_is_read_anew(cache: Path, tmp_path: Path, monkeypatch) -> None:
    path = _copy_rules(tmp_path)
    srx.read_srx(path)
    path.write_bytes(path.read_bytes().replace(b'languagerulename="Turkish"', b'languagerulename="Turkce"'))
    rules = srx.read_srx(path)
    assert "Turkce" in rules.languagerules and "Turkish" not in rules.languagerules


def _raw(text: bytes) -> bytes:
    return b"%08x\n" % zlib.crc32(text) + text


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry, raw: b"{not json",
        lambda entry, raw: raw[:-3] + b"}}}",  # the checksum no longer matches
        lambda entry, raw: _raw(json.dumps({**entry, "body": {**entry["body"], "cascade": "yes"}}).encode()),
        lambda entry, raw: _raw(b"[" * 100_000 + b"]" * 100_000),
        lambda entry, raw: _raw(json.dumps({**entry, "code": "another version"}).encode()),
        lambda entry, raw: _raw(json.dumps({**entry, "body": {**entry["body"], "file": "3c"}}).encode()),
    ],
    ids=["garbage", "checksum", "tampered", "deep", "version", "another-file"],
)
def test_a_bad_rules_entry_is_ignored_and_rewritten(cache: Path, tmp_path: Path, damage) -> None:
    path = _copy_rules(tmp_path)
    expected = srx.read_srx(path)
    (entry_path,) = (cache / "rules").glob("*.json")
    raw = entry_path.read_bytes()
    entry = json.loads(raw.partition(b"\n")[2])
    entry_path.write_bytes(damage(entry, raw))
    assert srx.read_srx(path) == expected
    assert json.loads(entry_path.read_bytes().partition(b"\n")[2])["format"] == rulecache.FORMAT  # written anew


def test_a_bad_file_is_an_error_and_never_cached(cache: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.srx"
    bad.write_text('<srx xmlns="http://www.lisa.org/srx20" version="2.0"><body>', encoding="utf-8")
    with pytest.raises(srx.KervanError):
        srx.read_srx(bad)
    assert not list(cache.rglob("*.json"))


def test_compiled_patterns_replay_to_the_same_matches(cache: Path) -> None:
    store = rulecache.PatternStore(cache)
    rules = srx.read_srx(default_rules_path())
    plan = engine._Plan([engine.compile_rule(rule) for rule in rules.rules_for("tr")])
    pattern = f"{plan.scanner_pattern}(?=(?s:.)){engine._breaking(plan.rules)}"
    fresh = regex.compile(pattern, regex.V1)
    recorded = store.compile(pattern, regex.V1)
    (entry,) = store.folder.glob("*.json")
    replayed = store.compile(pattern, regex.V1)
    assert replayed is not recorded  # the second one came from the file
    ends = [m.end() for m in fresh.finditer(TEXT)]
    assert ends and [m.end() for m in replayed.finditer(TEXT)] == ends == [m.end() for m in recorded.finditer(TEXT)]

    # An entry under another pattern's name, or with its numbers changed, is refused and compiled anew.
    other = "(?:" + pattern + ")|xyz"
    os.replace(entry, store._path(other, regex.V1))
    assert [m.end() for m in store.compile(other, regex.V1).finditer(TEXT + " xyz")][:-1] == ends
    assert not store._path(pattern, regex.V1).exists()
    store.compile(pattern, regex.V1)
    entry = store._path(pattern, regex.V1)
    data = json.loads(entry.read_bytes().partition(b"\n")[2])
    data["call"][0]["t"][2][5] += 1
    entry.write_bytes(json.dumps(data).encode())  # no checksum line
    assert [m.end() for m in store.compile(pattern, regex.V1).finditer(TEXT)] == ends


def test_an_invalid_pattern_is_still_an_error(cache: Path) -> None:
    store = rulecache.PatternStore(cache)
    with pytest.raises(regex.error):
        store.compile("x" * 600 + "(", 0)


def test_caching_can_be_turned_off_and_an_unwritable_folder_is_harmless(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(javaregex, "pattern_store", None)
    monkeypatch.setenv("KERVAN_CACHE_DIR", "")
    assert rulecache.cache_dir() is None
    path = _copy_rules(tmp_path)
    expected = srx.read_srx(path)
    assert javaregex.pattern_store is None
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("KERVAN_CACHE_DIR", str(blocked))
    assert srx.read_srx(path) == expected


def test_the_segment_command_with_a_warm_cache_reads_no_xml(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text(TEXT + "\n", encoding="utf-8")
    probe = (
        "import sys, json\nfrom kervan.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('lxml', 'kervan.formats.xml')))))"
    )
    env = {**os.environ, "KERVAN_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe, "segment", str(text), "--lang", "tr"],
            capture_output=True, text=True, check=True, env=env, cwd=REPO,
        )
        for _ in range(2)
    ]
    assert json.loads(runs[0].stdout.splitlines()[-1])  # the first run parsed the XML
    assert json.loads(runs[1].stdout.splitlines()[-1]) == []
    assert runs[0].stdout.splitlines()[:-1] == runs[1].stdout.splitlines()[:-1]
    assert len(runs[1].stdout.splitlines()) > 8


def test_the_default_folder_is_the_users_and_never_relative(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KERVAN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert rulecache.cache_dir() == tmp_path / "xdg" / "kervan"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert rulecache.cache_dir() == tmp_path / "home" / ".cache" / "kervan"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "not/absolute")
    assert rulecache.cache_dir() is None
