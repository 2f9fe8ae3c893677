"""PO/POT catalogs, checked against GNU gettext (msgfmt -c, msgcat), Translate Toolkit and polib."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ARTICLE, ARTICLE_ID
from kervan.errors import KervanError
from kervan.formats import po as kpo
from kervan.model import Segment, Unit
from kervan.sources import read_document

REF_FILE = f"sources/{ARTICLE_ID}.txt"
TERMS = "Terms: AEB = EAEU (en) = ЕАЭС (ru)"
WHEN = dt.datetime(2025, 11, 13, 9, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2025, 11, 20, 12, 0, tzinfo=dt.UTC)
FORBIDDEN = "\x00\x04\r\x07\x08\x0b\x0c"
# Strings gettext writes in every special way: quotes of three kinds, backslashes, tabs, inner and final
# newlines, a line far longer than 79 columns.
TRICKY = [
    'Tokayev, “Kazakistan ve Rusya” dedi; "düz tırnak" ve «köşeli tırnak» da var.',
    'Путь C:\\Windows\\system32 и «кавычки» „снизу“ и "прямые".',
    "Sütun\tSütun\tSütun",
    "Birinci satır\nİkinci satır\n\nDördüncü satır",
    "Satır sonu ile biten metin\n",
    "Kazakistan ile Rusya arasındaki kapsamlı stratejik ortaklık ve müttefiklik ilişkileri, " * 3,
]
RUSSIAN = {
    "Tokayev: Stratejik Ortaklık Bildirgesi, Rusya ile işbirliğini güçlendirecek": (
        "Токаев: Декларация о стратегическом партнёрстве укрепит сотрудничество с Россией"
    ),
    TRICKY[0]: 'Токаев сказал: «Казахстан и Россия»; "прямые кавычки" и “английские”.',
    TRICKY[1]: "Path C:\\Windows\\system32 and quotes.",
    TRICKY[2]: "Столбец\tСтолбец\tСтолбец",
    TRICKY[3]: "Первая строка\nВторая строка\n\nЧетвёртая строка",
    TRICKY[4]: "Текст, оканчивающийся переводом строки\n",
}


def article_units() -> list[Unit]:
    """The shipped article cut into sentences (a plain regex here: the segmenter is tested elsewhere)."""
    doc = read_document(ARTICLE, lang="tr", display_path=REF_FILE)
    units = []
    for number, paragraph in enumerate(doc.all_paragraphs(), start=1):
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÇĞİÖŞÜ])", paragraph.text)
        for index, sentence in enumerate(sentences, start=1):
            notes = (TERMS,) if "Avrasya" in sentence or "Rusya" in sentence else ()
            segment = Segment(f"{ARTICLE_ID}:{number}.{index}", sentence, "tr", f"{REF_FILE}:{paragraph.line}")
            units.append(Unit(segment, notes=notes))
    for offset, text in enumerate(TRICKY):
        units.append(Unit(Segment(f"x:{offset}", text, "tr", f"sources/extra.txt:{offset + 1}")))
    return units


def template(units: list[Unit] | None = None, when: dt.datetime = WHEN) -> polib.POFile:
    return kpo.build_template(
        article_units() if units is None else units,
        project_name="kervan-news",
        version="1.0",
        bugs_address="translations@kervan.example",
        copyright_holder="Kervan News",
        source_lang="tr",
        creation_date=when,
    )


def translated(po: polib.POFile) -> polib.POFile:
    """Fill every entry with a Russian rendering (known ones from RUSSIAN, others marked as such)."""
    for entry in po:
        entry.msgstr = RUSSIAN.get(entry.msgid, f"[ru] {entry.msgid}")
    return po


def c_env() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C"}


def msgcat_output(msgcat: str, path: Path) -> str:
    run = subprocess.run([msgcat, "--no-wrap", "--force-po", str(path)], capture_output=True, env=c_env(), check=False)
    assert run.returncode == 0, run.stderr.decode()
    return run.stdout.decode("utf-8")


def msgfmt_check(msgfmt: str, path: Path) -> list[str]:
    """Run `msgfmt -c`; it must succeed. Returns its warnings."""
    run = subprocess.run(
        [msgfmt, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True, env=c_env(), check=False
    )
    assert run.returncode == 0, run.stderr
    return [line for line in run.stderr.splitlines() if line.strip()]


def catalog_with_history(tmp_path: Path) -> tuple[polib.POFile, Path]:
    """A Russian catalog after the article changed: fuzzy entries with #| msgid, obsolete ones, new ones."""
    old_po, _ = kpo.merge(template(), None, "ru")
    translated(old_po)
    units = article_units()
    edited = units[1].source
    units[1] = Unit(Segment(edited.id, edited.text.replace("belirtti", "açıkladı"), "tr", edited.ref))
    del units[3]
    units.append(Unit(Segment("x:new", "Yeni eklenen bir cümle.", "tr", "sources/extra.txt:99")))
    new_po, stats = kpo.merge(template(units, LATER), old_po, "ru")
    assert stats.fuzzy >= 1 and stats.obsoleted >= 1 and stats.added >= 1
    path = tmp_path / "ru.po"
    kpo.write_po(new_po, path)
    return new_po, path


# --- template ---------------------------------------------------------------------------------------------


def test_identical_segments_share_one_entry_and_accumulate_references() -> None:
    first = Segment("d:1.1", "Aynı cümle.", "tr", "sources/a.txt:3")
    other = Segment("d:2.1", "Başka cümle.", "tr", "sources/a.txt:4")
    again = Segment("d:3.1", "Aynı cümle.", "tr", "sources/b.txt:7")
    pot = template([Unit(first, notes=(TERMS,)), Unit(other), Unit(again, notes=(TERMS, "Terms: x = y (en)"))])
    assert [e.msgid for e in pot] == ["Aynı cümle.", "Başka cümle."]
    assert pot[0].occurrences == [("sources/a.txt", "3"), ("sources/b.txt", "7")]
    assert pot[0].comment.split("\n") == [TERMS, "Terms: x = y (en)"]


def test_template_accepts_bare_segments() -> None:
    pot = template([Segment("d:1.1", "Bir.", "tr", "sources/a.txt:1"), Segment("d:1.2", "  ", "tr", "x:2")])
    assert [(e.msgid, e.occurrences) for e in pot] == [("Bir.", [("sources/a.txt", "1")])]


def test_template_header_is_complete(tmp_path: Path) -> None:
    pot = template()
    for field in ("Project-Id-Version", "Report-Msgid-Bugs-To", "POT-Creation-Date", "PO-Revision-Date"):
        assert field in pot.metadata
    for field in ("Last-Translator", "Language-Team", "Language", "MIME-Version", "Content-Transfer-Encoding"):
        assert field in pot.metadata
    assert pot.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert pot.metadata["POT-Creation-Date"] == "2025-11-13 09:30+0000"
    assert pot.metadata["X-Generator"].startswith("Kervan ")
    po, _ = kpo.merge(pot, None, "ru")
    assert po.metadata["Language"] == "ru"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")


def test_source_text_gettext_cannot_hold_is_refused_with_its_location() -> None:
    bad = Segment("d:1.1", "Sayfa\x0csonu", "tr", "sources/a.txt:12")
    with pytest.raises(KervanError) as caught:
        template([Unit(bad)])
    assert (caught.value.path, caught.value.line) == ("sources/a.txt", 12)


# --- GNU gettext accepts and reproduces what we write ----------------------------------------------------


def test_msgfmt_accepts_template_and_catalogs(tmp_path: Path, msgfmt: str) -> None:
    pot_path, po_path = tmp_path / "news.pot", tmp_path / "ru.po"
    pot = template()
    kpo.write_po(pot, pot_path)
    po, _ = kpo.merge(pot, None, "ru")
    kpo.write_po(translated(po), po_path)
    # A template leaves Language empty, as xgettext does; msgfmt notes that and nothing else.
    assert msgfmt_check(msgfmt, pot_path) == [
        f"{pot_path}:7: warning: header field 'Language' still has the initial default value"
    ]
    assert msgfmt_check(msgfmt, po_path) == []
    _, history_path = catalog_with_history(tmp_path)
    assert msgfmt_check(msgfmt, history_path) == []


def test_msgcat_reproduces_template_byte_for_byte(tmp_path: Path, msgcat: str) -> None:
    path = tmp_path / "news.pot"
    kpo.write_po(template(), path)
    assert msgcat_output(msgcat, path) == path.read_text("utf-8")


def test_msgcat_reproduces_catalog_with_fuzzy_previous_and_obsolete(tmp_path: Path, msgcat: str) -> None:
    _, path = catalog_with_history(tmp_path)
    text = path.read_text("utf-8")
    assert "#, fuzzy\n#| msgid " in text and "\n#~ msgid " in text
    assert msgcat_output(msgcat, path) == text
    # Long lines stay whole: the longest message sits on one line.
    assert f'msgid "{kpo._escape(TRICKY[5])}"' in text


def test_translate_toolkit_reads_what_we_write(tmp_path: Path) -> None:
    from translate.storage import pypo

    po, path = catalog_with_history(tmp_path)
    store = pypo.pofile.parsefile(str(path))
    units = [u for u in store.units if not u.isheader()]
    live = [e for e in po if not e.obsolete]
    ours = [(e.msgid, e.msgstr, "fuzzy" in e.flags, [f"{p}:{n}" for p, n in e.occurrences]) for e in live]
    theirs = [(u.source, u.target, u.isfuzzy(), u.getlocations()) for u in units if not u.isobsolete()]
    assert theirs == ours
    assert sum(u.isobsolete() for u in units) == sum(e.obsolete for e in po)
    notes = [u.getnotes("developer") for u in units if not u.isobsolete()]
    assert notes == [e.comment for e in live]


# --- merge --------------------------------------------------------------------------------------------------


def test_merge_keeps_unchanged_translations_flags_and_comments() -> None:
    old, _ = kpo.merge(template(), None, "ru")
    translated(old)
    old[0].tcomment = "Başlık: kısa tutun."
    old[1].flags.append("fuzzy")
    merged, stats = kpo.merge(template(when=LATER), old, "ru")
    assert stats == kpo.MergeStats(kept=len(old))
    for before, after in zip(old, merged, strict=True):
        assert (after.msgid, after.msgstr, after.tcomment) == (before.msgid, before.msgstr, before.tcomment)
        assert after.flags == before.flags


def test_merge_edited_source_becomes_fuzzy_with_previous_msgid_and_old_translation() -> None:
    old = translated(kpo.merge(template(), None, "ru")[0])
    units = article_units()
    edited = units[2].source
    new_text = edited.text.replace("belirtti", "ifade etti")
    units[2] = Unit(Segment(edited.id, new_text, "tr", edited.ref))
    merged, stats = kpo.merge(template(units), old, "ru")
    entry = next(e for e in merged if e.msgid == new_text)
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == edited.text
    assert entry.msgstr == old.find(edited.text).msgstr
    assert stats.fuzzy == 1 and stats.obsoleted == 0
    assert not any(e.obsolete for e in merged)  # the old entry lives on in the fuzzy one


def test_merge_prefers_the_candidate_sharing_a_reference() -> None:
    def unit(text: str, ref: str) -> Unit:
        return Unit(Segment("d:1.1", text, "tr", ref))

    old = translated(
        kpo.merge(
            template(
                [unit("Rusya ile ilişkiler gelişecek.", "s/a.txt:1"), unit("Rusya ile ilişkiler gelişti.", "s/a.txt:5")]
            ),
            None,
            "ru",
        )[0]
    )
    merged, _ = kpo.merge(template([unit("Rusya ile ilişkiler gelişiyor.", "s/a.txt:5")]), old, "ru")
    assert merged[0].previous_msgid == "Rusya ile ilişkiler gelişti."


def test_merge_removed_becomes_obsolete_added_is_untranslated(tmp_path: Path) -> None:
    old = translated(kpo.merge(template(), None, "ru")[0])
    units = article_units()
    gone = units.pop(4).source.text
    units.append(Unit(Segment("x:9", "Tamamen yeni bir cümle eklendi.", "tr", "sources/extra.txt:9")))
    merged, stats = kpo.merge(template(units), old, "ru")
    obsolete = [e for e in merged if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [(gone, old.find(gone).msgstr)]
    added = merged.find("Tamamen yeni bir cümle eklendi.")
    assert added.msgstr == "" and "fuzzy" not in added.flags
    assert (stats.obsoleted, stats.added) == (1, 1)
    # The obsolete entry survives writing and reading, and comes back when its source does.
    kpo.write_po(merged, tmp_path / "ru.po")
    reread = kpo.read_po(tmp_path / "ru.po")
    assert [(e.msgid, e.msgstr) for e in reread if e.obsolete] == [(gone, old.find(gone).msgstr)]
    revived, stats = kpo.merge(template(), reread, "ru")
    assert stats.revived == 1 and not any(e.obsolete for e in revived)
    assert revived.find(gone).msgstr == old.find(gone).msgstr
    # Merging again keeps the obsolete entries that already were.
    again, _ = kpo.merge(template(units), reread, "ru")
    assert [e.msgid for e in again if e.obsolete] == [gone]


def test_merge_dissimilar_text_is_not_fuzzy() -> None:
    old = translated(kpo.merge(template([Unit(Segment("d:1.1", "Bir elma.", "tr", "s/a.txt:1"))]), None, "ru")[0])
    _, stats = kpo.merge(template([Unit(Segment("d:1.1", "Kazakistan ve Rusya.", "tr", "s/a.txt:1"))]), old, "ru")
    assert (stats.fuzzy, stats.added, stats.obsoleted) == (0, 1, 1)


def test_merge_header_keeps_translator_fields_and_updates_creation_date() -> None:
    old = translated(kpo.merge(template(), None, "ru")[0])
    old.metadata["Last-Translator"] = "Anna Petrova <anna@example.ru>"
    old.metadata["Language-Team"] = "Russian <ru@kervan.example>"
    old.metadata["PO-Revision-Date"] = "2025-11-14 08:00+0300"
    old.metadata["X-Poedit-Basepath"] = "."
    old.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    units = [*article_units(), Unit(Segment("x:9", "Yeni.", "tr", "sources/extra.txt:9"))]
    merged, _ = kpo.merge(template(units, LATER), old, "ru")
    for field in ("Last-Translator", "Language-Team", "PO-Revision-Date", "X-Poedit-Basepath"):
        assert merged.metadata[field] == old.metadata[field]
    assert merged.metadata["POT-Creation-Date"] == "2025-11-20 12:00+0000"
    assert merged.metadata["Language"] == "ru"
    # The translator's rule stands (msgmerge keeps it too); CLDR's is only for new catalogs.
    assert merged.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_merging_twice_changes_nothing(tmp_path: Path) -> None:
    first, _ = kpo.merge(template(), None, "ru")
    translated(first)
    path = tmp_path / "ru.po"
    kpo.write_po(first, path)
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    again, _ = kpo.merge(template(when=LATER), kpo.read_po(path), "ru")
    assert again.metadata["POT-Creation-Date"] == first.metadata["POT-Creation-Date"]
    assert kpo.write_po(again, path) is False
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    # The same holds for the template itself.
    pot_path = tmp_path / "news.pot"
    kpo.write_po(template(), pot_path)
    fresh = kpo.keep_creation_date(template(when=LATER), kpo.read_po(pot_path))
    assert kpo.write_po(fresh, pot_path) is False


def test_merge_large_catalogs_uses_the_word_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kpo._FuzzyIndex, "EXHAUSTIVE_PAIRS", 0)
    old = translated(kpo.merge(template(), None, "ru")[0])
    units = [
        Unit(Segment(u.source.id, u.source.text.replace("Tokayev", "Tokayev’in"), "tr", u.source.ref))
        for u in article_units()
    ]
    merged, stats = kpo.merge(template(units), old, "ru")
    changed = sum("Tokayev" in e.msgid for e in old)
    assert stats.fuzzy == changed and changed > 3
    assert all(e.previous_msgid.replace("Tokayev", "Tokayev’in") == e.msgid for e in merged if "fuzzy" in e.flags)


words = st.sampled_from(["Rusya", "Kazakistan", "ortaklık", "bildirge", "güçlü", "iş", "birliği", "yeni", "eski"])
sentences = st.lists(words, min_size=1, max_size=6).map(" ".join)


@st.composite
def old_catalogs(draw: st.DrawFn) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    for number, msgid in enumerate(draw(st.lists(sentences, max_size=12, unique=True))):
        entry = polib.POEntry(msgid=msgid, occurrences=[("s/a.txt", str(draw(st.integers(1, 6))))])
        if draw(st.booleans()):
            entry.msgid_plural = msgid + " (çoğul)"
            entry.msgstr_plural = {i: draw(st.sampled_from(["", f"форма {i} {number}"])) for i in range(3)}
        else:
            entry.msgstr = draw(st.sampled_from(["", f"перевод {number}", f"ещё {msgid}"]))
        entry.flags = draw(st.sampled_from([[], ["fuzzy"]]))
        entry.obsolete = draw(st.booleans()) and bool(entry.msgstr or any(entry.msgstr_plural.values()))
        po.append(entry)
    return po


def translations_of(po: polib.POFile) -> list[str]:
    values = []
    for entry in po:
        values.append(entry.msgstr)
        values.extend(entry.msgstr_plural.values())
    return [v for v in values if v]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=old_catalogs(), new_texts=st.lists(sentences, max_size=12, unique=True), data=st.data())
def test_merge_never_loses_a_translation(old: polib.POFile, new_texts: list[str], data: st.DataObject) -> None:
    # Templates keep some old messages (maybe as plurals now) and bring new ones.
    keep = data.draw(st.lists(st.sampled_from([e.msgid for e in old]), unique=True) if len(old) else st.just([]))
    pot = polib.POFile()
    for text in dict.fromkeys(keep + new_texts):
        entry = polib.POEntry(msgid=text, occurrences=[("s/a.txt", str(data.draw(st.integers(1, 6))))])
        if data.draw(st.booleans()):
            entry.msgid_plural = text + " (çoğul)"
        pot.append(entry)
    merged, _ = kpo.merge(pot, old, "ru")
    found = set(translations_of(merged))
    comments = "\n".join(e.tcomment for e in merged)
    for value in translations_of(old):
        assert value in found or value in comments
    assert [e.msgid for e in merged if not e.obsolete] == [e.msgid for e in pot]
    assert len({(e.msgctxt, e.msgid) for e in merged}) == len(merged)
    reread = kpo.loads_po(kpo.dumps_po(merged))
    assert set(translations_of(reread)) == found


# --- reading: errors ------------------------------------------------------------------------------------------

HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ('msgid "a"\nmsgstr "b\n', 5),  # unterminated string
        ('msgid "a"\nmsgstr "b"\nfoo bar\n', 6),  # stray text
        ('msgid "a"\nmsgstr "b"c"\n', 5),  # unescaped quote
        ('msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 4),  # msgid without msgstr
        ('msgid "a"\nmsgstr "b\\q"\n', 5),  # unknown escape
        ('msgid "a"\nmsgid_plural "as"\nmsgstr "x"\n', 6),  # plural without msgstr[N]
        ('msgctxt "a"\nmsgctxt "b"\nmsgid "a"\nmsgstr "b"\n', 5),  # polib's own syntax error
        ('msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 7),  # duplicate, even obsolete
    ],
)
def test_malformed_po_is_refused_with_its_line(tmp_path: Path, msgfmt: str, body: str, line: int) -> None:
    path = tmp_path / "bad.po"
    path.write_text(HEADER + body, "utf-8")
    with pytest.raises(KervanError) as caught:
        kpo.read_po(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    # GNU gettext refuses the same files.
    run = subprocess.run([msgfmt, "-o", os.devnull, str(path)], capture_output=True, env=c_env(), check=False)
    assert run.returncode != 0


def test_non_utf8_po_is_refused_with_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin.po"
    path.write_bytes(HEADER.encode() + 'msgid "Türkiye"\nmsgstr "Турция"\n'.encode("cp1254", "replace"))
    with pytest.raises(KervanError) as caught:
        kpo.read_po(path)
    assert caught.value.line == 4 and "offset" in caught.value.message


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KervanError) as caught:
        kpo.read_po(tmp_path / "nowhere.po")
    assert caught.value.path == str(tmp_path / "nowhere.po")


def test_bom_and_crlf_are_read(tmp_path: Path) -> None:
    path = tmp_path / "windows.po"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + 'msgid "a"\nmsgstr "b"\n').replace("\n", "\r\n").encode())
    assert [(e.msgid, e.msgstr) for e in kpo.read_po(path)] == [("a", "b")]


# --- round trips ----------------------------------------------------------------------------------------------

any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=25)
safe_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=FORBIDDEN), max_size=25)
file_names = st.one_of(
    st.sampled_from([REF_FILE, "sources/2025-11-14-ekonomi.txt", "./sources/a.txt"]),
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Z"), blacklist_characters=":\\\u2068\u2069"),
        min_size=1,
        max_size=40,
    ),
).filter(lambda name: not any(ch.isspace() for ch in name))
flag_sets = st.lists(
    st.sampled_from(["fuzzy", "python-format", "no-c-format", "python-brace-format", "range: 1..3", "no-wrap"]),
    max_size=3,
)


@st.composite
def po_entries(draw: st.DrawFn, text: st.SearchStrategy[str] = safe_text) -> polib.POEntry:
    entry = polib.POEntry(msgid=draw(text.filter(bool)), msgstr="")
    if draw(st.booleans()):
        entry.msgctxt = draw(text)
    if draw(st.booleans()):
        entry.msgid_plural = draw(text.filter(bool))
        entry.msgstr_plural = {i: draw(text) for i in range(3)}
    else:
        entry.msgstr = draw(text)
    entry.tcomment, entry.comment = draw(text), draw(text)
    entry.occurrences = draw(st.lists(st.tuples(file_names, st.sampled_from(["", "1", "17", "4096"])), max_size=6))
    entry.flags = draw(flag_sets)
    if draw(st.booleans()):
        entry.previous_msgid = draw(text)
        entry.previous_msgctxt = draw(st.one_of(st.none(), text))
    entry.obsolete = draw(st.booleans()) and kpo.entry_status(entry) != "untranslated"
    return entry


def catalog(entries: list[polib.POEntry]) -> polib.POFile:
    po = template([])
    po.metadata["Language"] = "ru"
    po.metadata["Plural-Forms"] = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : 1);"
    for entry in entries:
        po.append(entry)
    return po


unique_entries = st.lists(po_entries(), max_size=5, unique_by=lambda e: (e.msgctxt, e.msgid))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=unique_entries)
def test_msgcat_reproduces_any_catalog(tmp_path_factory: pytest.TempPathFactory, msgcat: str, entries: list) -> None:
    path = tmp_path_factory.mktemp("cat") / "any.po"
    kpo.write_po(catalog(entries), path)
    assert msgcat_output(msgcat, path) == path.read_text("utf-8")


@settings(max_examples=200, deadline=None)
@given(entries=unique_entries)
def test_write_read_round_trip(entries: list) -> None:
    text = kpo.dumps_po(catalog(entries))
    back = kpo.loads_po(text)
    assert kpo.dumps_po(back) == text
    in_file_order = [e for e in entries if not e.obsolete] + [e for e in entries if e.obsolete]
    for ours, theirs in zip(in_file_order, back, strict=True):
        fields = ("msgid", "msgctxt", "msgstr", "msgid_plural", "previous_msgid")
        assert [getattr(theirs, f) for f in fields] == [getattr(ours, f) for f in fields]
        assert bool(theirs.obsolete) == ours.obsolete
        assert theirs.msgstr_plural == ours.msgstr_plural
        refs = [(re.sub(r"^(\./)+", "", p), n) for p, n in ours.occurrences]  # gettext drops "./"
        assert theirs.occurrences == list(dict.fromkeys((p, n) for p, n in refs if p))


@settings(max_examples=200, deadline=None)
@given(value=any_text)
def test_arbitrary_text_round_trips_or_is_refused(value: str) -> None:
    po = catalog([polib.POEntry(msgid="x" + value, msgstr=value, msgctxt=value)])
    if any(ch in FORBIDDEN for ch in value):
        with pytest.raises(KervanError):
            kpo.dumps_po(po)
        return
    (back,) = kpo.loads_po(kpo.dumps_po(po))
    assert (back.msgid, back.msgstr, back.msgctxt) == ("x" + value, value, value)


def test_file_names_with_spaces_are_quoted_and_read_back() -> None:
    entry = polib.POEntry(msgid="a", msgstr="", occurrences=[("sources/my article.txt", "3"), ("b.txt", "1")])
    text = kpo.dumps_po(catalog([entry]))
    assert "#: \u2068sources/my article.txt\u2069:3 b.txt:1\n" in text
    assert kpo.loads_po(text)[0].occurrences == [("sources/my article.txt", "3"), ("b.txt", "1")]


# --- statistics ------------------------------------------------------------------------------------------------


def test_catalog_stats_count_as_msgfmt_does(tmp_path: Path, msgfmt: str) -> None:
    po, path = catalog_with_history(tmp_path)
    po[0].msgstr = ""
    kpo.write_po(po, path)
    stats = kpo.catalog_stats(po)
    run = subprocess.run(
        [msgfmt, "--statistics", "-o", os.devnull, str(path)], capture_output=True, text=True, env=c_env(), check=True
    )
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", run.stderr)}
    assert {k: stats[k] for k in ("translated", "fuzzy", "untranslated")} == {
        "translated": counts.get("translated", 0),
        "fuzzy": counts.get("fuzzy", 0),
        "untranslated": counts.get("untranslated", 0),
    }
    assert stats["obsolete"] == sum(e.obsolete for e in po)
    assert stats["words"] == stats["words_translated"] + stats["words_fuzzy"] + stats["words_untranslated"] > 0


def test_po_units_give_segments_targets_and_status(tmp_path: Path) -> None:
    po, _ = catalog_with_history(tmp_path)
    units = list(kpo.po_units(po, source_lang="tr", target_lang="ru"))
    live = [e for e in po if not e.obsolete]
    assert [u.source.text for u in units] == [e.msgid for e in live]
    assert [u.status["ru"] for u in units] == [kpo.entry_status(e) for e in live]
    first = units[0]
    assert first.source.ref == f"{REF_FILE}:1" and first.targets["ru"] == RUSSIAN[first.source.text]
