"""Incremental builds: an unchanged rebuild redoes nothing, a changed one redoes only what changed, and the
files are always those a full build writes from the same project."""

from __future__ import annotations

import contextlib
import inspect
import json
import shutil
from pathlib import Path

import pytest

from conftest import ARTICLE, copy_project, run_kervan
from kervan import pipeline
from kervan.pipeline import common
from kervan.project import load_project


def _project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "p")
    text = ARTICLE.read_text("utf-8")
    # A second and third article: the same text under other ids, one with an edited sentence.
    (root / "sources" / "2025-11-14-ikinci.txt").write_text(text, "utf-8")
    (root / "sources" / "2025-11-15-ucuncu.txt").write_text(text.replace("Putin", "Vladimir Putin", 1), "utf-8")
    return root


def _outputs(root: Path) -> dict[str, bytes]:
    """Every file a build writes (the stamp and index caches aside)."""
    found = {}
    for folder in (root / "locales", root / "build"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and ".cache" not in path.parts and not path.name.startswith("tm.sqlite3"):
                found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def _mtimes(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_mtime_ns
        for folder in (root / "locales", root / "build")
        for p in folder.rglob("*")
        if p.is_file() and ".cache" not in p.parts
    }


def _build(root: Path, use_tm: bool = False) -> pipeline.BuildReport:
    # Without the memory unless asked: it would fill the copies of the article from each other.
    return pipeline.build(load_project(root), use_tm=use_tm)


def _full_build_of(root: Path, dest: Path, use_tm: bool = False) -> dict[str, bytes]:
    """A copy of the project as it stands, built without any stamps (and without the memory's index)."""
    shutil.copytree(root, dest)
    shutil.rmtree(dest / "build" / ".cache", ignore_errors=True)
    for index in (dest / "build").glob("tm.sqlite3*"):
        index.unlink()
    _build(dest, use_tm)
    return _outputs(dest)


def test_unchanged_rebuild_redoes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path)
    first = _build(root)
    before = _mtimes(root)

    def refuse(*args: object) -> None:
        raise AssertionError("an unchanged article was segmented again")

    monkeypatch.setattr(common, "document_segments", refuse)
    monkeypatch.setattr("kervan.formats.po.read_po", refuse)
    again = _build(root)
    assert _mtimes(root) == before
    assert not any(f.changed for f in again.files)
    assert [f.path for f in again.files] == [f.path for f in first.files]
    assert again.findings == first.findings
    assert again.languages == first.languages
    assert (again.articles, again.segments, again.warnings) == (first.articles, first.segments, first.warnings)
    stamp = json.loads((root / "build" / ".cache" / "build.json").read_bytes())
    assert "sources/2025-11-14-ikinci.txt" in stamp["tree"]


def test_the_recorded_report_is_the_report_field_for_field(tmp_path: Path) -> None:
    """The stamp file keeps the report's fields in the constructor's order, and an unchanged rebuild gives them
    back as they were (its files unchanged, no memory fills)."""
    root = _project(tmp_path)
    first = _build(root)
    recorded = json.loads((root / "build" / ".cache" / "build.json").read_bytes())["report"]
    assert list(recorded) == list(inspect.signature(pipeline.BuildReport).parameters)
    assert list(first.asdict()) == list(recorded)
    assert recorded["findings"] == [f.asdict() for f in first.findings] != []
    assert recorded["languages"] == first.languages and recorded["articles"] == 3
    again = _build(root)
    expected = {**first.asdict(), "files": [f.asdict() for f in first.files], "tm_fills": []}
    for row in expected["files"]:
        row["changed"] = False
    assert {**again.asdict(), "files": [f.asdict() for f in again.files]} == expected
    assert pipeline.BuildReport(**again.asdict()).asdict() == again.asdict()


def test_reports_do_not_share_their_lists() -> None:
    first, second = pipeline.BuildReport(), pipeline.BuildReport()
    first.warnings.append("w")
    first.files.append(common.FileResult("x", True))
    assert second.asdict() == {
        "segments": 0, "articles": 0, "languages": [], "files": [], "findings": [], "warnings": [], "tm_fills": []
    }  # fmt: skip
    with pytest.raises(TypeError):
        pipeline.BuildReport(**{**second.asdict(), "colour": "red"})  # a foreign record: a full build


def test_changes_are_redone_and_give_what_a_full_build_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # New templates are dated: builds that straddle a minute would differ by their creation dates alone.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763000000")
    root = _project(tmp_path)
    _build(root)
    # An edited article, a translation filled in another article's catalog, an article added.
    source = root / "sources" / "2025-11-14-ikinci.txt"
    source.write_text(source.read_text("utf-8").replace("Tokayev", "Kasım-Cömert Tokayev", 1), "utf-8")
    po = root / "locales" / "ru" / "LC_MESSAGES" / "2025-11-15-ucuncu.po"
    text = po.read_text("utf-8")
    untranslated = text.index('msgstr ""\n\n')
    po.write_text(text[:untranslated] + 'msgstr "Перевод"\n\n' + text[untranslated + len('msgstr ""\n\n') :], "utf-8")
    shutil.copy(ARTICLE, root / "sources" / "2025-11-16-dorduncu.txt")
    expected = _full_build_of(root, tmp_path / "full")

    segmented: list[str] = []
    real = common.document_segments

    def counting(document):  # type: ignore[no-untyped-def]
        segmented.append(document.id)
        return real(document)

    monkeypatch.setattr(common, "document_segments", counting)
    report = _build(root)
    assert sorted(segmented) == ["2025-11-14-ikinci", "2025-11-16-dorduncu"]
    assert _outputs(root) == expected
    changed = {f.path for f in report.files if f.changed}
    assert "locales/2025-11-14-ikinci.pot" in changed
    assert "locales/ru/LC_MESSAGES/2025-11-15-ucuncu.mo" in changed
    assert not any("2025-11-13" in path and path.endswith((".pot", ".po", ".mo")) for path in changed)


def test_damaged_or_foreign_stamp_file_means_a_full_build(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _build(root)
    expected = _outputs(root)
    stamp = root / "build" / ".cache" / "build.json"
    data = json.loads(stamp.read_bytes())
    for damaged in (
        b"\x80\x04not json",
        b"[" * 50_000,
        json.dumps(
            {
                **data,
                "articles": {
                    "2025-11-14-ikinci": {
                        "key": data["articles"]["2025-11-14-ikinci"]["key"],
                        "segments": [[1, 2]],
                        "notes": [],
                    }
                },
            }
        ).encode(),
        json.dumps({**data, "report": {"files": [{"path": "x"}]}}).encode(),
    ):
        stamp.write_bytes(damaged)
        (root / "build" / "qa.json").unlink()
        report = _build(root)
        assert _outputs(root) == expected
        assert report.articles == 3


def test_unchanged_rebuild_through_the_cli(tmp_path: Path) -> None:
    root = _project(tmp_path)
    first = run_kervan("build", "--json", cwd=root)
    assert first.returncode in (0, 1), first.stderr
    before = _mtimes(root)
    second = run_kervan("build", "--json", cwd=root)
    assert second.returncode == first.returncode, second.stderr
    assert _mtimes(root) == before
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert not any(f["changed"] for f in two["files"])
    # What the first build filled from the memory is not filled again: only files and fills may differ.
    same = ("files", "tm")
    assert {k: v for k, v in one.items() if k not in same} == {k: v for k, v in two.items() if k not in same}
    assert two["tm"] == {"fills": []}


def test_with_the_memory_a_translation_reaches_catalogs_that_did_not_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalog translated since the last build is in the memory: the other articles' catalogs are merged
    again and filled from it, as a full build would, though their own files did not change."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763000000")
    root = _project(tmp_path)
    new = "Yeni santralin inşası 2030 yılında tamamlanacak."
    for name in ("2025-11-14-ikinci", "2025-11-15-ucuncu"):
        source = root / "sources" / f"{name}.txt"
        source.write_text(source.read_text("utf-8").rstrip("\n") + "\n" + new + "\n", "utf-8")
    _build(root, use_tm=True)
    ucuncu = root / "locales" / "ru" / "LC_MESSAGES" / "2025-11-15-ucuncu.po"
    assert f'msgid "{new}"\nmsgstr ""' in ucuncu.read_text("utf-8")  # nothing to fill it from yet
    # The translator translates the sentence in the second article's catalog only.
    po = root / "locales" / "ru" / "LC_MESSAGES" / "2025-11-14-ikinci.po"
    translation = "Строительство новой станции завершится в 2030 году."
    po.write_text(po.read_text("utf-8").replace(f'msgid "{new}"\nmsgstr ""', f'msgid "{new}"\nmsgstr "{translation}"'))
    expected = _full_build_of(root, tmp_path / "full", use_tm=True)
    _build(root, use_tm=True)
    assert _outputs(root) == expected
    assert f'msgid "{new}"\nmsgstr "{translation}"' in ucuncu.read_text("utf-8")


def _standalone(root: Path, monkeypatch: pytest.MonkeyPatch | None = None) -> dict[str, object]:
    """What the jobs other than the build give on the project as it stands: templates, QA, units with notes.
    With `monkeypatch`, no article may be segmented, and the templates need no term index."""

    def refuse(*args: object) -> None:
        raise AssertionError("an article the build recorded was segmented or scanned again")

    project = load_project(root)
    with contextlib.ExitStack() as stack:
        if monkeypatch is not None:
            patched = stack.enter_context(monkeypatch.context())
            patched.setattr(common, "document_segments", refuse)
            patched.setattr(common, "term_index", refuse)
        pipeline.extract(project)
        articles = common.article_units(project, lambda: common.term_index(project))
        units = [(u.source, u.notes) for a in articles for u in a.units]
    if monkeypatch is not None:
        monkeypatch.setattr(common, "document_segments", refuse)
    return {"outputs": _outputs(root), "findings": pipeline.run_qa(project), "units": units}


def _unbuilt(root: Path, dest: Path) -> Path:
    """A copy of the project without the build's stamps."""
    shutil.copytree(root, dest)
    (dest / "build" / ".cache" / "build.json").unlink()
    return dest


def test_other_jobs_take_unchanged_articles_from_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763000000")
    root = _project(tmp_path)
    _build(root)
    stamp = root / "build" / ".cache" / "build.json"
    recorded = stamp.read_bytes()
    expected = _standalone(_unbuilt(root, tmp_path / "unbuilt"))
    assert _standalone(root, monkeypatch) == expected
    assert stamp.read_bytes() == recorded  # read, never written


def test_other_jobs_see_an_edit_made_since_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763000000")
    root = _project(tmp_path)
    _build(root)
    source = root / "sources" / "2025-11-14-ikinci.txt"
    source.write_text(source.read_text("utf-8").replace("Tokayev", "Kasım-Cömert Tokayev", 1), "utf-8")
    expected = _standalone(_unbuilt(root, tmp_path / "edited"))
    assert any("Kasım-Cömert" in s.text for s, _ in expected["units"])  # type: ignore[attr-defined]
    assert _standalone(root) == expected
    # An edited glossary changes the notes of every article.
    glossary = root / "glossary" / "kervan.tbx"
    glossary.write_text(glossary.read_text("utf-8").replace("<term>AEB</term>", "<term>AEBİ</term>", 1), "utf-8")
    expected = _standalone(_unbuilt(root, tmp_path / "glossary"))
    assert _standalone(root) == expected


def test_other_jobs_ignore_a_record_that_does_not_fit_the_article(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _build(root)
    expected = _standalone(_unbuilt(root, tmp_path / "unbuilt"))["units"]
    stamp = root / "build" / ".cache" / "build.json"
    data = json.loads(stamp.read_bytes())
    record = data["articles"]["2025-11-14-ikinci"]
    forged = [
        [[row[0], "Başka bir cümle.", *row[2:]] for row in record["segments"]],  # text the article does not hold
        record["segments"][:-1],  # the last sentence left out
        [[row[0], row[1], row[2], row[3], row[4] + 1, row[5]] for row in record["segments"]],  # renumbered
        [[*row[:4], 0, 0] for row in record["segments"]],
        [],
    ]
    for segments in forged:
        record["segments"], record["notes"] = segments, [["Term: forged"]] * len(segments)
        stamp.write_text(json.dumps(data), "utf-8")
        assert _standalone(root)["units"] == expected


def test_qa_takes_the_findings_of_unchanged_catalogs_from_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    _build(root)
    project = load_project(root)
    unbuilt = load_project(_unbuilt(root, tmp_path / "unbuilt"))
    expected, expected_ru = pipeline.run_qa(unbuilt), pipeline.run_qa(unbuilt, ["ru"])
    assert expected

    def refuse(*args: object) -> None:
        raise AssertionError("a catalog unchanged since the build was checked again")

    with monkeypatch.context() as patched:
        patched.setattr("kervan.pipeline.checks.read_catalog", refuse)
        patched.setattr("kervan.pipeline.checks.glossary_index", refuse)
        assert pipeline.run_qa(project) == expected
        assert pipeline.run_qa(project, ["ru"]) == expected_ru
    some = pipeline.select_checks(["terminology", "numbers"])
    assert pipeline.run_qa(project, checks=some) == pipeline.run_qa(unbuilt, checks=some)
    # A translation edited since: that catalog is checked again, the others still come from the build.
    for folder in (root, tmp_path / "unbuilt"):
        po = folder / "locales" / "en" / "LC_MESSAGES" / "2025-11-14-ikinci.po"
        text = po.read_text("utf-8")
        start = text.index('msgstr "', text.index("Tokayev")) + len('msgstr "')
        po.write_text(text[:start] + "99 " + text[start:], "utf-8")
    edited = pipeline.run_qa(unbuilt)
    assert edited != expected
    assert pipeline.run_qa(project) == edited


def test_qa_ignores_recorded_findings_that_are_garbled(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _build(root)
    expected = pipeline.run_qa(load_project(_unbuilt(root, tmp_path / "unbuilt")))
    stamp = root / "build" / ".cache" / "build.json"
    data = json.loads(stamp.read_bytes())
    name = "locales/ru/LC_MESSAGES/2025-11-13-tokayev-stratejik-ortaklik.po"
    record = data["checked"][name]
    for findings in (
        [["terminology", "fatal", "x:1.1", "ru", "forged"]],
        [["terminology", "error", "x:1.1", "ru"]],
        [{"check": "terminology"}],
        "forged",
        [[1, 2, 3, 4, 5]],
    ):
        record["findings"] = findings
        stamp.write_text(json.dumps(data), "utf-8")
        assert pipeline.run_qa(load_project(root)) == expected


def _settled_build(root: Path, use_tm: bool) -> None:
    """Build, then build again from scratch: every merge of the second build leaves its catalog as it was."""
    _build(root, use_tm)
    (root / "build" / ".cache" / "build.json").unlink()
    _build(root, use_tm)


def test_update_takes_settled_merges_from_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763000000")
    root = _project(tmp_path)
    _settled_build(root, use_tm=True)
    unbuilt = _unbuilt(root, tmp_path / "unbuilt")
    expected = [f.to_json() for f in pipeline.refresh(load_project(unbuilt))]
    assert _outputs(unbuilt) == _outputs(root)

    def refuse(*args: object) -> None:
        raise AssertionError("a settled catalog was merged again")

    with monkeypatch.context() as patched:
        patched.setattr("kervan.formats.po.read_po", refuse)
        assert [f.to_json() for f in pipeline.refresh(load_project(root))] == expected
    assert _outputs(unbuilt) == _outputs(root)


def test_update_merges_again_what_the_memory_may_fill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Merges of a build without the memory are not taken for an update with it: the copies of the shipped
    article have the same sentences, translated in the shipped catalogs."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763000000")
    root = _project(tmp_path)
    _settled_build(root, use_tm=False)
    unbuilt = _unbuilt(root, tmp_path / "unbuilt")
    expected = pipeline.refresh(load_project(unbuilt))
    assert any("filled from the translation memory" in f.detail for f in expected)
    assert [f.to_json() for f in pipeline.refresh(load_project(root))] == [f.to_json() for f in expected]
    assert _outputs(unbuilt) == _outputs(root)


def test_a_stamp_file_that_is_not_a_regular_file_is_ignored(tmp_path: Path) -> None:
    """A FIFO in its place would block every command that reads the stamps: it is passed over unread."""
    import os

    root = _project(tmp_path)
    _build(root)
    expected = run_kervan("qa", "--json", cwd=root)
    stamp = root / "build" / ".cache" / "build.json"
    stamp.unlink()
    os.mkfifo(stamp)
    found = run_kervan("qa", "--json", cwd=root)  # the helper's timeout fails the test if it blocks
    assert (found.returncode, found.stdout, found.stderr) == (expected.returncode, expected.stdout, expected.stderr)
