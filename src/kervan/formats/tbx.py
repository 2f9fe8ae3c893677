"""TBX termbases: TBX-Basic v3 (ISO 30042:2019, root `<tbx>`) and v2 (root `<martif>`), read and written.

Reading streams the file through the hardened parser one entry at a time and accepts both versions, the DCA
style (`<termNote type="termType">`) and the DCT style (`<termType>` in a module namespace). Writing produces
TBX-Basic in the DCA style; the v2 form is the one OmegaT, Translate Toolkit and older CAT tools read.

The model keeps one definition, one note and one subject per concept. What a foreign file holds beyond that
(definitions in several languages, notes on a language or a term, context sentences) is not dropped: it is
folded into the concept note, each piece labelled with its language and term.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, Literal

from ..errors import KervanError
from ..model import Concept, Term, TermKind, TermStatus
from .xmltext import NOT_XML_CHAR

TBX3_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Dialect schemas named by the TBX-Basic v3 processing instructions; nothing here fetches them.
_TBX_BASIC_RNG = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng"
_TBX_BASIC_SCH = "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch"

# What we write. TBX-Basic allows acronym and abbreviation; "abbreviation" is the one that is true of every
# short form the model calls an abbreviation (EAEU is an initialism, not an acronym).
KIND_TO_TBX: dict[TermKind, str] = {"fullForm": "fullForm", "abbreviation": "abbreviation", "variant": "variant"}
STATUS_TO_TBX: dict[TermStatus, str] = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}

# What we read: every termType value of ISO 12620 (and so of TBX and TBX-Basic), compared case-insensitively,
# mapped to the nearest kind the model has. Values other than the model's own three are kept in the concept
# note ("termType: synonym"), so the import loses nothing a later export could want.
_TBX_TO_KIND: dict[str, TermKind] = {
    "fullform": "fullForm",
    "phrase": "fullForm",
    "entryterm": "fullForm",
    "commonname": "fullForm",
    "internationalscientificterm": "fullForm",
    "internationalism": "fullForm",
    "standardtext": "fullForm",
    "symbol": "fullForm",
    "formula": "fullForm",
    "equation": "fullForm",
    "logicalexpression": "fullForm",
    "partnumber": "fullForm",
    "sku": "fullForm",
    "string": "fullForm",
    "shortcut": "fullForm",
    # A synonym is another full designation of the same concept (Okapi's and SDL's files use it widely).
    "synonym": "fullForm",
    "synonymousphrase": "fullForm",
    "phraseologicalunit": "fullForm",
    "abbreviation": "abbreviation",
    "acronym": "abbreviation",
    "initialism": "abbreviation",
    "clippedterm": "abbreviation",
    # A short form keeps whole words ("Tokayev" for "Kassym-Jomart Tokayev"): a variant, not an abbreviation.
    "shortform": "variant",
    "variant": "variant",
    "transcribedform": "variant",
    "transliteratedform": "variant",
    "orthographicvariant": "variant",
    "orthographicalvariant": "variant",
}
_MODELLED_KINDS = frozenset({"fullform", "abbreviation", "variant"})
_TBX_TO_STATUS: dict[str, TermStatus] = {
    "preferredterm-admn-sts": "preferred",
    "standardizedterm-admn-sts": "preferred",
    "legalterm-admn-sts": "preferred",
    "regulatedterm-admn-sts": "preferred",
    "admittedterm-admn-sts": "admitted",
    "deprecatedterm-admn-sts": "deprecated",
    # A superseded term is one not to use any more; the model has no separate status for it.
    "supersededterm-admn-sts": "deprecated",
    # Short spellings found in older files and in tools that write TBX loosely.
    "preferred": "preferred",
    "admitted": "admitted",
    "deprecated": "deprecated",
    "superseded": "deprecated",
}

_BASIC_TERM_TYPES = ("fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase", "synonym", "…")
_BASIC_STATUSES = (
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
    "supersededTerm-admn-sts",
)

_ENTRY_TAGS = frozenset({"conceptEntry", "termEntry"})
_LANG_TAGS = frozenset({"langSec", "langSet"})
_TERM_TAGS = frozenset({"termSec", "tig", "ntig"})
# Containers whose descendants carry the same data categories as direct children.
_GROUP_TAGS = frozenset({"descripGrp", "termNoteGrp", "termGrp", "adminGrp"})

_XML_SPACE = re.compile(r"[ \t\r\n]+")
# Characters XML 1.0 cannot carry at all (not even as character references), and lone surrogates.
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_SIMPLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")

Source = str | os.PathLike[str] | IO[bytes]


@functools.cache
def _ncname() -> re.Pattern[str]:
    # Compiling the full XML name classes costs milliseconds; only non-ASCII ids need them.
    return re.compile(f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f\u2040]*")


def is_ncname(value: str) -> bool:
    """True if `value` can be an XML ID (what TBX requires of concept ids)."""
    if _SIMPLE_NAME.fullmatch(value):
        return True
    return not value.isascii() and _ncname().fullmatch(value) is not None


_LOCAL_NAMES: dict[str, str] = {}


def _local(tag: Any) -> str:
    """The element name without its namespace ("" for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rpartition("}")[2]
    return name


def _clean(text: str) -> str:
    """Collapse XML whitespace: files wrap long terms and definitions over indented lines."""
    return _XML_SPACE.sub(" ", text).strip(" ")


def _text(element: Any) -> str:
    # itertext() keeps the words inside inline markup such as <hi>.
    text = (element.text or "") if len(element) == 0 else "".join(element.itertext())
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or text[:1] == " " or text[-1:] == " ":
        return _clean(text)
    return text


# --------------------------------------------------------------------------- reading


def _where(source: Source) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


def read_tbx(source: Source, *, warnings: list[str] | None = None) -> list[Concept]:
    """Every concept of a TBX file (v3 or v2, detected from the root element).

    What is skipped rather than refused (an empty ``<term/>``, a language or concept left without terms by
    it) is appended to `warnings` as ``file:line: message``, when a list is given.
    """
    return list(iter_tbx(source, warnings=warnings))


def iter_tbx(source: Source, *, warnings: list[str] | None = None) -> Iterator[Concept]:
    """Concepts one at a time, in file order, with constant memory on large termbases."""
    path = _where(source)
    if not isinstance(source, str | os.PathLike):
        yield from _iter_stream(source, path, warnings)
        return
    try:
        stream: IO[bytes] = open(source, "rb")  # noqa: SIM115 -- closed below, after the generator ends
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), path) from None
    with stream:
        yield from _iter_stream(stream, path, warnings)


# Only the root and the entries produce events: the parser hands over nothing else.
_EVENT_TAGS = ["{*}tbx", "{*}martif", "{*}conceptEntry", "{*}termEntry"]


def _iter_stream(stream: IO[bytes], path: str, warnings: list[str] | None) -> Iterator[Concept]:
    from . import xml

    reader = _EntryReader(path, [] if warnings is None else warnings)
    head = xml.read_prolog(stream, path)
    root_seen = False
    ordinal = 0
    for event, element in xml.iterparse(stream, path, events=("start", "end"), tag=_EVENT_TAGS, head=head):
        if not root_seen:
            root = element.getroottree().getroot()
            if event != "start" or element is not root:
                raise reader.not_tbx(_local(root.tag), root.sourceline)
            root_seen = True
            reader.start_root(element)
            continue
        if event != "end" or _local(element.tag) not in _ENTRY_TAGS:
            continue
        ordinal += 1
        concept = reader.concept(element, ordinal)
        if concept is not None:
            yield concept
        # Free what has been read: the entry itself and the siblings before it.
        element.clear()
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
    if not root_seen:
        found = xml.root_element(head)
        if found is None:
            raise KervanError("not a TBX file: no <tbx> (TBX v3) or <martif> (TBX v2) root element", path)
        raise reader.not_tbx(_local(found[0]), found[1])


class _EntryReader:
    """Turns one conceptEntry/termEntry element into a Concept, with errors located by line."""

    def __init__(self, path: str, warnings: list[str]) -> None:
        self.path = path
        self.file_lang = ""
        self.ids: dict[str, int] = {}
        self.warnings = warnings
        self.skipped = 0  # empty terms skipped in the current entry

    def warn(self, message: str, element: Any) -> None:
        line = getattr(element, "sourceline", None)
        self.warnings.append(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")

    def error(self, message: str, element: Any) -> KervanError:
        return KervanError(message, self.path, getattr(element, "sourceline", None))

    def not_tbx(self, name: str, line: int | None) -> KervanError:
        return KervanError(
            f"not a TBX file: the root element is <{name}>, expected <tbx> (TBX v3) or <martif> (TBX v2)",
            self.path,
            line,
        )

    def start_root(self, root: Any) -> None:
        lang = root.get(_XML_LANG)
        self.file_lang = self.language(lang, root) if lang else ""

    def language(self, tag: str, element: Any) -> str:
        from ..locales import check_language

        try:
            return check_language(tag.strip())
        except KervanError as exc:
            raise self.error(exc.message, element) from None

    def concept(self, entry: Any, ordinal: int) -> Concept | None:
        concept_id = (entry.get("id") or "").strip()
        if not concept_id:
            # TBX v2 makes the id optional; an entry without one still needs a stable name.
            concept_id = f"entry-{ordinal}"
        elif not is_ncname(concept_id):
            # Refused here, with the line, rather than when the merged termbase is written.
            raise self.error(
                f"concept id {concept_id!r} is not an XML name (letters, digits, '-', '_', '.'; no leading digit)",
                entry,
            )
        if concept_id in self.ids:
            raise self.error(f"duplicate concept id {concept_id!r} (first used on line {self.ids[concept_id]})", entry)
        self.ids[concept_id] = entry.sourceline or 0

        subjects: list[str] = []
        definitions: list[tuple[str, str]] = []  # (language or "" for the concept level, text)
        notes: list[str] = []
        terms: dict[str, list[Term]] = {}
        self.skipped = 0
        for child in entry:
            name = _local(child.tag)
            if name in _LANG_TAGS:
                self.read_language(child, terms, definitions, notes)
            else:
                self.read_info(child, "", subjects, definitions, notes)
        if not terms:
            if self.skipped:
                self.warn(f"concept {concept_id!r} skipped: all its terms are empty", entry)
                return None
            raise self.error(f"concept {concept_id!r} has no terms (no langSec/langSet with a term)", entry)

        definition = ""
        if definitions:
            # The concept-level definition wins, then the one in the file's own language, then the first.
            best = min(
                range(len(definitions)),
                key=lambda i: (definitions[i][0] != "", definitions[i][0] != self.file_lang, i),
            )
            definition = definitions[best][1]
            for i, (lang, text) in enumerate(definitions):
                if i != best:
                    notes.append(f"[{lang}] definition: {text}" if lang else f"definition: {text}")
        return Concept(
            id=concept_id,
            terms={lang: tuple(items) for lang, items in terms.items()},
            definition=definition,
            note="; ".join(notes),
            subject="; ".join(subjects),
        )

    def read_language(
        self, section: Any, terms: dict[str, list[Term]], definitions: list[tuple[str, str]], notes: list[str]
    ) -> None:
        tag = section.get(_XML_LANG) or section.get("lang")
        if not tag or not tag.strip():
            raise self.error(f"<{_local(section.tag)}> without xml:lang", section)
        lang = self.language(tag, section)
        found: list[Term] = []
        skipped = self.skipped
        for child in section:
            name = _local(child.tag)
            if name in _TERM_TAGS:
                term = self.read_term(child, lang, notes)
                if term is not None:
                    found.append(term)
            else:
                self.read_info(child, lang, [], definitions, notes)
        if not found:
            if self.skipped > skipped:
                return  # its only terms were empty, each already reported
            raise self.error(f'<{_local(section.tag)} xml:lang="{tag}"> without terms', section)
        # A language may come in two sections; its terms are one list.
        terms.setdefault(lang, []).extend(found)

    def read_term(self, section: Any, lang: str, notes: list[str]) -> Term | None:
        term_element = None
        kind: TermKind = "fullForm"
        status: TermStatus = "preferred"
        extra: list[tuple[Any, str]] = []
        foreign_type = ""  # a termType the model has no kind of its own for
        for element in _flatten(section):
            name = _local(element.tag)
            # DCA style says <termNote type="termType">, DCT style <termType>: the category is the same.
            category = (element.get("type") or "").strip() if name in ("termNote", "descrip") else name
            if name == "term":
                if term_element is None:
                    term_element = element
            elif category == "termType":
                kind = self.lookup(_TBX_TO_KIND, element, "termType", _BASIC_TERM_TYPES)
                value = _text(element)
                foreign_type = "" if value.lower() in _MODELLED_KINDS else value
            elif category == "administrativeStatus":
                status = self.lookup(_TBX_TO_STATUS, element, "administrativeStatus", _BASIC_STATUSES)
            elif name in ("termNote", "descrip", "note"):
                extra.append((element, "" if name == "note" else category))
        if term_element is None:
            raise self.error(f"<{_local(section.tag)}> without a <term>", section)
        text = _text(term_element)
        if not text:
            # SDL and other exports leave <term/> where a language has no term yet: nothing to keep.
            self.skipped += 1
            self.warn(f"empty <term> in {lang} skipped", term_element)
            return None
        if foreign_type:
            notes.append(f"[{lang}] {text}: termType: {foreign_type} (read as {kind})")
        for element, label in extra:
            value = _text(element)
            if value:
                notes.append(f"[{lang}] {text}: {label + ': ' if label else ''}{value}")
        return Term(text=text, lang=lang, kind=kind, status=status)

    def lookup(self, table: Mapping[str, Any], element: Any, category: str, expected: tuple[str, ...]) -> Any:
        value = _text(element)
        try:
            return table[value.lower()]
        except KeyError:
            raise self.error(f"unknown {category} {value!r} (TBX-Basic has {', '.join(expected)})", element) from None

    def read_info(
        self,
        element: Any,
        lang: str,
        subjects: list[str],
        definitions: list[tuple[str, str]],
        notes: list[str],
    ) -> None:
        """A descriptive element on the concept or language level: subject field, definition or note."""
        for item in _flatten(element):
            name = _local(item.tag)
            kind = (item.get("type") or "").strip() if name == "descrip" else name
            if name not in ("descrip", "note", "subjectField", "definition"):
                continue
            value = _text(item)
            if not value:
                continue
            if kind == "subjectField" and not lang:
                subjects.append(value)
            elif kind == "definition":
                definitions.append((lang, value))
            else:
                label = "" if kind == "note" else f"{kind}: "
                notes.append(f"[{lang}] {label}{value}" if lang else f"{label}{value}")


def _flatten(element: Any) -> Iterator[Any]:
    """The element itself (or, for a group, its members), so grouped data categories read like plain ones."""
    name = _local(element.tag)
    if name in _GROUP_TAGS or name in _TERM_TAGS:
        for child in element:
            yield from _flatten(child)
    elif name:
        yield element


# --------------------------------------------------------------------------- writing


def _escape(text: str, where: str) -> str:
    bad = NOT_XML_CHAR.search(text)
    if bad:
        raise KervanError(f"{where}: U+{ord(bad.group()):04X} cannot be written in XML")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A raw CR would be read back as LF; as a character reference it survives.
    return text.replace("\r", "&#13;")


def _attr(text: str, where: str) -> str:
    return _escape(text, where).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _xml_lang(lang: str) -> str:
    # The model keeps gettext-style codes (pt_BR); XML wants BCP 47 (pt-BR).
    return lang.replace("_", "-")


def write_tbx(
    concepts: Iterable[Concept],
    target: str | os.PathLike[str] | IO[bytes],
    *,
    version: Literal[2, 3] = 3,
    title: str | None = None,
    description: str | None = None,
    lang: str = "en",
) -> int:
    """Write TBX-Basic (v3 by default, v2 with `version=2`) atomically to a path, or to a binary stream.

    `lang` is the language of definitions and notes (the root's xml:lang). Without `title`/`description`, a
    file being rewritten keeps the ones it has (so updating the termbase keeps its header); a new file gets
    "Kervan termbase". Returns the number of concepts. Concept ids must be XML names, terms non-empty, and text
    representable in XML; anything else is a KervanError and leaves an existing file untouched.
    """
    if version not in (2, 3):
        raise KervanError(f"unsupported TBX version {version!r} (expected 3 or 2)")
    if isinstance(target, str | os.PathLike):
        from .atomic import atomic_open

        if title is None or description is None:
            old_title, old_description = read_tbx_header(target)
            title = old_title if title is None else title
            description = old_description if description is None else description
        with atomic_open(target, "wb") as handle:
            return _write(
                concepts, handle, version, title or _DEFAULT_TITLE, description or "", lang, os.fspath(target)
            )
    return _write(concepts, target, version, title or _DEFAULT_TITLE, description or "", lang, _where(target))


_DEFAULT_TITLE = "Kervan termbase"


def read_tbx_header(path: str | os.PathLike[str]) -> tuple[str, str]:
    """(title, source description) of a TBX file; empty strings if it has none or cannot be read."""
    found = {"title": "", "p": ""}
    if not os.path.isfile(path):
        return "", ""  # none yet (a new file's writer never loads the parser), or a FIFO or device: not read
    try:
        with open(path, "rb") as stream:
            from . import xml

            tags = ["{*}title", "{*}p", "{*}sourceDesc", "{*}conceptEntry", "{*}termEntry"]
            for _, element in xml.iterparse(stream, os.fspath(path), events=("end",), tag=tags):
                name = _local(element.tag)
                if name in _ENTRY_TAGS or name == "sourceDesc":
                    break  # the header is over (or its source description read)
                if name == "p" and _local(element.getparent().tag) != "sourceDesc":
                    continue
                found[name] = found[name] or _text(element)
    except (OSError, KervanError):
        pass
    return found["title"], found["p"]


def _write(
    concepts: Iterable[Concept],
    out: IO[bytes],
    version: int,
    title: str,
    description: str,
    lang: str,
    path: str,
) -> int:
    count = 0
    chunk: list[str] = []
    try:
        for piece in _pieces(concepts, version, title, description, lang):
            if piece == _END_OF_ENTRY:
                count += 1
                # Hand text to the stream every few hundred entries: memory stays flat on large termbases.
                if len(chunk) > 4096:
                    out.write("".join(chunk).encode("utf-8"))
                    chunk.clear()
                continue
            chunk.append(piece)
    except KervanError as exc:
        if exc.path is None:
            exc.path = path
        raise
    out.write("".join(chunk).encode("utf-8"))
    return count


_END_OF_ENTRY = ""  # yielded after each entry (no real piece is empty)


def _pieces(concepts: Iterable[Concept], version: int, title: str, description: str, lang: str) -> Iterator[str]:
    from ..locales import check_language

    v3 = version == 3
    entry, section, term_section = ("conceptEntry", "langSec", "termSec") if v3 else ("termEntry", "langSet", "tig")
    root_lang = _attr(_xml_lang(check_language(lang)), "xml:lang")
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    if v3:
        yield (
            f'<?xml-model href="{_TBX_BASIC_RNG}" type="application/xml"'
            ' schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        )
        yield (
            f'<?xml-model href="{_TBX_BASIC_SCH}" type="application/xml"'
            ' schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
        )
        yield f'<tbx type="TBX-Basic" style="dca" xml:lang="{root_lang}" xmlns="{TBX3_NAMESPACE}">\n'
        yield "  <tbxHeader>\n"
    else:
        yield f'<martif type="TBX-Basic" xml:lang="{root_lang}">\n'
        yield "  <martifHeader>\n"
    yield "    <fileDesc>\n"
    yield "      <titleStmt>\n"
    yield f"        <title>{_escape(title, 'title')}</title>\n"
    yield "      </titleStmt>\n"
    yield "      <sourceDesc>\n"
    yield f"        <p>{_escape(description or title, 'description')}</p>\n"
    yield "      </sourceDesc>\n"
    yield "    </fileDesc>\n"
    if v3:
        yield "  </tbxHeader>\n"
    else:
        # The TBX-Basic v2 dialect declaration (its XCS file name, as the TBX-Basic package ships it).
        yield "    <encodingDesc>\n"
        yield '      <p type="XCSURI">TBXBasicXCSV02.xcs</p>\n'
        yield "    </encodingDesc>\n"
        yield "  </martifHeader>\n"
    yield "  <text>\n"
    yield "    <body>\n"
    seen: set[str] = set()
    for concept in concepts:
        where = f"concept {concept.id!r}"
        if not is_ncname(concept.id):
            raise KervanError(f"{where}: the id is not an XML name (letters, digits, '-', '_', '.'; no leading digit)")
        if concept.id in seen:
            raise KervanError(f"{where}: duplicate concept id")
        seen.add(concept.id)
        if not any(concept.terms.values()):
            raise KervanError(f"{where}: no terms")
        yield f'      <{entry} id="{concept.id}">\n'
        if concept.subject:
            yield f'        <descrip type="subjectField">{_escape(concept.subject, where)}</descrip>\n'
        if concept.definition:
            yield f'        <descrip type="definition">{_escape(concept.definition, where)}</descrip>\n'
        if concept.note:
            yield f"        <note>{_escape(concept.note, where)}</note>\n"
        for term_lang, terms in concept.terms.items():
            if not terms:
                continue
            code = _attr(_xml_lang(_checked(term_lang, where)), where)
            yield f'        <{section} xml:lang="{code}">\n'
            for term in terms:
                if term.lang != term_lang:
                    raise KervanError(f"{where}: term {term.text!r} has language {term.lang!r} under {term_lang!r}")
                if not _clean(term.text):
                    raise KervanError(f"{where}: empty term in {term_lang!r}")
                kind = KIND_TO_TBX.get(term.kind)
                status = STATUS_TO_TBX.get(term.status)
                if kind is None or status is None:
                    raise KervanError(f"{where}: term {term.text!r} has kind {term.kind!r} / status {term.status!r}")
                yield f"          <{term_section}>\n"
                yield f"            <term>{_escape(term.text, where)}</term>\n"
                yield f'            <termNote type="termType">{kind}</termNote>\n'
                yield f'            <termNote type="administrativeStatus">{status}</termNote>\n'
                yield f"          </{term_section}>\n"
            yield f"        </{section}>\n"
        yield f"      </{entry}>\n"
        yield _END_OF_ENTRY
    yield "    </body>\n"
    yield "  </text>\n"
    yield "</tbx>\n" if v3 else "</martif>\n"


def _checked(lang: str, where: str) -> str:
    from ..locales import check_language

    try:
        check_language(lang)
    except KervanError as exc:
        raise KervanError(f"{where}: {exc.message}") from None
    return lang
