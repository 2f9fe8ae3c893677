"""MO files, checked against GNU msgfmt/msgunfmt, Python's gettext module and glibc's own lookup."""

from __future__ import annotations

import gettext
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kervan.errors import KervanError
from kervan.formats import mo as kmo
from kervan.formats import po as kpo
from kervan.locales import plural_forms

FORBIDDEN = "\x00\x04\r\x07\x08\x0b\x0c"


def ru_catalog() -> polib.POFile:
    """Every kind of message: plain, quoted, multi-line, plural (3 Russian forms), with context, fuzzy,
    untranslated, and a plural whose first form is empty."""
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": "kervan-news 1.0",
        "POT-Creation-Date": "2025-11-13 09:30+0000",
        "Language": "ru",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms("ru"),
    }
    po.metadata_is_fuzzy = ["fuzzy"]  # msgfmt keeps the header all the same

    def add(msgid: str, msgstr: str = "", **extra: object) -> None:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, **extra))

    add("Tokayev: Stratejik Ortaklık Bildirgesi", "Токаев: Декларация о стратегическом партнёрстве")
    add('Tokayev, “Kazakistan ve Rusya” dedi; "düz" «köşeli»', 'Токаев сказал: «Казахстан и Россия»; "прямые"')
    add("Birinci satır\nİkinci satır\tsekme \\ ters bölü", "Первая строка\nВторая строка\tтаб \\ обратный слеш")
    add("Bildirge", "Декларация", msgctxt="başlık")
    add("Bildirge", "декларация", msgctxt="metin")
    add("Bildirge", "декларация (без контекста)")
    add("Eski çeviri", "Старый перевод", flags=["fuzzy"])
    add("Çevrilmemiş cümle")
    add("𝔸strál ve e\u0301 birleşik", "𝔸страл и е\u0301 комбинированный")
    po.append(
        polib.POEntry(
            msgid="{n} ülke",
            msgid_plural="{n} ülke (çoğul)",
            msgstr_plural={0: "{n} страна", 1: "{n} страны", 2: "{n} стран"},
        )
    )
    po.append(
        polib.POEntry(
            msgid="{n} gün",
            msgid_plural="{n} gün (çoğul)",
            msgctxt="süre",
            msgstr_plural={0: "{n} день", 1: "{n} дня", 2: "{n} дней"},
        )
    )
    po.append(polib.POEntry(msgid="{n} yıl", msgid_plural="{n} yıl", msgstr_plural={0: "", 1: "года", 2: "лет"}))
    po.append(polib.POEntry(msgid="Kaldırıldı", msgstr="Удалено", obsolete=True))
    return po


def c_env() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C"}


def msgfmt_compile(msgfmt: str, po: polib.POFile, folder: Path, *options: str) -> tuple[bytes, str]:
    """msgfmt's MO bytes for the catalog, and its --statistics line."""
    source, target = folder / "ref.po", folder / "ref.mo"
    kpo.write_po(po, source)
    run = subprocess.run(
        [msgfmt, "--statistics", *options, "-o", str(target), str(source)],
        capture_output=True,
        text=True,
        env=c_env(),
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return target.read_bytes(), run.stderr.strip()


def test_python_gettext_translates_every_entry(tmp_path: Path) -> None:
    path = tmp_path / "news.mo"
    stats = kmo.write_mo(ru_catalog(), path)
    with path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.info()["language"] == "ru"
    for entry in ru_catalog():
        if entry.obsolete or entry.msgid_plural or not entry.msgstr or "fuzzy" in entry.flags:
            continue
        if entry.msgctxt is None:
            assert catalog.gettext(entry.msgid) == entry.msgstr
        else:
            assert catalog.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
    assert [catalog.ngettext("{n} ülke", "{n} ülke (çoğul)", n) for n in (1, 3, 5, 21, 22, 11)] == [
        "{n} страна",
        "{n} страны",
        "{n} стран",
        "{n} страна",
        "{n} страны",
        "{n} стран",
    ]
    assert catalog.npgettext("süre", "{n} gün", "{n} gün (çoğul)", 2) == "{n} дня"
    # Fuzzy, untranslated, obsolete and empty-first-form messages fall back to the source.
    for msgid in ("Eski çeviri", "Çevrilmemiş cümle", "Kaldırıldı"):
        assert catalog.gettext(msgid) == msgid
    assert catalog.ngettext("{n} yıl", "{n} yıl", 5) == "{n} yıl"
    assert (stats.translated, stats.fuzzy, stats.untranslated, stats.written) == (9, 1, 2, 10)


def test_fuzzy_entries_on_request(tmp_path: Path) -> None:
    path = tmp_path / "news.mo"
    stats = kmo.write_mo(ru_catalog(), path, use_fuzzy=True)
    with path.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Eski çeviri") == "Старый перевод"
    assert stats.written == 11  # header, 9 translated, 1 fuzzy


def test_gettext_translation_finds_the_compiled_locale_tree(tmp_path: Path) -> None:
    kmo.write_mo(ru_catalog(), tmp_path / "ru" / "LC_MESSAGES" / "news.mo")
    catalog = gettext.translation("news", localedir=tmp_path, languages=["ru"])
    assert catalog.gettext("Bildirge") == "декларация (без контекста)"


@pytest.mark.parametrize("use_fuzzy", [False, True])
def test_identical_to_msgfmt(tmp_path: Path, msgfmt: str, use_fuzzy: bool) -> None:
    po = ru_catalog()
    data, stats = kmo.compile_mo(po, use_fuzzy=use_fuzzy)
    reference, statistics = msgfmt_compile(msgfmt, po, tmp_path, *(["--use-fuzzy"] if use_fuzzy else []))
    assert data == reference
    assert stats.summary() == statistics
    # Read back by an independent reader, the two files hold the same catalog.
    ours = gettext.GNUTranslations(io.BytesIO(data))
    theirs = gettext.GNUTranslations(io.BytesIO(reference))
    assert ours._catalog == theirs._catalog  # type: ignore[attr-defined]


def test_msgunfmt_reads_our_file_as_msgfmt_output(tmp_path: Path, msgfmt: str) -> None:
    msgunfmt = shutil.which("msgunfmt")
    assert msgunfmt, "msgunfmt comes with msgfmt"
    kmo.write_mo(ru_catalog(), tmp_path / "ours.mo")
    reference, _ = msgfmt_compile(msgfmt, ru_catalog(), tmp_path)
    (tmp_path / "theirs.mo").write_bytes(reference)
    texts = [
        subprocess.run([msgunfmt, str(tmp_path / name)], capture_output=True, env=c_env(), check=True).stdout
        for name in ("ours.mo", "theirs.mo")
    ]
    assert texts[0] == texts[1]
    messages = {(e.msgctxt, e.msgid) for e in kpo.loads_po(texts[0].decode())}
    assert ("metin", "Bildirge") in messages and (None, "{n} ülke") in messages


def test_glibc_finds_every_message_through_the_hash_table(tmp_path: Path) -> None:
    """glibc looks strings up by the hash table (Python's gettext ignores it): ask it for each message."""
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru", "Plural-Forms": plural_forms("ru")}
    for number in range(600):
        po.append(polib.POEntry(msgid=f"Cümle {number} «Rusya»", msgstr=f"Предложение {number}"))
    po.append(polib.POEntry(msgid="Bildirge", msgctxt="başlık", msgstr="Декларация"))
    kmo.write_mo(po, tmp_path / "ru" / "LC_MESSAGES" / "news.mo")
    script = textwrap.dedent(
        """
        import ctypes, json, sys
        libc = ctypes.CDLL(None)
        libc.setlocale.restype = ctypes.c_char_p
        if not libc.setlocale(6, b"C.UTF-8"):
            sys.exit(3)
        libc.dcgettext.restype = ctypes.c_char_p
        libc.bindtextdomain(b"news", sys.argv[1].encode())
        keys = json.loads(sys.stdin.read())
        print(json.dumps([libc.dcgettext(b"news", k.encode(), 5).decode() for k in keys]))
        """
    )
    keys = [e.msgid for e in po if e.msgctxt is None] + ["başlık\x04Bildirge", "Yok böyle bir cümle"]
    env = {**os.environ, "LANGUAGE": "ru", "LC_ALL": "C.UTF-8"}
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        input=json.dumps(keys),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if run.returncode == 3 or not sys.platform.startswith("linux"):
        pytest.skip("needs glibc and its C.UTF-8 locale")
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert found == [e.msgstr for e in po if e.msgctxt is None] + ["Декларация", "Yok böyle bir cümle"]


def test_read_mo_gives_back_the_catalog(tmp_path: Path, msgfmt: str) -> None:
    expected = {(e.msgctxt, e.msgid): (e.msgstr, dict(e.msgstr_plural)) for e in ru_catalog()}
    for options in ([], ["--endianness=big"]):
        reference, _ = msgfmt_compile(msgfmt, ru_catalog(), tmp_path, *options)
        (tmp_path / "theirs.mo").write_bytes(reference)
        back = kmo.read_mo(tmp_path / "theirs.mo")
        assert back.metadata["Language"] == "ru" and "POT-Creation-Date" not in back.metadata
        for entry in back:
            msgstr, plural = expected[(entry.msgctxt, entry.msgid)]
            assert (entry.msgstr, entry.msgstr_plural) == (msgstr, plural)
        assert len(back) == 9


def test_bad_mo_files_are_errors(tmp_path: Path) -> None:
    for name, data in [("short.mo", b"\xde\x12"), ("magic.mo", b"\x00" * 40)]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(KervanError):
            kmo.read_mo(tmp_path / name)
    data, _ = kmo.compile_mo(ru_catalog())
    (tmp_path / "cut.mo").write_bytes(data[:200])
    with pytest.raises(KervanError, match="truncated"):
        kmo.read_mo(tmp_path / "cut.mo")
    with pytest.raises(KervanError):
        kmo.read_mo(tmp_path / "missing.mo")


def test_duplicates_and_nul_are_refused() -> None:
    twice = [polib.POEntry(msgid="a", msgstr="b"), polib.POEntry(msgid="a", msgstr="c")]
    with pytest.raises(KervanError, match="duplicate"):
        kmo.compile_mo(twice)
    with pytest.raises(KervanError):
        kmo.compile_mo([polib.POEntry(msgid="a", msgstr="b\x00c")])


def test_no_hash_table_is_still_a_valid_file(tmp_path: Path) -> None:
    data, _ = kmo.compile_mo(ru_catalog(), hash_table=False)
    catalog = gettext.GNUTranslations(io.BytesIO(data))
    assert catalog.gettext("Bildirge") == "декларация (без контекста)"


def test_hash_table_sizes_follow_msgfmt() -> None:
    assert [kmo.hash_table_size(n) for n in (0, 1, 2, 3, 6, 12, 16)] == [3, 3, 5, 5, 11, 17, 23]


text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=FORBIDDEN), max_size=20)


@st.composite
def catalogs(draw: st.DrawFn) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": plural_forms("ru")}
    keys = draw(st.lists(st.tuples(st.one_of(st.none(), text), text.filter(bool)), max_size=40, unique=True))
    for context, msgid in keys:
        entry = polib.POEntry(msgid=msgid, msgctxt=context, msgstr="")
        if draw(st.booleans()):
            entry.msgid_plural = same_newlines(msgid, draw(text)) or same_newlines(msgid, "çoğul")
            forms = [same_newlines(msgid, draw(text)) for _ in range(3)]
            # A partly empty plural entry is one msgfmt rejects when the msgid starts with a newline.
            entry.msgstr_plural = dict(enumerate(forms if all(forms) else ["", "", ""]))
        else:
            entry.msgstr = same_newlines(msgid, draw(text))
        entry.flags = draw(st.sampled_from([[], ["fuzzy"]]))
        po.append(entry)
    return po


def same_newlines(model: str, text: str) -> str:
    """msgfmt refuses a translation that does not start and end with a newline as its msgid does."""
    core = text.strip("\n")
    if not core:
        return ""
    return "\n" * model.startswith("\n") + core + "\n" * model.endswith("\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(po=catalogs(), use_fuzzy=st.booleans())
def test_any_catalog_compiles_exactly_as_msgfmt(
    tmp_path_factory: pytest.TempPathFactory, msgfmt: str, po: polib.POFile, use_fuzzy: bool
) -> None:
    folder = tmp_path_factory.mktemp("mo")
    data, stats = kmo.compile_mo(po, use_fuzzy=use_fuzzy)
    reference, statistics = msgfmt_compile(msgfmt, po, folder, *(["--use-fuzzy"] if use_fuzzy else []))
    assert data == reference
    assert stats.summary() == statistics
    assert re.match(r"\d+ translated message", statistics)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(po=catalogs(), use_fuzzy=st.booleans())
def test_a_po_file_written_as_mo_as_it_is_laid_out_is_msgfmts(
    tmp_path_factory: pytest.TempPathFactory, msgfmt: str, po: polib.POFile, use_fuzzy: bool
) -> None:
    # The compile job writes the MO file while laying it out (never whole in memory): the same bytes as
    # msgfmt's, and an unchanged file is left alone.
    folder = tmp_path_factory.mktemp("stream")
    source = folder / "c.po"
    kpo.write_po(po, source)
    reference, statistics = msgfmt_compile(msgfmt, po, folder, *(["--use-fuzzy"] if use_fuzzy else []))
    target = folder / "c.mo"
    changed, stats = kmo.write_po_as_mo(source, target, use_fuzzy=use_fuzzy)
    assert changed and target.read_bytes() == reference == kmo.compile_po(source, use_fuzzy=use_fuzzy)[0]
    assert stats.summary() == statistics
    before = target.stat().st_mtime_ns, target.stat().st_ino
    assert kmo.write_po_as_mo(source, target, use_fuzzy=use_fuzzy)[0] is False
    assert (target.stat().st_mtime_ns, target.stat().st_ino) == before
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_a_large_catalog_is_written_in_chunks_to_the_same_bytes(tmp_path: Path, msgfmt: str) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    for number in range(2 * kmo._STRINGS_AT_ONCE + 7):  # chunk boundaries crossed on both string tables
        po.append(polib.POEntry(msgid=f"message {number}", msgstr=f"сообщение {number}" if number % 5 else ""))
    source = tmp_path / "big.po"
    kpo.write_po(po, source)
    subprocess.run([msgfmt, "-o", str(tmp_path / "gnu.mo"), str(source)], check=True)
    changed, stats = kmo.write_po_as_mo(source, tmp_path / "big.mo")
    assert changed and stats.written == len([e for e in po if e.msgstr]) + 1  # and the header
    assert (tmp_path / "big.mo").read_bytes() == (tmp_path / "gnu.mo").read_bytes()


def test_an_unchanged_mo_file_is_compared_before_anything_is_written(tmp_path: Path) -> None:
    # Not even a temp file beside it: a folder that cannot be written to (or a full disk) still compiles an
    # up-to-date catalog, and the folder itself is left as it was.
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    for number in range(1200):
        po.append(polib.POEntry(msgid=f"message {number}", msgstr=f"сообщение {number}"))
    source, target = tmp_path / "c.po", tmp_path / "out" / "c.mo"
    kpo.write_po(po, source)
    assert kmo.write_po_as_mo(source, target)[0] is True
    folder_before, file_before = target.parent.stat().st_mtime_ns, target.stat()
    assert kmo.write_po_as_mo(source, target)[0] is False
    assert target.parent.stat().st_mtime_ns == folder_before
    assert (target.stat().st_ino, target.stat().st_mtime_ns) == (file_before.st_ino, file_before.st_mtime_ns)
    # The same size, other bytes (one translation changed in a late chunk): replaced.
    good = target.read_bytes()
    po[1100].msgstr = po[1100].msgstr.replace("сообщение", "собщениее")
    kpo.write_po(po, source)
    assert kmo.write_po_as_mo(source, target)[0] is True
    assert len(target.read_bytes()) == len(good) and target.read_bytes() != good
    assert target.read_bytes() == kmo.compile_po(source)[0]
