"""TMX 1.4b writer and reader, checked against the official DTD/XSD, xmllint and Translate Toolkit."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import ARTICLE, ARTICLE_ID, DATA
from kervan.errors import KervanError
from kervan.formats.tmx import (
    TmxReader,
    TmxUnit,
    format_tmx_date,
    iter_tmx,
    iter_units,
    match_lang,
    normalize_lang,
    open_tmx,
    parse_tmx_date,
    read_header,
    read_tmx,
    to_unit,
    write_tmx,
)
from kervan.model import Segment, Unit
from kervan.sources import read_document

FIXTURES = DATA / "tmx"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WHEN = dt.datetime(2025, 11, 13, 9, 30, 5, tzinfo=dt.UTC)
TRICKY = "  two  spaces, <tag> & \"quotes\" 'apos' ]]> \t tab\nnewline\r\ncrlf  "


def article_units() -> list[Unit]:
    """One unit per paragraph of the shipped article, with made-up but distinct targets."""
    doc = read_document(ARTICLE, lang="tr")
    units = []
    for number, para in enumerate(doc.all_paragraphs(), 1):
        seg = Segment(f"{doc.id}:{number}.1", para.text, "tr", f"sources/{ARTICLE.name}:{para.line}", number, 1)
        targets = {"en": f"[en {number}] {para.text[:40]}", "ru": f"[ru {number}] Перевод абзаца"}
        notes = ("checked by the editor",) if number == 1 else ()
        units.append(Unit(seg, targets, notes))
    units.append(Unit(Segment(f"{ARTICLE_ID}:99.1", TRICKY, "tr", "sources/x.txt:9"), {"en": TRICKY, "ru": ""}))
    return units


def tmx_bytes(units: list[Unit], **options: object) -> bytes:
    buffer = io.BytesIO()
    options.setdefault("srclang", "tr")
    options.setdefault("langs", ["en", "ru"])
    options.setdefault("creationdate", WHEN)
    write_tmx(units, buffer, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


def parse_plain(data: bytes) -> etree._ElementTree:
    """An independent parse with stock lxml (no DTD loading), for validation and inspection."""
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    return etree.fromstring(data, parser).getroottree()


@pytest.fixture(scope="module")
def article_tmx() -> bytes:
    return tmx_bytes(article_units(), props={"x-project": "kervan-tests"})


# ----------------------------------------------------------------------------------- writer vs. the standard


def test_output_is_valid_against_the_official_dtd(article_tmx: bytes, schema_dir: Path) -> None:
    dtd = etree.DTD(str(schema_dir / "tmx14.dtd"))
    tree = parse_plain(article_tmx)
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    assert tree.docinfo.doctype == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    assert tree.docinfo.xml_version == "1.0" and tree.docinfo.encoding == "UTF-8"
    assert article_tmx.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')


def test_output_is_valid_against_the_official_xsd_offline(article_tmx: bytes, schema_dir: Path) -> None:
    # The XSD imports xml.xsd by a relative schemaLocation: it resolves beside tmx14.xsd, never on the network.
    parser = etree.XMLParser(no_network=True)
    schema = etree.XMLSchema(etree.parse(str(schema_dir / "tmx14.xsd"), parser))
    tree = parse_plain(article_tmx)
    assert schema.validate(tree), schema.error_log.filter_from_errors()


def test_header_carries_every_attribute_the_dtd_requires(article_tmx: bytes, schema_dir: Path) -> None:
    dtd = etree.DTD(str(schema_dir / "tmx14.dtd"))
    header_decl = next(e for e in dtd.iterelements() if e.name == "header")
    required = {a.name for a in header_decl.iterattributes() if a.default == "required"}
    assert required == {"creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"}
    header = parse_plain(article_tmx).getroot().find("header")
    assert header is not None
    assert required <= set(header.attrib)
    assert header.get("creationdate") == "20251113T093005Z"
    assert [(p.get("type"), p.text) for p in header.findall("prop")] == [("x-project", "kervan-tests")]


def test_xmllint_validates_against_dtd_and_xsd(
    article_tmx: bytes, schema_dir: Path, xmllint: str, tmp_path: Path
) -> None:
    target = tmp_path / "out.tmx"
    target.write_bytes(article_tmx)
    for check in (["--dtdvalid", str(schema_dir / "tmx14.dtd")], ["--schema", str(schema_dir / "tmx14.xsd")]):
        run = subprocess.run(
            [xmllint, "--noout", "--nonet", *check, str(target)], capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, run.stderr


def test_translate_toolkit_reads_every_unit(article_tmx: bytes) -> None:
    from translate.storage.tmx import tmxfile

    units = article_units()
    for lang in ("en", "ru"):
        store = tmxfile(io.BytesIO(article_tmx), targetlanguage=lang)
        assert store.sourcelanguage == "tr"
        read = [u for u in store.units if not u.isheader()]
        assert len(read) == len(units)
        for ours, theirs in zip(units, read, strict=True):
            assert theirs.getid() == ours.source.id
            assert theirs.source == ours.source.text
            # An empty target is left out of the TMX, which Translate Toolkit reports as no target.
            assert (theirs.target or "") == ours.targets[lang]
            assert theirs.getnotes() == "\n".join(ours.notes)


def test_units_carry_document_and_reference_props(article_tmx: bytes) -> None:
    body = parse_plain(article_tmx).getroot().find("body")
    assert body is not None
    units = article_units()
    for unit, tu in zip(units, body.iterfind("tu"), strict=True):
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props == {"x-document": ARTICLE_ID, "x-reference": unit.source.ref}
        assert tu.find("tuv").get(XML_LANG) == "tr"  # type: ignore[union-attr]


def test_seg_text_is_exact(article_tmx: bytes) -> None:
    tree = parse_plain(article_tmx)
    tu = tree.getroot().find("body/tu[@tuid='" + ARTICLE_ID + ":99.1']")
    assert tu is not None
    segs = {tuv.get(XML_LANG): tuv.find("seg") for tuv in tu.findall("tuv")}
    assert set(segs) == {"tr", "en"}  # the empty Russian target is left out
    for seg in segs.values():
        assert seg is not None and len(seg) == 0
        assert seg.text == TRICKY


def test_empty_segment_id_without_colon_and_no_reference() -> None:
    data = tmx_bytes([Unit(Segment("plain", "", "tr", ""), {"en": "x"})])
    tu = parse_plain(data).getroot().find("body/tu")
    assert tu is not None
    assert tu.get("tuid") == "plain" and tu.findall("prop") == []
    assert [seg.text or "" for seg in tu.iter("seg")] == ["", "x"]


def test_creationdate_is_utc() -> None:
    istanbul = dt.timezone(dt.timedelta(hours=3))
    assert format_tmx_date(dt.datetime(2025, 11, 13, 1, 2, 3, tzinfo=istanbul)) == "20251112T220203Z"
    assert format_tmx_date(dt.datetime(2025, 11, 13, 1, 2, 3)) == "20251113T010203Z"
    assert parse_tmx_date("20251112T220203Z") == dt.datetime(2025, 11, 12, 22, 2, 3, tzinfo=dt.UTC)
    assert parse_tmx_date("2025-11-12") is None


def test_source_date_epoch_makes_output_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763000000")
    first = tmx_bytes(article_units(), creationdate=None)
    second = tmx_bytes(article_units(), creationdate=None)
    assert first == second
    assert b'creationdate="20251113T021320Z"' in first


def test_fuzzy_and_unwanted_targets_are_left_out() -> None:
    unit = Unit(
        Segment("d:1.1", "Kaynak", "tr", ""),
        {"EN": "Target", "ru": "Нечётко", "de": "Ziel"},
        status={"ru": "fuzzy"},
    )
    langs = lambda data: [tuv.get(XML_LANG) for tuv in parse_plain(data).getroot().iter("tuv")]  # noqa: E731
    assert langs(tmx_bytes([unit], langs=["en", "ru"])) == ["tr", "en"]
    assert langs(tmx_bytes([unit], langs=["en", "ru"], include_fuzzy=True)) == ["tr", "en", "ru"]
    assert langs(tmx_bytes([unit], langs=["de"])) == ["tr", "de"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"srclang": "tr", "langs": ["en", "TR"]}, "is the source language"),
        ({"srclang": "*all*"}, "concrete source language"),
        ({"segtype": "chapter"}, "segtype must be one of"),
        ({"props": {"x-bad": "a\x07b"}}, r"TMX header: prop .x-bad. contains U\+0007"),
    ],
)
def test_bad_options_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(KervanError, match=message):
        tmx_bytes(article_units(), **options)


def test_source_language_must_match_srclang() -> None:
    with pytest.raises(KervanError, match=r"'d:1\.1': source language 'en'"):
        tmx_bytes([Unit(Segment("d:1.1", "Text", "en", ""))])


@pytest.mark.parametrize(
    ("unit", "where", "char"),
    [
        (Unit(Segment("d:1.1", "bell\x07", "tr", "")), "the source text", "U+0007"),
        (Unit(Segment("d:1.2", "ok", "tr", ""), {"en": "nul\x00"}), "the en target", "U+0000"),
        (Unit(Segment("d:1.3", "ok", "tr", ""), {"ru": "\ud800"}), "the ru target", "U+D800"),
        (Unit(Segment("d:1.4", "ok", "tr", ""), notes=("\ufffe",)), "a note", "U+FFFE"),
        (Unit(Segment("d:1.5", "ok", "tr", "file\x1b")), "the reference", "U+001B"),
    ],
)
def test_characters_xml_cannot_carry_are_refused(unit: Unit, where: str, char: str, tmp_path: Path) -> None:
    target = tmp_path / "out.tmx"
    target.write_bytes(b"previous content")
    with pytest.raises(KervanError) as caught:
        write_tmx([*article_units()[:3], unit], target, srclang="tr", langs=["en", "ru"])
    assert f"unit {unit.source.id!r}" in str(caught.value)
    assert where in str(caught.value) and char in str(caught.value)
    # Atomic: the old file is untouched and no temp file is left behind.
    assert target.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tmx"]


def test_path_output_is_written_atomically_and_read_back(tmp_path: Path) -> None:
    target = tmp_path / "build" / "tm.tmx"
    units = article_units()
    assert write_tmx(iter(units), target, srclang="tr", langs=["en", "ru"], creationdate=WHEN) == len(units)
    assert [p.name for p in target.parent.iterdir()] == ["tm.tmx"]
    assert [u.source.text for u in iter_units(target)] == [u.source.text for u in units]


def test_writer_streams_units_as_they_come() -> None:
    """Units are consumed one at a time: output exists before the iterable is exhausted."""
    buffer = io.BytesIO()
    seen_sizes = []

    def produce() -> Iterator[Unit]:
        for n in range(3000):
            seen_sizes.append(buffer.tell())
            yield Unit(Segment(f"d:{n}.1", f"Cümle {n}", "tr", ""), {"en": f"Sentence {n}"})

    assert write_tmx(produce(), buffer, srclang="tr", langs=["en"]) == 3000
    assert 0 < seen_sizes[-1] < buffer.tell()


# ----------------------------------------------------------------------------------- round trips


def test_round_trip_of_the_article(article_tmx: bytes) -> None:
    doc = read_tmx(io.BytesIO(article_tmx), label="article.tmx")
    assert doc.header.srclang == "tr" and doc.header.version == "1.4"
    assert doc.header.props == (("x-project", "kervan-tests"),)
    expected = article_units()
    assert len(doc.units) == len(expected)
    for tmx_unit, unit in zip(doc.units, expected, strict=True):
        assert tmx_unit.warnings == ()
        back = to_unit(tmx_unit)
        assert back is not None
        assert back.source.id == unit.source.id and back.source.ref == unit.source.ref
        assert back.source.text == unit.source.text
        assert dict(back.targets) == {k: v for k, v in unit.targets.items() if v}
        assert back.notes == unit.notes


def test_documents_read_twice_are_equal_by_value(article_tmx: bytes) -> None:
    first = read_tmx(io.BytesIO(article_tmx), label="article.tmx")
    second = read_tmx(io.BytesIO(article_tmx), label="article.tmx")
    assert first == second and first is not second and first.units[0] is not second.units[0]
    unit = first.units[0]
    assert unit.replace(line=unit.line + 1) != unit
    assert first.replace(units=first.units[1:]) != first
    assert first.header.replace(srclang="en") != second.header
    assert repr(unit).startswith(f"TmxUnit(tuid={unit.tuid!r}, variants={dict(unit.variants)!r}, props=")
    bare = TmxUnit(tuid=None, variants={"tr": "Bir."})
    assert (bare.props, bare.notes, bare.line, bare.srclang, bare.warnings) == ((), (), 0, None, ())


def _carriable(char: str) -> bool:
    code = ord(char)
    return char in "\t\n\r" or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


# Arbitrary Unicode that XML 1.0 can carry, with XML specials, bidi and combining marks and an astral
# character made frequent; in about half the examples one field also gets a character it cannot carry.
_SPECIAL = list("<>&\"' \t\r\n\u200f\u0301\U0001f600")
_NOT_CARRIABLE = "".join(chr(c) for c in [*range(0x20), 0xFFFE, 0xFFFF] if not _carriable(chr(c)))
_TEXT = st.text(st.characters(codec="utf-8", exclude_characters=_NOT_CARRIABLE) | st.sampled_from(_SPECIAL))
_FIELDS = ("uid", "source", "en", "ru", "note", "ref")
_POISON = st.none() | st.tuples(
    st.sampled_from(_FIELDS),
    st.integers(min_value=0),
    st.sampled_from(["\x00", "\x01", "\x08", "\x0b", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.fixed_dictionaries({name: _TEXT for name in _FIELDS}), poison=_POISON)
def test_arbitrary_text_round_trips_or_is_refused(texts: dict[str, str], poison: tuple[str, int, str] | None) -> None:
    if poison is not None:
        name, at, char = poison
        at %= len(texts[name]) + 1
        texts[name] = texts[name][:at] + char + texts[name][at:]
    uid, source, en, ru, note, ref = (texts[name] for name in _FIELDS)
    unit = Unit(Segment(uid, source, "tr", ref), {"en": en, "ru": ru}, (note,))
    buffer = io.BytesIO()
    event("refused" if poison else "round trip")
    if poison is not None:
        with pytest.raises(KervanError, match=r"^unit .+: .* contains U\+[0-9A-F]{4} at position \d+") as caught:
            write_tmx([unit], buffer, srclang="tr", langs=["en", "ru"])
        assert repr(uid) in str(caught.value) and f"U+{ord(poison[2]):04X}" in str(caught.value)
        return
    write_tmx([unit], buffer, srclang="tr", langs=["en", "ru"])
    buffer.seek(0)
    (back,) = iter_tmx(buffer)
    assert back.warnings == ()
    assert back.tuid == (uid or None)
    assert back.variants == {"tr": source} | {k: v for k, v in (("en", en), ("ru", ru)) if v}
    assert back.notes == (note,)
    assert back.prop("x-reference") == (ref or None)
    assert back.prop("x-document") == (uid.split(":", 1)[0] if ":" in uid and uid.split(":", 1)[0] else None)


def _lxml_reference(unit: Unit, langs: list[str]) -> bytes:
    """The TMX of one unit built as an lxml tree and serialized by libxml2: an independent serializer."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", creationtool="Kervan")
    body = etree.SubElement(root, "body")
    tu = etree.SubElement(body, "tu", tuid=unit.source.id)
    for note in unit.notes:
        etree.SubElement(tu, "note").text = note
    document, colon, _ = unit.source.id.partition(":")
    for kind, value in (("x-document", document if colon else ""), ("x-reference", unit.source.ref)):
        if value:
            etree.SubElement(tu, "prop", type=kind).text = value
    for lang, text in [("tr", unit.source.text), *((lang, unit.targets[lang]) for lang in langs)]:
        if text:
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
        elif lang == "tr":
            etree.SubElement(etree.SubElement(tu, "tuv", {XML_LANG: lang}), "seg")
    return etree.tostring(root, encoding="UTF-8")


def _units_only(data: bytes) -> str:
    """Canonical XML (C14N 2.0) of the <body>, whitespace between elements removed."""
    tree = parse_plain(data)
    body = tree.getroot().find("body")
    assert body is not None
    for elem in body.iter():
        if elem.tag != "seg" and elem.tag != "note" and elem.tag != "prop":
            elem.text = None
        elem.tail = None
    return etree.tostring(body, method="c14n2").decode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.fixed_dictionaries({name: _TEXT for name in _FIELDS}))
def test_units_carry_what_libxml2_would_serialize(texts: dict[str, str]) -> None:
    """Same document, to the character, as lxml builds it from the same unit (XML specials, CR, tabs...)."""
    unit = Unit(Segment(texts["uid"], texts["source"], "tr", texts["ref"]), {"en": texts["en"], "ru": texts["ru"]})
    unit = Unit(unit.source, unit.targets, (texts["note"],))
    ours = tmx_bytes([unit])
    assert _units_only(ours) == _units_only(_lxml_reference(unit, ["en", "ru"]))


def _many_units(count: int) -> list[Unit]:
    return [Unit(Segment(f"d:{n}.1", f"Cümle {n} <&>", "tr", f"s.txt:{n}"), {"en": f"S {n}"}) for n in range(count)]


def test_a_refusal_after_many_units_leaves_a_path_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out.tmx"
    target.write_bytes(b"previous content")
    units = _many_units(1500)
    units[1200] = Unit(Segment("d:bad.1", "ok", "tr", ""), {"en": "bell \x07"})
    with pytest.raises(KervanError, match=r"unit 'd:bad\.1': the en target contains U\+0007 at position 5"):
        write_tmx(units, target, srclang="tr", langs=["en"])
    assert target.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tmx"]


def test_a_refusal_on_a_stream_leaves_only_whole_units_before_it() -> None:
    units = _many_units(1500)
    units[1200] = Unit(Segment("d:bad.1", "nul\x00", "tr", ""), {"en": "x"})
    buffer = io.BytesIO()
    with pytest.raises(KervanError, match="the source text contains U\\+0000"):
        write_tmx(units, buffer, srclang="tr", langs=["en"])
    written = buffer.getvalue()
    assert written.endswith(b"</tu>")
    closed = parse_plain(written + b"\n</body></tmx>").getroot().findall("body/tu")
    assert 0 < len(closed) <= 1200
    assert [tu.get("tuid") for tu in closed] == [u.source.id for u in units[: len(closed)]]


def test_the_first_bad_unit_is_the_one_reported() -> None:
    # A unit that cannot be written at all comes after one holding a bad character: the earlier one is named.
    bell = Unit(Segment("d:1.1", "bell\x07", "tr", ""))
    english = Unit(Segment("d:2.1", "Text", "en", ""))
    with pytest.raises(KervanError, match=r"'d:1\.1': the source text contains U\+0007"):
        tmx_bytes([*_many_units(3), bell, english])
    with pytest.raises(KervanError, match=r"'d:2\.1': source language 'en'"):
        tmx_bytes([*_many_units(3), english, bell])


# ----------------------------------------------------------------------------------- foreign TMX


def test_tmx11_fixture_is_genuine_and_read_with_lang_attributes(schema_dir: Path) -> None:
    path = FIXTURES / "legacy_tmx11.tmx"
    dtd = etree.DTD(str(schema_dir / "tmx11.dtd"))
    assert dtd.validate(parse_plain(path.read_bytes())), dtd.error_log.filter_from_errors()

    doc = read_tmx(path)
    assert doc.header.version == "1.1"
    assert doc.header.srclang == "tr-TR"
    assert doc.header.attributes["srclang"] == "TR-TR"
    assert doc.header.notes == ("Exported from an old desktop translation memory.",)
    first, second, third = doc.units
    assert first.tuid is None and first.line == 8
    assert list(first.variants) == ["tr-TR", "en-US", "ru-RU"]
    assert first.text("ru") == "Президент Токаев прибыл в Москву."
    assert first.props == (("Client", "Haber Ajansı"),)
    assert second.tuid == "42" and list(second.variants) == ["tr-TR", "en-US"]
    assert second.text("tr") == '  İki  boşluk & "tırnak" <işaret> '
    assert second.notes == ("Spacing kept as in the source.",)
    # No Turkish variant: no source, so no model unit.
    assert third.source_lang is None and to_unit(third) is None
    assert third.text("en-us") == "Only an English variant here, US spelling."
    assert third.text("en") == "Only an English variant here."
    assert [u.source.text for u in iter_units(path)] == [first.variants["tr-TR"], second.variants["tr-TR"]]
    assert all(u.warnings == () for u in doc.units)


def test_inline_fixture_is_valid_tmx14_and_codes_keep_their_native_text(schema_dir: Path) -> None:
    path = FIXTURES / "inline_markup.tmx"
    dtd = etree.DTD(str(schema_dir / "tmx14.dtd"))
    assert dtd.validate(parse_plain(path.read_bytes())), dtd.error_log.filter_from_errors()

    reader = open_tmx(path)
    assert reader.header.srclang is None  # srclang="*all*"
    assert reader.header.props == (("x-Domain", "News"),)
    u1, u2, u3, u4 = list(reader)
    assert u1.srclang == "tr-TR"
    assert u1.variants == {
        "tr-TR": "Anlaşma {\\b Moskova'da} imzalandı.",
        "en-US": "The agreement was signed {\\b in Moscow}.",
    }
    assert u1.warnings == ()  # nothing was lost
    assert u2.tuid is None
    assert u2.variants == {
        "tr-TR": 'Bkz. <a href="https://example.org/?a=1&b=2">belge</a> ve önemli <i>not.',
        "ru-RU": 'См. <a href="https://example.org/?a=1&b=2">документ</a> и важную <i>заметку.',
    }
    assert u2.warnings == ("inline markup reduced to text: kept the text of <hi>",)
    # No srclang on the unit and "*all*" in the header: the first variant is the source.
    assert u3.srclang is None and u3.source_lang == "en-US"
    assert u3.variants == {
        "en-US": 'Click <img alt="Logo text"/> then {\\i}save{\\i0}.',
        "tr-TR": '<img alt="Logo metni"/> simgesine, sonra kaydet\'e tıklayın.',
        "de-DE": 'Klicken Sie auf <img alt="Logotext"/> und dann auf Speichern.',
    }
    assert u3.warnings == ()
    unit3 = to_unit(u3, "tr")
    assert unit3 is not None and unit3.source.text.startswith("<img") and set(unit3.targets) == {"en-US", "de-DE"}
    assert u4.warnings == () and u4.source_lang == "ru-RU"


def _translate_toolkit_texts(path: Path) -> list[dict[str, str]]:
    """Every variant of every unit as Translate Toolkit's TMX reader gives it (an independent reader)."""
    from translate.storage.tmx import tmxfile

    store = tmxfile(path.read_bytes())
    result = []
    for unit in store.units:
        variants = {}
        for tuv in unit.xmlelement.iterchildren("{*}tuv", "tuv"):
            lang = tuv.get("{http://www.w3.org/XML/1998/namespace}lang") or tuv.get("lang")
            variants[normalize_lang(lang)] = unit.getNodeText(tuv)
        result.append(variants)
    return result


OKAPI_TMX = ["potest.po.normal.tmx", "ExportTest2A.tmx", "ImportTest2C.tmx", "Paragraph_TM.tmx", "mytm.tmx",
             "sample14b.tmx"]  # fmt: skip


@pytest.mark.parametrize("path", [FIXTURES / "inline_markup.tmx", *(DATA / "okapi" / name for name in OKAPI_TMX)],
                         ids=["inline_markup", *OKAPI_TMX])  # fmt: skip
def test_translate_toolkit_reads_every_variant_as_we_do(path: Path) -> None:
    """Translate Toolkit's TMX reader is the independent oracle: the same text for every variant of every unit,
    inline codes included (Okapi's files hold every kind of them: nested, reordered, <sub> inside <ph>)."""
    ours = [dict(unit.variants) for unit in read_tmx(path).units]
    assert ours == _translate_toolkit_texts(path)


def test_translate_toolkit_po2tmx_writes_placeholders_as_text_and_we_read_them_back(tmp_path: Path) -> None:
    """The plain-text choice of the writer is the catalog tools' own: po2tmx's TMX of Okapi's potest.po holds
    `%s` as text, and every unit read back is a PO entry, translation included."""
    import polib
    from translate.convert import po2tmx

    out = tmp_path / "potest.tmx"
    assert po2tmx.main([str(DATA / "okapi" / "potest.po"), str(out), "-l", "fr", "--progress", "none"]) in (None, 0)
    assert b"<ph" not in out.read_bytes() and b"%s" in out.read_bytes()
    po: dict[str, str] = {}
    for entry in polib.pofile(str(DATA / "okapi" / "potest.po")):
        if entry.msgid_plural:
            po.update({entry.msgid: entry.msgstr_plural[0], entry.msgid_plural: entry.msgstr_plural[1]})
        elif entry.msgstr:
            po[entry.msgid] = entry.msgstr
    units = read_tmx(out).units
    assert units and {u.text("en"): u.text("fr") for u in units}.items() <= po.items()


def test_okapi_potest_units_match_their_po_entries_again() -> None:
    """Okapi's TMX of its potest.po: <ph>%s</ph> is read as %s, so every unit finds its PO entry."""
    import polib

    po = polib.pofile(str(DATA / "okapi" / "potest.po"))
    msgids = {e.msgid for e in po} | {e.msgid_plural for e in po if e.msgid_plural}
    units = read_tmx(DATA / "okapi" / "potest.po.normal.tmx").units
    assert len(units) == 12
    sources = [u.text("en") for u in units]
    # All but one: Okapi wrote that unit's PO escape \" into the TMX as a backslash and a quote.
    assert [s for s in sources if s not in msgids] == ['Special chars: \\"=quot, &=amp, <=lt, >=gt, \'=apos, Ą=U+0104']
    translated = {e.msgid: e.msgstr for e in po if e.msgstr}
    for unit in units:
        source = unit.text("en")
        if source in translated and unit.text("fr"):
            assert unit.text("fr") == translated[source]
    assert all(unit.warnings == () for unit in units)


def test_irregular_units_are_read_with_warnings() -> None:
    units = {u.tuid: u for u in iter_tmx(FIXTURES / "irregular.tmx")}
    assert units["two-segs"].variants == {"tr": "Birinci.", "en": "First."}
    assert units["two-segs"].warnings == ("line 7: <tuv> tr has 2 <seg>, kept the first",)
    assert units["gaps"].variants == {"tr": "Var."}
    assert units["gaps"].warnings == (
        "line 11: <tuv> without a language skipped",
        "line 13: <tuv> en has no <seg>, skipped",
        "line 14: second <tuv> for tr skipped",
    )
    assert units["foreign-inline"].variants == {"tr": "Metin kalın ve son."}
    assert units["foreign-inline"].warnings == (
        "inline markup reduced to text: kept the text of <g>, <x>; dropped 1 comment(s)",
    )
    assert to_unit(units["no-source"]) is None


@pytest.mark.parametrize(
    ("tag", "normal"),
    [("TR-TR", "tr-TR"), ("tr_tr", "tr-TR"), ("en-us", "en-US"), ("EN", "en"), ("zh-hant-tw", "zh-Hant-TW"),
     ("es-419", "es-419"), ("de-CH-x-Phonebk", "de-CH-x-phonebk"), ("*all*", "*all*"), (" ru ", "ru")],
)  # fmt: skip
def test_normalize_lang(tag: str, normal: str) -> None:
    assert normalize_lang(tag) == normal


def test_match_lang() -> None:
    assert match_lang("TR-tr", "tr") and match_lang("tr_TR", "TR-CY") and match_lang("en", "EN-GB")
    assert not match_lang("tr", "en") and not match_lang("", "tr") and not match_lang("*all*", "tr")


def test_byte_order_mark_and_utf16_files_read_like_utf8() -> None:
    data = (FIXTURES / "legacy_tmx11.tmx").read_bytes()
    expected = read_tmx(io.BytesIO(data)).units
    utf16 = data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    for variant in (b"\xef\xbb\xbf" + data, utf16):
        assert read_tmx(io.BytesIO(variant)).units == expected


def test_huge_text_nodes_need_huge_tree() -> None:
    text = "ş" * 6_000_000  # 12 MB of UTF-8: above libxml2's 10 MB text node limit
    data = tmx_bytes([Unit(Segment("d:1.1", text, "tr", ""))])
    with pytest.raises(KervanError, match="malformed XML"):
        list(iter_tmx(io.BytesIO(data)))
    (unit,) = iter_tmx(io.BytesIO(data), huge_tree=True)
    assert unit.variants["tr"] == text


def test_read_header_stops_at_the_header() -> None:
    data = (FIXTURES / "irregular.tmx").read_bytes().replace(b"<body>", b"<body><tu><broken></tu>")
    assert read_header(io.BytesIO(data)).attributes["creationtool"] == "Hand"
    with pytest.raises(KervanError, match="malformed XML"):
        list(iter_tmx(io.BytesIO(data)))


def test_reader_closes_the_file_it_opened() -> None:
    with TmxReader(FIXTURES / "legacy_tmx11.tmx") as reader:
        next(iter(reader))
        handle = reader._owned
        assert handle is not None and not handle.closed
    assert handle.closed


# ----------------------------------------------------------------------------------- hostile and broken input

_HEAD = (
    '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
    'adminlang="en" srclang="tr" datatype="plaintext"/>'
)


_UNIT = "<body>\n<tu><tuv xml:lang='tr'><seg>{}</seg></tuv></tu></body></tmx>"


def _tmx(prolog: str, seg: str = "", encoding: str = "utf-8") -> bytes:
    """`prolog`, then a minimal TMX whose one unit (on the line after the header) has `seg` as its text."""
    return (prolog + _HEAD + _UNIT.format(seg)).encode(encoding)


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        pytest.param(
            _tmx('<?xml version="1.0"?>\n<!DOCTYPE tmx [\n <!ENTITY a "aaaaaaaaaa">\n'
                 ' <!ENTITY b "&a;&a;&a;&a;&a;&a;">\n]>\n', "&b;"),
            "entity declarations are not allowed", 3, id="billion-laughs",
        ),
        pytest.param(
            _tmx('<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', "&xxe;"),
            "entity declarations are not allowed", 1, id="xxe-external-entity",
        ),
        pytest.param(
            _tmx('<!DOCTYPE tmx [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>\n'),
            "entity declarations are not allowed", 1, id="xxe-parameter-entity",
        ),
        pytest.param(
            _tmx('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE tmx [<!ENTITY a "x"><!ENTITY b "&a;&a;">]>\n',
                 "&b;", "utf-16"),
            "entity declarations are not allowed", 2, id="utf16-entity-bomb",
        ),
        pytest.param(
            _tmx('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n', "a&nbsp;b"),
            "undefined entity reference &nbsp;", 3, id="undefined-entity",
        ),
        pytest.param(
            _tmx("", "a&nbsp;b"), "Entity 'nbsp' not defined", 2, id="undefined-entity-without-doctype",
        ),
        pytest.param(
            _HEAD.encode() + b"<body>\n<tu>\n<tuv xml:lang='tr'><seg>unclosed</tuv></tu></body></tmx>",
            "malformed XML", 3, id="mismatched-tag",
        ),
        pytest.param(_HEAD.encode() + b"<body>\n<tu>\n", "malformed XML", 3, id="truncated"),
        pytest.param(b"", "malformed XML: Document is empty", 1, id="empty"),
        pytest.param(
            b'<?xml version="1.0"?>\n<xliff version="1.2"><file/></xliff>', "root element is <xliff>", 2,
            id="wrong-root",
        ),
        pytest.param(b'<tmx version="1.4">\n<body/></tmx>', "<body> before <header>", 2, id="no-header"),
        pytest.param(b'<tmx version="1.4"/>', "no <header>", 1, id="empty-tmx"),
    ],
)  # fmt: skip
def test_bad_input_raises_with_file_and_line(data: bytes, message: str, line: int | None) -> None:
    with pytest.raises(KervanError, match=message) as caught:
        list(iter_tmx(io.BytesIO(data), label="bad.tmx"))
    assert caught.value.path == "bad.tmx"
    if line is not None:
        assert caught.value.line == line


def test_missing_file_is_a_kervan_error(tmp_path: Path) -> None:
    with pytest.raises(KervanError) as caught:
        read_tmx(tmp_path / "nope.tmx")
    assert caught.value.path == str(tmp_path / "nope.tmx")


# ----------------------------------------------------------------------------------- streaming memory


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_reading_200k_units_needs_constant_memory(tmp_path: Path) -> None:
    count, traced = 200_000, 20_000
    path = tmp_path / "big.tmx"
    units = (
        Unit(Segment(f"doc:{n}.1", f"Cümle {n} & <b>", "tr", f"s.txt:{n}"), {"en": f"Sentence {n}"})
        for n in range(count)
    )
    write_tmx(units, path, srclang="tr", langs=["en"], creationdate=WHEN)
    assert path.stat().st_size > 40_000_000

    seen = peak = rss_early = 0
    # tracemalloc slows Python down several times: it watches the first units (where the reader's own
    # objects would pile up), RSS watches the whole run (libxml2's tree is invisible to tracemalloc).
    tracemalloc.start()
    try:
        for unit in iter_tmx(path):  # noqa: B007 -- the last one is checked below
            seen += 1
            if seen == traced:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                rss_early = _rss_kib()
    finally:
        tracemalloc.stop()
    rss_growth = _rss_kib() - rss_early
    assert seen == count and unit.variants["en"] == f"Sentence {count - 1}"
    assert 0 < peak < 20 * 1024 * 1024, f"tracemalloc peak {peak / 2**20:.1f} MiB"
    # Keeping the parsed tree would cost hundreds of MiB over the 180,000 units read after the sample.
    assert rss_growth < 16 * 1024, f"RSS grew by {rss_growth / 1024:.1f} MiB"
