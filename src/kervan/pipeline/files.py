"""Jobs on catalogs named on the command line, with or without a project: compile (msgfmt), check (pofilter),
count (pocount) and convert to TMX (po2tmx) any PO file, as the gettext and Translate Toolkit tools do."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import locales
from ..errors import KervanError
from .common import file_term_index

if TYPE_CHECKING:
    import polib

    from .. import qa as qa_module
    from ..formats.pocheck import Problem
    from ..model import Finding
    from .memories import ExportResult


def read_file_catalog(path: str) -> polib.POFile:
    from ..formats import po as pofmt

    if Path(path).is_dir():
        raise KervanError("is a folder, not a PO file", path)
    return pofmt.read_po(path)


def catalog_language(po: polib.POFile, path: str, given: str | None = None) -> str:
    """The catalog's target language: --lang when given, else its Language header, else the folder it sits in
    (`<lang>/LC_MESSAGES/x.po`, as gettext lays catalogs out)."""
    lang = given or po.metadata.get("Language", "").strip()
    if not lang:
        parts = Path(path).resolve().parts
        if len(parts) >= 3 and parts[-2] == "LC_MESSAGES":
            lang = parts[-3]
    if not lang:
        raise KervanError("the catalog has no Language header; give its language with --lang", path)
    try:
        return locales.check_language(lang)
    except KervanError as exc:
        raise KervanError(exc.message, path) from None


# --------------------------------------------------------------------------- compile


class CompileResult:
    """One catalog compiled (or refused): where from and to, what msgfmt would count and report, whether it changed."""

    __slots__ = ("changed", "counts", "output", "problems", "source")

    def __init__(
        self,
        source: str,
        output: str,
        counts: Any = None,  # MoStats
        problems: list[Problem] | None = None,
        changed: bool = False,
    ) -> None:
        self.source = source
        self.output = output
        self.counts = counts
        self.problems = [] if problems is None else problems
        self.changed = changed

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def messages(self) -> list[str]:
        """The problems as msgfmt prints them: FILE:LINE: [warning: ]message."""
        return [f"{self.source}:{p.line}: {'warning: ' * (p.severity == 'warning')}{p.message}" for p in self.problems]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "output": None if self.failed else self.output,
            "changed": self.changed,
            "translated": self.counts.translated if self.counts else 0,
            "fuzzy": self.counts.fuzzy if self.counts else 0,
            "untranslated": self.counts.untranslated if self.counts else 0,
            "problems": [{"line": p.line, "severity": p.severity, "message": p.message} for p in self.problems],
        }


def compile_file(
    source: str, output: str | None = None, *, use_fuzzy: bool = False, check: bool = False
) -> CompileResult:
    """Compile one PO file to MO (default: beside it, FILE.mo; "-" for stdout). msgfmt refuses a catalog whose
    msgid and msgstr disagree on leading/trailing newlines, so this does too; `check` adds everything `msgfmt
    -c` checks (header, plural forms, format strings). Nothing is written when an error is found."""
    from ..formats import mo as mofmt
    from ..formats.atomic import write_if_changed
    from ..formats.pocheck import check_catalog, newline_problems

    target = output or str(Path(source).with_suffix(".mo"))
    result = CompileResult(source, target)
    if check:
        result.problems = check_catalog(read_file_catalog(source), use_fuzzy=use_fuzzy)
        if result.failed:
            return result
    elif Path(source).is_dir():
        raise KervanError("is a folder, not a PO file", source)
    # Without --check, only what msgfmt itself refuses, seen as the catalog streams into the MO tables (the
    # polib model is built for --check alone: a large catalog compiles in half the time without it).
    found: list[Any] = []  # pocheck.Problem

    def newlines(message: Any, _plural_forms: str | None) -> list[str]:
        found.extend(newline_problems(message))
        return []

    data, result.counts = mofmt.compile_po(source, use_fuzzy=use_fuzzy, check=None if check else newlines)
    if found:
        result.problems = sorted(found, key=lambda p: p.line)
        return result
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        result.changed = True
    else:
        result.changed = write_if_changed(target, data)
    return result


# --------------------------------------------------------------------------- QA and statistics


def qa_files(
    paths: Sequence[str],
    *,
    glossary: str | None = None,
    source_lang: str = "en",
    lang: str | None = None,
    checks: Sequence[qa_module.Check] | None = None,
) -> list[Finding]:
    """Check every live entry of each PO file (pofilter); units are named `FILE:LINE`."""
    from .. import qa
    from ..model import Segment

    source_lang = locales.check_language(source_lang)
    index = file_term_index(glossary) if glossary else None
    from .checks import _named_before

    items = []
    for path in paths:
        po = read_file_catalog(path)
        target_lang = catalog_language(po, path, lang)
        live = [e for e in po if e.msgid and not e.obsolete]
        # A catalog is read as one text in its order: a later entry may shorten a name an earlier one gave in full.
        segments = [(path, Segment(id=f"{path}:{e.linenum}", text=e.msgid, lang=source_lang, ref="")) for e in live]
        named_before = _named_before(segments, index, source_lang)
        for entry in live:
            target = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            items.append(
                qa.QaItem(
                    unit_id=f"{path}:{entry.linenum}",
                    source=entry.msgid,
                    target=target,
                    lang=target_lang,
                    source_lang=source_lang,
                    fuzzy=entry.fuzzy,
                    named_before=named_before.get((path, entry.msgid), frozenset()),
                )
            )
    context = qa.QaContext(index=index, source_lang=source_lang)
    return qa.run_checks(items, context, qa.ALL_CHECKS if checks is None else checks)


def stats_files(paths: Sequence[str], *, langs: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Per file, as `kervan stats` counts a project's catalogs (pocount); --lang keeps the files of those languages."""
    from ..formats import po as pofmt

    wanted = {locales.check_language(lang) for lang in langs or ()}
    rows = []
    for path in paths:
        po = read_file_catalog(path)
        try:
            lang = catalog_language(po, path)
        except KervanError:
            lang = ""  # a template, or a catalog that does not say: counted, but no --lang selects it
        if wanted and lang not in wanted:
            continue
        counts = pofmt.catalog_stats(po)
        row: dict[str, Any] = {"lang": lang, "domain": path}
        for state in ("translated", "fuzzy", "untranslated"):
            row[state] = {"segments": counts[state], "words": counts[f"words_{state}"]}
        rows.append(row)
    return rows


def stats_totals(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows added up per language, then over everything (lang "*")."""
    totals: dict[str, dict[str, Any]] = {}
    for row in rows:
        for key in (row["lang"], "*"):
            total = totals.setdefault(key, {"lang": key, "catalogs": 0})
            total["catalogs"] += 1
            for state in ("translated", "fuzzy", "untranslated"):
                counts = total.setdefault(state, {"segments": 0, "words": 0})
                counts["segments"] += row[state]["segments"]
                counts["words"] += row[state]["words"]
    ordered = sorted((k for k in totals if k != "*"), key=str)
    return [totals[k] for k in ordered] + ([totals["*"]] if len(ordered) > 1 else [])


# --------------------------------------------------------------------------- po2tmx


def po_to_tmx(paths: Sequence[str], output: str, *, source_lang: str = "en") -> ExportResult:
    """One TMX from any number of catalogs (po2tmx): a unit per source text (and context), with a target per
    catalog language where that catalog has a finished translation (fuzzy and untranslated are left out)."""
    from ..formats import tmx as tmxfmt
    from ..model import Segment, Unit
    from .common import file_stamp
    from .memories import ExportResult

    source_lang = locales.check_language(source_lang)
    units: dict[tuple[str | None, str], dict[str, Any]] = {}
    langs: list[str] = []
    for path in paths:
        po = read_file_catalog(path)
        lang = catalog_language(po, path)
        if lang == source_lang:
            raise KervanError(f"catalog language {lang!r} is the source language", path)
        langs.append(lang)
        for entry in po:
            if not entry.msgid or entry.obsolete or entry.fuzzy:
                continue
            target = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
            key = (entry.msgctxt, entry.msgid)
            unit = units.setdefault(key, {"ref": f"{path}:{entry.linenum}", "targets": {}})
            if target:
                unit["targets"].setdefault(lang, target)
    langs = list(dict.fromkeys(langs))

    def stream() -> Any:
        for number, ((context, msgid), unit) in enumerate(units.items(), start=1):
            if not unit["targets"]:
                continue
            segment = Segment(id=context or str(number), text=msgid, lang=source_lang, ref=unit["ref"])
            yield Unit(source=segment, targets=unit["targets"])

    if output == "-":
        count = tmxfmt.write_tmx(stream(), sys.stdout.buffer, srclang=source_lang, langs=langs)
        sys.stdout.buffer.flush()
        return ExportResult("-", count, langs)
    before = file_stamp(Path(output))
    count = tmxfmt.write_tmx(stream(), output, srclang=source_lang, langs=langs)
    return ExportResult(output, count, langs, file_stamp(Path(output)) != before)
