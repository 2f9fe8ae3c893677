"""The term index cache is data only: a crafted file in a project's build folder cannot run code; anything but
a sound index is refused and rebuilt. The shipped suffix-chain table is the one the grammar generates."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from conftest import copy_project, run_kervan
from kervan.errors import KervanError
from kervan.formats.tbx import read_tbx
from kervan.terms import TermIndex
from kervan.terms import morphology as morph


class _Payload:
    """Unpickling this would create the file named (the classic pickle attack)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (open, (str(self.marker), "w"))


def _cache_files(project: Path) -> list[Path]:
    return sorted((project / "build" / ".cache").glob("terms-*"))


def test_crafted_pickle_in_the_cache_runs_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    first = run_kervan("term", "lookup", "AEB", cwd=project)
    assert first.returncode == 0, first.stderr
    (cache,) = _cache_files(project)
    marker = tmp_path / "pwned"
    crafted = pickle.dumps(_Payload(marker))
    # Whatever name an attacker guesses: the cache file itself, and the name a pickle cache would have had.
    cache.write_bytes(crafted)
    cache.with_suffix(".pickle").write_bytes(crafted)
    run = run_kervan("term", "lookup", "AEB’nin", "--json", cwd=project)
    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert json.loads(run.stdout)["matches"][0]["concept"] == "eaeu"
    # The crafted file was replaced by a sound index.
    assert json.loads(cache.read_bytes())["magic"] == "kervan-term-index"


def _saved(tmp_path: Path, repo: Path) -> tuple[Path, dict]:
    index = TermIndex.build(read_tbx(str(repo / "glossary" / "kervan.tbx")))
    path = tmp_path / "terms.json"
    index.save(path)
    return path, json.loads(path.read_bytes())


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["owner"].__setitem__(0, 10**6),  # a term owned by no concept
        lambda d: d["order"].__setitem__(0, 999),  # a term position past the concept's terms
        lambda d: d["norm"]["tr"].__setitem__("x", [10**6]),  # a posting past the terms
        lambda d: d["norm"]["tr"].__setitem__("x", 10**6),
        lambda d: d["first"]["ru"].__setitem__("x", -1),
        lambda d: d["compact"]["tr"].__setitem__("x", [0, "1"]),
        lambda d: d["first"]["en"].__setitem__("x", [[0]]),
        lambda d: d["norm"]["tr"].__setitem__("x", "0"),
        lambda d: d["norm"]["tr"].__setitem__("x", True),
        lambda d: d["norm"]["tr"].__setitem__("x", {"0": 1}),
        lambda d: d["concepts"][0].__setitem__(0, {"not": "a string"}),
        lambda d: d["concepts"].append(["x", [["tr", [["a", "tr", "fullForm"]]]], "", "", ""]),
        lambda d: d.__setitem__("tag", d["tag"][:-1]),
        lambda d: d.__setitem__("fuzzy", {}),  # the fuzzy tables travel as JSON text
        lambda d: d.__setitem__("by_id", [1, 2]),
    ],
)
def test_damaged_index_is_refused(tmp_path: Path, repo: Path, damage) -> None:
    path, data = _saved(tmp_path, repo)
    damage(data)
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(KervanError) as caught:
        TermIndex.load(path)
    assert caught.value.path == str(path)


@pytest.mark.parametrize(
    "damage",
    [
        lambda f: f.__setitem__("tr", [["key"], [], {}]),
        lambda f: next(iter(f.values()))[2].__setitem__("zzz", [10**6]),
        lambda f: next(iter(f.values()))[2].__setitem__("zzz", [-1]),
        lambda f: next(iter(f.values()))[2].__setitem__("zzz", 0),
        lambda f: next(iter(f.values()))[2].__setitem__("zzz", ["0"]),
        lambda f: next(iter(f.values()))[1].__setitem__(0, 10**6),
        lambda f: f.__setitem__("ru", "[" * 100_000),
    ],
)
def test_damaged_fuzzy_tables_are_built_again_not_trusted(tmp_path: Path, repo: Path, damage) -> None:
    # The fuzzy tables are decoded on first use only: anything amiss in them and they are built again from the
    # index's own keys, so a fuzzy lookup gives what a freshly built index gives.
    path, data = _saved(tmp_path, repo)
    fuzzy = json.loads(data["fuzzy"])
    damage(fuzzy)
    data["fuzzy"] = json.dumps(fuzzy)
    path.write_text(json.dumps(data), "utf-8")
    loaded = TermIndex.load(path)
    built = TermIndex.build(read_tbx(str(repo / "glossary" / "kervan.tbx")))
    hows = []
    for query in ("Kazakistn Cumhurbaskani", "Avrasya Ekonomk Birligi", "Евразийский экономически союз"):
        hows += [m.how for m in built.lookup(query)]
        assert loaded.lookup(query) == built.lookup(query), query
    assert hows.count("fuzzy") >= 2  # the tables were used


def test_a_scan_decodes_no_fuzzy_table(tmp_path: Path, repo: Path) -> None:
    path, _ = _saved(tmp_path, repo)
    loaded = TermIndex.load(path)
    text = (repo / "sources" / "2025-11-13-tokayev-stratejik-ortaklik.txt").read_text("utf-8")
    assert loaded.scan(text, "tr") and loaded.lookup("AEB")
    assert loaded._fuzzy == {} and loaded._fuzzy_json is not None
    assert [m.how for m in loaded.lookup("Kazakistn Cumhurbaskani")] == ["fuzzy"]
    assert loaded._fuzzy and loaded._fuzzy_json is None


def test_deeply_nested_json_is_refused_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    with pytest.raises(KervanError):
        TermIndex.load(path)


def test_loaded_index_answers_as_the_built_one(tmp_path: Path, repo: Path) -> None:
    path, _ = _saved(tmp_path, repo)
    built = TermIndex.build(read_tbx(str(repo / "glossary" / "kervan.tbx")))
    loaded = TermIndex.load(path)
    assert loaded.concepts == built.concepts
    for query in ("AEB’nin", "Евразийского экономического союза", "Avrasya Ekonomik Birligi", "Kazakhistan"):
        assert loaded.lookup(query) == built.lookup(query)
    text = (repo / "sources" / "2025-11-13-tokayev-stratejik-ortaklik.txt").read_text("utf-8")
    assert loaded.scan(text, "tr") == built.scan(text, "tr")


def test_shipped_chain_table_is_generated_from_this_grammar() -> None:
    shipped = json.loads(morph.CHAIN_FILE.read_bytes())
    # If this fails after editing morphology.py, regenerate the table:
    #   python -c "from kervan.terms.morphology import write_chain_file; write_chain_file()"
    assert shipped["grammar"] == morph.grammar_fingerprint()
    assert morph._read_chains(morph.CHAIN_FILE) == morph._build_chains()


def test_stale_or_damaged_chain_table_falls_back_to_the_grammar(tmp_path: Path) -> None:
    stale = json.loads(morph.CHAIN_FILE.read_bytes())
    stale["grammar"] = "0" * 64
    path = tmp_path / "chains.json"
    path.write_text(json.dumps(stale), "utf-8")
    assert morph._read_chains(path) is None
    path.write_text('{"grammar": 1}', "utf-8")
    assert morph._read_chains(path) is None
