"""Shared by the jobs: input files and stdin, language checks, documents, the glossary and its index."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import locales
from ..errors import KervanError
from ..model import Concept, Document, Segment, Unit
from ..project import Project
from ..sources import read_document
from ..text import decode_utf8

if TYPE_CHECKING:
    import polib

    from ..terms.index import TermIndex
    from .stamps import Stamps


def read_input_bytes(source: str) -> tuple[bytes, str]:
    if source == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    try:
        return Path(source).read_bytes(), source
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), source) from None


def read_input_text(source: str) -> tuple[str, str]:
    """Text of a file or of stdin ("-"), UTF-8 checked; returns (text, label for messages)."""
    data, label = read_input_bytes(source)
    return decode_utf8(data, label), label


def iter_input_lines(source: str) -> Iterator[tuple[int, str]]:
    """Lines of a file or stdin, decoded one at a time so large inputs stream; errors name the line."""
    label = "<stdin>" if source == "-" else source
    try:
        stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), source) from None
    try:
        for number, raw in enumerate(stream, start=1):
            yield number, decode_utf8(raw, label, first_line=number).rstrip("\r\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def check_langs(project: Project, langs: Sequence[str] | None) -> list[str]:
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


def load_documents(project: Project) -> list[Document]:
    """Every source article; references name them relative to the project, errors by their real path."""
    return [
        read_document(path, lang=project.source_lang, display_path=project.relative(path))
        for path in project.source_files()
    ]


def document_segments(document: Document) -> list[Segment]:
    from .. import segmentation

    return list(segmentation.segment_document(document))


def has_glossary(project: Project) -> bool:
    """Whether the project has a termbase. A glossary that kervan.toml names must exist: a wrong path would
    otherwise turn every terminology check off without a word."""
    if project.glossary_path.is_file():
        return True
    if project.glossary_named:
        raise KervanError(
            f"glossary {project.relative(project.glossary_path)!r} named in kervan.toml not found",
            project.root / "kervan.toml",
            project.glossary_line,
        )
    return False


def load_glossary(project: Project, *, missing_ok: bool = False) -> list[Concept]:
    """The project's concepts; [] without a termbase. `missing_ok`: a named but absent file is about to be made."""
    from ..formats.tbx import read_tbx

    if missing_ok and not project.glossary_path.is_file():
        return []
    if not has_glossary(project):
        return []
    return read_tbx(str(project.glossary_path))


def term_index(project: Project) -> TermIndex:
    """The matcher over the project's glossary, cached in the build folder while the TBX is unchanged."""
    from ..terms.index import TermIndex

    if not has_glossary(project):
        raise KervanError("the project has no glossary", project.glossary_path)
    path = project.glossary_path
    cache = project.build_dir / ".cache"
    return TermIndex.cached(path, cache, lambda _path: load_glossary(project))


def file_term_index(path: str) -> TermIndex:
    """The matcher over a TBX file named on the command line (no project, so no cache folder)."""
    from ..formats.tbx import read_tbx
    from ..terms.index import TermIndex

    if Path(path).is_dir():
        raise KervanError("is a folder, not a TBX file", path)
    if not Path(path).is_file():
        raise KervanError("glossary file not found", path)
    return TermIndex.build(read_tbx(path))


def term_notes(index: TermIndex | None, segment: Segment, target_langs: Sequence[str]) -> tuple[str, ...]:
    """Extracted comments for translators: each glossary term in the segment with its approved renderings.

    One line per concept, e.g. `Term: AEB = en: EAEU, Eurasian Economic Union | ru: ЕАЭС, ...`; target terms
    of the source term's kind (an abbreviation for an abbreviation) come first, deprecated ones never.
    """
    if index is None:
        return ()
    notes: list[str] = []
    seen: set[str] = set()
    # Overlapping terms too: a translator wants "security architecture" listed beside the longer term.
    for occurrence in index.scan(segment.text, segment.lang, overlapping=True):
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


@dataclass
class FileResult:
    """One file a job wrote (or left alone because nothing changed)."""

    path: str
    changed: bool
    detail: str = ""
    statistics: bool = False  # the detail is msgfmt-style statistics, shown on request only
    problems: list[str] = field(default_factory=list)  # checks that failed: "FILE:LINE: [warning: ]message"
    failed: bool = False  # an error among the problems: the file was not written

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "changed": self.changed, "detail": self.detail, "problems": self.problems}

    def describe(self, statistics: bool = False) -> str:
        state = "written" if self.changed else "unchanged"
        detail = f" ({self.detail})" if self.detail and (statistics or not self.statistics) else ""
        return f"{self.path}: {state}{detail}"


@dataclass
class ArticleUnits:
    document: Document
    segments: list[Segment]
    units: list[Unit]
    source: Path | None = None  # the article's file


def article_units(
    project: Project,
    index: TermIndex | None = None,
    *,
    stamps: Stamps | None = None,
    on_article: Callable[[str], None] | None = None,
) -> list[ArticleUnits]:
    """Every source article, segmented, each segment a unit carrying its glossary notes. With `stamps`, an
    article unchanged since the last build takes its segments and notes from there."""
    result = []
    for path in project.source_files():
        document = read_document(path, lang=project.source_lang, display_path=project.relative(path))
        cached = stamps.article(document.id, path) if stamps is not None else None
        if cached is not None:
            segments, notes = cached
        else:
            segments = document_segments(document)
            notes = [term_notes(index, s, project.target_langs) for s in segments]
            if stamps is not None:
                stamps.record_article(document.id, path, segments, notes)
        units = [Unit(source=s, notes=n) for s, n in zip(segments, notes, strict=True)]
        result.append(ArticleUnits(document, segments, units, path))
        if on_article is not None:
            on_article(document.id)
    return result


def glossary_index(project: Project) -> TermIndex | None:
    """The term index, or None for a project without a glossary (catalogs then carry no term notes)."""
    if not has_glossary(project):
        return None
    return term_index(project)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """Inode and mtime: writers leave identical bytes untouched, so a changed stamp means a changed file."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def catalog_paths(project: Project, langs: Sequence[str] | None) -> Iterator[tuple[str, str, Path]]:
    """(language, domain, PO path) of every catalog of the given (default: all target) languages."""
    for lang in check_langs(project, langs):
        folder = project.locales_dir / lang / "LC_MESSAGES"
        for po_path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
            yield lang, po_path.stem, po_path


_CATALOGS: dict[tuple[str, tuple[int, int] | None], polib.POFile] = {}


def read_catalog(path: Path) -> polib.POFile:
    """A PO/POT file for reading only, parsed once per version of the file.

    A build compiles, exports, checks, renders and counts the same catalogs: each would parse them again
    (seconds for a large catalog). Keyed by the file's stamp, so a rewritten file is read anew. Callers that
    change a catalog read it with formats.po.read_po instead.
    """
    from ..formats import po as pofmt

    key = (str(path), file_stamp(path))
    catalog = _CATALOGS.get(key)
    if catalog is None:
        catalog = _CATALOGS[key] = pofmt.read_po(str(path))
    return catalog


def format_problems(entry: polib.POEntry, plural_forms: str | None) -> list[str]:
    """What `msgfmt -c` rejects in an entry's placeholders (c-format, python-format, python-brace-format)."""
    from ..placeholders import mismatches

    if entry.msgid_plural:
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural, key=int)]
        return mismatches(entry.msgid, forms, entry.flags, msgid_plural=entry.msgid_plural, plural_forms=plural_forms)
    return mismatches(entry.msgid, [entry.msgstr], entry.flags)


def reviewed_translations(project: Project, lang: str, domain: str) -> dict[str, str]:
    """Source text -> reviewed translation (translated, not fuzzy) of one catalog."""
    path = project.po_path(domain, lang)
    if not path.is_file():
        return {}
    return {e.msgid: e.msgstr for e in read_catalog(path) if e.msgid and not e.obsolete and not e.fuzzy and e.msgstr}
