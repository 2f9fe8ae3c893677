"""The translation memory, run against both backends: the embedded SQLite index and a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import uuid
from pathlib import Path

import polib
import pytest

from conftest import ARTICLE_ID, _required, copy_project, run_kervan
from kervan.errors import KervanError
from kervan.formats.tmx import write_tmx
from kervan.model import Segment, Unit
from kervan.project import load_project
from kervan.tm import TmUnit, open_memory
from kervan.tm.scoring import score_words, tokens

PG_URL = os.environ.get("KERVAN_TEST_PG_URL", "postgresql://kervan:kervan@localhost/kervan_test")
FORUM_TR = "İki lider ayrıca 21. Rusya-Kazakistan Bölgelerarası İş Birliği Forumu’nun çevrim içi genel oturumuna"
MOSCOW = "Moskova ve Astana siyasi temasların her düzeyde sürdürülmesi konusunda mutabakata vardı."


def _with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def pg_server():
    try:
        import psycopg

        conn = psycopg.connect(PG_URL, autocommit=True, connect_timeout=5)
    except Exception as exc:  # no driver or no server: both are missing oracles
        _required(f"a PostgreSQL server at {PG_URL} with psycopg ({str(exc).strip().splitlines()[0]})")
    yield conn
    conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def tm_url(request):
    """"" for the embedded index, else the URL of a fresh PostgreSQL schema (dropped afterwards)."""
    if request.param == "sqlite":
        yield ""
        return
    conn = request.getfixturevalue("pg_server")
    schema = f"kervan_test_{uuid.uuid4().hex[:12]}"
    conn.execute(f"CREATE SCHEMA {schema}")
    yield _with_schema(PG_URL, schema)
    conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def memory(tm_url, tmp_path):
    with open_memory(tm_url, tmp_path / "tm.sqlite3") as opened:
        yield opened


@pytest.fixture
def plain_project(tmp_path) -> Path:
    """The shipped project with the embedded index, for behaviour that does not depend on the backend."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def project(tm_url, tmp_path) -> Path:
    root = copy_project(tmp_path / "project")
    if tm_url:
        with open(root / "kervan.toml", "a", encoding="utf-8") as handle:
            handle.write(f'\n[tm]\nurl = "{tm_url}"\n')
    return root


def kervan(*args: str, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = run_kervan(*args, cwd=cwd)
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def po(root: Path, lang: str, domain: str = ARTICLE_ID) -> polib.POFile:
    return polib.pofile(str(root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"))


def tmx_file(path: Path, pairs: list[tuple[str, dict[str, str]]], doc: str = "memo") -> Path:
    units = [Unit(Segment(f"{doc}:{n}.1", src, "tr", ""), targets) for n, (src, targets) in enumerate(pairs, start=1)]
    write_tmx(units, str(path), srclang="tr", langs=["en", "ru"])
    return path


# --------------------------------------------------------------------------------------------- the store


def test_exact_in_context_and_fuzzy_matches(memory) -> None:
    units = [
        TmUnit("Önce bir cümle.", {"en": "A sentence first."}, "a"),
        TmUnit("Taraflar, 21. Forum’a katıldı.", {"en": "The parties attended the 21st Forum."}, "a", "tr",
               "Önce bir cümle."),
        TmUnit("Rusya ve Kazakistan işbirliğini sürdürecek.", {"ru": "Россия и Казахстан продолжат сотрудничество."},
               "b"),
    ]  # fmt: skip
    assert memory.replace_origin("a", "tmx", "s1", units[:2]) == 2
    assert memory.replace_origin("b", "tmx", "s1", units[2:]) == 1
    exact = memory.matches("Taraflar 21. Forum'a katıldı!", src_lang="tr")[0]
    assert (exact.score, exact.kind) == (100, "exact")  # punctuation and apostrophe style are not words
    context = memory.matches("Taraflar, 21. Forum’a katıldı.", src_lang="tr", previous="Önce bir cümle.")[0]
    assert (context.score, context.kind) == (101, "context")
    fuzzy = memory.matches("Taraflar, 22. Forum’a katıldı.", src_lang="tr")[0]
    assert (fuzzy.score, fuzzy.kind, fuzzy.origin) == (75, "fuzzy", "a")
    assert memory.matches("Taraflar, 22. Forum’a katıldı.", src_lang="tr", min_score=80) == []
    assert memory.matches("Rusya ve Türkiye işbirliğini sürdürecek.", src_lang="tr", langs=["en"]) == []
    ru = memory.matches("Rusya ve Türkiye işbirliğini sürdürecek.", src_lang="tr", langs=["ru"])
    assert [(m.score, m.targets) for m in ru] == [(80, {"ru": "Россия и Казахстан продолжат сотрудничество."})]
    # Storing an origin again replaces it; a unit stored twice is shown once.
    memory.replace_origin("a", "tmx", "s2", [units[0], units[0]])
    stats = memory.stats()
    assert stats["units"] == 3
    assert stats["pairs"] == {("tr", "en"): 2, ("tr", "ru"): 1}
    assert stats["origins"] == {"a": ("tmx", 2), "b": ("tmx", 1)}
    assert len(memory.matches("Önce bir cümle.", src_lang="tr")) == 1
    assert memory.origins()["a"] == ("tmx", "s2")
    memory.remove_origin("b")
    assert memory.matches("Rusya ve Kazakistan işbirliğini sürdürecek.", src_lang="tr") == []
    assert memory.stats()["units"] == 2


def test_candidate_index_finds_what_scoring_every_unit_finds(memory) -> None:
    # Units made from the article's sentences with words dropped, replaced and repeated; every query's best
    # match must be the best that scoring all units one by one finds.
    rng = random.Random(7)
    sentences = [e.msgid for e in polib.pofile(str(Path("locales/en/LC_MESSAGES") / f"{ARTICLE_ID}.po")) if e.msgid]
    vocabulary = sorted({w for s in sentences for w in s.split()})

    def variant(text: str) -> str:
        words = text.split()
        for _ in range(rng.randint(0, 4)):
            spot = rng.randrange(len(words))
            action = rng.random()
            if action < 0.4 and len(words) > 1:
                del words[spot]
            elif action < 0.8:
                words[spot] = rng.choice(vocabulary)
            else:
                words.insert(spot, rng.choice(vocabulary))
        return " ".join(words)

    units = [TmUnit(variant(rng.choice(sentences)), {"en": f"t{n}"}, "gen") for n in range(1000)]
    memory.replace_origin("gen", "tmx", "", units)
    unit_words = [tokens(u.source) for u in units]
    for query in [variant(rng.choice(sentences)) for _ in range(30)]:
        query_words = tokens(query)
        best = max(score_words(query_words, words) for words in unit_words)
        for minimum in (50, 75):
            expected = best
            found = memory.matches(query, src_lang="tr", min_score=minimum, limit=1)
            if expected >= minimum:
                assert found and found[0].score in (expected, 101), query
            else:
                assert found == []


# --------------------------------------------------------------------------------------------- leverage


def revise(root: Path) -> None:
    """The article revised (a forum number and one word changed, a sentence added), and a second article."""
    path = root / "sources" / f"{ARTICLE_ID}.txt"
    text = path.read_text(encoding="utf-8")
    text = text.replace(" 21. Rusya-Kazakistan", " 22. Rusya-Kazakistan")
    text = text.replace("Moskova ve Astana, her iki ülkenin", "Moskova ve Astana, iki ülkenin")
    text = text.rstrip("\n") + "\nYeni bir cümle daha eklendi.\n"
    path.write_text(text, encoding="utf-8")
    first = text.splitlines()
    second = [
        " date 2025-11-20 Astana ve Moskova yeni adımlar attı",
        MOSCOW,
        first[7],  # the sentence that follows MOSCOW in the first article too: an in-context match
        "Bugün Ankara'da yeni bir anlaşma imzalandı.",
    ]
    (root / "sources" / "2025-11-20-yeni-adimlar.txt").write_text("\n".join(second) + "\n", encoding="utf-8")


def test_second_article_and_revision_are_filled_from_the_memory(project, msgfmt) -> None:
    kervan("build", cwd=project)  # the memory learns the reviewed article
    before = {e.msgid: e.msgstr for e in po(project, "ru") if e.msgid}
    revise(project)
    result = json.loads(kervan("update", "--json", cwd=project).stdout)
    fills = {(f["lang"], f["article"], f["msgid"]): f for f in result["fills"]}

    ru = {e.msgid: e for e in po(project, "ru") if e.msgid and not e.obsolete}
    forum = next(e for e in ru.values() if " 22. Rusya-Kazakistan" in e.msgid)
    assert forum.fuzzy and forum.previous_msgid.startswith(FORUM_TR)
    assert "XXII" in forum.msgstr and "XXI " not in forum.msgstr
    assert re.search(r"TM: 9\d% fuzzy match, 2025-11-13-tokayev-stratejik-ortaklik; numbers carried: XXI -> XXII",
                     forum.comment)  # fmt: skip
    assert fills["ru", ARTICLE_ID, forum.msgid]["numbers_carried"] == [{"from": "XXI", "to": "XXII"}]
    en_forum = next(e for e in po(project, "en") if " 22. Rusya-Kazakistan" in e.msgid)
    assert "22nd" in en_forum.msgstr and en_forum.fuzzy
    edited = next(e for e in ru.values() if e.msgid.startswith("Moskova ve Astana, iki ülkenin"))
    assert edited.fuzzy and edited.previous_msgid.startswith("Moskova ve Astana, her iki ülkenin")
    assert 75 <= fills["ru", ARTICLE_ID, edited.msgid]["score"] < 100
    # Unchanged sentences stay as they were; a new one stays empty.
    for msgid, entry in ru.items():
        if msgid in before:
            assert entry.msgstr == before[msgid] and not entry.fuzzy
    assert ru["Yeni bir cümle daha eklendi."].msgstr == ""

    second = {e.msgid: e for e in po(project, "ru", "2025-11-20-yeni-adimlar") if e.msgid}
    assert second[MOSCOW].msgstr == before[MOSCOW] and not second[MOSCOW].fuzzy
    assert "TM: 100% exact match" in second[MOSCOW].comment
    follower = next(e for e in second.values() if e.msgid not in (MOSCOW,) and e.msgid in before)
    assert not follower.fuzzy and "TM: 101% in-context exact match" in follower.comment
    assert fills["ru", "2025-11-20-yeni-adimlar", follower.msgid]["kind"] == "context"
    assert second["Bugün Ankara'da yeni bir anlaşma imzalandı."].msgstr == ""
    for path in project.glob("locales/*/LC_MESSAGES/*.po"):
        check = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr

    # A translator edits a fuzzy fill (keeping it fuzzy) and an exact one: the next update leaves both alone,
    # and the origin notes stay.
    catalog = po(project, "ru")
    for entry in catalog:
        if entry.msgid == forum.msgid:
            entry.msgstr = "Правка переводчика."
    catalog.save()
    second_catalog = po(project, "ru", "2025-11-20-yeni-adimlar")
    for entry in second_catalog:
        if entry.msgid == MOSCOW:
            entry.msgstr = "Москва и Астана договорились."
    second_catalog.save()
    again = json.loads(kervan("update", "--json", cwd=project).stdout)
    assert again["fills"] == []
    forum_after = next(e for e in po(project, "ru") if e.msgid == forum.msgid)
    assert forum_after.msgstr == "Правка переводчика." and forum_after.fuzzy and "TM: 9" in forum_after.comment
    moscow_after = next(e for e in po(project, "ru", "2025-11-20-yeni-adimlar") if e.msgid == MOSCOW)
    assert moscow_after.msgstr == "Москва и Астана договорились."


def test_no_tm_leaves_new_entries_empty(plain_project) -> None:
    project = plain_project
    kervan("build", cwd=project)
    revise(project)
    result = json.loads(kervan("update", "--no-tm", "--json", cwd=project).stdout)
    assert result["fills"] == []
    second = {e.msgid: e for e in po(project, "en", "2025-11-20-yeni-adimlar") if e.msgid}
    assert second[MOSCOW].msgstr == ""


# --------------------------------------------------------------------------------------------- commands


def test_import_search_stats_export(project, tmp_path, xmllint, schema_dir) -> None:
    source = tmx_file(
        tmp_path / "newsroom.tmx",
        [
            ("Taraflar, 21. Forum’a katıldı.",
             {"en": "The parties attended the 21st Forum.", "ru": "Стороны посетили XXI Форум."}),
            ("Bakan yarın Ankara'ya gidecek.", {"en": "The minister will go to Ankara tomorrow."}),
        ],
    )  # fmt: skip
    imported = json.loads(kervan("tm", "import", str(source), "--json", cwd=project).stdout)
    assert imported["units"] == 2 and imported["written"] == "tm/newsroom.tmx"
    assert (project / "tm" / "newsroom.tmx").read_bytes() == source.read_bytes()

    found = json.loads(kervan("tm", "search", "Taraflar 22. Forum’a katıldı", "--json", cwd=project).stdout)
    assert found["query"] == "Taraflar 22. Forum’a katıldı"
    assert found["matches"][0] == {
        "score": 75,
        "source": "Taraflar, 21. Forum’a katıldı.",
        "targets": {"en": "The parties attended the 21st Forum.", "ru": "Стороны посетили XXI Форум."},
        "origin": "kervan-news:tm/newsroom.tmx",
    }
    only_ru = json.loads(kervan("tm", "search", "Ankara'ya", "--lang", "ru", "--json", cwd=project, ok=False).stdout)
    assert only_ru["matches"] == []  # the unit has no Russian
    concordance = json.loads(kervan("tm", "search", "ankara'ya gidecek", "--json", cwd=project).stdout)
    assert [m["source"] for m in concordance["matches"]] == ["Bakan yarın Ankara'ya gidecek."]
    assert kervan("tm", "search", "Hiç olmayan kelimeler", cwd=project, ok=False).returncode == 1

    stats = json.loads(kervan("tm", "stats", "--json", cwd=project).stdout)
    assert stats["backend"] == ("postgresql" if "postgresql" in (project / "kervan.toml").read_text() else "sqlite")
    assert stats["units"] == 20  # 18 reviewed sentences of the article, 2 imported
    assert {(p["target"], p["units"]) for p in stats["pairs"]} == {("en", 20), ("ru", 19)}
    assert {o["origin"]: o["units"] for o in stats["origins"]} == {
        f"kervan-news:{ARTICLE_ID}": 18,
        "kervan-news:tm/newsroom.tmx": 2,
    }

    out = tmp_path / "memory.tmx"
    kervan("tm", "export", "-o", str(out), cwd=project)
    check = subprocess.run(
        [xmllint, "--noout", "--dtdvalid", str(schema_dir / "tmx14.dtd"), str(out)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    from translate.storage.tmx import tmxfile

    store = tmxfile.parsefile(str(out))
    sources = {unit.source for unit in store.units}
    assert len(store.units) == 20 and "Bakan yarın Ankara'ya gidecek." in sources


def test_bad_tmx_changes_nothing(project, tmp_path) -> None:
    good = tmx_file(tmp_path / "good.tmx", [("Bakan yarın gidecek.", {"en": "The minister leaves tomorrow."})])
    kervan("tm", "import", str(good), cwd=project)
    before = json.loads(kervan("tm", "stats", "--json", cwd=project).stdout)
    bad = tmp_path / "bad.tmx"
    text = tmx_file(tmp_path / "x.tmx", [(f"Cümle {n} burada.", {"en": f"Sentence {n}."}) for n in range(50)])
    bad.write_text(text.read_text(encoding="utf-8").replace("</body>", "<tu><tuv></body>"), encoding="utf-8")
    result = kervan("tm", "import", str(bad), cwd=project, ok=False)
    assert result.returncode == 2
    assert re.fullmatch(r"kervan: error: \S*bad\.tmx:\d+: .+\n", result.stderr), result.stderr
    assert sorted(p.name for p in (project / "tm").iterdir()) == ["good.tmx"]
    assert json.loads(kervan("tm", "stats", "--json", cwd=project).stdout) == before


def test_a_second_process_prepares_what_one_process_would(project, tmp_path, monkeypatch) -> None:
    # Large files are read by a forked child while the parent stores (see tm.parallel): the same units, counts,
    # matches and errors as reading in one process. The size threshold is lowered so a small file takes that way.
    from kervan.pipeline import tm as job
    from kervan.tm import parallel

    assert parallel.available()  # two cores here: the test would otherwise compare one way with itself
    rng = random.Random(3)
    words = ["Bakan", "yarın", "Ankara'ya", "gidecek", "21.", "Forum’a", "Rusya", "İş", "birliği", "sürecek"]
    pairs = [(" ".join(rng.choices(words, k=rng.randint(3, 9))) + ".", {"en": f"E{n}", "ru": f"R{n}"})
             for n in range(12_000)]  # fmt: skip
    source = tmx_file(tmp_path / "big.tmx", pairs)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("</body>", '<tu><tuv xml:lang="en"><seg>No Turkish.</seg></tuv></tu></body>'))
    loaded = load_project(project)

    def snapshot() -> tuple[object, ...]:
        with job.open_memory(loaded) as memory:
            units = sorted((u.source, sorted(u.targets.items()), u.origin) for u in memory.iter_all())
            found = [[(m.score, m.source) for m in memory.matches(q, src_lang="tr", limit=20)] for q, _ in pairs[:30]]
            frequency = memory.document_frequency(["bakan", "ankaraya", "21", "iş"])
            return units, found, frequency, memory.stats()["units"]

    def run(threshold: int) -> tuple[object, ...]:
        monkeypatch.setattr(job, "PARALLEL_BYTES", threshold)
        report = job.import_tm(loaded, str(source))
        assert (report.units, report.skipped) == (12_000, 1)
        result = snapshot()
        job.remove(loaded, "tm/big.tmx")
        return result

    assert run(1 << 40) == run(0)
    bad = tmp_path / "bad.tmx"
    bad.write_text(text.replace("</body>", "<tu><tuv></body>"), encoding="utf-8")
    errors = []
    for threshold in (1 << 40, 0):
        monkeypatch.setattr(job, "PARALLEL_BYTES", threshold)
        with pytest.raises(KervanError) as caught:
            job.import_tm(loaded, str(bad))
        errors.append(str(caught.value))
        assert not (project / "tm" / "bad.tmx").exists()
    assert errors[0] == errors[1] and re.match(r"\S*bad\.tmx:\d+: ", errors[0])


def test_index_follows_files_in_tm(project, tmp_path, tm_url) -> None:
    folder = project / "tm"
    folder.mkdir()
    tmx_file(folder / "a.tmx", [("Bakan yarın gidecek.", {"en": "The minister leaves tomorrow."})])
    first = json.loads(kervan("tm", "search", "Bakan yarın gidecek.", "--json", cwd=project).stdout)
    assert first["matches"][0]["targets"] == {"en": "The minister leaves tomorrow."}
    tmx_file(folder / "a.tmx", [("Bakan yarın gidecek.", {"en": "The minister will leave tomorrow."})])
    second = json.loads(kervan("tm", "search", "Bakan yarın gidecek.", "--json", cwd=project).stdout)
    assert [m["targets"] for m in second["matches"]] == [{"en": "The minister will leave tomorrow."}]
    (folder / "a.tmx").unlink()
    if tm_url:  # a shared memory keeps what a machine lacks, until it is removed by name
        kervan("tm", "remove", "tm/a.tmx", cwd=project)
    gone = kervan("tm", "search", "Bakan yarın gidecek.", "--json", cwd=project, ok=False)
    assert json.loads(gone.stdout)["matches"] == []


def test_tmx_import_recognises_a_previous_msgid(plain_project, tmp_path) -> None:
    project = plain_project
    kervan("update", "--no-tm", cwd=project)
    revise(project)
    kervan("update", "--no-tm", cwd=project)
    catalog = po(project, "ru")
    forum = next(e for e in catalog if " 22. Rusya-Kazakistan" in e.msgid)
    assert forum.fuzzy and forum.previous_msgid
    forum.msgstr = ""  # a translator cleared it, waiting for the agency's file
    catalog.save()
    source = tmx_file(tmp_path / "agency.tmx", [(forum.previous_msgid, {"ru": "Перевод для прежнего текста."})])
    report = json.loads(kervan("tmx", "import", str(source), "--lang", "ru", "--json", cwd=project).stdout)
    assert report["unmatched"] == []
    assert report["previous_matched"] == [
        {"lang": "ru", "source": forum.msgid, "previous": forum.previous_msgid,
         "tmx": "Перевод для прежнего текста.", "action": "filled"}
    ]  # fmt: skip
    after = next(e for e in po(project, "ru") if e.msgid == forum.msgid)
    assert after.msgstr == "Перевод для прежнего текста." and after.fuzzy


def test_four_processes_importing_at_once_lose_no_unit(pg_server, tmp_path) -> None:
    schema = f"kervan_test_{uuid.uuid4().hex[:12]}"
    pg_server.execute(f"CREATE SCHEMA {schema}")
    try:
        url = _with_schema(PG_URL, schema)
        root = copy_project(tmp_path / "shared")
        with open(root / "kervan.toml", "a", encoding="utf-8") as handle:
            handle.write(f'\n[tm]\nurl = "{url}"\n')
        files = []
        for n in range(4):
            pairs = [(f"Haber {n} numaralı cümle {k} ve ortak kelimeler burada.", {"en": f"News {n}.{k}."})
                     for k in range(3000)]  # fmt: skip
            files.append(tmx_file(tmp_path / f"part{n}.tmx", pairs, doc=f"part{n}"))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        runs = [
            subprocess.Popen([sys.executable, "-m", "kervan.cli", "tm", "import", str(path)], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for path in files
        ]  # fmt: skip
        for run in runs:
            _out, err = run.communicate(timeout=300)
            assert run.returncode == 0, err
        stats = json.loads(kervan("tm", "stats", "--json", cwd=root).stdout)
        origins = {o["origin"]: o["units"] for o in stats["origins"]}
        assert [origins[f"kervan-news:tm/part{n}.tmx"] for n in range(4)] == [3000] * 4
        assert stats["units"] == 4 * 3000 + 18
        # Word counts, written by all four at once, are exact: every part holds "ortak" once per unit.
        with open_memory(url, tmp_path / "unused.sqlite3") as memory:
            frequency = memory.document_frequency(["ortak"])["ortak"]
        assert frequency == 4 * 3000 + sum("ortak" in e.msgid.lower().split() for e in po(root, "en"))
    finally:
        pg_server.execute(f"DROP SCHEMA {schema} CASCADE")


def test_imports_searches_and_updates_at_once_lose_no_source(plain_project, tmp_path) -> None:
    # An import indexes its file, then puts it into tm/: a search or an update syncing the index in between
    # must not take the file for a deleted one, and two imports must not write over each other's work.
    root = plain_project
    files = [
        tmx_file(tmp_path / f"part{n}.tmx", [(f"Haber {n} cümle {k} burada.", {"en": f"News {n}.{k}."})
                                              for k in range(2000)], doc=f"part{n}")
        for n in range(4)
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "KERVAN_LOCK_TIMEOUT": "120"}

    def start(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "kervan.cli", *args], cwd=root, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip

    runs = []
    for path in files:
        runs += [start("tm", "import", str(path)), start("tm", "search", "Haber cümle burada.")]
    runs.append(start("update"))
    for run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode in (0, 1) and "Traceback" not in err and "error" not in err, err
    index = open_memory("", root / "build" / ".cache" / "tm.sqlite3")
    try:
        origins = index.origins()
        stats = index.stats()["origins"]
    finally:
        index.close()
    for n in range(4):
        origin = f"kervan-news:tm/part{n}.tmx"
        assert (root / "tm" / f"part{n}.tmx").is_file()
        assert stats[origin] == ("tmx", 2000)
        assert origins[origin][1].count(":") == 1  # the full stamp, with the file's digest: nothing to read again


def test_project_settings(tmp_path) -> None:
    root = copy_project(tmp_path / "p")
    config = root / "kervan.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[tm]\nmin-score = 60\nurl = "mysql://x"\n')
    result = kervan("tm", "stats", cwd=root, ok=False)
    assert result.returncode == 2 and "kervan.toml:" in result.stderr and "PostgreSQL URL" in result.stderr
    config.write_text(config.read_text(encoding="utf-8").replace('url = "mysql://x"\n', ""))
    assert load_project(root).tm_min_score == 60


def test_unreachable_shared_memory_is_one_error_line(plain_project) -> None:
    config = plain_project / "kervan.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[tm]\nurl = "postgresql://nobody@127.0.0.1:1/none"\n')
    result = kervan("update", cwd=plain_project, ok=False)
    assert result.returncode == 2
    assert re.fullmatch(r"kervan: error: kervan\.toml: cannot connect to the translation memory database: .+\n",
                        result.stderr)  # fmt: skip
    assert kervan("update", "--no-tm", cwd=plain_project).returncode == 0
