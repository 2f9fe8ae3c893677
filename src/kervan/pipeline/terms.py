"""Term and glossary jobs: lookup, scan, extraction, export, import, validation."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .. import locales
from ..errors import KervanError
from ..model import Concept, Finding
from ..project import Project
from ..sources import header_title
from .common import (
    check_langs,
    file_term_index,
    glossary_index,
    iter_input_paragraphs,
    load_glossary,
    read_input_text,
    stdin_binary,
    stdout_binary,
    term_index,
    writing,
)

Table = Callable[[list[list[str]], list[str] | None], str]


def _terms_json(concept: Concept) -> dict[str, list[str]]:
    return {lang: [t.text for t in terms] for lang, terms in concept.terms.items()}


def _langs(concept: Concept, order: Sequence[str]) -> list[str]:
    """The concept's languages for display: the project's (source, then targets) first, others after."""
    return sorted(concept.terms, key=lambda lang: (order.index(lang) if lang in order else len(order), lang))


class LookupResult:
    __slots__ = ("matches", "order", "query")

    def __init__(self, query: str, matches: list[Any], order: tuple[str, ...] = ()) -> None:
        self.query = query
        self.matches = matches
        self.order = order  # languages in display order: source, then targets

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


class ScanResult:
    """Occurrences as they are found, paragraph by paragraph: write them out with :meth:`write_json` or
    :meth:`write_table` (memory stays at one paragraph, however long the input); `found` counts them."""

    __slots__ = ("found", "occurrences", "order")

    def __init__(self, occurrences: Iterable[Any], order: tuple[str, ...] = ()) -> None:
        self.occurrences = occurrences
        self.order = order  # languages in display order: source, then targets
        self.found = 0

    def _counted(self) -> Iterator[Any]:
        for occurrence in self.occurrences:
            self.found += 1
            yield occurrence

    @staticmethod
    def _record(o: Any) -> dict[str, Any]:
        return {
            "start": o.start,
            "end": o.end,
            "text": o.text,
            "concept": o.concept.id,
            "terms": _terms_json(o.concept),
        }

    def to_json(self) -> dict[str, Any]:
        """The whole result as one object (small inputs; large ones stream through write_json)."""
        return {"occurrences": [self._record(o) for o in self._counted()]}

    def write_json(self, out: IO[str]) -> int:
        """`{"occurrences": [...]}` written one occurrence per line as they are found; returns the count."""
        out.write('{\n  "occurrences": [')
        for number, occurrence in enumerate(self._counted()):
            out.write(("," if number else "") + "\n    " + json.dumps(self._record(occurrence), ensure_ascii=False))
        out.write("\n  ]\n}\n" if self.found else "]\n}\n")
        return self.found

    def _row(self, o: Any) -> list[str]:
        return [f"{o.start}-{o.end}", o.text, o.concept.id, _preferred_line(o.concept, self.order)]

    def table(self, table: Table) -> str:
        return table([self._row(o) for o in self._counted()], ["offsets", "text", "concept", "terms"])

    def write_table(self, out: IO[str], table: Table, head: int = 1000) -> int:
        """An aligned table, streamed: column widths come from the first `head` rows, later rows follow them."""
        rows: list[list[str]] = []
        stream = self._counted()
        for occurrence in stream:
            rows.append(self._row(occurrence))
            if len(rows) == head:
                break
        if not rows:
            return 0
        text = table(rows, ["offsets", "text", "concept", "terms"])
        out.write(text + "\n")
        widths = [len(cell) for cell in text.split("\n")[1].split("  ")]
        for occurrence in stream:
            cells = self._row(occurrence)
            out.write("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip() + "\n")
        return self.found


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
    """Every glossary term in a text, found as the text is read: a block of lines up to a blank line (terms
    never span one), cut at a line end past 64K characters, so memory stays at one paragraph however long the
    input. Offsets count characters from the start of the input (a byte-order mark not counted), as if the whole
    text had been scanned at once. `progress(bytes read, file size)` is called per block for a file."""
    from ..terms.index import Occurrence

    lang = lang or (project.source_lang if project else None)
    if not lang:
        raise KervanError("give the language of the text with --lang")
    locales.check_language(lang)
    index, order = _index_and_order(project, glossary)
    total = 0
    if progress is not None and source != "-":
        try:
            total = os.path.getsize(source)
        except OSError:
            total = 0

    def scan(block: list[str], base: int) -> Iterator[Any]:
        for found in index.scan("".join(block), lang):
            yield Occurrence(found.start + base, found.end + base, found.text, found.concept, found.term)

    def occurrences() -> Iterator[Any]:
        block: list[str] = []
        base = size = 0
        for offset, line, read in iter_input_paragraphs(source):
            if not block:
                base = offset
            block.append(line)
            size += len(line)
            if not line.strip() or size >= _SCAN_BLOCK:
                yield from scan(block, base)
                block, size = [], 0
                if total:
                    progress(read, total)  # type: ignore[misc]
        if block:
            yield from scan(block, base)

    return ScanResult(occurrences(), order)


_SCAN_BLOCK = 1 << 16  # characters scanned at a time at most, cut at a line end


class ExtractResult:
    __slots__ = ("candidates",)

    def __init__(self, candidates: list[Any]) -> None:
        self.candidates = candidates

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
    from ..formats import atomic
    from ..formats import tbx as tbxfmt
    from ..formats import tsv as tsvfmt

    concepts = load_glossary(project)
    written: list[str] = []
    if fmt in ("tbx", "tbx2"):
        version = 3 if fmt == "tbx" else 2
        title, description = tbxfmt.read_tbx_header(project.glossary_path)
        header = {"title": title or None, "description": description or None}
        if output == "-":
            out = stdout_binary()
            tbxfmt.write_tbx(concepts, out, version=version, **header)
            out.flush()
            return [f"{len(concepts)} concepts written"]
        path = (
            atomic.output_path(output, project.root)
            if output
            else project.build_dir / f"glossary.{'tbx' if version == 3 else 'tbx2.tbx'}"
        )
        with writing(project), atomic.transaction() as txn:
            tbxfmt.write_tbx(concepts, str(path), version=version, **header)
            state = "" if txn.will_change(path) else " (unchanged)"
        return [f"{project.relative(path)}{state}: {len(concepts)} concepts (TBX v{version})"]
    targets = check_langs(project, langs)
    if output == "-":
        if len(targets) != 1:
            raise KervanError("writing TSV/CSV to stdout needs exactly one --lang")
        out = stdout_binary()
        rows = tsvfmt.write_tsv(concepts, out, source_lang=project.source_lang, target_lang=targets[0], dialect=fmt)
        out.flush()
        return [f"{rows} rows written"]
    folder = Path(output) if output else project.build_dir
    with writing(project), atomic.transaction() as txn:
        for lang in targets:
            # OmegaT reads tab-separated glossaries named *.txt as UTF-8.
            name = f"glossary.{project.source_lang}-{lang}.{'txt' if fmt == 'tsv' else 'csv'}"
            path = atomic.output_path(folder / name, project.root) if output else folder / name
            rows = tsvfmt.write_tsv(concepts, str(path), source_lang=project.source_lang, target_lang=lang, dialect=fmt)
            state = "" if txn.will_change(path) else " (unchanged)"
            pair = f"{project.source_lang}->{lang}"
            written.append(f"{project.relative(path)}{state}: {rows} rows from {len(concepts)} concepts ({pair})")
    return written


def glossary_import(
    project: Project, source: str, *, fmt: str = "auto", lang: str | None = None, prefer: str = "existing"
) -> list[str]:
    """Merge a glossary file into the termbase; no term is ever dropped, conflicts are reported."""
    from ..formats import atomic
    from ..formats import tbx as tbxfmt
    from ..formats import tsv as tsvfmt
    from ..terms.glossary import merge_concepts

    if fmt == "auto":
        # Standard input has no name to go by: it is read as TBX unless --format says otherwise.
        suffix = "" if source == "-" else Path(source).suffix.lower()
        fmt = {".tsv": "tsv", ".txt": "tsv", ".csv": "csv"}.get(suffix, "tbx")
    if source != "-" and Path(source).is_dir():
        raise KervanError("is a folder, not a glossary file", source)
    stream: Any = stdin_binary() if source == "-" else source
    warnings: list[str] = []
    if fmt == "tbx":
        incoming = tbxfmt.read_tbx(stream, warnings=warnings)
    else:
        if not lang:
            raise KervanError("importing TSV/CSV needs --lang (the target language of the file)", source)
        locales.check_language(lang)
        incoming = tsvfmt.read_tsv(stream, source_lang=project.source_lang, target_lang=lang, dialect=fmt)
    with writing(project), atomic.transaction() as txn:
        # Read, merge and write under the project lock: a concurrent import cannot write over this one.
        existing = load_glossary(project, missing_ok=True)
        # Every entry of a TBX file is a concept of its own: two that share a term are homonyms, never one concept.
        identified = (lambda _concept: True) if fmt == "tbx" else None
        merged = merge_concepts(existing, incoming, prefer=prefer, identified=identified)
        # The termbase keeps its own title; identical bytes leave the file (and the matcher's cache) alone.
        tbxfmt.write_tbx(merged.concepts, str(project.glossary_path), version=3)
        state = "" if txn.will_change(project.glossary_path) else " (unchanged)"
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
