"""The jobs: build, segment, extract, update, compile, TMX export/import, terms, QA, stats, render.

Orchestration only: each job reads through formats/, works through the floors below, writes through formats/.
Nothing here prints; results come back as small report objects that the CLI shows.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import locales
from .errors import KervanError
from .model import Concept, Document, Finding, Segment, Unit
from .project import Project
from .sources import header_title, read_document
from .text import decode_utf8, word_count

if TYPE_CHECKING:
    import polib

    from .terms.index import TermIndex

Table = Callable[[list[list[str]], list[str] | None], str]


# --------------------------------------------------------------------------- input helpers


def _read_input_bytes(source: str) -> tuple[bytes, str]:
    if source == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    try:
        return Path(source).read_bytes(), source
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), source) from None


def read_input_text(source: str) -> tuple[str, str]:
    """Text of a file or of stdin ("-"), UTF-8 checked; returns (text, label for messages)."""
    data, label = _read_input_bytes(source)
    return decode_utf8(data, label), label


def _iter_input_lines(source: str) -> Iterator[tuple[int, str]]:
    """Lines of a file or stdin, decoded one at a time so large inputs stream; errors name the line."""
    label = "<stdin>" if source == "-" else source
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), source) from None
    try:
        for number, raw in enumerate(stream, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise KervanError(
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); save the file as UTF-8",
                    label,
                    number,
                ) from None
            yield number, line.rstrip("\r\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _check_langs(project: Project, langs: Sequence[str] | None) -> list[str]:
    if not langs:
        return list(project.target_langs)
    langs = list(dict.fromkeys(langs))
    for lang in langs:
        locales.check_language(lang)
        if lang not in project.target_langs:
            raise KervanError(
                f"{lang!r} is not a target language of this project ({', '.join(project.target_langs)})",
                project.root / "kervan.toml",
            )
    return list(langs)


# --------------------------------------------------------------------------- segmentation


def _paragraph_lines(source: str) -> Iterator[str]:
    """Paragraph texts of plain input: an article header line gives its headline as the first paragraph."""
    for number, line in _iter_input_lines(source):
        if number == 1:
            title = header_title(line)
            if title is not None:
                line = title
        yield line


def segment_stream(source: str, *, lang: str, rules: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(paragraph number, sentences) for every non-empty line of a file or stdin, streamed."""
    from . import segmentation

    locales.check_language(lang)
    srx = segmentation.load_rules(rules)
    return segmentation.segment_lines(_paragraph_lines(source), lang, srx)


def segment_records(source: str, *, lang: str, rules: str | None = None) -> Iterator[dict[str, Any]]:
    domain = "stdin" if source == "-" else Path(source).stem
    for paragraph, sentences in segment_stream(source, lang=lang, rules=rules):
        for number, text in enumerate(sentences, start=1):
            yield {"id": f"{domain}:{paragraph}.{number}", "text": text, "paragraph": paragraph}


def load_documents(project: Project) -> list[Document]:
    return [
        read_document(path, lang=project.source_lang, display_path=project.relative(path))
        for path in project.source_files()
    ]


def document_segments(document: Document) -> list[Segment]:
    from . import segmentation

    return list(segmentation.segment_document(document))


# --------------------------------------------------------------------------- glossary


def load_glossary(project: Project) -> list[Concept]:
    from .formats.tbx import read_tbx

    if not project.glossary_path.is_file():
        return []
    return read_tbx(str(project.glossary_path))


def term_index(project: Project) -> TermIndex:
    """The matcher over the project's glossary, cached in the build folder while the TBX is unchanged."""
    from .terms.index import TermIndex

    path = project.glossary_path
    cache = project.build_dir / ".cache"
    return TermIndex.cached(path, cache, lambda _path: load_glossary(project))


def term_notes(index: TermIndex | None, segment: Segment, target_langs: Sequence[str]) -> tuple[str, ...]:
    """Extracted comments for translators: each glossary term in the segment with its approved renderings.

    One line per concept, e.g. `Term: AEB = en: EAEU, Eurasian Economic Union | ru: ЕАЭС, ...`; target terms
    of the source term's kind (an abbreviation for an abbreviation) come first, deprecated ones never.
    """
    if index is None:
        return ()
    notes: list[str] = []
    seen: set[str] = set()
    for occurrence in index.scan(segment.text, segment.lang):
        concept = occurrence.concept
        if concept.id in seen:
            continue
        seen.add(concept.id)
        renderings = []
        for lang in target_langs:
            terms = _approved(concept, lang, occurrence.term.kind)
            if terms:
                renderings.append(f"{lang}: {', '.join(terms)}")
        if renderings:
            notes.append(f"Term: {occurrence.term.text} = {' | '.join(renderings)}")
    return tuple(notes)


def _approved(concept: Concept, lang: str, kind: str) -> list[str]:
    """Non-deprecated terms of `lang`: abbreviations first for an abbreviation, then preferred, then full forms."""
    terms = [t for t in concept.terms.get(lang, ()) if t.status != "deprecated"]
    abbreviated = kind == "abbreviation"
    ranked = sorted(
        terms, key=lambda t: ((t.kind == "abbreviation") != abbreviated, t.status != "preferred", t.kind == "variant")
    )
    return [t.text for t in ranked]


# --------------------------------------------------------------------------- catalogs


@dataclass
class FileResult:
    """One file a job wrote (or left alone because nothing changed)."""

    path: str
    changed: bool
    detail: str = ""
    statistics: bool = False  # the detail is msgfmt-style statistics, shown on request only

    def describe(self, statistics: bool = False) -> str:
        state = "written" if self.changed else "unchanged"
        detail = f" ({self.detail})" if self.detail and (statistics or not self.statistics) else ""
        return f"{self.path}: {state}{detail}"


@dataclass
class ArticleUnits:
    document: Document
    segments: list[Segment]
    units: list[Unit]


def article_units(project: Project, index: TermIndex | None = None) -> list[ArticleUnits]:
    """Every source article, segmented, each segment a unit carrying its glossary notes."""
    result = []
    for document in load_documents(project):
        segments = document_segments(document)
        units = [Unit(source=s, notes=term_notes(index, s, project.target_langs)) for s in segments]
        result.append(ArticleUnits(document, segments, units))
    return result


def _safe_index(project: Project) -> TermIndex | None:
    if not project.glossary_path.is_file():
        return None
    return term_index(project)


def extract(project: Project, articles: list[ArticleUnits] | None = None) -> list[FileResult]:
    """Write locales/<article>.pot for every source article."""
    from .formats import po as pofmt

    if articles is None:
        articles = article_units(project, _safe_index(project))
    results = []
    for article in articles:
        path = project.pot_path(article.document.id)
        existing = pofmt.read_po(str(path)) if path.is_file() else None
        template = pofmt.build_template(
            article.units,
            project_name=project.name,
            version=project.version,
            bugs_address=project.bugs_address,
            copyright_holder=project.copyright_holder,
            source_lang=project.source_lang,
        )
        template = pofmt.keep_creation_date(template, existing)
        changed = pofmt.write_po(template, str(path))
        results.append(FileResult(project.relative(path), changed, f"{len(template)} messages"))
    return results


def update(project: Project, langs: Sequence[str] | None = None) -> list[FileResult]:
    """Merge each template into the target catalogs; nothing translated is ever dropped."""
    from .formats import po as pofmt

    results = []
    for lang in _check_langs(project, langs):
        for pot_path in sorted(project.locales_dir.glob("*.pot")):
            domain = pot_path.stem
            template = pofmt.read_po(str(pot_path))
            po_path = project.po_path(domain, lang)
            existing = pofmt.read_po(str(po_path)) if po_path.is_file() else None
            merged, merge_stats = pofmt.merge(template, existing, lang)
            changed = pofmt.write_po(merged, str(po_path))
            m = merge_stats
            detail = f"{m.kept} kept, {m.fuzzy} fuzzy, {m.added} new, {m.obsoleted} obsolete"
            if m.revived:
                detail += f", {m.revived} revived from obsolete"
            results.append(FileResult(project.relative(po_path), changed, detail))
    return results


def _catalogs(project: Project, langs: Sequence[str] | None) -> Iterator[tuple[str, str, Path]]:
    for lang in _check_langs(project, langs):
        folder = project.locales_dir / lang / "LC_MESSAGES"
        for po_path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
            yield lang, po_path.stem, po_path


def compile_catalogs(
    project: Project, langs: Sequence[str] | None = None, *, use_fuzzy: bool = False
) -> list[FileResult]:
    from .formats import mo as mofmt
    from .formats import po as pofmt
    from .formats.atomic import write_if_changed

    results = []
    for _lang, _domain, po_path in _catalogs(project, langs):
        catalog = pofmt.read_po(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        data, counts = mofmt.compile_mo(catalog, use_fuzzy=use_fuzzy)
        changed = write_if_changed(mo_path, data)
        results.append(FileResult(project.relative(mo_path), changed, counts.summary(), statistics=True))
    return results


def catalog_stats(project: Project) -> list[dict[str, Any]]:
    from .formats import po as pofmt

    rows = []
    for lang, domain, po_path in _catalogs(project, None):
        catalog = pofmt.read_po(str(po_path))
        row: dict[str, Any] = {"lang": lang, "domain": domain}
        for state in ("translated", "fuzzy", "untranslated"):
            row[state] = {"segments": 0, "words": 0}
        for entry in catalog:
            if entry.obsolete or not entry.msgid:
                continue
            state = "fuzzy" if entry.fuzzy else "translated" if entry.translated() else "untranslated"
            row[state]["segments"] += 1
            row[state]["words"] += word_count(entry.msgid)
        rows.append(row)
    return rows


def stats(project: Project) -> list[dict[str, Any]]:
    return catalog_stats(project)


# --------------------------------------------------------------------------- translation memories


def _translations(project: Project, lang: str, domain: str) -> dict[str, str]:
    """Source text -> reviewed translation (translated, not fuzzy) of one catalog."""
    from .formats import po as pofmt

    path = project.po_path(domain, lang)
    if not path.is_file():
        return {}
    return {
        e.msgid: e.msgstr for e in pofmt.read_po(str(path)) if e.msgid and not e.obsolete and not e.fuzzy and e.msgstr
    }


def _catalog_date(project: Project, domains: Iterable[str], langs: Sequence[str]) -> _dt.datetime | None:
    """The newest POT-Creation-Date / PO-Revision-Date: a TMX dated by its data, so rebuilding changes nothing."""
    from .formats import po as pofmt

    newest: _dt.datetime | None = None
    for domain in domains:
        paths = [project.pot_path(domain), *(project.po_path(domain, lang) for lang in langs)]
        for path in paths:
            if not path.is_file():
                continue
            catalog = pofmt.read_po(str(path))
            for key in ("POT-Creation-Date", "PO-Revision-Date"):
                stamp = _header_date(catalog.metadata.get(key, ""))
                if stamp and (newest is None or stamp > newest):
                    newest = stamp
    return newest


def _header_date(value: str) -> _dt.datetime | None:
    """A gettext header date ("2025-11-13 10:00+0000"); placeholders such as "YEAR-MO-DA" give None."""
    for pattern in ("%Y-%m-%d %H:%M%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M"):
        try:
            stamp = _dt.datetime.strptime(value.strip(), pattern)
        except ValueError:
            continue
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=_dt.UTC)
    return None


@dataclass
class ExportResult:
    path: str
    units: int
    langs: list[str]
    changed: bool = True

    def describe(self) -> str:
        state = "" if self.changed else " (unchanged)"
        return f"{self.path}{state}: {self.units} translation units ({', '.join(self.langs)})"


def export_tmx(
    project: Project,
    output: str | None = None,
    langs: Sequence[str] | None = None,
    articles: list[ArticleUnits] | None = None,
) -> ExportResult:
    """Write every segment with its reviewed translations as TMX 1.4b, streamed."""
    from .formats import tmx as tmxfmt

    targets = _check_langs(project, langs)
    if articles is None:
        articles = article_units(project, None)
    tables = {(a.document.id, lang): _translations(project, lang, a.document.id) for a in articles for lang in targets}

    def units() -> Iterator[Unit]:
        for article in articles:
            for segment in article.segments:
                found = {
                    lang: tables[article.document.id, lang][segment.text]
                    for lang in targets
                    if segment.text in tables[article.document.id, lang]
                }
                yield Unit(source=segment, targets=found)

    date = _catalog_date(project, (a.document.id for a in articles), targets)
    if output == "-":
        count = tmxfmt.write_tmx(
            units(), sys.stdout.buffer, srclang=project.source_lang, langs=targets, creationdate=date
        )
        sys.stdout.buffer.flush()
        return ExportResult("-", count, targets)
    path = Path(output) if output else project.build_dir / f"{project.name}.tmx"
    before = _stamp(path)
    count = tmxfmt.write_tmx(units(), str(path), srclang=project.source_lang, langs=targets, creationdate=date)
    # The writer streams, and leaves a file with identical bytes untouched: its stamp tells what happened.
    return ExportResult(project.relative(path), count, targets, changed=_stamp(path) != before)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


@dataclass
class ImportReport:
    source: str
    units: int = 0
    filled: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    overwritten: dict[str, int] = field(default_factory=dict)
    conflicts: list[dict[str, str]] = field(default_factory=list)
    unmatched: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "units": self.units,
            "filled": self.filled,
            "unchanged": self.unchanged,
            "overwritten": self.overwritten,
            "conflicts": self.conflicts,
            "unmatched": self.unmatched,
            "warnings": self.warnings,
            "written": self.written,
        }

    def summary(self) -> str:
        lines = [f"{self.source}: {self.units} translation units read"]
        for lang in sorted(set(self.filled) | set(self.unchanged) | set(self.overwritten)):
            lines.append(
                f"  {lang}: {self.filled.get(lang, 0)} filled, {self.unchanged.get(lang, 0)} already the same, "
                f"{self.overwritten.get(lang, 0)} overwritten"
            )
        for conflict in self.conflicts:
            lines.append(
                f"  conflict ({conflict['lang']}, kept the catalog's): {conflict['source']!r}\n"
                f"      catalog: {conflict['catalog']!r}\n      tmx:     {conflict['tmx']!r}"
            )
        if self.conflicts:
            lines.append(f"  {len(self.conflicts)} conflict(s) kept; rerun with --overwrite to take the TMX's")
        for item in self.unmatched:
            lines.append(f"  not in the catalogs ({item['tuid'] or 'no tuid'}): {item['source']!r}")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        lines.extend(f"  written: {p}" for p in self.written)
        return "\n".join(lines)


def import_tmx(
    project: Project, source: str, langs: Sequence[str] | None = None, *, overwrite: bool = False
) -> ImportReport:
    """Fill catalogs from a TMX: missing translations are added, differing ones reported (or overwritten)."""
    from .formats import po as pofmt
    from .formats import tmx as tmxfmt
    from .text import primary

    targets = _check_langs(project, langs)
    catalogs: dict[tuple[str, str], polib.POFile] = {}
    by_source: dict[str, dict[str, list[polib.POEntry]]] = {lang: {} for lang in targets}
    for lang, domain, po_path in _catalogs(project, targets):
        catalog = pofmt.read_po(str(po_path))
        catalogs[lang, domain] = catalog
        for entry in catalog:
            if entry.msgid and not entry.obsolete:
                by_source[lang].setdefault(entry.msgid, []).append(entry)
    touched: set[tuple[str, str]] = set()
    entry_domain = {id(e): key for key, cat in catalogs.items() for e in cat}
    report = ImportReport(source="<stdin>" if source == "-" else source)
    src_primary = primary(project.source_lang)

    stream = sys.stdin.buffer if source == "-" else source
    with tmxfmt.open_tmx(stream, label=report.source) as reader:
        for unit in reader:
            report.units += 1
            # The reader's warnings name their own line ("line 7: ..."); others get the unit's.
            report.warnings.extend(
                f"{report.source}: {w}" if w.startswith("line ") else f"{report.source}:{unit.line}: {w}"
                for w in unit.warnings
            )
            src_text = next((t for tag, t in unit.variants.items() if primary(tag) == src_primary), None)
            if src_text is None:
                report.warnings.append(
                    f"{report.source}:{unit.line}: unit {unit.tuid or '(no tuid)'} has no "
                    f"{locales.language_name(project.source_lang)} ({project.source_lang}) text, skipped"
                )
                continue
            matched_any = False
            for lang in targets:
                target = next((t for tag, t in unit.variants.items() if primary(tag) == primary(lang)), None)
                entries = by_source[lang].get(src_text)
                if entries:
                    matched_any = True
                if not entries or not target:
                    continue
                unfit = pofmt.unfit_character(target)
                if unfit:
                    report.warnings.append(
                        f"{report.source}:{unit.line}: {lang} target holds a {unfit}, which a PO file cannot hold; "
                        "skipped"
                    )
                    continue
                for entry in entries:
                    if not entry.msgstr or entry.fuzzy:
                        entry.msgstr = target
                        if entry.fuzzy:
                            entry.flags.remove("fuzzy")
                            entry.previous_msgid = None
                        report.filled[lang] = report.filled.get(lang, 0) + 1
                    elif entry.msgstr == target:
                        report.unchanged[lang] = report.unchanged.get(lang, 0) + 1
                        continue
                    elif overwrite:
                        entry.msgstr = target
                        report.overwritten[lang] = report.overwritten.get(lang, 0) + 1
                    else:
                        report.conflicts.append(
                            {"lang": lang, "source": src_text, "catalog": entry.msgstr, "tmx": target}
                        )
                        continue
                    touched.add(entry_domain[id(entry)])
            if not matched_any:
                report.unmatched.append({"tuid": unit.tuid or "", "source": src_text})
    for key in sorted(touched):
        lang, domain = key
        path = project.po_path(domain, lang)
        pofmt.write_po(catalogs[key], str(path))
        report.written.append(project.relative(path))
    return report


# --------------------------------------------------------------------------- terms and glossary


def _terms_json(concept: Concept) -> dict[str, list[str]]:
    return {lang: [t.text for t in terms] for lang, terms in concept.terms.items()}


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
            langs = sorted(
                m.concept.terms, key=lambda lang: (self.order.index(lang) if lang in self.order else 99, lang)
            )
            first = True
            for lang in langs:
                terms = ", ".join(_label(t) for t in m.concept.terms[lang])
                rows.append([m.concept.id if first else "", f"{m.how} {m.score:.2f}" if first else "", lang, terms])
                first = False
        return table(rows, ["concept", "match", "lang", "terms"])


def _label(term: Any) -> str:
    marks = {"abbreviation": " (abbr.)", "variant": " (variant)"}.get(term.kind, "")
    if term.status == "deprecated":
        marks += " (deprecated)"
    return term.text + marks


def term_lookup(project: Project, query: str, *, lang: str | None = None, limit: int = 10) -> LookupResult:
    if lang:
        locales.check_language(lang)
    matches = list(term_index(project).lookup(query, lang=lang, limit=limit))
    return LookupResult(query, matches, (project.source_lang, *project.target_langs))


@dataclass
class ScanResult:
    occurrences: list[Any]

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
        rows = [[f"{o.start}-{o.end}", o.text, o.concept.id, _preferred_line(o.concept)] for o in self.occurrences]
        return table(rows, ["offsets", "text", "concept", "terms"])


def _preferred_line(concept: Concept) -> str:
    parts = []
    for lang in ("tr", "en", "ru"):
        term = concept.preferred(lang)
        if term:
            parts.append(f"{lang}: {term.text}")
    return "; ".join(parts)


def term_scan(project: Project, source: str, *, lang: str | None = None) -> ScanResult:
    lang = lang or project.source_lang
    locales.check_language(lang)
    text, _ = read_input_text(source)
    return ScanResult(list(term_index(project).scan(text, lang)))


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
    from .terms.extract import extract_candidates

    lang = lang or project.source_lang
    locales.check_language(lang)
    text, _ = read_input_text(source)
    first, _, rest = text.partition("\n")
    title = header_title(first)
    if title is not None:
        # An article: its header line carries the date, which is no term candidate.
        text = title + "\n" + rest
    return ExtractResult(list(extract_candidates(text, lang, _safe_index(project))))


def glossary_export(project: Project, fmt: str, output: str | None, langs: Sequence[str] | None = None) -> list[str]:
    """Write the termbase in another format; returns the lines to show (files written)."""
    from .formats import tbx as tbxfmt
    from .formats import tsv as tsvfmt

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
        tbxfmt.write_tbx(concepts, str(path), version=version, **header)
        return [f"{project.relative(path)}: {len(concepts)} concepts (TBX v{version})"]
    targets = _check_langs(project, langs)
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
        rows = tsvfmt.write_tsv(concepts, str(path), source_lang=project.source_lang, target_lang=lang, dialect=fmt)
        written.append(
            f"{project.relative(path)}: {rows} rows from {len(concepts)} concepts ({project.source_lang}->{lang})"
        )
    return written


def glossary_import(
    project: Project, source: str, *, fmt: str = "auto", lang: str | None = None, prefer: str = "existing"
) -> list[str]:
    """Merge a glossary file into the termbase; no term is ever dropped, conflicts are reported."""
    from .formats import tbx as tbxfmt
    from .formats import tsv as tsvfmt
    from .terms.glossary import merge_concepts

    if fmt == "auto":
        # Standard input has no name to go by: it is read as TBX unless --format says otherwise.
        suffix = "" if source == "-" else Path(source).suffix.lower()
        fmt = {".tsv": "tsv", ".txt": "tsv", ".csv": "csv"}.get(suffix, "tbx")
    if source != "-" and Path(source).is_dir():
        raise KervanError("is a folder, not a glossary file", source)
    stream: Any = sys.stdin.buffer if source == "-" else source
    if fmt == "tbx":
        incoming = tbxfmt.read_tbx(stream)
    else:
        if not lang:
            raise KervanError("importing TSV/CSV needs --lang (the target language of the file)", source)
        locales.check_language(lang)
        incoming = tsvfmt.read_tsv(stream, source_lang=project.source_lang, target_lang=lang, dialect=fmt)
    existing = load_glossary(project)
    merged = merge_concepts(existing, incoming, prefer=prefer)
    from io import BytesIO

    from .formats.atomic import write_if_changed

    title, description = tbxfmt.read_tbx_header(project.glossary_path)
    buffer = BytesIO()
    tbxfmt.write_tbx(merged.concepts, buffer, version=3, title=title or None, description=description or None)
    # An import that changes nothing leaves the file (and the matcher's cache) alone.
    changed = write_if_changed(project.glossary_path, buffer.getvalue())
    state = "" if changed else " (unchanged)"
    lines = [f"{project.relative(project.glossary_path)}{state}: {merged}"]
    lines.extend(f"  conflict: {c.unit_id}: {c.message}" for c in merged.conflicts)
    return lines


def glossary_validate(project: Project) -> list[Finding]:
    from .terms.glossary import validate

    return list(validate(load_glossary(project), langs=(project.source_lang, *project.target_langs)))


def finding_json(finding: Finding) -> dict[str, str]:
    from .qa import finding_to_json

    return finding_to_json(finding)


# --------------------------------------------------------------------------- checks and renderings


def run_qa(
    project: Project,
    langs: Sequence[str] | None = None,
    articles: list[ArticleUnits] | None = None,
    index: TermIndex | None = None,
) -> list[Finding]:
    """Check every catalog entry of every target language; findings sorted by language and unit."""
    from . import qa
    from .formats import po as pofmt

    targets = _check_langs(project, langs)
    if articles is None:
        articles = article_units(project, None)
    if index is None:
        index = _safe_index(project)
    ids = {(a.document.id, s.text): s.id for a in articles for s in a.segments}
    items = []
    for lang, domain, po_path in _catalogs(project, targets):
        for entry in pofmt.read_po(str(po_path)):
            if not entry.msgid or entry.obsolete:
                continue
            unit_id = ids.get((domain, entry.msgid), f"{domain}:?")
            items.append(
                qa.QaItem(
                    unit_id=unit_id,
                    source=entry.msgid,
                    target=entry.msgstr,
                    lang=lang,
                    source_lang=project.source_lang,
                    fuzzy=entry.fuzzy,
                )
            )
    context = qa.QaContext(index=index, source_lang=project.source_lang)
    findings = qa.run_checks(items, context)
    return sorted(findings, key=lambda f: (f.lang, _unit_order(f.unit_id), f.check))


def _unit_order(unit_id: str) -> tuple[str, int, int]:
    domain, _, position = unit_id.rpartition(":")
    paragraph, _, sentence = position.partition(".")
    return domain, int(paragraph) if paragraph.isdigit() else 0, int(sentence) if sentence.isdigit() else 0


@dataclass
class RenderResult:
    written: list[str]
    warnings: list[str]
    changed: bool = False


def render(
    project: Project,
    lang: str,
    output: str = "-",
    *,
    article: str | None = None,
    articles: list[ArticleUnits] | None = None,
) -> RenderResult:
    """The translated article(s) as text; untranslated segments stay in the source language and are reported."""
    from .formats import atomic
    from .render import render_article

    if lang != project.source_lang:
        _check_langs(project, [lang])
    if articles is None:
        articles = article_units(project, None)
    if article:
        articles = [a for a in articles if a.document.id == article]
        if not articles:
            raise KervanError(f"no article {article!r} in {project.relative(project.sources_dir)}")
    texts, warnings = [], []
    for item in articles:
        translations = _translations(project, lang, item.document.id) if lang != project.source_lang else {}
        result = render_article(item.document, item.segments, translations, lang)
        texts.append(result.text)
        if result.untranslated:
            positions = ", ".join(unit.rpartition(":")[2] for unit in result.untranslated)
            warnings.append(
                f"{item.document.id} ({lang}): {len(result.untranslated)} segment(s) untranslated, left in "
                f"{locales.language_name(project.source_lang)}: {positions}"
            )
    text = "\n\n".join(t.rstrip("\n") for t in texts) + "\n"
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return RenderResult([], warnings)
    changed = atomic.write_if_changed(output, text.encode("utf-8"))
    return RenderResult([output], warnings, changed)


# --------------------------------------------------------------------------- build


@dataclass
class BuildReport:
    segments: int = 0
    articles: int = 0
    languages: list[dict[str, Any]] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "segments": self.segments,
            "languages": self.languages,
            "files": [{"path": f.path, "changed": f.changed} for f in self.files],
            "qa": {"errors": self.errors, "warnings": sum(f.severity == "warning" for f in self.findings)},
            "warnings": self.warnings,
        }

    def summary(self) -> str:
        lines = [f"{self.articles} article(s), {self.segments} segments"]
        for row in self.languages:
            lines.append(
                f"  {row['lang']}: {row['translated']['segments']} translated, {row['fuzzy']['segments']} fuzzy, "
                f"{row['untranslated']['segments']} untranslated  ({row['domain']})"
            )
        warnings = sum(f.severity == "warning" for f in self.findings)
        lines.append(f"QA: {self.errors} error(s), {warnings} warning(s)")
        for finding in self.findings:
            if finding.severity == "error":
                lines.append(f"  {finding.lang} {finding.unit_id} {finding.check}: {finding.message}")
        lines.extend(f"warning: {w}" for w in self.warnings)
        lines.append("files:")
        lines.extend(f"  {f.describe()}" for f in self.files)
        return "\n".join(lines)


def build(project: Project, *, use_fuzzy: bool = False) -> BuildReport:
    """Extract, update, compile, export TMX, run QA and render every target language."""
    report = BuildReport()
    index = _safe_index(project)
    articles = article_units(project, index)
    report.articles = len(articles)
    report.segments = sum(len(a.segments) for a in articles)
    report.files.extend(extract(project, articles))
    report.files.extend(update(project))
    report.files.extend(compile_catalogs(project, use_fuzzy=use_fuzzy))
    exported = export_tmx(project, None, None, articles)
    report.files.append(FileResult(exported.path, exported.changed, f"{exported.units} units"))
    report.findings = run_qa(project, None, articles, index)
    qa_path = project.build_dir / "qa.json"
    import json

    from .formats import atomic

    qa_changed = atomic.write_if_changed(
        qa_path,
        (
            json.dumps({"findings": [finding_json(f) for f in report.findings]}, ensure_ascii=False, indent=2) + "\n"
        ).encode("utf-8"),
    )
    report.files.append(FileResult(project.relative(qa_path), qa_changed, "QA findings"))
    for lang in project.target_langs:
        path = project.build_dir / f"{project.name}.{lang}.txt"
        rendered = render(project, lang, str(path), articles=articles)
        report.warnings.extend(rendered.warnings)
        report.files.append(FileResult(project.relative(path), rendered.changed, "rendered article"))
    report.languages = catalog_stats(project)
    return report
