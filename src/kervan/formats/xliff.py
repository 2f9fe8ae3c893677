"""XLIFF 1.2: xliff_bytes / read_xliff.

Written: one ``<file>`` per article, a ``<group restype="x-paragraph">`` per paragraph, a ``<trans-unit>`` per
segment whose ``id`` is the segment id; ``<target state>`` from the catalog status (new,
needs-review-translation, translated; ``approved="yes"`` on translated units, which Translate Toolkit and
others read as final); the catalog's extracted comments (glossary terms) as ``<note>``s; the headline and date
of the article and the segment's place in the source file as ``<context-group>``s. The output is valid
against the OASIS XLIFF 1.2 strict schema, and so against the transitional one.

Read: XLIFF 1.0 to 1.2 from any tool. Inline codes are kept as their native text, as Translate Toolkit's
reader keeps them: the content of ``<ph>``, ``<bpt>``, ``<ept>``, ``<it>`` (with any ``<sub>``), the text
inside ``<g>`` and ``<mrk>``, and the ``equiv-text`` of the empty ``<x/>``, ``<bx/>``, ``<ex/>``. XLIFF 2.x is
refused with a message saying so.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from .. import __version__
from ..errors import KervanError
from ..model import Segment, UnitStatus
from ..record import Record, init
from .xmltext import NOT_XML_CHAR, escape, quoteattr

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
_OLD_NAMESPACES = ("urn:oasis:names:tc:xliff:document:1.1", "urn:oasis:names:tc:xliff:document:1.0", "")
_XLIFF2_PREFIX = "urn:oasis:names:tc:xliff:document:2"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_STATE = {"translated": "translated", "fuzzy": "needs-review-translation", "untranslated": "new"}
_FINAL_STATES = {"translated", "signed-off", "final"}


class XliffUnit(Record):
    """One trans-unit: the source segment (id, text, paragraph, reference), its target and status, notes."""

    _fields = ("segment", "target", "status", "notes", "line")
    __slots__ = _fields
    segment: Segment
    target: str
    status: UnitStatus
    notes: tuple[str, ...]
    line: int

    def __init__(
        self,
        segment: Segment,
        target: str = "",
        status: UnitStatus = "untranslated",
        notes: tuple[str, ...] = (),
        line: int = 0,
    ) -> None:
        init(self, "segment", segment)
        init(self, "target", target)
        init(self, "status", status)
        init(self, "notes", notes)
        init(self, "line", line)


class XliffFile(Record):
    """One ``<file>``: an article in one language pair."""

    _fields = ("original", "source_lang", "target_lang", "units", "headline", "date", "line")
    __slots__ = _fields
    original: str
    source_lang: str
    target_lang: str
    units: tuple[XliffUnit, ...]
    headline: str
    date: str
    line: int

    def __init__(
        self,
        original: str,
        source_lang: str,
        target_lang: str,
        units: tuple[XliffUnit, ...],
        headline: str = "",
        date: str = "",
        line: int = 0,
    ) -> None:
        init(self, "original", original)
        init(self, "source_lang", source_lang)
        init(self, "target_lang", target_lang)
        init(self, "units", units)
        init(self, "headline", headline)
        init(self, "date", date)
        init(self, "line", line)


class XliffDocument:
    """What an XLIFF document holds: its files, and warnings about what was skipped while reading it."""

    __slots__ = ("files", "warnings")

    def __init__(self, files: list[XliffFile] | None = None, warnings: list[str] | None = None) -> None:
        self.files = [] if files is None else files
        self.warnings = [] if warnings is None else warnings


# --------------------------------------------------------------------------------------------- writing


def _text(value: str, where: str) -> str:
    bad = NOT_XML_CHAR.search(value)
    if bad:
        raise KervanError(f"{where}: U+{ord(bad.group()):04X} cannot be written in XML")
    return escape(value)


def _attr(value: str, where: str) -> str:
    _text(value, where)
    return quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _xml_lang(lang: str) -> str:
    return lang.replace("_", "-")


def _pieces(files: Iterable[XliffFile], date: _dt.datetime) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<xliff version="1.2" xmlns="{XLIFF_NS}">\n'
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ")
    for file in files:
        where = file.original
        yield (
            f"  <file original={_attr(file.original, where)}"
            f" source-language={_attr(_xml_lang(file.source_lang), where)}"
            f' target-language={_attr(_xml_lang(file.target_lang), where)} datatype="plaintext"'
            f' date="{stamp}" tool-id="kervan">\n'
        )
        yield "    <header>\n"
        yield f'      <tool tool-id="kervan" tool-name="Kervan" tool-version={_attr(__version__, where)}/>\n'
        yield "    </header>\n"
        yield "    <body>\n"
        article: list[str] = []
        if file.headline:
            article.append(f'<context context-type="x-headline">{_text(file.headline, where)}</context>')
        if file.date:
            article.append(f'<context context-type="x-date">{_text(file.date, where)}</context>')
        open_group: int | None = None
        for unit in file.units:
            segment = unit.segment
            where = f"{file.original}: unit {segment.id}"
            if segment.paragraph != open_group:
                if open_group is not None:
                    yield "      </group>\n"
                open_group = segment.paragraph
                group_id = f"{segment.id.rpartition('.')[0]}" if "." in segment.id else segment.id
                yield f'      <group id={_attr(group_id, where)} restype="x-paragraph">\n'
            approved = ' approved="yes"' if unit.status == "translated" else ""
            yield f'        <trans-unit id={_attr(segment.id, where)}{approved} xml:space="preserve">\n'
            yield f"          <source xml:lang={_attr(_xml_lang(file.source_lang), where)}>"
            yield f"{_text(segment.text, where)}</source>\n"
            state = _STATE[unit.status]
            lang = _attr(_xml_lang(file.target_lang), where)
            if unit.target:
                yield f'          <target xml:lang={lang} state="{state}">{_text(unit.target, where)}</target>\n'
            else:
                yield f'          <target xml:lang={lang} state="{state}"/>\n'
            if article:
                yield '          <context-group purpose="information">'
                yield "".join(article)
                yield "</context-group>\n"
            if segment.ref:
                path, _, line = segment.ref.rpartition(":")
                if not line.isdigit():
                    path, line = segment.ref, ""
                yield '          <context-group purpose="location">'
                yield f'<context context-type="sourcefile">{_text(path, where)}</context>'
                if line:
                    yield f'<context context-type="linenumber">{line}</context>'
                yield "</context-group>\n"
            for note in unit.notes:
                yield f'          <note from="kervan" annotates="source">{_text(note, where)}</note>\n'
            yield "        </trans-unit>\n"
        if open_group is not None:
            yield "      </group>\n"
        yield "    </body>\n"
        yield "  </file>\n"
    yield "</xliff>\n"


def xliff_bytes(files: Iterable[XliffFile], date: _dt.datetime | None = None) -> bytes:
    """The XLIFF 1.2 document for `files`; `date` (default: now) goes into each <file date>."""
    when = (date or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC)
    return "".join(_pieces(files, when)).encode("utf-8")


# --------------------------------------------------------------------------------------------- reading

_NATIVE = {"ph", "bpt", "ept", "it"}
_WRAPPING = {"g", "mrk", "sub"}
_EMPTY = {"x", "bx", "ex"}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def inline_text(element: Any) -> str:
    """The text of a <source>/<target> with inline codes kept as their native text."""
    parts = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name in _NATIVE:
            parts.append("".join(child.itertext()))
        elif name in _WRAPPING:
            parts.append(inline_text(child))
        elif name in _EMPTY:
            parts.append(child.get("equiv-text", ""))
        parts.append(child.tail or "")
    return "".join(parts)


_XML_SPACE = f"{{{XML_NS}}}space"
_RUNS = re.compile(r"[ \t\r\n]+")


def unit_text(element: Any) -> str:
    """inline_text, with runs of whitespace made one space unless xml:space="preserve" is in effect (as
    Translate Toolkit reads it): tools indent and wrap <source> text freely where they do not preserve it."""
    text = inline_text(element)
    node = element
    while node is not None and node.get(_XML_SPACE) is None:
        node = node.getparent()
    if node is not None and node.get(_XML_SPACE) == "preserve":
        return text
    return _RUNS.sub(" ", text).strip()


def _status(target: Any, text: str) -> UnitStatus:
    if target is None or not text:
        return "untranslated"
    state = target.get("state", "")
    if state.startswith("needs-"):
        return "fuzzy" if state != "needs-translation" else "untranslated"
    if state == "new":
        return "untranslated"
    return "translated"


def read_xliff(path: str | os.PathLike[str]) -> XliffDocument:
    """Every <file> of an XLIFF 1.x document with its units, read with the hardened parser."""
    from .xml import parse_file

    where = os.fspath(path)
    root = parse_file(where).getroot()
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if _local(root.tag) != "xliff":
        raise KervanError(f"not an XLIFF document (root element <{_local(root.tag)}>)", where, root.sourceline)
    if namespace.startswith(_XLIFF2_PREFIX) or root.get("version", "").startswith("2"):
        raise KervanError("XLIFF 2.x is not supported; export XLIFF 1.2 from your tool", where, root.sourceline)
    if namespace != XLIFF_NS and namespace not in _OLD_NAMESPACES:
        raise KervanError(f"unknown XLIFF namespace {namespace!r}", where, root.sourceline)
    ns = f"{{{namespace}}}" if namespace else ""
    document = XliffDocument()
    for file in root.iter(f"{ns}file"):
        source_lang = file.get("source-language", "")
        target_lang = file.get("target-language", "")
        units = []
        for tu in file.iter(f"{ns}trans-unit"):
            source = tu.find(f"{ns}source")
            if source is None:
                document.warnings.append(f"{where}:{tu.sourceline}: trans-unit without <source>, skipped")
                continue
            target = tu.find(f"{ns}target")
            text = unit_text(target) if target is not None else ""
            if target is not None and target.get(f"{{{XML_NS}}}lang") and not target_lang:
                target_lang = target.get(f"{{{XML_NS}}}lang", "")
            segment = Segment(id=tu.get("id", ""), text=unit_text(source), lang=source_lang, ref="")
            units.append(XliffUnit(segment=segment, target=text, status=_status(target, text), line=tu.sourceline))
        document.files.append(
            XliffFile(
                original=file.get("original", ""),
                source_lang=source_lang,
                target_lang=target_lang,
                units=tuple(units),
                line=file.sourceline or 0,
            )
        )
    return document
