"""Frozen data model shared by every floor: documents, segments, units, concepts, terms, findings."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

TermKind = Literal["fullForm", "abbreviation", "variant"]
TermStatus = Literal["preferred", "admitted", "deprecated"]
Severity = Literal["error", "warning", "info"]
UnitStatus = Literal["translated", "fuzzy", "untranslated"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of a source document and the 1-based line it starts on."""

    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Document:
    """A source article: its id (the file stem), headline, publication date and body paragraphs."""

    id: str
    path: str
    lang: str
    title: str
    date: _dt.date | None
    paragraphs: tuple[Paragraph, ...]

    def all_paragraphs(self) -> tuple[Paragraph, ...]:
        """The headline (on the header line, line 1) as paragraph 1, then the body: segment numbering order."""
        if not self.title:
            return self.paragraphs
        return (Paragraph(self.title, 1), *self.paragraphs)


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence-level translation unit source. `id` is `<domain>:<paragraph>.<sentence>`, 1-based."""

    id: str
    text: str
    lang: str
    ref: str
    paragraph: int = 0
    sentence: int = 0


@dataclass(frozen=True, slots=True)
class Unit:
    """One translation unit across languages: the source segment and a target text per language."""

    source: Segment
    targets: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    status: Mapping[str, UnitStatus] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    lang: str
    kind: TermKind = "fullForm"
    status: TermStatus = "preferred"


@dataclass(frozen=True, slots=True)
class Concept:
    """A termbase entry: the terms naming one concept, per language, preferred terms first."""

    id: str
    terms: Mapping[str, tuple[Term, ...]]
    definition: str = ""
    note: str = ""
    subject: str = ""

    def preferred(self, lang: str) -> Term | None:
        """The first preferred term in `lang` (the first term at all if none is marked preferred)."""
        terms = self.terms.get(lang, ())
        for term in terms:
            if term.status == "preferred":
                return term
        return terms[0] if terms else None


@dataclass(frozen=True, slots=True)
class Finding:
    """One QA observation on one unit in one target language."""

    check: str
    severity: Severity
    unit_id: str
    lang: str
    message: str
