"""TBX v3 and v2: round trips, the official TBX (martif) schema, Translate Toolkit as reader, hostile input."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import REPO
from kervan.errors import KervanError
from kervan.formats.tbx import TBX3_NAMESPACE, iter_tbx, read_tbx, read_tbx_header, write_tbx
from kervan.model import Concept, Term

GLOSSARY = REPO / "glossary" / "kervan.tbx"
XML_NS = "{http://www.w3.org/XML/1998/namespace}"


@pytest.fixture(scope="module")
def shipped() -> list[Concept]:
    return read_tbx(GLOSSARY)


def _write(concepts: list[Concept], version: int) -> bytes:
    out = io.BytesIO()
    write_tbx(concepts, out, version=version)  # type: ignore[arg-type]
    return out.getvalue()


def _read(data: bytes) -> list[Concept]:
    return read_tbx(io.BytesIO(data))


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("version", [3, 2])
def test_shipped_glossary_round_trips(shipped: list[Concept], version: int, tmp_path: Path) -> None:
    path = tmp_path / "out.tbx"
    assert write_tbx(shipped, path, version=version) == len(shipped)  # type: ignore[arg-type]
    assert read_tbx(path) == shipped
    assert read_tbx(str(path)) == shipped


# Text as XML can carry it: any Unicode scalar except the C0 controls XML 1.0 forbids; XML whitespace inside a
# term is one space (readers collapse what pretty-printers wrap). Astral, combining, RTL and markup characters
# all take part.
_XML_CHAR = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
).filter(lambda ch: ch >= " " and ch not in "\ufffe\uffff")
_TEXT = (
    st.text(
        st.one_of(_XML_CHAR, st.sampled_from(list("<>&\"'İıŞşĞğ\u0301\u05d0\u0627\U0001f600 ё"))),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split(" ")).strip(" "))
    .filter(lambda s: s and "  " not in s)
)
_NOTE = st.one_of(st.just(""), _TEXT)
_LANGS = ["tr", "en", "ru", "de", "pt_BR", "kk"]


@st.composite
def _concepts(draw: st.DrawFn) -> list[Concept]:
    ids = draw(st.lists(st.from_regex(r"[a-z][a-z0-9._-]{0,12}", fullmatch=True), min_size=1, max_size=4, unique=True))
    concepts = []
    for concept_id in ids:
        langs = draw(st.lists(st.sampled_from(_LANGS), min_size=1, max_size=3, unique=True))
        terms = {}
        for lang in langs:
            texts = draw(st.lists(_TEXT, min_size=1, max_size=3))
            terms[lang] = tuple(
                Term(
                    text,
                    lang,
                    draw(st.sampled_from(["fullForm", "abbreviation", "variant"])),
                    draw(st.sampled_from(["preferred", "admitted", "deprecated"])),
                )
                for text in texts
            )
        concepts.append(Concept(concept_id, terms, draw(_NOTE), draw(_NOTE), draw(_NOTE)))
    return concepts


@pytest.mark.parametrize("version", [3, 2])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(concepts=_concepts())
def test_any_termbase_round_trips(concepts: list[Concept], version: int) -> None:
    assert _read(_write(concepts, version)) == concepts


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\ufffe", "\ud800"])
def test_text_xml_cannot_carry_is_refused(bad: str) -> None:
    concept = Concept("c1", {"en": (Term(f"a{bad}b", "en"),)})
    with pytest.raises(KervanError, match="cannot be written in XML"):
        _write([concept], 3)


def test_tabs_newlines_and_carriage_returns_in_text() -> None:
    # Writers escape what XML parsers would normalise; readers collapse XML whitespace runs to one space.
    concept = Concept("c1", {"en": (Term("a\tb\r\nc", "en"),)}, definition="x\r\ny")
    (back,) = _read(_write([concept], 3))
    assert back.terms["en"][0].text == "a b c"
    assert back.definition == "x y"


def test_writer_refuses_what_tbx_cannot_hold(tmp_path: Path) -> None:
    good = Concept("ok", {"en": (Term("fine", "en"),)})
    path = tmp_path / "g.tbx"
    write_tbx([good], path)
    before = path.read_bytes()
    cases = [
        (Concept("1st", {"en": (Term("x", "en"),)}), "not an XML name"),
        (Concept("a b", {"en": (Term("x", "en"),)}), "not an XML name"),
        (Concept("c", {}), "no terms"),
        (Concept("c", {"en": (Term(" ", "en"),)}), "empty term"),
        (Concept("c", {"en": (Term("x", "ru"),)}), "has language 'ru' under 'en'"),
        (Concept("c", {"xx-nope": (Term("x", "xx-nope"),)}), "unknown language code"),
    ]
    for concept, message in cases:
        with pytest.raises(KervanError, match=message) as caught:
            write_tbx([good, concept], path)
        assert caught.value.path == str(path)
        # Atomic: the failed write left the previous file as it was, and no temp file behind.
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["g.tbx"]
    with pytest.raises(KervanError, match="duplicate concept id"):
        write_tbx([good, good], path)


def test_rewriting_a_termbase_keeps_its_header(shipped: list[Concept], tmp_path: Path) -> None:
    path = tmp_path / "g.tbx"
    write_tbx(shipped[:2], path, title="Kazakh & Russian <terms>", description="From one article.")
    write_tbx(shipped, path)
    assert read_tbx_header(path) == ("Kazakh & Russian <terms>", "From one article.")
    assert read_tbx(path) == shipped
    write_tbx(shipped, path, version=2, title="New title")
    assert read_tbx_header(path) == ("New title", "From one article.")
    assert read_tbx_header(tmp_path / "none.tbx") == ("", "")
    fresh = tmp_path / "fresh.tbx"
    write_tbx(shipped, fresh)
    assert read_tbx_header(fresh) == ("Kervan termbase", "Kervan termbase")


@pytest.mark.parametrize("version", [3, 2])
@pytest.mark.parametrize("prefer", ["existing", "incoming"])
def test_reimporting_a_tbx_export_changes_nothing(shipped: list[Concept], version: int, prefer: str) -> None:
    from kervan.terms.glossary import merge_concepts

    result = merge_concepts(shipped, _read(_write(shipped, version)), prefer=prefer)  # type: ignore[arg-type]
    assert list(result.concepts) == shipped
    assert (result.added, result.updated, result.changes) == ((), (), ())


# --------------------------------------------------------------------------- what the files look like


def test_v2_output_is_valid_against_the_official_tbx_schema(shipped: list[Concept], schema_dir: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(schema_dir / "tbx.xsd")))
    document = etree.fromstring(_write(shipped, 2))
    assert schema.validate(document), schema.error_log
    assert document.tag == "martif"
    assert document.get("type") == "TBX-Basic"
    assert document.get(XML_NS + "lang") == "en"
    # The schema is a real check: an invalid language tag in our output would be caught.
    broken = etree.fromstring(_write(shipped, 2).replace(b'xml:lang="ru"', b'xml:lang="r u"', 1))
    assert not schema.validate(broken)


# The data-category constraints of the TBX-Basic dialect (its DCA Schematron), restated as XPath here.
_BASIC_TERM_TYPES = {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"}
_BASIC_STATUSES = {
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
    "supersededTerm-admn-sts",
}


def test_v3_output_follows_tbx_basic(shipped: list[Concept]) -> None:
    data = _write(shipped, 3)
    root = etree.fromstring(data)
    ns = {"t": TBX3_NAMESPACE}
    assert root.tag == f"{{{TBX3_NAMESPACE}}}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_NS + "lang")) == ("TBX-Basic", "dca", "en")
    assert [child.tag.split("}")[1] for child in root] == ["tbxHeader", "text"]
    assert root.xpath("t:tbxHeader/t:fileDesc/t:sourceDesc/t:p", namespaces=ns)
    # Every element is in the TBX namespace (DCA style).
    assert {el.tag.split("}")[0] for el in root.iter()} == {f"{{{TBX3_NAMESPACE}"}
    entries = root.xpath("t:text/t:body/t:conceptEntry", namespaces=ns)
    assert len(entries) == len(shipped)
    assert len({e.get("id") for e in entries}) == len(entries)
    assert all(note.getparent().tag.endswith("termSec") for note in root.iter(f"{{{TBX3_NAMESPACE}}}termNote"))
    for descrip in root.xpath("//t:descrip[@type='subjectField']", namespaces=ns):
        assert descrip.getparent().tag.endswith("conceptEntry")
    for descrip in root.xpath("//t:descrip[@type='definition']", namespaces=ns):
        assert descrip.getparent().tag.rsplit("}")[1] in ("conceptEntry", "langSec")
    types = root.xpath("//t:termNote[@type='termType']/text()", namespaces=ns)
    statuses = root.xpath("//t:termNote[@type='administrativeStatus']/text()", namespaces=ns)
    assert set(types) <= _BASIC_TERM_TYPES and set(statuses) <= _BASIC_STATUSES
    for entry in entries:
        # Core structure: information first, then one or more langSec, each with one or more termSec.
        names = [child.tag.split("}")[1] for child in entry]
        first_lang = names.index("langSec")
        assert all(name == "langSec" for name in names[first_lang:])
        for section in entry.iterchildren(f"{{{TBX3_NAMESPACE}}}langSec"):
            assert section.get(XML_NS + "lang")
            assert section.xpath("t:termSec/t:term", namespaces=ns)
    # The dialect is declared by processing instructions naming its schemas.
    assert b"<?xml-model" in data and b"TBX-Basic_DCA.sch" in data


def test_shipped_file_is_what_the_writer_writes(shipped: list[Concept]) -> None:
    # The canonical glossary is kept in the writer's form, so that tools rewriting it make minimal diffs.
    root = etree.parse(str(GLOSSARY)).getroot()
    ns = {"t": TBX3_NAMESPACE}
    title = root.xpath("string(t:tbxHeader/t:fileDesc/t:titleStmt/t:title)", namespaces=ns)
    description = root.xpath("string(t:tbxHeader/t:fileDesc/t:sourceDesc/t:p)", namespaces=ns)
    out = io.BytesIO()
    write_tbx(shipped, out, title=title, description=description)
    assert out.getvalue() == GLOSSARY.read_bytes()


# --------------------------------------------------------------------------- Translate Toolkit reads our TBX


def test_translate_toolkit_reads_v2_output(shipped: list[Concept]) -> None:
    from translate.storage.tbx import tbxfile

    store = tbxfile.parsestring(_write(shipped, 2), sourcelanguage="tr", targetlanguage="ru")
    assert len(store.units) == len(shipped)
    statuses = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts"}
    statuses["deprecated"] = "deprecatedTerm-admn-sts"
    for unit, concept in zip(store.units, shipped, strict=True):
        assert unit.getid() == concept.id
        assert [t.text for t in unit.get_source_terms()] == [t.text for t in concept.terms["tr"]]
        target = unit.get_target_terms()
        assert [t.text for t in target] == [t.text for t in concept.terms["ru"]]
        assert [t.administrative_status for t in target] == [statuses[t.status] for t in concept.terms["ru"]]
        assert [t.text for t in unit.get_target_terms("en")] == [t.text for t in concept.terms["en"]]
        assert unit.source == concept.terms["tr"][0].text
        if concept.note:
            assert concept.note in unit.getnotes()
    # Deprecated terms are what Translate Toolkit calls obsolete when a whole entry has only those.
    eeu = next(u for u in store.units if u.getid() == "eaeu")
    assert any(t.deprecated for t in eeu.get_target_terms("en"))


# --------------------------------------------------------------------------- foreign TBX


def test_reads_foreign_v3_dca_with_groups_and_extra_information() -> None:
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed:3.0">
  <tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <transacGrp><transac type="transactionType">origination</transac><date>2010-04-17</date></transacGrp>
      <descrip type="subjectField">Stellar Birth</descrip>
      <langSec xml:lang="EN-gb">
        <descripGrp>
          <descrip type="definition">A structure that forms
             around a compact object.</descrip>
          <admin type="source">Oxford2007</admin>
        </descripGrp>
        <termSec>
          <term>accretion   disc</term>
          <termNote type="partOfSpeech">noun</termNote>
          <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
          <termNote type="termType">acronym</termNote>
          <descripGrp><descrip type="context">Discs <hi type="italics">accrete</hi>.</descrip></descripGrp>
          <note>Older spelling.</note>
        </termSec>
        <termSec><term>disk</term><termNote type="termType">shortForm</termNote></termSec>
      </langSec>
      <langSec xml:lang="es">
        <descrip type="definition">Una estructura.</descrip>
        <termSec><term>disco de acreción</term><termNote type="administrativeStatus">{"admitted"}</termNote></termSec>
      </langSec>
    </conceptEntry>
  </body></text>
</tbx>""".encode()
    (concept,) = _read(data)
    assert concept.id == "c1"
    assert concept.subject == "Stellar Birth"
    assert concept.definition == "A structure that forms around a compact object."
    assert concept.terms == {
        "en_GB": (Term("accretion disc", "en_GB", "abbreviation", "deprecated"), Term("disk", "en_GB", "variant")),
        "es": (Term("disco de acreción", "es", "fullForm", "admitted"),),
    }
    # Nothing descriptive is dropped: it is folded into the note, labelled.
    for piece in (
        "[en_GB] accretion disc: partOfSpeech: noun",
        "[en_GB] accretion disc: context: Discs accrete.",
        "[en_GB] accretion disc: Older spelling.",
        "[es] definition: Una estructura.",
    ):
        assert piece in concept.note


def test_reads_dct_style() -> None:
    data = b"""<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:min="http://www.tbxinfo.net/ns/min" xmlns:basic="http://www.tbxinfo.net/ns/basic">
  <tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
  <text><body><conceptEntry id="c9">
    <min:subjectField>energy</min:subjectField>
    <langSec xml:lang="en"><basic:definition>Power station.</basic:definition>
      <termSec><term>NPP</term><basic:termType>acronym</basic:termType>
        <min:administrativeStatus>preferredTerm-admn-sts</min:administrativeStatus></termSec>
    </langSec>
  </conceptEntry></body></text>
</tbx>"""
    (concept,) = _read(data)
    assert (concept.subject, concept.definition) == ("energy", "Power station.")
    assert concept.terms["en"] == (Term("NPP", "en", "abbreviation", "preferred"),)


def test_reads_foreign_v2_with_ntig_and_without_ids() -> None:
    data = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry>
      <descrip type="definition">Capital of Russia.</descrip>
      <langSet xml:lang="ru"><ntig><termGrp><term>Москва</term>
        <termNote type="termType">fullForm</termNote></termGrp></ntig></langSet>
      <langSet xml:lang="tr"><tig><term>Moskova</term></tig></langSet>
    </termEntry>
    <termEntry><langSet lang="en"><tig><term>Moscow</term></tig></langSet></termEntry>
  </body></text>
</martif>""".encode()
    first, second = _read(data)
    assert (first.id, second.id) == ("entry-1", "entry-2")
    assert first.definition == "Capital of Russia."
    assert first.terms == {"ru": (Term("Москва", "ru"),), "tr": (Term("Moskova", "tr"),)}
    assert second.terms == {"en": (Term("Moscow", "en"),)}


def test_iter_tbx_streams(tmp_path: Path) -> None:
    concepts = [
        Concept(f"c{i}", {"en": (Term(f"term {i} " + "x" * 200, "en"),), "tr": (Term(f"terim {i}", "tr"),)})
        for i in range(3000)
    ]
    path = tmp_path / "big.tbx"
    write_tbx(concepts, path)

    class Counting(io.BytesIO):
        consumed = 0

        def read(self, size: int | None = -1) -> bytes:
            data = super().read(size)
            self.consumed += len(data)
            return data

    stream = Counting(path.read_bytes())
    first = next(iter_tbx(stream))
    assert first == concepts[0]
    # The first concept came out long before the parser had read the whole file.
    assert stream.consumed < len(stream.getvalue()) / 2


def test_reading_the_shipped_glossary_is_cheap() -> None:
    read_tbx(GLOSSARY)  # imports and language data loaded once
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        read_tbx(GLOSSARY)
        timings.append(time.perf_counter() - start)
    # It is read on every term lookup: a few milliseconds here; the bound is generous for slow machines.
    assert sorted(timings)[2] < 0.05


# --------------------------------------------------------------------------- bad and hostile input

_V3_HEAD = (
    '<?xml version="1.0"?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">\n'
)


def _v3(body: str) -> bytes:
    return (_V3_HEAD + "<tbxHeader/><text><body>\n" + body + "\n</body></text></tbx>\n").encode()


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b'<?xml version="1.0"?>\n\n<tmx version="1.4"><body/></tmx>', "root element is <tmx>", 3),
        (
            _v3('<conceptEntry id="a">\n<langSec xml:lang="en"><termSec>\n</termSec></langSec></conceptEntry>'),
            "without a <term>",
            5,
        ),
        (
            _v3(
                '<conceptEntry id="a">\n\n<langSec xml:lang="english!"><termSec><term>x</term>'
                "</termSec></langSec></conceptEntry>"
            ),
            "unknown language code 'english!'",
            6,
        ),
        (
            _v3(
                '<conceptEntry id="a">\n<langSec xml:lang="zz"><termSec><term>x</term>'
                "</termSec></langSec></conceptEntry>"
            ),
            "unknown language code 'zz'",
            5,
        ),
        (
            _v3('<conceptEntry id="a">\n<langSec><termSec><term>x</term></termSec></langSec></conceptEntry>'),
            "without xml:lang",
            5,
        ),
        (_v3('<conceptEntry id="a">\n<langSec xml:lang="en"></langSec></conceptEntry>'), "without terms", 5),
        (_v3('<conceptEntry id="a">\n<note>n</note></conceptEntry>'), "has no terms", 4),
        (
            _v3(
                '<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>x</term>\n'
                '<termNote type="termType">fulform</termNote></termSec></langSec></conceptEntry>'
            ),
            "unknown termType 'fulform'",
            5,
        ),
        (
            _v3(
                '<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>x</term>\n\n'
                '<termNote type="administrativeStatus">forbidden</termNote></termSec></langSec></conceptEntry>'
            ),
            "unknown administrativeStatus 'forbidden'",
            6,
        ),
        (
            _v3(
                '<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>x</term>'
                "</termSec></langSec></conceptEntry>\n"
                '<conceptEntry id="a"><langSec xml:lang="en"><termSec><term>y</term></termSec></langSec></conceptEntry>'
            ),
            "duplicate concept id 'a' (first used on line 4)",
            5,
        ),
        (_v3('<conceptEntry id="a">\n<langSec xml:lang="en"><termSec><term>x</term></termSec>'), "malformed XML", 6),
    ],
)
def test_bad_tbx_is_refused_with_its_line(data: bytes, message: str, line: int | None) -> None:
    with pytest.raises(KervanError, match=re.escape(message)) as caught:
        read_tbx(io.BytesIO(data))
    assert caught.value.line == line


def test_empty_input_is_an_error() -> None:
    with pytest.raises(KervanError, match="malformed XML"):
        read_tbx(io.BytesIO(b""))


def test_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.tbx"
    path.write_bytes(_v3('<conceptEntry id="a"><langSec xml:lang="en"><termSec>\n</termSec></langSec></conceptEntry>'))
    with pytest.raises(KervanError) as caught:
        read_tbx(path)
    assert str(caught.value) == f"{path}:4: <termSec> without a <term>"
    with pytest.raises(KervanError, match="No such file"):
        read_tbx(tmp_path / "missing.tbx")


def test_external_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE tbx [\n  <!ENTITY xxe SYSTEM "file://{secret}">\n]>\n'
        + _V3_HEAD.split("\n", 1)[1]
        + '<text><body><conceptEntry id="a"><langSec xml:lang="en"><termSec><term>&xxe;</term>'
        "</termSec></langSec></conceptEntry></body></text></tbx>"
    ).encode()
    with pytest.raises(KervanError, match="entity declarations are not allowed") as caught:
        read_tbx(io.BytesIO(data))
    assert caught.value.line == 3


def test_entity_expansion_bomb_is_refused() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [{entities}]>\n<martif type="TBX-Basic" xml:lang="en"><text><body>'
        '<termEntry id="a"><langSet xml:lang="en"><tig><term>&a9;</term></tig></langSet></termEntry>'
        "</body></text></martif>"
    ).encode()
    start = time.perf_counter()
    with pytest.raises(KervanError, match="entity"):
        read_tbx(io.BytesIO(data))
    assert time.perf_counter() - start < 1


def test_undeclared_entity_is_an_error_not_text(tmp_path: Path) -> None:
    path = tmp_path / "entity.tbx"
    path.write_bytes(
        _v3(
            '<conceptEntry id="a">\n<langSec xml:lang="en"><termSec><term>&nope;</term>'
            "</termSec></langSec></conceptEntry>"
        )
    )
    with pytest.raises(KervanError, match="Entity 'nope' not defined") as caught:
        read_tbx(path)
    assert caught.value.line == 5
