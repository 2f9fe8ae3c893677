"""Shared by the jobs: input files and stdin, language checks, documents, the glossary and its index."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from .. import locales
from ..errors import KervanError
from ..project import Project
from ..text import decode_utf8

T = TypeVar("T")

if TYPE_CHECKING:
    import polib

    from ..model import Concept, Document, Segment, Unit
    from ..terms.index import TermIndex
    from .stamps import Stamps


@contextlib.contextmanager
def writing(project: Project) -> Iterator[None]:
    """Run a job that writes project files: alone (the project lock), and all or nothing (one transaction).

    Jobs calling jobs nest: the outermost holds the lock and commits. Taking the lock also clears the temp
    files a killed run left behind (no other writer can be at work then).
    """
    from ..formats import atomic, lock

    with lock.exclusive(project.root) as first:
        if first:
            _check_inside(project)
            atomic.remove_stale_temps(_output_folders(project))
        with atomic.transaction():
            yield


def writes_project(job: Callable[..., T]) -> Callable[..., T]:
    """A job (taking the project first) that runs under :func:`writing`: alone, and all or nothing."""

    @functools.wraps(job)
    def run(project: Project, *args: Any, **kwargs: Any) -> T:
        with writing(project):
            return job(project, *args, **kwargs)

    return run


def _check_inside(project: Project) -> None:
    """The folders Kervan writes, links resolved, must lie inside the project (kervan.toml's paths are checked
    when read; a folder that is a link pointing elsewhere is caught here)."""
    root = project.root.resolve()
    for folder in _output_folders(project):
        real = folder.resolve()
        if real != root and root not in real.parents:
            raise KervanError(f"leads outside the project (to {real}); Kervan writes only inside it", folder)


def _output_folders(project: Project) -> list[Path]:
    """Every folder Kervan writes into, where a killed run may have left temp files."""
    folders = [project.build_dir, project.build_dir / ".cache", project.locales_dir, project.glossary_path.parent]
    folders.extend(project.locales_dir / lang / "LC_MESSAGES" for lang in project.target_langs)
    return folders


def project_file(path: Path) -> Path:
    """A file of the project about to be read: it must be a regular file (a link to one is fine).

    A FIFO among the catalogs would block a run for ever, a link to /dev/zero would fill the memory: both are
    refused before anything is opened."""
    from ..formats.atomic import describe_kind

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path  # missing or unreadable: the reader says so
    kind = describe_kind(mode)
    if kind is not None:
        raise KervanError(f"is {kind}, not a regular file; Kervan reads regular files only", path)
    return path


def stdin_binary() -> IO[bytes]:
    """Standard input for reading bytes; a closed one (`<&-`) is an input error, not a crash."""
    if sys.stdin is None:
        raise KervanError("standard input is closed", "<stdin>")
    return sys.stdin.buffer


def stdout_binary() -> IO[bytes]:
    """Standard output for writing bytes; a closed one (`>&-`) is an error, not a crash or lost output."""
    if sys.stdout is None:
        raise KervanError("standard output is closed", "<stdout>")
    return sys.stdout.buffer


def read_input_bytes(source: str) -> tuple[bytes, str]:
    if source == "-":
        return stdin_binary().read(), "<stdin>"
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
    with _input_stream(source) as (stream, label):
        for number, raw in enumerate(stream, start=1):
            yield number, decode_utf8(raw, label, first_line=number).rstrip("\r\n")


def iter_input_paragraphs(source: str) -> Iterator[tuple[int, str, int]]:
    """(offset, line, bytes read) for each line of a file or stdin, its line end kept: the offset counts the
    characters of the lines before it (a leading byte-order mark not), as in the whole text decoded at once."""
    base = read = 0
    with _input_stream(source) as (stream, label):
        for number, raw in enumerate(stream, start=1):
            line = decode_utf8(raw, label, first_line=number)
            read += len(raw)
            yield base, line, read
            base += len(line)


@contextlib.contextmanager
def _input_stream(source: str) -> Iterator[tuple[IO[bytes], str]]:
    """A file or stdin ("-") opened for binary reading, with its label for messages; a file is closed after."""
    label = "<stdin>" if source == "-" else source
    try:
        stream = stdin_binary() if source == "-" else open(source, "rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), source) from None
    try:
        yield stream, label
    finally:
        if source != "-":
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
    from ..sources import read_document

    return [
        read_document(path, lang=project.source_lang, display_path=project.relative(path))
        for path in project.source_files()
    ]


def document_segments(document: Document) -> list[Segment]:
    from .. import segmentation

    return list(segmentation.segment_document(document))


def has_glossary(project: Project) -> bool:
    """Whether the project has a termbase. A glossary that kervan.toml names must exist: a wrong path would
    otherwise turn every terminology check off without a word. A FIFO or a device there is an error."""
    if os.path.lexists(project.glossary_path) and project_file(project.glossary_path).is_file():
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

    if missing_ok and not os.path.lexists(project.glossary_path):
        return []
    if not has_glossary(project):
        return []
    return read_tbx(str(project_file(project.glossary_path)))


def term_index(project: Project) -> TermIndex:
    """The matcher over the project's glossary, cached in the build folder while the TBX is unchanged."""
    from ..terms.index import TermIndex

    if not has_glossary(project):
        raise KervanError("the project has no glossary", project.glossary_path)
    from ..formats.tbx import read_tbx_header

    path = project_file(project.glossary_path)
    cache = project.build_dir / ".cache"
    return TermIndex.cached(path, cache, lambda _path: load_glossary(project), read_tbx_header)


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


class FileResult:
    """One file a job wrote (or left alone because nothing changed)."""

    __slots__ = ("changed", "detail", "failed", "path", "problems", "statistics")

    def __init__(
        self,
        path: str,
        changed: bool,
        detail: str = "",
        statistics: bool = False,
        problems: list[str] | None = None,
        failed: bool = False,
    ) -> None:
        self.path = path
        self.changed = changed
        self.detail = detail
        self.statistics = statistics  # the detail is msgfmt-style statistics, shown on request only
        self.problems = [] if problems is None else problems  # checks that failed: "FILE:LINE: [warning: ]message"
        self.failed = failed  # an error among the problems: the file was not written

    def asdict(self) -> dict[str, object]:
        """Every field (the build's stamp file keeps a report this way)."""
        return {name: getattr(self, name) for name in self.__slots__}

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "changed": self.changed, "detail": self.detail, "problems": self.problems}

    def describe(self, statistics: bool = False) -> str:
        state = "written" if self.changed else "unchanged"
        detail = f" ({self.detail})" if self.detail and (statistics or not self.statistics) else ""
        return f"{self.path}: {state}{detail}"


class ArticleUnits:
    """An article read, segmented and made into units."""

    __slots__ = ("document", "segments", "source", "units")

    def __init__(
        self, document: Document, segments: list[Segment], units: list[Unit], source: Path | None = None
    ) -> None:
        self.document = document
        self.segments = segments
        self.units = units
        self.source = source  # the article's file


def article_units(
    project: Project,
    index: TermIndex | Callable[[], TermIndex | None] | None = None,
    *,
    stamps: Stamps | None = None,
    on_article: Callable[[str], None] | None = None,
) -> list[ArticleUnits]:
    """Every source article, segmented, each segment a unit carrying its glossary notes (none without `index`;
    a function giving it is called only when an article has to be scanned).

    An article unchanged since the last build takes its segments and notes from the build's stamps: those
    given, else the last build's, read only.
    """
    # Here, not at the top: commands that read no article (compile, stats, lookups) skip the model's classes.
    from ..model import Unit
    from ..sources import read_document
    from .stamps import Stamps

    if stamps is None:
        stamps = Stamps.recorded(project)
    wanted = index is not None

    def notes_of(segments: list[Segment]) -> list[tuple[str, ...]]:
        nonlocal index
        if callable(index):
            index = index()
        return [term_notes(index, s, project.target_langs) for s in segments]

    result = []
    for path in project.source_files():
        document = read_document(path, lang=project.source_lang, display_path=project.relative(path))
        cached = stamps.article(document.id, path)
        if cached is not None and _segments_of(document, cached[0]):
            segments, notes = cached
            if not wanted:
                notes = [() for _ in segments]
        else:
            segments = document_segments(document)
            notes = notes_of(segments)
            if not stamps.read_only:
                stamps.record_article(document.id, path, segments, notes)
        units = [Unit(source=s, notes=n) for s, n in zip(segments, notes, strict=True)]
        result.append(ArticleUnits(document, segments, units, path))
        if on_article is not None:
            on_article(document.id)
    return result


def _segments_of(document: Document, segments: Sequence[Segment]) -> bool:
    """Whether recorded segments can be this document's: numbered in order, paragraph by paragraph, and
    together each paragraph's text, only the spaces between them left out. (The stamps say the file is
    unchanged; this keeps a garbled record from ever serving text the article does not hold, or losing some.)"""
    paragraphs = document.all_paragraphs()
    number, sentence, offset = 0, 0, 0
    for segment in segments:
        if segment.paragraph != number:
            if segment.paragraph != number + 1 or (number and paragraphs[number - 1].text[offset:].strip()):
                return False
            number, sentence, offset = segment.paragraph, 0, 0
        sentence += 1
        if not 0 < number <= len(paragraphs) or segment.sentence != sentence or not segment.text:
            return False
        paragraph = paragraphs[number - 1]
        found = paragraph.text.find(segment.text, offset)
        if (
            found < 0
            or paragraph.text[offset:found].strip()
            or segment.id != f"{document.id}:{number}.{sentence}"
            or segment.ref != f"{document.path}:{paragraph.line}"
            or segment.lang != document.lang
        ):
            return False
        offset = found + len(segment.text)
    return number == len(paragraphs) and not (number and paragraphs[number - 1].text[offset:].strip())


def glossary_index(project: Project) -> TermIndex | None:
    """The term index, or None for a project without a glossary (catalogs then carry no term notes)."""
    if not has_glossary(project):
        return None
    return term_index(project)


def lazy_glossary_index(project: Project) -> Callable[[], TermIndex] | None:
    """As `glossary_index`, but the index is loaded when the function returned is called (the glossary's
    presence is checked now): an article the last build scanned needs no index."""
    if not has_glossary(project):
        return None
    return lambda: term_index(project)


def file_stamp(path: Path) -> tuple[int, int] | None:
    """Inode and mtime: writers leave identical bytes untouched, so a changed stamp means a changed file."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def catalog_paths(project: Project, langs: Sequence[str] | None) -> Iterator[tuple[str, str, Path]]:
    """(language, domain, PO path) of every catalog of the given (default: all target) languages."""
    from ..formats.atomic import listing
    from ..project import check_file_name

    for lang in check_langs(project, langs):
        for po_path in listing(project.locales_dir / lang / "LC_MESSAGES", "*.po"):
            check_file_name(po_path, "a catalog's name is its gettext domain")
            yield lang, po_path.stem, project_file(po_path)


_CATALOGS: dict[tuple[str, tuple[int, int] | None], polib.POFile] = {}


def read_catalog(path: Path) -> polib.POFile:
    """A PO/POT file for reading only, parsed once per version of the file.

    A build compiles, exports, checks, renders and counts the same catalogs: each would parse them again
    (seconds for a large catalog). Keyed by the file's stamp, so a rewritten file is read anew. Callers that
    change a catalog read it with formats.po.read_po instead.
    """
    from ..formats import po as pofmt
    from ..formats.atomic import view

    path = project_file(view(path))  # inside a job that writes, what it is about to commit
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


def _parsed(path: Path) -> tuple[Path, polib.POFile | None]:
    """The file to read for `path` now, and its catalog if this run has parsed it already."""
    from ..formats.atomic import view

    path = project_file(view(path))  # inside a job that writes, what it is about to commit
    return path, _CATALOGS.get((str(path), file_stamp(path)))


def reviewed_translations(project: Project, lang: str, domain: str) -> dict[str, str]:
    """Source text -> reviewed translation (translated, not fuzzy) of one catalog; read as it streams (no
    catalog model built) unless this run has the catalog parsed already."""
    from ..formats.atomic import view

    path = project.po_path(domain, lang)
    if not os.path.lexists(view(path)):
        return {}
    path, catalog = _parsed(path)
    if catalog is not None:
        return {e.msgid: e.msgstr for e in catalog if e.msgid and not e.obsolete and not e.fuzzy and e.msgstr}
    from ..formats.po_reader import iter_messages

    with contextlib.closing(iter_messages(path)) as messages:
        return {
            m.msgid: m.msgstr
            for m in messages
            if m.msgid and not m.obsolete and not m.is_fuzzy and m.plurals is None and m.msgstr
        }


def catalog_header(path: Path) -> dict[str, str]:
    """A catalog's header fields, as polib reads them; the file is read only up to its header entry unless this
    run has the catalog parsed already."""
    path, catalog = _parsed(path)
    if catalog is not None:
        return catalog.metadata
    from ..formats.po import header_fields
    from ..formats.po_reader import iter_messages

    with contextlib.closing(iter_messages(path)) as messages:
        for message in messages:
            if message.is_header:
                return header_fields(message.msgstr or "")
    return {}
