"""TMX 1.4b translation memories: a streaming writer and a streaming, forgiving reader.

The writer emits one ``<tu>`` line per unit as units are produced, a few hundred at a time, so memory stays
constant however many units flow through. It serializes the markup itself, escaping as libxml2 does: the
document is the one lxml's ``xmlfile`` wrote, at a fraction of the cost per element.

The reader walks the file with the hardened ``iterparse`` and frees every ``<tu>`` once it has been turned
into a :class:`TmxUnit`. It accepts what other tools write: TMX 1.1/1.2 ``lang`` as well as
``xml:lang``, language tags in any case with ``_`` or ``-``, ``srclang="*all*"``, units without ``tuid``, and
inline markup. An inline code (``<bpt>``, ``<ept>``, ``<it>``, ``<ph>``, ``<ut>``, with any ``<sub>`` inside)
becomes the native text it holds, as Translate Toolkit's reader reads it: in a TMX made from a catalog that
text is the placeholder itself (``<ph>%s</ph>`` is ``%s``). ``<hi>`` keeps its text. What carries no text
(an empty ``<ph/>``) or is not TMX markup at all is reported as a warning on the unit.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING

from .. import __version__
from ..errors import KervanError
from ..record import Record, init
from ..text import primary
from .xmltext import NOT_XML_CHAR
from .xmltext import xml_attribute as _escape_attribute
from .xmltext import xml_text as _escape_text

if TYPE_CHECKING:
    from lxml import etree

    from ..model import Unit

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SEGTYPES = ("block", "paragraph", "sentence", "phrase")
ALL_LANGS = "*all*"

_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
# Everything XML 1.0 cannot carry, even as a character reference: C0 controls other than tab, LF and CR,
# lone surrogates, U+FFFE and U+FFFF.
# Inline codes whose content is native code of the original format (a printf placeholder, RTF, HTML...).
_CODE_TAGS = frozenset({"bpt", "ept", "it", "ph", "ut"})
# TMX's own inline elements: <hi> and <sub> wrap translatable text; reading them loses nothing but markup.
_TEXT_TAGS = frozenset({"hi", "sub"})
_NOT_XML_SEARCH = NOT_XML_CHAR.search
# Units serialized, checked and written together: large enough to make the per-batch work negligible, small
# enough that memory stays flat and output flows as units are produced.
_BATCH = 256
# What an attribute value or character data may have to write as a reference.
_SPECIALS = '&<>"\t\n\r'


# --------------------------------------------------------------------------------------------- languages


def normalize_lang(tag: str) -> str:
    """Canonical case for a language tag: "TR-TR", "tr_tr" -> "tr-TR"; "zh-hant-tw" -> "zh-Hant-TW".

    ``*all*`` and the empty string are returned unchanged.
    """
    tag = tag.strip()
    if not tag or tag == ALL_LANGS:
        return tag
    parts = tag.replace("_", "-").split("-")
    out = [parts[0].lower()]
    private = False
    for part in parts[1:]:
        # After a singleton (x-, u-, ...) subtags are extensions or private use: BCP 47 keeps them lower case.
        if private or len(part) == 1:
            private = True
            out.append(part.lower())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


@functools.lru_cache(maxsize=256)
def _lang_key(raw: str) -> str:
    # A TMX file uses a handful of tags millions of times: normalize each spelling once.
    return normalize_lang(raw)


def match_lang(tag: str, wanted: str) -> bool:
    """True when two language tags share their primary subtag, case-insensitively ("TR-tr" matches "tr")."""
    if not tag or not wanted or ALL_LANGS in (tag, wanted):
        return False
    return primary(tag) == primary(wanted)


def _find_lang(variants: Mapping[str, str], lang: str) -> str | None:
    """The key in `variants` for `lang`: the same tag first, else the first with the same primary subtag."""
    wanted = _lang_key(lang)
    if wanted in variants:
        return wanted
    for key in variants:
        if match_lang(key, wanted):
            return key
    return None


# --------------------------------------------------------------------------------------------- writing


def _refuse(text: str, owner: str, what: str) -> KervanError:
    bad = NOT_XML_CHAR.search(text)
    assert bad is not None
    return KervanError(
        f"{owner}: {what} contains U+{ord(bad.group()):04X} at position {bad.start()}, "
        "which XML 1.0 (and so TMX) cannot represent"
    )


def _check_xml(text: str, owner: str, what: str) -> str:
    if NOT_XML_CHAR.search(text):
        raise _refuse(text, owner, what)
    return text


def format_tmx_date(when: _dt.datetime) -> str:
    """TMX date: ``YYYYMMDDThhmmssZ`` in UTC. A naive datetime is taken to be UTC already."""
    if when.tzinfo is not None:
        when = when.astimezone(_dt.UTC)
    return when.strftime("%Y%m%dT%H%M%SZ")


def parse_tmx_date(value: str) -> _dt.datetime | None:
    """The aware UTC datetime of a TMX date, or None when the value does not follow the TMX format."""
    try:
        return _dt.datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=_dt.UTC)
    except ValueError:
        return None


def _default_date() -> _dt.datetime:
    # SOURCE_DATE_EPOCH is the reproducible-builds convention: a fixed stamp gives byte-identical output.
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
    return _dt.datetime.now(_dt.UTC)


def write_tmx(
    units: Iterable[Unit],
    out: str | os.PathLike[str] | IO[bytes],
    *,
    srclang: str,
    langs: Sequence[str],
    creationtool: str = "Kervan",
    creationtoolversion: str = __version__,
    creationdate: _dt.datetime | None = None,
    datatype: str = "plaintext",
    segtype: str = "sentence",
    o_tmf: str = "Kervan",
    adminlang: str = "en",
    props: Mapping[str, str] | None = None,
    include_fuzzy: bool = False,
) -> int:
    """Write `units` as TMX 1.4b to a path (atomically) or a binary stream; return the number of units.

    Each unit becomes ``<tu tuid=segment id>`` with ``x-document`` / ``x-reference`` props, one ``<note>`` per
    unit note, the source ``<tuv>`` and one ``<tuv>`` per language of `langs` with a non-empty target.
    Targets marked fuzzy are left out unless `include_fuzzy`. Text that XML 1.0 cannot carry (C0 controls
    other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) raises KervanError naming the unit; when writing
    to a path nothing is left behind, a stream holds whole units written before it (the batches before
    the refused one).
    """
    if not srclang or srclang == ALL_LANGS:
        raise KervanError("TMX export needs a concrete source language")
    if segtype not in SEGTYPES:
        raise KervanError(f"segtype must be one of {', '.join(SEGTYPES)}, not {segtype!r}")
    srclang = _lang_key(srclang)
    targets = list(dict.fromkeys(_lang_key(lang) for lang in langs))  # a language named twice gets one <tuv>
    if srclang in targets:
        raise KervanError(f"target language {srclang!r} is the source language")
    header = {
        "creationtool": creationtool,
        "creationtoolversion": creationtoolversion,
        "datatype": datatype,
        "segtype": segtype,
        "o-tmf": o_tmf,
        "adminlang": adminlang,
        "srclang": srclang,
        "creationdate": format_tmx_date(creationdate or _default_date()),
    }
    for name, value in header.items():
        _check_xml(value, "TMX header", f"attribute {name}")
    header_props = dict(props or {})
    for name, value in header_props.items():
        _check_xml(name, "TMX header", "a prop type")
        _check_xml(value, "TMX header", f"prop {name!r}")

    if isinstance(out, str | os.PathLike):
        from .atomic import atomic_open

        try:
            with atomic_open(Path(out), "wb") as handle:
                return _write_stream(units, handle, header, header_props, srclang, targets, include_fuzzy)
        except KervanError as exc:
            if exc.path is not None:
                raise
            raise KervanError(exc.message, out) from None  # text TMX cannot hold: say which file was refused
    return _write_stream(units, out, header, header_props, srclang, targets, include_fuzzy)


def _unit_parts(
    unit: Unit, srclang: str, targets: Sequence[str], include_fuzzy: bool
) -> tuple[str, str, list[tuple[str, str]]]:
    """What one unit writes: (tuid, document, [(lang, text)]), the source variant first."""
    source = unit.source
    uid = source.id
    src_lang = source.lang
    src_lang = srclang if not src_lang or src_lang == srclang else _lang_key(src_lang)
    if src_lang != srclang and not match_lang(src_lang, srclang):
        raise KervanError(f"unit {uid!r}: source language {src_lang!r} is not the TMX srclang {srclang!r}")
    variants = [(src_lang, source.text)]
    given = unit.targets
    status = unit.status
    for lang in targets:
        text = given.get(lang)
        key: str | None = lang
        if text is None:  # the keys may be spelled differently ("EN", "en_US")
            key = next((k for k in given if _lang_key(k) == lang), None)
            if key is None:
                continue
            text = given[key]
        if not text or (status and not include_fuzzy and status.get(key) == "fuzzy"):
            continue
        variants.append((lang, text))
    document, colon, _ = uid.partition(":")
    return uid, document if colon else "", variants


def _refuse_part(unit: Unit, uid: str, variants: Sequence[tuple[str, str]]) -> None:
    owner = f"unit {uid!r}"
    parts = [(uid, "the segment id"), (unit.source.ref, "the reference"), (variants[0][1], "the source text")]
    parts += [(text, f"the {lang} target") for lang, text in variants[1:]]
    parts += [(note, "a note") for note in unit.notes]
    for text, what in parts:
        if NOT_XML_CHAR.search(text):
            raise _refuse(text, owner, what)


# (tuid, document, reference, notes, [(lang, text)]): what one <tu> holds.
_Row = tuple[str, str, str, tuple[str, ...], list[tuple[str, str]]]


def _unit_chunks(
    units: Iterable[Unit], srclang: str, targets: Sequence[str], include_fuzzy: bool
) -> Iterator[tuple[bytes, int]]:
    """The ``<tu>`` lines of `units`, a batch at a time, as UTF-8: (bytes, number of units).

    A whole batch is checked before any of it is written: the characters XML cannot carry are searched once
    over the batch's text joined (the hot path), the culprit is named only on a refusal.
    """
    tuv_open = {lang: f'<tuv xml:lang="{_escape_attribute(lang)}"><seg>' for lang in (srclang, *targets)}
    iterator = iter(units)
    while batch := list(islice(iterator, _BATCH)):
        rows: list[_Row] = []
        texts: list[str] = []
        for unit in batch:
            try:
                uid, document, variants = _unit_parts(unit, srclang, targets, include_fuzzy)
            except KervanError:
                _check_texts(batch, rows)  # an earlier unit's refusal comes first, as it would be written first
                raise
            ref = unit.source.ref
            notes = unit.notes
            rows.append((uid, document, ref, notes, variants))
            texts.append(uid)
            texts.append(ref)
            texts += notes
            texts += [text for _, text in variants]
        joined = "".join(texts)
        # isprintable() excludes every character XML refuses and is cheaper than the search; most text passes.
        if not joined.isprintable() and _NOT_XML_SEARCH(joined):
            _check_texts(batch, rows)
        # Most batches hold nothing to escape; seven scans of the batch are cheaper than a call per text.
        if any(special in joined for special in _SPECIALS):
            escape, escape_attribute = _escape_text, _escape_attribute
        else:
            escape = escape_attribute = _same
        out: list[str] = []
        add = out.append
        for uid, document, ref, notes, variants in rows:
            add(f'\n    <tu tuid="{escape_attribute(uid)}">')
            for note in notes:
                add(f"<note>{escape(note)}</note>")
            if document:
                add(f'<prop type="x-document">{escape(document)}</prop>')
            if ref:
                add(f'<prop type="x-reference">{escape(ref)}</prop>')
            for lang, text in variants:
                opening = tuv_open.get(lang) or f'<tuv xml:lang="{_escape_attribute(lang)}"><seg>'
                add(f"{opening}{escape(text)}</seg></tuv>")
            add("</tu>")
        yield "".join(out).encode(), len(batch)


def _check_texts(batch: Sequence[Unit], rows: Sequence[_Row]) -> None:
    """Refuse the first unit of `rows` holding a character XML cannot carry, naming the field."""
    for unit, (uid, _, _, _, variants) in zip(batch, rows, strict=False):
        _refuse_part(unit, uid, variants)


def _same(text: str) -> str:
    return text


def _write_stream(
    units: Iterable[Unit],
    handle: IO[bytes],
    header: dict[str, str],
    header_props: dict[str, str],
    srclang: str,
    targets: Sequence[str],
    include_fuzzy: bool,
) -> int:
    # Serialized here rather than through lxml's xmlfile: one context manager and one write call per element
    # cost more than the text itself. The escaping is libxml2's (a test compares with lxml's serialization).
    head = [_DECLARATION.decode(), '<tmx version="1.4">\n  <header']
    head += [f' {name}="{_escape_attribute(value)}"' for name, value in header.items()]
    head.append(">")
    for name, value in header_props.items():
        head.append(f'\n    <prop type="{_escape_attribute(name)}">{_escape_text(value)}</prop>')
    head.append("\n  </header>\n  <body>" if header_props else "</header>\n  <body>")
    handle.write("".join(head).encode())
    count = 0
    for chunk, size in _unit_chunks(units, srclang, targets, include_fuzzy):
        handle.write(chunk)
        count += size
    handle.write(b"\n  </body>\n</tmx>\n")
    return count


# --------------------------------------------------------------------------------------------- reading


class TmxHeader(Record):
    """The ``<header>``: `srclang` normalized (None for ``*all*`` or missing), raw attributes, props, notes."""

    _fields = ("version", "srclang", "attributes", "props", "notes", "line")
    __slots__ = _fields
    version: str
    srclang: str | None
    attributes: Mapping[str, str]
    props: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    line: int

    def __init__(
        self,
        version: str,
        srclang: str | None,
        attributes: Mapping[str, str],
        props: tuple[tuple[str, str], ...] = (),
        notes: tuple[str, ...] = (),
        line: int = 0,
    ) -> None:
        init(self, "version", version)
        init(self, "srclang", srclang)
        init(self, "attributes", attributes)
        init(self, "props", props)
        init(self, "notes", notes)
        init(self, "line", line)


class TmxUnit(Record):
    """One ``<tu>``: its variants as plain text keyed by normalized language tag, in document order.

    `srclang` is the unit's own ``srclang`` or the header's (None for ``*all*``). `warnings` say what the
    reader changed or skipped (removed inline codes, extra ``<seg>``, variants without a language...).
    """

    _fields = ("tuid", "variants", "props", "notes", "line", "srclang", "warnings")
    __slots__ = _fields
    tuid: str | None
    variants: Mapping[str, str]
    props: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    line: int
    srclang: str | None
    warnings: tuple[str, ...]

    def __init__(
        self,
        tuid: str | None,
        variants: Mapping[str, str],
        props: tuple[tuple[str, str], ...] = (),
        notes: tuple[str, ...] = (),
        line: int = 0,
        srclang: str | None = None,
        warnings: tuple[str, ...] = (),
    ) -> None:
        # One call per field, nothing looped over: a large file makes millions of units.
        init(self, "tuid", tuid)
        init(self, "variants", variants)
        init(self, "props", props)
        init(self, "notes", notes)
        init(self, "line", line)
        init(self, "srclang", srclang)
        init(self, "warnings", warnings)

    def text(self, lang: str) -> str | None:
        """The variant in `lang`: the exact tag first, else the first with the same primary subtag."""
        key = _find_lang(self.variants, lang)
        return None if key is None else self.variants[key]

    def prop(self, kind: str) -> str | None:
        """The value of the first ``<prop type=kind>``."""
        for name, value in self.props:
            if name == kind:
                return value
        return None

    @property
    def source_lang(self) -> str | None:
        """The key of the source variant: the one matching `srclang` (None if there is none); when the
        source language is open (``*all*``), the first variant, as TMX tools conventionally write it."""
        if self.srclang:
            return _find_lang(self.variants, self.srclang)
        return next(iter(self.variants), None)


def to_unit(tmx_unit: TmxUnit, srclang: str | None = None) -> Unit | None:
    """The model Unit for a TMX unit, or None when it has no variant in the source language.

    The source is the variant matching `srclang` (default: the unit's srclang, else its first variant);
    every other non-empty variant becomes a target. The segment id is the ``tuid`` (empty if there is none)
    and the reference the ``x-reference`` prop.
    """
    from ..model import Segment, Unit  # here: importing a TMX into catalogs needs neither

    src_key = _find_lang(tmx_unit.variants, srclang) if srclang else tmx_unit.source_lang
    if src_key is None:
        return None
    source = Segment(
        id=tmx_unit.tuid or "",
        text=tmx_unit.variants[src_key],
        lang=src_key,
        ref=tmx_unit.prop("x-reference") or "",
    )
    targets = {lang: text for lang, text in tmx_unit.variants.items() if lang != src_key and text}
    return Unit(source=source, targets=targets, notes=tmx_unit.notes)


def _lang_of(elem: etree._Element) -> str:
    # TMX 1.4 uses xml:lang; TMX 1.1 and 1.2 used a plain `lang`, which many tools still write.
    return _lang_key(elem.get(XML_LANG) or elem.get("lang") or "")


@functools.cache
def _node_kinds() -> tuple[object, tuple[object, ...]]:
    """lxml's tags for entity references and for comments and processing instructions (imported late)."""
    from lxml import etree

    return etree.Entity, (etree.Comment, etree.ProcessingInstruction)


class _Flattener:
    """Turns ``<seg>`` (and ``<prop>``, ``<note>``) into plain text, counting dropped and unwrapped markup."""

    __slots__ = ("_entity", "_path", "_skip", "dropped", "removed", "unwrapped")

    def __init__(self, path: str) -> None:
        self._path = path
        self._entity, self._skip = _node_kinds()
        self.removed: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()
        self.unwrapped: Counter[str] = Counter()

    def text(self, elem: etree._Element) -> str:
        parts: list[str] = []
        self._collect(elem, parts)
        return "".join(parts)

    def _collect(self, elem: etree._Element, parts: list[str]) -> None:
        if elem.text:
            parts.append(elem.text)
        for child in elem:
            tag = child.tag
            if tag is self._entity:
                # Only undeclared entities survive parsing (declarations are refused): the text is unknowable.
                raise KervanError(f"undefined entity reference {child.text}", self._path, child.sourceline)
            if tag in self._skip:
                # Tools hide notes or codes in comments and PIs; they are not translatable text, but say so.
                self.dropped["comment" if tag is self._skip[0] else "processing instruction"] += 1
            elif tag in _CODE_TAGS:
                # The native code is the text (as Translate Toolkit reads it); <sub> inside it is part of it.
                before = len(parts)
                self._collect(child, parts)
                if not any(parts[before:]):
                    self.removed[tag] += 1  # an empty code: there is nothing to keep
            else:
                # <hi> (and anything unknown) wraps translatable text: keep the text, lose the markup.
                if tag not in _TEXT_TAGS or tag == "hi":
                    self.unwrapped[str(tag)] += 1
                self._collect(child, parts)
            if child.tail:
                parts.append(child.tail)

    def warning(self) -> str | None:
        if not self.removed and not self.unwrapped and not self.dropped:
            return None
        said = []
        if self.removed:
            said.append("empty inline codes " + ", ".join(f"<{tag}>" for tag in sorted(self.removed)) + " hold no text")
        if self.unwrapped:
            said.append("kept the text of " + ", ".join(f"<{tag}>" for tag in sorted(self.unwrapped)))
        if self.dropped:
            said.append("dropped " + ", ".join(f"{n} {kind}(s)" for kind, n in sorted(self.dropped.items())))
        return "inline markup reduced to text: " + "; ".join(said)


class _TextReader:
    """Plain text of elements; the flattener (and its bookkeeping) is only built when markup shows up."""

    __slots__ = ("_flat", "_path")

    def __init__(self, path: str) -> None:
        self._path = path
        self._flat: _Flattener | None = None

    def __call__(self, elem: etree._Element) -> str:
        if not len(elem):  # the common case: nothing but text
            return elem.text or ""
        if self._flat is None:
            self._flat = _Flattener(self._path)
        return self._flat.text(elem)

    def warning(self) -> str | None:
        return None if self._flat is None else self._flat.warning()


def _parse_header(elem: etree._Element, version: str, path: str) -> TmxHeader:
    text = _TextReader(path)
    props: list[tuple[str, str]] = []
    notes: list[str] = []
    for child in elem:
        if child.tag == "prop":
            props.append((child.get("type", ""), text(child)))
        elif child.tag == "note":
            notes.append(text(child))
    attributes = {str(key): value for key, value in elem.attrib.items()}
    srclang = normalize_lang(attributes.get("srclang", ""))
    return TmxHeader(
        version=version,
        srclang=None if srclang in ("", ALL_LANGS) else srclang,
        attributes=attributes,
        props=tuple(props),
        notes=tuple(notes),
        line=elem.sourceline or 0,
    )


def _parse_tu(elem: etree._Element, default_srclang: str | None, path: str) -> TmxUnit:
    # Called once per unit of files with millions of them: the common case (a <seg> of plain text) is read
    # inline, the text reader and its bookkeeping only come in for markup.
    text: _TextReader | None = None
    warnings: list[str] = []
    props: list[tuple[str, str]] = []
    notes: list[str] = []
    variants: dict[str, str] = {}
    for child in elem:
        tag = child.tag
        if tag == "tuv":
            lang = _lang_of(child)
            seg = None
            count = 0
            for part in child:
                if part.tag == "seg":
                    count += 1
                    if seg is None:
                        seg = part
            if not lang:
                warnings.append(f"line {child.sourceline}: <tuv> without a language skipped")
            elif seg is None:
                warnings.append(f"line {child.sourceline}: <tuv> {lang} has no <seg>, skipped")
            elif lang in variants:
                warnings.append(f"line {child.sourceline}: second <tuv> for {lang} skipped")
            else:
                if count > 1:
                    warnings.append(f"line {child.sourceline}: <tuv> {lang} has {count} <seg>, kept the first")
                if len(seg):
                    text = text or _TextReader(path)
                    variants[lang] = text(seg)
                else:
                    variants[lang] = seg.text or ""
        elif tag == "prop" or tag == "note":
            if len(child):
                text = text or _TextReader(path)
                value = text(child)
            else:
                value = child.text or ""
            if tag == "prop":
                props.append((child.get("type", ""), value))
            else:
                notes.append(value)
    said = text.warning() if text is not None else None
    if said:
        warnings.append(said)
    own = elem.get("srclang")
    if own:
        own = _lang_key(own)
        srclang = None if own == ALL_LANGS else own
    else:
        srclang = default_srclang
    return TmxUnit(
        tuid=elem.get("tuid") or None,
        variants=variants,
        props=tuple(props),
        notes=tuple(notes),
        line=elem.sourceline or 0,
        srclang=srclang,
        warnings=tuple(warnings),
    )


class TmxReader:
    """A TMX file opened for streaming: `header` is read at once, iterating yields :class:`TmxUnit`.

    Memory stays constant: each ``<tu>`` is freed once converted. Use as a context manager (or call
    :meth:`close`) when the iteration may stop early. Bad input raises KervanError with file and line.
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | IO[bytes],
        *,
        label: str | None = None,
        huge_tree: bool = False,
    ) -> None:
        self._owned: IO[bytes] | None = None
        if isinstance(source, str | os.PathLike):
            self.path = label or str(source)
            try:
                self._owned = open(source, "rb")  # noqa: SIM115 -- closed by close()/__exit__
            except OSError as exc:
                raise KervanError(exc.strerror or str(exc), self.path) from None
            stream: IO[bytes] = self._owned
        else:
            self.path = label or str(getattr(source, "name", "<stream>"))
            stream = source
        self._items = self._parse(stream, huge_tree)
        try:
            first = next(self._items)
        except StopIteration:
            self.close()
            raise KervanError("no <header>: not a valid TMX document", self.path) from None
        except BaseException:
            self.close()
            raise
        if not isinstance(first, TmxHeader):  # _parse refuses a <tu> before the header; never trust order
            self.close()
            raise KervanError("<tu> before <header>: not a valid TMX document", self.path)
        self.header: TmxHeader = first

    def __iter__(self) -> Iterator[TmxUnit]:
        for item in self._items:
            if isinstance(item, TmxUnit):
                yield item
        self.close()

    def __enter__(self) -> TmxReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._items.close()
        if self._owned is not None:
            self._owned.close()
            self._owned = None

    def _parse(self, stream: IO[bytes], huge_tree: bool) -> Iterator[TmxHeader | TmxUnit]:
        from .xml import iterparse, read_prolog, root_element

        path = self.path
        head = read_prolog(stream, path)
        # Look at the root first: the event filter below would otherwise walk (and keep) a whole foreign
        # document before noticing that it holds no TMX.
        root = root_element(head)
        if root is not None and root[0] != "tmx":
            raise KervanError(f"not a TMX document: the root element is <{root[0]}>", path, root[1])

        version = ""
        root_line = 0
        header: TmxHeader | None = None
        srclang: str | None = None
        events = iterparse(
            stream, path, events=("start", "end"), tag=["tmx", "header", "body", "tu"], huge_tree=huge_tree, head=head
        )
        for event, elem in events:
            tag = elem.tag
            if event == "start":
                if tag == "tmx" and not version:
                    version = elem.get("version", "") or "?"
                    root_line = elem.sourceline or 0
                elif tag in ("body", "tu") and header is None:
                    raise KervanError(f"<{tag}> before <header>: not a valid TMX document", path, elem.sourceline)
                continue
            if tag == "tu":
                yield _parse_tu(elem, srclang, path)
            elif tag == "header" and header is None:
                header = _parse_header(elem, "" if version == "?" else version, path)
                srclang = header.srclang
                yield header
            else:
                continue
            # Free what has been consumed: the element's content and the siblings parsed before it.
            elem.clear(keep_tail=True)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
        if not version:
            raise KervanError("not a TMX document: no <tmx> element", path)
        if header is None:
            raise KervanError("no <header>: not a valid TMX document", path, root_line or None)


def open_tmx(
    source: str | os.PathLike[str] | IO[bytes], *, label: str | None = None, huge_tree: bool = False
) -> TmxReader:
    """Open a TMX file or binary stream for streaming; see :class:`TmxReader`."""
    return TmxReader(source, label=label, huge_tree=huge_tree)


def read_header(
    source: str | os.PathLike[str] | IO[bytes], *, label: str | None = None, huge_tree: bool = False
) -> TmxHeader:
    """Only the header (the file is read no further than ``</header>``)."""
    with TmxReader(source, label=label, huge_tree=huge_tree) as reader:
        return reader.header


def iter_tmx(
    source: str | os.PathLike[str] | IO[bytes], *, label: str | None = None, huge_tree: bool = False
) -> Iterator[TmxUnit]:
    """Stream the units of a TMX file in document order, in constant memory."""
    with TmxReader(source, label=label, huge_tree=huge_tree) as reader:
        yield from reader


class TmxDocument(Record):
    """A whole TMX file in memory: for small files; large ones are better streamed with :func:`iter_tmx`."""

    _fields = ("header", "units", "path")
    __slots__ = _fields
    header: TmxHeader
    units: tuple[TmxUnit, ...]
    path: str

    def __init__(self, header: TmxHeader, units: tuple[TmxUnit, ...], path: str = "") -> None:
        init(self, "header", header)
        init(self, "units", units)
        init(self, "path", path)


def read_tmx(
    source: str | os.PathLike[str] | IO[bytes], *, label: str | None = None, huge_tree: bool = False
) -> TmxDocument:
    """Read a whole TMX file into memory."""
    with TmxReader(source, label=label, huge_tree=huge_tree) as reader:
        return TmxDocument(reader.header, tuple(reader), reader.path)


def iter_units(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    srclang: str | None = None,
    label: str | None = None,
    huge_tree: bool = False,
) -> Iterator[Unit]:
    """Stream model Units (see :func:`to_unit`); units without a source-language variant are skipped."""
    for tmx_unit in iter_tmx(source, label=label, huge_tree=huge_tree):
        unit = to_unit(tmx_unit, srclang)
        if unit is not None:
            yield unit


__all__ = [
    "ALL_LANGS",
    "SEGTYPES",
    "TmxDocument",
    "TmxHeader",
    "TmxReader",
    "TmxUnit",
    "format_tmx_date",
    "iter_tmx",
    "iter_units",
    "match_lang",
    "normalize_lang",
    "open_tmx",
    "parse_tmx_date",
    "read_header",
    "read_tmx",
    "to_unit",
    "write_tmx",
]
