"""Translation-memory jobs: TMX export of reviewed translations, TMX import into the catalogs."""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .. import locales
from ..errors import KervanError
from ..project import Project
from .common import (
    ArticleUnits,
    article_units,
    catalog_header,
    catalog_paths,
    check_langs,
    reviewed_translations,
    stdin_binary,
    stdout_binary,
    writing,
)

if TYPE_CHECKING:
    import polib

    from ..model import Unit


def _catalog_date(project: Project, domains: Iterable[str], langs: Sequence[str]) -> _dt.datetime | None:
    """The newest POT-Creation-Date / PO-Revision-Date: a TMX dated by its data, so rebuilding changes nothing."""
    from ..formats import atomic

    newest: _dt.datetime | None = None
    for domain in domains:
        paths = [project.pot_path(domain), *(project.po_path(domain, lang) for lang in langs)]
        for path in paths:
            if not os.path.lexists(atomic.view(path)):
                continue
            header = catalog_header(path)
            for key in ("POT-Creation-Date", "PO-Revision-Date"):
                stamp = _header_date(header.get(key, ""))
                if stamp and (newest is None or stamp > newest):
                    newest = stamp
    return newest


def _header_date(value: str) -> _dt.datetime | None:
    """A gettext header date ("2025-11-13 10:00+0000"); placeholders such as "YEAR-MO-DA" give None."""
    value = value.strip()
    if not value[:4].isdigit():
        return None  # empty (a template's PO-Revision-Date) or a placeholder: no need to load strptime
    quick = _plain_header_date(value)
    if quick is not None:
        return quick
    from ..formats.po import DATE_FORMAT
    for pattern in (DATE_FORMAT, "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M"):
        try:
            stamp = _dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=_dt.UTC)
    return None


def _plain_header_date(value: str) -> _dt.datetime | None:
    """The date as Kervan and gettext write it, "YYYY-MM-DD HH:MM+ZZZZ" (ASCII digits), read as `strptime` with
    DATE_FORMAT reads it, without loading `strptime` (its first call costs a few milliseconds); None otherwise."""
    if len(value) != 21 or value[4] != "-" or value[7] != "-" or value[10] != " " or value[13] != ":":
        return None
    digits = value[:4] + value[5:7] + value[8:10] + value[11:13] + value[14:16] + value[17:21]
    if value[16] not in "+-" or not (digits.isascii() and digits.isdigit()) or value[19] > "5":
        return None
    offset = _dt.timedelta(hours=int(value[17:19]), minutes=int(value[19:21]))
    try:
        zone = _dt.timezone(-offset if value[16] == "-" else offset)
        return _dt.datetime(int(value[:4]), int(value[5:7]), int(value[8:10]), int(value[11:13]), int(value[14:16]),
                            tzinfo=zone)  # fmt: skip
    except ValueError:
        return None


class ExportResult:
    """A TMX file written: where, how many units, in which target languages, and whether its bytes changed."""

    __slots__ = ("changed", "langs", "path", "units")

    def __init__(self, path: str, units: int, langs: list[str], changed: bool = True) -> None:
        self.path = path
        self.units = units
        self.langs = langs
        self.changed = changed

    def describe(self) -> str:
        state = "" if self.changed else " (unchanged)"
        return f"{self.path}{state}: {self.units} translation units ({', '.join(self.langs)})"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "units": self.units, "langs": self.langs, "changed": self.changed}


def export_tmx(
    project: Project,
    output: str | None = None,
    langs: Sequence[str] | None = None,
    articles: list[ArticleUnits] | None = None,
) -> ExportResult:
    """Write every segment with its reviewed translations as TMX 1.4b, streamed."""
    from ..formats import atomic
    from ..formats import tmx as tmxfmt

    targets = check_langs(project, langs)
    if articles is None:
        articles = article_units(project, None)
    tables = {
        (a.document.id, lang): reviewed_translations(project, lang, a.document.id) for a in articles for lang in targets
    }

    from ..model import Unit

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
        out = stdout_binary()
        count = tmxfmt.write_tmx(units(), out, srclang=project.source_lang, langs=targets, creationdate=date)
        out.flush()
        return ExportResult("-", count, targets)
    path = atomic.output_path(output, project.root) if output else project.build_dir / f"{project.name}.tmx"
    with writing(project), atomic.transaction() as txn:
        count = tmxfmt.write_tmx(units(), str(path), srclang=project.source_lang, langs=targets, creationdate=date)
        # The writer streams, and leaves a file with identical bytes untouched.
        changed = txn.will_change(path)
    return ExportResult(project.relative(path), count, targets, changed=changed)


class Listing:
    """The first `limit` items of a kind a report lists, the rest only counted (`more`): what a report holds
    stays bounded however large the file read (a memory of 200,000 units, most of them from other projects)."""

    __slots__ = ("items", "limit", "more")

    def __init__(self, items: Iterable[Any] = (), limit: int = 100) -> None:
        self.items: list[Any] = []
        self.limit = limit
        self.more = 0
        self.extend(items)

    def append(self, item: Any) -> None:
        if len(self.items) < self.limit:
            self.items.append(item)
        else:
            self.more += 1

    def extend(self, items: Iterable[Any]) -> None:
        for item in items:
            self.append(item)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def total(self) -> int:
        return len(self.items) + self.more


def _more(count: int, one: str, many: str) -> str:
    return f"  ... and {count} more {one if count == 1 else many}"


class ImportReport:
    """What filling the catalogs from a TMX (or OmegaT, XLIFF) file did, per language and unit. Units in no
    catalog and warnings are listed up to a hundred each, and counted."""

    __slots__ = (
        "conflicts",
        "filled",
        "fuzzy_replaced",
        "kind",
        "overwritten",
        "previous_matched",
        "source",
        "unchanged",
        "units",
        "unmatched",
        "warnings",
        "written",
    )

    def __init__(
        self,
        source: str,
        units: int = 0,
        filled: dict[str, int] | None = None,
        unchanged: dict[str, int] | None = None,
        overwritten: dict[str, int] | None = None,
        conflicts: list[dict[str, str]] | None = None,
        fuzzy_replaced: list[dict[str, str]] | None = None,
        previous_matched: list[dict[str, str]] | None = None,
        unmatched: list[dict[str, str]] | None = None,
        warnings: list[str] | None = None,
        written: list[str] | None = None,
        kind: str = "TMX",
    ) -> None:
        self.source = source
        self.units = units
        self.filled = {} if filled is None else filled
        self.unchanged = {} if unchanged is None else unchanged
        self.overwritten = {} if overwritten is None else overwritten
        self.conflicts = [] if conflicts is None else conflicts
        self.fuzzy_replaced = [] if fuzzy_replaced is None else fuzzy_replaced
        # Units whose source is an entry's previous msgid (#|): the translation of the text the entry had before.
        self.previous_matched = [] if previous_matched is None else previous_matched
        self.unmatched = Listing(unmatched or ())
        self.warnings = Listing(warnings or ())
        self.written = [] if written is None else written
        self.kind = kind  # what was read, as the summary names it (the JSON keys stay those of a TMX import)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "units": self.units,
            "filled": self.filled,
            "unchanged": self.unchanged,
            "overwritten": self.overwritten,
            "conflicts": self.conflicts,
            "fuzzy_replaced": self.fuzzy_replaced,
            "previous_matched": self.previous_matched,
            "unmatched": self.unmatched.items,
            "unmatched_total": self.unmatched.total,
            "warnings": self.warnings.items,
            "warnings_total": self.warnings.total,
            "written": self.written,
        }

    def summary(self, warnings: bool = True) -> str:
        """For people; `warnings=False` leaves the warnings out (the CLI prints them on stderr)."""
        lines = [f"{self.source}: {self.units} translation units read"]
        for lang in sorted(set(self.filled) | set(self.unchanged) | set(self.overwritten)):
            lines.append(
                f"  {lang}: {self.filled.get(lang, 0)} filled, {self.unchanged.get(lang, 0)} already the same, "
                f"{self.overwritten.get(lang, 0)} overwritten"
            )
        for conflict in self.conflicts:
            lines.append(
                f"  conflict ({conflict['lang']}, kept the catalog's): {conflict['source']!r}\n"
                f"      catalog: {conflict['catalog']!r}\n      {self.kind.lower() + ':':<8} {conflict['tmx']!r}"
            )
        if self.conflicts:
            lines.append(f"  {len(self.conflicts)} conflict(s) kept; rerun with --overwrite to take the {self.kind}'s")
        for item in self.fuzzy_replaced:
            lines.append(
                f"  fuzzy replaced ({item['lang']}): {item['source']!r}\n"
                f"      was: {item['fuzzy']!r}\n      now: {item['tmx']!r}"
            )
        actions = {"filled": "filled, still fuzzy", "same": "already the same", "kept": "kept the catalog's"}
        for item in self.previous_matched:
            lines.append(
                f"  previous source of a fuzzy entry ({item['lang']}, {actions[item['action']]}): "
                f"{item['previous']!r}\n"
                f"      now: {item['source']!r}"
            )
        for item in self.unmatched:
            lines.append(f"  not in the catalogs ({item['tuid'] or 'no tuid'}): {item['source']!r}")
        if self.unmatched.more:
            lines.append(_more(self.unmatched.more, "unit not in the catalogs", "units not in the catalogs"))
        if warnings:
            lines.extend(f"  warning: {w}" for w in self.warnings)
            if self.warnings.more:
                lines.append(_more(self.warnings.more, "warning", "warnings"))
        lines.extend(f"  written: {p}" for p in self.written)
        return "\n".join(lines)


def import_tmx(
    project: Project,
    source: str,
    langs: Sequence[str] | None = None,
    *,
    overwrite: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Fill catalogs from a TMX: missing translations are added, differing ones reported (or overwritten)."""
    targets = check_langs(project, langs)
    # Read, merge and write under the project lock, so a concurrent build cannot write over the fills.
    with writing(project):
        return _import_tmx(project, source, targets, overwrite, progress)


def _import_tmx(
    project: Project,
    source: str,
    targets: list[str],
    overwrite: bool,
    progress: Callable[[int], None] | None,
) -> ImportReport:
    from ..formats import tmx as tmxfmt

    report = ImportReport(source="<stdin>" if source == "-" else source)
    filler = CatalogFiller(project, targets, report, overwrite=overwrite)

    if source == "-":
        stream: Any = stdin_binary()
    else:
        try:
            stream = open(source, "rb")  # noqa: SIM115 (closed with the reader)
        except OSError as exc:
            raise KervanError(exc.strerror or str(exc), source) from None
    if progress is not None:
        stream = _Counting(stream, progress)
    with stream, tmxfmt.open_tmx(stream, label=report.source) as reader:
        for unit in reader:
            report.units += 1
            # The reader's warnings name their own line ("line 7: ..."); others get the unit's.
            report.warnings.extend(
                f"{report.source}: {w}" if w.startswith("line ") else f"{report.source}:{unit.line}: {w}"
                for w in unit.warnings
            )
            src_text = unit.text(project.source_lang)
            if src_text is None:
                report.warnings.append(
                    f"{report.source}:{unit.line}: unit {unit.tuid or '(no tuid)'} has no "
                    f"{locales.language_name(project.source_lang)} ({project.source_lang}) text, skipped"
                )
                continue
            filler.offer(src_text, {lang: unit.text(lang) or "" for lang in targets}, tuid=unit.tuid, line=unit.line)
    filler.commit()
    return report


class CatalogFiller:
    """Translations offered one source text at a time, applied to the PO catalogs of `targets`.

    Missing translations are filled, equal ones counted, differing ones reported as conflicts (or taken with
    `overwrite`); `commit` writes the catalogs that changed. Shared by the TMX, OmegaT and XLIFF imports so
    that all three report alike.
    """

    def __init__(self, project: Project, targets: Sequence[str], report: ImportReport, *, overwrite: bool) -> None:
        from ..formats import atomic
        from ..formats import po as pofmt

        self.project = project
        self.targets = list(targets)
        self.report = report
        self.overwrite = overwrite
        self.catalogs: dict[tuple[str, str], polib.POFile] = {}
        # lang -> source text -> the live entries holding it, with their catalog's key
        self.by_source: dict[str, dict[str, list[tuple[polib.POEntry, tuple[str, str]]]]] = {
            lang: {} for lang in targets
        }
        # lang -> previous msgid (#|) -> the fuzzy entries that had it
        self.by_previous: dict[str, dict[str, list[tuple[polib.POEntry, tuple[str, str]]]]] = {
            lang: {} for lang in targets
        }
        for lang, domain, po_path in catalog_paths(project, targets):
            catalog = self.catalogs[lang, domain] = pofmt.read_po(str(atomic.view(po_path)))
            for entry in catalog:
                if entry.msgid and not entry.obsolete:
                    self.by_source[lang].setdefault(entry.msgid, []).append((entry, (lang, domain)))
                    if entry.fuzzy and entry.previous_msgid and not entry.msgid_plural:
                        self.by_previous[lang].setdefault(entry.previous_msgid, []).append((entry, (lang, domain)))
        self.touched: set[tuple[str, str]] = set()

    def offer(self, src_text: str, found: dict[str, str], *, tuid: str | None = None, line: int | None = None) -> None:
        from ..formats import po as pofmt

        report = self.report
        if not any(src_text in self.by_source[lang] for lang in self.targets):
            if any(src_text in self.by_previous[lang] for lang in self.targets):
                self._offer_previous(src_text, found)
            else:
                report.unmatched.append({"tuid": tuid or "", "source": src_text})
            return
        for lang in self.targets:
            target = found.get(lang)
            if not target or src_text not in self.by_source[lang]:
                continue
            unfit = pofmt.unfit_character(target)
            if unfit:
                report.warnings.append(
                    f"{report.source}:{line}: {lang} target holds a {unfit}, which a PO file cannot hold; skipped"
                )
                continue
            for entry, key in self.by_source[lang][src_text]:
                if _take(entry, target, lang, src_text, self.overwrite, report):
                    self.touched.add(key)

    def _offer_previous(self, previous: str, found: dict[str, str]) -> None:
        """A translation of the text fuzzy entries had before: it fills such an entry (still fuzzy) when empty."""
        from ..formats import po as pofmt

        for lang in self.targets:
            target = found.get(lang)
            if not target or previous not in self.by_previous[lang] or pofmt.unfit_character(target):
                continue
            for entry, key in self.by_previous[lang][previous]:
                if entry.msgstr == target:
                    action = "same"
                elif entry.msgstr:
                    action = "kept"
                else:
                    entry.msgstr = target
                    self.touched.add(key)
                    action = "filled"
                self.report.previous_matched.append(
                    {"lang": lang, "source": entry.msgid, "previous": previous, "tmx": target, "action": action}
                )

    def commit(self) -> None:
        """Write the changed catalogs: every one is serialized first, so a catalog that cannot be written
        stops the import before any file changes; a job that writes them holds the project lock and commits
        them together (see pipeline.common.writing)."""
        from ..errors import KervanError
        from ..formats import atomic
        from ..formats import po as pofmt

        texts = []
        for lang, domain in sorted(self.touched):
            path = self.project.po_path(domain, lang)
            try:
                # In the catalog's own charset: a legacy catalog stays in it.
                texts.append((path, pofmt.po_bytes(self.catalogs[lang, domain], path)))
            except KervanError as exc:
                raise KervanError(exc.message, exc.path or path, exc.line) from None
        for path, data in texts:
            atomic.write_if_changed(path, data)
            self.report.written.append(self.project.relative(path))


def _take(entry: polib.POEntry, target: str, lang: str, source: str, overwrite: bool, report: ImportReport) -> bool:
    """Apply one TMX translation to one catalog entry, counting the outcome; True when the entry changed."""
    if entry.msgstr == target and not entry.fuzzy:
        report.unchanged[lang] = report.unchanged.get(lang, 0) + 1
        return False
    if entry.msgstr and not entry.fuzzy:
        if not overwrite:
            report.conflicts.append({"lang": lang, "source": source, "catalog": entry.msgstr, "tmx": target})
            return False
        report.overwritten[lang] = report.overwritten.get(lang, 0) + 1
    else:
        if entry.fuzzy:
            if entry.msgstr and entry.msgstr != target:
                # The fuzzy text is replaced, not lost from view: the report shows it.
                report.fuzzy_replaced.append({"lang": lang, "source": source, "fuzzy": entry.msgstr, "tmx": target})
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
        report.filled[lang] = report.filled.get(lang, 0) + 1
    entry.msgstr = target
    return True


class _Counting:
    """A binary stream that reports how many bytes were read, for a progress display."""

    def __init__(self, stream: Any, report: Callable[[int], None]) -> None:
        self._stream = stream
        self._report = report
        self.name = getattr(stream, "name", "<stream>")

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if data:
            self._report(len(data))
        return data

    def __enter__(self) -> _Counting:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()
