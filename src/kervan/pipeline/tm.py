"""Translation-memory jobs: keep the memory in step with tm/*.tmx and the catalogs, import, search, export,
count, and leverage matches into catalogs during `update`.

Origins are named "<project>:tm/<file>.tmx" for a TMX file and "<project>:<article>" for an article's reviewed
catalogs, so that projects sharing one PostgreSQL memory keep apart what each of them brings and removes.
A source is read again only when it changed: its stamp is size, modification time and SHA-256; a file with
a new time but the same bytes (a fresh checkout) is not read again. The embedded index forgets a source
that is gone; a shared memory keeps it (another machine may have imported it a moment ago): `kervan tm
remove` takes it out.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import KervanError
from ..project import Project
from ..text import primary
from .common import catalog_paths, check_langs, read_catalog, writes_project

if TYPE_CHECKING:
    import polib

    from ..tm import Match, Memory, TmUnit
    from ..tm.leverage import Fill

_CHUNK = 1 << 20
_LEVERAGE_GROUP = 200  # catalog entries matched together
# From this size on, a TMX file is read and tokenized by a second process while this one stores the units.
PARALLEL_BYTES = 8 << 20


def index_path(project: Project) -> Path:
    # Derived data beside the other caches: rebuilt from tm/ and the catalogs whenever it is missing.
    return project.build_dir / ".cache" / "tm.sqlite3"


def open_memory(project: Project, *, sync: bool = True) -> Memory:
    """The project's memory (PostgreSQL when kervan.toml names one, else the index under build/), in step."""
    from ..tm import open_memory as _open

    memory = _open(project.tm_url, index_path(project))
    if sync:
        try:
            synchronize(project, memory)
        except BaseException:
            memory.close()
            raise
    return memory


# --------------------------------------------------------------------------------------------- sources


def _prefix(project: Project) -> str:
    return f"{project.name}:"


def _sha256(size: int) -> Any:
    """A SHA-256 hasher: CPython's own for a few megabytes (loading OpenSSL takes longer than hashing them),
    OpenSSL's, several times faster, for more. The digests are the same."""
    if size < _OWN_SHA256_BYTES:
        try:
            from _sha256 import sha256  # CPython 3.11
        except ImportError:
            try:
                from _sha2 import sha256  # CPython 3.12 and later
            except ImportError:
                from hashlib import sha256
    else:
        from hashlib import sha256
    return sha256()


_OWN_SHA256_BYTES = 4 << 20


def _file_stamp(paths: Sequence[Path]) -> tuple[str, str]:
    """(quick part: sizes and times, full stamp with the SHA-256 of the bytes)."""
    from ..formats.atomic import view

    quick = []
    viewed = [view(path) for path in paths]  # inside a job that writes, what it is about to commit
    stats = [path.stat() for path in viewed]
    digest = _sha256(sum(stat.st_size for stat in stats))
    for path, stat in zip(viewed, stats, strict=True):
        quick.append(f"{stat.st_size}.{stat.st_mtime_ns}")
        digest.update(path.name.encode() + b"\0")
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    joined = "/".join(quick)
    return joined, f"{joined}:{digest.hexdigest()}"


def _quick(paths: Sequence[Path]) -> str:
    from ..formats.atomic import view

    stats = [view(p).stat() for p in paths]
    return "/".join(f"{stat.st_size}.{stat.st_mtime_ns}" for stat in stats)


class SyncReport:
    """What bringing the memory up to date did: the origins read again, those removed, the units stored."""

    __slots__ = ("read", "removed", "units")

    def __init__(self, read: list[str] | None = None, removed: list[str] | None = None, units: int = 0) -> None:
        self.read = [] if read is None else read
        self.removed = [] if removed is None else removed
        self.units = units


def synchronize(project: Project, memory: Memory) -> SyncReport:
    """Bring the memory up to date with tm/*.tmx and the reviewed translations of every article."""
    report = SyncReport()
    known = {name: stamp for name, (_kind, stamp) in memory.origins().items() if name.startswith(_prefix(project))}
    wanted: dict[str, tuple[str, list[Path]]] = {}
    folder = project.memory_dir
    if folder.is_dir():
        for path in sorted(folder.glob("*.tmx")):
            if path.is_file():
                wanted[_prefix(project) + project.relative(path)] = ("tmx", [path])
    domains: dict[str, list[Path]] = {}
    for _lang, domain, po_path in catalog_paths(project, None):
        domains.setdefault(domain, []).append(po_path)
    for domain, paths in domains.items():
        wanted[_prefix(project) + domain] = ("catalog", paths)

    for origin, (kind, paths) in wanted.items():
        stored = known.get(origin)
        if stored is not None and stored.rsplit(":", 1)[0] == _quick(paths):
            continue
        _quick_part, stamp = _file_stamp(paths)
        if stored is not None and stored.rsplit(":", 1)[-1] == stamp.rsplit(":", 1)[-1]:
            memory.set_stamp(origin, stamp)  # same bytes, new times: nothing to read
            continue
        units = _tmx_units(project, paths[0], origin) if kind == "tmx" else _catalog_units(project, origin, paths)
        report.units += memory.replace_origin(origin, kind, stamp, units)
        report.read.append(origin)
    gone = [origin for origin in known if origin not in wanted]
    # A shared memory keeps what this machine does not have: another may have imported it a moment ago. The
    # embedded index forgets a source only while no writer is at work: an import indexes its file before the
    # file appears in tm/, and a search running meanwhile must not take it for a deleted one.
    if gone and not memory.shared:
        with contextlib.ExitStack() as stack:
            if _lock_if_free(stack, project):
                for origin in gone:
                    memory.remove_origin(origin)
                    report.removed.append(origin)
    return report


def _lock_if_free(stack: contextlib.ExitStack, project: Project) -> bool:
    """Take the project lock into `stack` without waiting (at once if this run holds it); False if busy."""
    from ..formats import lock

    try:
        stack.enter_context(lock.exclusive(project.root, timeout=0))
    except KervanError:
        return False
    return True


def _tmx_units(
    project: Project,
    source: str | Path | IO[bytes],
    origin: str,
    langs: Sequence[str] | None = None,
    skipped: list[int] | None = None,
    label: str | None = None,
) -> Iterator[TmUnit]:
    """The units of a TMX file with a source-language variant; the unit before one in its document is its context."""
    from ..formats import tmx as tmxfmt
    from ..tm import TmUnit

    src = project.source_lang
    wanted = {primary(lang) for lang in langs} if langs else None
    previous, document = "", None
    source_key = primary(src)
    primaries: dict[str, str] = {}  # a file uses a handful of language tags a million times
    name = label or (project.relative(source) if isinstance(source, Path) else None)
    with tmxfmt.open_tmx(source, label=name) as reader:
        for unit in reader:
            text = unit.text(src)
            if text is None:
                if skipped is not None:
                    skipped[0] += 1
                continue
            targets: dict[str, str] = {}
            for lang, value in unit.variants.items():
                key = primaries.get(lang) or primaries.setdefault(lang, primary(lang))
                if value and key != source_key and (wanted is None or key in wanted):
                    targets.setdefault(key, value)
            this_document = unit.prop("x-document")
            context = previous if this_document == document else ""
            previous, document = text, this_document
            if targets:
                yield TmUnit(text, targets, origin, source_key, context)


def _catalog_units(project: Project, origin: str, paths: Sequence[Path]) -> Iterator[TmUnit]:
    """Reviewed translations (not fuzzy, not empty) of one article, every target language in one unit."""
    from ..tm import TmUnit

    order: list[str] = []
    previous: dict[str, str] = {}
    targets: dict[str, dict[str, str]] = {}
    for path in paths:
        lang = path.parent.parent.name
        last = ""
        for entry in read_catalog(path):
            if not entry.msgid or entry.obsolete or entry.msgid_plural:
                continue
            if entry.msgid not in previous:
                previous[entry.msgid] = last
                order.append(entry.msgid)
            last = entry.msgid
            if entry.msgstr and not entry.fuzzy:
                targets.setdefault(entry.msgid, {})[lang] = entry.msgstr
    src = primary(project.source_lang)
    for msgid in order:
        if msgid in targets:
            yield TmUnit(msgid, targets[msgid], origin, src, previous[msgid])


# --------------------------------------------------------------------------------------------- import


class TmImportReport:
    """A TMX file imported into the memory: how many units, how many skipped, where it was copied."""

    __slots__ = ("backend", "skipped", "source", "units", "written")

    def __init__(self, source: str, written: str, units: int = 0, skipped: int = 0, backend: str = "") -> None:
        self.source = source
        self.written = written
        self.units = units
        self.skipped = skipped
        self.backend = backend

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "written": self.written,
            "units": self.units,
            "skipped": self.skipped,
            "backend": self.backend,
        }

    def summary(self) -> str:
        line = f"{self.source}: {self.units} translation units into {self.written} ({self.backend} index)"
        if self.skipped:
            line += f"; {self.skipped} without a source-language variant skipped"
        return line


class _Tee:
    """A binary stream that copies what is read into another one."""

    def __init__(self, stream: IO[bytes], copy: IO[bytes], progress: Callable[[int], None] | None = None) -> None:
        self._stream = stream
        self._copy = copy
        self._progress = progress
        self.name = getattr(stream, "name", "<stream>")

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if data:
            self._copy.write(data)
            if self._progress is not None:
                self._progress(len(data))
        return data

    def drain(self) -> None:
        while self.read(_CHUNK):
            pass


def _worth_a_second_process(stream: IO[bytes]) -> bool:
    """A large regular file, on a machine where a forked child can read units while this process stores them."""
    if stream is sys.stdin.buffer or not stream.seekable():
        return False
    try:
        if os.fstat(stream.fileno()).st_size < PARALLEL_BYTES:
            return False
    except (OSError, ValueError):
        return False
    from ..tm import parallel  # here: multiprocessing takes ~10 ms to import, and small files never need it

    return parallel.available()


@writes_project
def import_tm(
    project: Project,
    source: str,
    langs: Sequence[str] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> TmImportReport:
    """Copy a TMX file into tm/ and index its units, streamed; bad input leaves tm/ and the index unchanged."""
    from ..formats.atomic import atomic_open

    targets = check_langs(project, langs) if langs else None
    label = "<stdin>" if source == "-" else source
    name = "stdin.tmx" if source == "-" else Path(source).name
    if not name.lower().endswith(".tmx"):
        name += ".tmx"
    dest = project.memory_dir / name
    origin = _prefix(project) + project.relative(dest)
    if source != "-" and Path(source).resolve() == dest.resolve():
        with open_memory(project) as memory:  # already in tm/: bringing the index up to date is all there is
            count = sum(1 for _ in _tmx_units(project, dest, origin, targets))
            return TmImportReport(label, project.relative(dest), count, 0, memory.backend)
    try:
        stream: IO[bytes] = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), source) from None
    report = TmImportReport(label, project.relative(dest))
    skipped = [0]
    try:
        with open_memory(project) as memory:
            report.backend = memory.backend
            with atomic_open(dest, "wb") as handle:
                # The stamp is written once the file is in place; an interrupted import is read again next time.
                if _worth_a_second_process(stream):
                    # The copy first, then a child reads the same open file while this process stores.
                    import shutil  # here: most commands never copy a file

                    from ..tm.parallel import Prepared

                    shutil.copyfileobj(stream, handle, _CHUNK)
                    stream.seek(0)
                    prepared = Prepared(
                        lambda: _tmx_units(project, stream, origin, targets, skipped, label),
                        position=stream.tell,
                        progress=progress,
                        finish=lambda: skipped[0],
                    )
                    report.units = memory.replace_origin(origin, "tmx", "", prepared)
                    skipped[0] = prepared.result
                else:
                    tee = _Tee(stream, handle, progress)
                    units = _tmx_units(project, tee, origin, targets, skipped, label)  # type: ignore[arg-type]
                    report.units = memory.replace_origin(origin, "tmx", "", units)
                    tee.drain()
            _quick_part, stamp = _file_stamp([dest])
            memory.set_stamp(origin, stamp)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    report.skipped = skipped[0]
    return report


@writes_project
def remove(project: Project, name: str) -> str:
    """Take one source (tm/<file>.tmx or an article id) out of the memory; returns the origin removed.

    The embedded index forgets a deleted file by itself; a shared memory needs this (see the module docstring).
    """
    with open_memory(project, sync=False) as memory:
        origin = name if name.startswith(_prefix(project)) else _prefix(project) + name
        if origin not in memory.origins():
            raise KervanError(f"no source {name!r} in the translation memory (see kervan tm stats)")
        memory.remove_origin(origin)
        return origin


# --------------------------------------------------------------------------------------------- search, export, stats


def search(
    project: Project,
    query: str,
    langs: Sequence[str] | None = None,
    *,
    min_score: int | None = None,
    limit: int = 10,
) -> dict[str, Any]:
    """Fuzzy matches at or above `min_score` (default: the project's), then units holding the query's words in a
    row (a concordance), best first: {"query", "matches": [{"score", "source", "targets", "origin"}]}."""
    targets = check_langs(project, langs) if langs else None
    threshold = project.tm_min_score if min_score is None else min_score
    with open_memory(project) as memory:
        src = primary(project.source_lang)
        found = memory.matches(query, src_lang=src, langs=targets, min_score=threshold, limit=limit)
        seen = {(m.source, m.origin) for m in found}
        if len(found) < limit:
            for match in memory.concordance(query, src_lang=src, langs=targets, limit=limit):
                # Concordance hits contain the query whatever their score: they are shown below the fuzzy ones.
                if (match.source, match.origin) not in seen:
                    found.append(match)
                    seen.add((match.source, match.origin))
    found.sort(key=lambda m: -m.score)
    return {"query": query, "matches": [m.to_json() for m in found[:limit]]}


class TmExportResult:
    """The memory written as one TMX file: where, how many units, in which target languages."""

    __slots__ = ("langs", "path", "units")

    def __init__(self, path: str, units: int, langs: list[str]) -> None:
        self.path = path
        self.units = units
        self.langs = langs

    def describe(self) -> str:
        return f"{self.path}: {self.units} translation units ({', '.join(self.langs) or 'no target language'})"


def export_tm(project: Project, output: str | None = None) -> TmExportResult:
    """The whole memory as one TMX 1.4b file (default build/<project>-memory.tmx), streamed."""
    from ..formats import tmx as tmxfmt
    from ..model import Segment, Unit

    with open_memory(project) as memory:
        src = primary(project.source_lang)
        langs = sorted({tgt for (source, tgt) in memory.stats()["pairs"] if source == src})

        def units() -> Iterator[Unit]:
            for stored in memory.iter_all():
                origin = stored.origin.split(":", 1)[1] if stored.origin.startswith(_prefix(project)) else ""
                note = (f"origin: {origin or stored.origin}",)
                yield Unit(Segment(id=str(stored.id), text=stored.source, lang=src, ref=""), dict(stored.targets), note)

        if output == "-":
            count = tmxfmt.write_tmx(units(), sys.stdout.buffer, srclang=src, langs=langs)
            sys.stdout.buffer.flush()
            return TmExportResult("-", count, langs)
        path = Path(output) if output else project.build_dir / f"{project.name}-memory.tmx"
        count = tmxfmt.write_tmx(units(), str(path), srclang=src, langs=langs)
        return TmExportResult(project.relative(path), count, langs)


def stats(project: Project) -> dict[str, Any]:
    """Units in all, per language pair and per origin."""
    with open_memory(project) as memory:
        raw = memory.stats()
        return {
            "backend": memory.backend,
            "location": memory.location if project.tm_url else project.relative(Path(memory.location)),
            "units": raw["units"],
            "pairs": [{"source": s, "target": t, "units": n} for (s, t), n in sorted(raw["pairs"].items())],
            "origins": [{"origin": name, "kind": kind, "units": n} for name, (kind, n) in raw["origins"].items()],
        }


# --------------------------------------------------------------------------------------------- leverage


def leverage_catalog(
    memory: Memory,
    project: Project,
    lang: str,
    domain: str,
    catalog: polib.POFile,
    before: polib.POFile | None,
) -> list[Fill]:
    """Fill entries from the memory: those without a translation, and those this merge has just made fuzzy.

    Entries a translator has touched (translated, or fuzzy before this merge) are never changed. An exact match
    fills an entry as translated; any other match fills it as fuzzy with the matched source as previous msgid.
    Each fill gets a `#.` line naming score and origin; such lines of earlier fills are kept.
    """
    old = {e.msgid: e for e in before if not e.obsolete} if before is not None else {}
    src = primary(project.source_lang)
    wanted: list[tuple[polib.POEntry, str]] = []
    previous = ""
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        preceding, previous = previous, entry.msgid
        earlier = old.get(entry.msgid)
        if earlier is not None:
            _keep_tm_notes(entry, earlier)
        if entry.msgid_plural:
            continue
        fresh_fuzzy = entry.fuzzy and earlier is None
        if entry.msgstr and not fresh_fuzzy:
            continue
        wanted.append((entry, preceding))
    fills: list[Fill] = []
    # Looked up in groups: each step of matching is then one query for many entries instead of one each.
    for start in range(0, len(wanted), _LEVERAGE_GROUP):
        group = wanted[start : start + _LEVERAGE_GROUP]
        found = memory.matches_many(
            [(entry.msgid, preceding or None) for entry, preceding in group],
            src_lang=src, langs=[lang], min_score=project.tm_min_score, limit=1,
        )  # fmt: skip
        for (entry, _preceding), matches in zip(group, found, strict=True):
            if matches:
                fills.append(_fill(project, lang, domain, entry, matches[0]))
    return fills


def _fill(project: Project, lang: str, domain: str, entry: polib.POEntry, match: Match) -> Fill:
    """Write a match into its entry: translated when exact, else fuzzy with the matched source as previous msgid."""
    from ..tm import leverage as lev

    suggestion, carried, missed = lev.suggestion(match, lang, entry.msgid)
    shown = match.origin.split(":", 1)[1] if match.origin.startswith(_prefix(project)) else match.origin
    fill = lev.Fill(lang, domain, entry.msgid, match.score, match.kind, shown, match.source, carried, missed)
    entry.msgstr = suggestion
    if match.score >= 100:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgctxt = None
    else:
        if "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        entry.previous_msgid = match.source
    entry.comment = "\n".join(line for line in (*_plain_notes(entry.comment), lev.comment(fill)) if line)
    return fill


def _plain_notes(comment: str) -> list[str]:
    return [line for line in (comment or "").split("\n") if line and not line.startswith("TM: ")]


def _keep_tm_notes(entry: polib.POEntry, earlier: polib.POEntry) -> None:
    notes = [line for line in (earlier.comment or "").split("\n") if line.startswith("TM: ")]
    if notes:
        entry.comment = "\n".join([*_plain_notes(entry.comment), *notes])
