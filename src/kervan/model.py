"""Frozen data model shared by every floor: documents, segments, units, concepts, terms, findings.

Immutable records (:mod:`kervan.record`): compared and hashed by value, changed by `record.replace(...)`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from typing import Literal

from .record import Record, init

TermKind = Literal["fullForm", "abbreviation", "variant"]
TermStatus = Literal["preferred", "admitted", "deprecated"]
Severity = Literal["error", "warning", "info"]
UnitStatus = Literal["translated", "fuzzy", "untranslated"]


class Paragraph(Record):
    """One paragraph of a source document and the 1-based line it starts on."""

    _fields = ("text", "line")
    __slots__ = _fields
    text: str
    line: int

    def __init__(self, text: str, line: int) -> None:
        init(self, "text", text)
        init(self, "line", line)


class Document(Record):
    """A source article: its id (the file stem), headline, publication date and body paragraphs."""

    _fields = ("id", "path", "lang", "title", "date", "paragraphs")
    __slots__ = _fields
    id: str
    path: str
    lang: str
    title: str
    date: _dt.date | None
    paragraphs: tuple[Paragraph, ...]

    def __init__(
        self, id: str, path: str, lang: str, title: str, date: _dt.date | None, paragraphs: tuple[Paragraph, ...]
    ) -> None:
        init(self, "id", id)
        init(self, "path", path)
        init(self, "lang", lang)
        init(self, "title", title)
        init(self, "date", date)
        init(self, "paragraphs", paragraphs)

    def all_paragraphs(self) -> tuple[Paragraph, ...]:
        """The headline (on the header line, line 1) as paragraph 1, then the body: segment numbering order."""
        if not self.title:
            return self.paragraphs
        return (Paragraph(self.title, 1), *self.paragraphs)


class Segment(Record):
    """A sentence-level translation unit source. `id` is `<domain>:<paragraph>.<sentence>`, 1-based."""

    _fields = ("id", "text", "lang", "ref", "paragraph", "sentence")
    __slots__ = _fields
    id: str
    text: str
    lang: str
    ref: str
    paragraph: int
    sentence: int

    def __init__(self, id: str, text: str, lang: str, ref: str, paragraph: int = 0, sentence: int = 0) -> None:
        init(self, "id", id)
        init(self, "text", text)
        init(self, "lang", lang)
        init(self, "ref", ref)
        init(self, "paragraph", paragraph)
        init(self, "sentence", sentence)


class Unit(Record):
    """One translation unit across languages: the source segment and a target text per language."""

    _fields = ("source", "targets", "notes", "status")
    __slots__ = _fields
    source: Segment
    targets: Mapping[str, str]
    notes: tuple[str, ...]
    status: Mapping[str, UnitStatus]

    def __init__(
        self,
        source: Segment,
        targets: Mapping[str, str] | None = None,
        notes: tuple[str, ...] = (),
        status: Mapping[str, UnitStatus] | None = None,
    ) -> None:
        init(self, "source", source)
        init(self, "targets", {} if targets is None else targets)
        init(self, "notes", notes)
        init(self, "status", {} if status is None else status)


class Term(Record):
    """One term of a concept in one language, with its TBX kind and usage status."""

    _fields = ("text", "lang", "kind", "status")
    __slots__ = _fields
    text: str
    lang: str
    kind: TermKind
    status: TermStatus

    def __init__(self, text: str, lang: str, kind: TermKind = "fullForm", status: TermStatus = "preferred") -> None:
        init(self, "text", text)
        init(self, "lang", lang)
        init(self, "kind", kind)
        init(self, "status", status)


class Concept(Record):
    """A termbase entry: the terms naming one concept, per language, preferred terms first."""

    _fields = ("id", "terms", "definition", "note", "subject")
    __slots__ = _fields
    id: str
    terms: Mapping[str, tuple[Term, ...]]
    definition: str
    note: str
    subject: str

    def __init__(
        self, id: str, terms: Mapping[str, tuple[Term, ...]], definition: str = "", note: str = "", subject: str = ""
    ) -> None:
        init(self, "id", id)
        init(self, "terms", terms)
        init(self, "definition", definition)
        init(self, "note", note)
        init(self, "subject", subject)

    def preferred(self, lang: str) -> Term | None:
        """The first preferred term in `lang` (the first term at all if none is marked preferred)."""
        terms = self.terms.get(lang, ())
        for term in terms:
            if term.status == "preferred":
                return term
        return terms[0] if terms else None


class Finding(Record):
    """One QA observation on one unit in one target language."""

    _fields = ("check", "severity", "unit_id", "lang", "message")
    __slots__ = _fields
    check: str
    severity: Severity
    unit_id: str
    lang: str
    message: str

    def __init__(self, check: str, severity: Severity, unit_id: str, lang: str, message: str) -> None:
        init(self, "check", check)
        init(self, "severity", severity)
        init(self, "unit_id", unit_id)
        init(self, "lang", lang)
        init(self, "message", message)
