"""Term and glossary jobs: lookup, scan, extraction, export, import, validation."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import locales
from ..errors import KervanError
from ..model import Concept, Finding
from ..project import Project
from ..sources import header_title
from .common import (
    check_langs,
    file_stamp,
    file_term_index,
    glossary_index,
    load_glossary,
    read_input_text,
    term_index,
)

Table = Callable[[list[list[str]], list[str] | None], str]


def _terms_json(concept: Concept) -> dict[str, list[str]]:
    return {lang: [t.text for t in terms] for lang, terms in concept.terms.items()}


def _langs(concept: Concept, order: Sequence[str]) -> list[str]:
    """The concept's languages for display: the project's (source, then targets) first, others after."""
    return sorted(concept.terms, key=lambda lang: (order.index(lang) if lang in order else len(order), lang))


@dataclass
class LookupResult:
    query: str
    matches: list[Any]
    order: tuple[str, ...] = ()  # languages in display order: source, then targets

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "matches": [
                {"concept": m.concept.id, "how": m.how, "score": round(m.score, 3), "terms": _terms_json(m.concept)}
                for m in self.matches
            ],
        }

    def table(self, table: Table) -> str:
        rows = []
        for m in self.matches:
            first = True
            for lang in _langs(m.concept, self.order):
                terms = ", ".join(_label(t) for t in m.concept.terms[lang])
                rows.append([m.concept.id if first else "", f"{m.how} {m.score:.2f}" if first else "", lang, terms])
                first = False
        return table(rows, ["concept", "match", "lang", "terms"])


def _label(term: Any) -> str:
    marks = {"abbreviation": " (abbr.)", "variant": " (variant)"}.get(term.kind, "")
    if term.status == "deprecated":
        marks += " (deprecated)"
    return term.text + marks


def _index_and_order(project: Project | None, glossary: str | None) -> tuple[Any, tuple[str, ...]]:
    """The matcher over --glossary when given (no project needed), else over the project's termbase."""
    if glossary:
        order = (project.source_lang, *project.target_langs) if project else ()
        return file_term_index(glossary), order
    if project is None:
        raise KervanError("no glossary: give --glossary FILE.tbx, or work inside a project")
    return term_index(project), (project.source_lang, *project.target_langs)


def term_lookup(
    project: Project | None, query: str, *, lang: str | None = None, limit: int = 10, glossary: str | None = None
) -> LookupResult:
    if lang:
        locales.check_language(lang)
    index, order = _index_and_order(project, glossary)
    return LookupResult(query, list(index.lookup(query, lang=lang, limit=limit)), order)


@dataclass
class ScanResult:
    occurrences: list[Any]
    order: tuple[str, ...] = ()  # languages in display order: source, then targets

    def to_json(self) -> dict[str, Any]:
        return {
            "occurrences": [
                {
                    "start": o.start,
                    "end": o.end,
                    "text": o.text,
                    "concept": o.concept.id,
                    "terms": _terms_json(o.concept),
                }
                for o in self.occurrences
            ]
        }

    def table(self, table: Table) -> str:
        rows = [
            [f"{o.start}-{o.end}", o.text, o.concept.id, _preferred_line(o.concept, self.order)]
            for o in self.occurrences
        ]
        return table(rows, ["offsets", "text", "concept", "terms"])


def _preferred_line(concept: Concept, order: Sequence[str]) -> str:
    preferred = ((lang, concept.preferred(lang)) for lang in _langs(concept, order))
    return "; ".join(f"{lang}: {term.text}" for lang, term in preferred if term)


def term_scan(
    project: Project | None,
    source: str,
    *,
    lang: str | None = None,
    glossary: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """Every glossary term in a text. Scanned a block of paragraphs at a time (terms never span a blank line),
    so that a long text can report progress; offsets are into the whole text."""
    lang = lang or (project.source_lang if project else None)
    if not lang:
        raise KervanError("give the language of the text with --lang")
    locales.check_language(lang)
    index, order = _index_and_order(project, glossary)
    text, _ = read_input_text(source)
    found: list[Any] = []
    start = 0
    while start < len(text):
        end = text.find("\n\n", start + _SCAN_BLOCK)
        end = len(text) if end < 0 else end
        for o in index.scan(text[start:end], lang):
            found.append(replace(o, start=o.start + start, end=o.end + start))
        start = end
        if progress is not None:
            progress(start, len(text))
    return ScanResult(found, order)


_SCAN_BLOCK = 1 << 16  # characters scanned at a time, cut at the next blank line


@dataclass
class ExtractResult:
    candidates: list[Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "candidates": [
                {
                    "text": c.text,
                    "kind": c.kind,
                    "count": c.count,
                    "expansion": c.expansion,
                    "known": c.known_concept is not None,
                    "concept": c.known_concept,
                }
                for c in self.candidates
            ]
        }

    def table(self, table: Table) -> str:
        rows = [[c.text, c.kind, str(c.count), c.expansion or "", c.known_concept or "new"] for c in self.candidates]
        return table(rows, ["candidate", "kind", "count", "expansion", "glossary"])


def term_extract(project: Project, source: str, *, lang: str | None = None) -> ExtractResult:
    from ..terms.extract import extract_candidates

    lang = lang or project.source_lang
    locales.check_language(lang)
    text, _ = read_input_text(source)
    first, _, rest = text.partition("\n")
    title = header_title(first)
    if title is not None:
        # An article: its header line carries the date, which is no term candidate.
        text = title + "\n" + rest
    return ExtractResult(list(extract_candidates(text, lang, glossary_index(project))))


def glossary_export(project: Project, fmt: str, output: str | None, langs: Sequence[str] | None = None) -> list[str]:
    """Write the termbase in another format; returns the lines to show (files written)."""
    from ..formats import tbx as tbxfmt
    from ..formats import tsv as tsvfmt

    concepts = load_glossary(project)
    written: list[str] = []
    if fmt in ("tbx", "tbx2"):
        version = 3 if fmt == "tbx" else 2
        title, description = tbxfmt.read_tbx_header(project.glossary_path)
        header = {"title": title or None, "description": description or None}
        if output == "-":
            tbxfmt.write_tbx(concepts, sys.stdout.buffer, version=version, **header)
            sys.stdout.buffer.flush()
            return [f"{len(concepts)} concepts written"]
        path = Path(output) if output else project.build_dir / f"glossary.{'tbx' if version == 3 else 'tbx2.tbx'}"
        before = file_stamp(path)
        tbxfmt.write_tbx(concepts, str(path), version=version, **header)
        state = "" if file_stamp(path) != before else " (unchanged)"
        return [f"{project.relative(path)}{state}: {len(concepts)} concepts (TBX v{version})"]
    targets = check_langs(project, langs)
    if output == "-":
        if len(targets) != 1:
            raise KervanError("writing TSV/CSV to stdout needs exactly one --lang")
        rows = tsvfmt.write_tsv(
            concepts, sys.stdout.buffer, source_lang=project.source_lang, target_lang=targets[0], dialect=fmt
        )
        sys.stdout.buffer.flush()
        return [f"{rows} rows written"]
    folder = Path(output) if output else project.build_dir
    for lang in targets:
        # OmegaT reads tab-separated glossaries named *.txt as UTF-8.
        path = folder / f"glossary.{project.source_lang}-{lang}.{'txt' if fmt == 'tsv' else 'csv'}"
        before = file_stamp(path)
        rows = tsvfmt.write_tsv(concepts, str(path), source_lang=project.source_lang, target_lang=lang, dialect=fmt)
        state = "" if file_stamp(path) != before else " (unchanged)"
        pair = f"{project.source_lang}->{lang}"
        written.append(f"{project.relative(path)}{state}: {rows} rows from {len(concepts)} concepts ({pair})")
    return written


def glossary_import(
    project: Project, source: str, *, fmt: str = "auto", lang: str | None = None, prefer: str = "existing"
) -> list[str]:
    """Merge a glossary file into the termbase; no term is ever dropped, conflicts are reported."""
    from ..formats import tbx as tbxfmt
    from ..formats import tsv as tsvfmt
    from ..terms.glossary import merge_concepts

    if fmt == "auto":
        # Standard input has no name to go by: it is read as TBX unless --format says otherwise.
        suffix = "" if source == "-" else Path(source).suffix.lower()
        fmt = {".tsv": "tsv", ".txt": "tsv", ".csv": "csv"}.get(suffix, "tbx")
    if source != "-" and Path(source).is_dir():
        raise KervanError("is a folder, not a glossary file", source)
    stream: Any = sys.stdin.buffer if source == "-" else source
    warnings: list[str] = []
    if fmt == "tbx":
        incoming = tbxfmt.read_tbx(stream, warnings=warnings)
    else:
        if not lang:
            raise KervanError("importing TSV/CSV needs --lang (the target language of the file)", source)
        locales.check_language(lang)
        incoming = tsvfmt.read_tsv(stream, source_lang=project.source_lang, target_lang=lang, dialect=fmt)
    existing = load_glossary(project, missing_ok=True)
    # Every entry of a TBX file is a concept of its own: two that share a term are homonyms, never one concept.
    identified = (lambda _concept: True) if fmt == "tbx" else None
    merged = merge_concepts(existing, incoming, prefer=prefer, identified=identified)
    # The termbase keeps its own title; identical bytes leave the file (and the matcher's cache) alone.
    before = file_stamp(project.glossary_path)
    tbxfmt.write_tbx(merged.concepts, str(project.glossary_path), version=3)
    state = "" if file_stamp(project.glossary_path) != before else " (unchanged)"
    read = sum(len(terms) for concept in incoming for terms in concept.terms.values())
    label = "<stdin>" if source == "-" else source
    lines = [f"{label}: {len(incoming)} concepts, {read} terms read"]
    lines.append(f"{project.relative(project.glossary_path)}{state}: {merged}")
    lines.extend(f"  warning: {w}" for w in warnings)
    lines.extend(f"  conflict: {c.unit_id}: {c.message}" for c in merged.conflicts)
    lines.extend(f"  homonym: {c.unit_id}: {c.message}" for c in merged.homonyms)
    return lines


def glossary_validate(project: Project) -> list[Finding]:
    from ..terms.glossary import validate

    return list(validate(load_glossary(project), langs=(project.source_lang, *project.target_langs)))
