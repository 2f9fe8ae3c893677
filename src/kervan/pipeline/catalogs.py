"""Catalog jobs: extract the template, update the translations, compile, count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..project import Project
from .common import (
    ArticleUnits,
    FileResult,
    article_units,
    catalog_paths,
    check_langs,
    format_problems,
    glossary_index,
    read_catalog,
)

if TYPE_CHECKING:
    from ..tm.leverage import Fill


def extract(project: Project, articles: list[ArticleUnits] | None = None) -> list[FileResult]:
    """Write locales/<article>.pot for every source article."""
    from ..formats import po as pofmt

    if articles is None:
        articles = article_units(project, glossary_index(project))
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
    # A template whose article left sources/ is kept (its catalogs hold translations), but said so.
    current = {article.document.id for article in articles}
    for stale in sorted(project.locales_dir.glob("*.pot")):
        if stale.stem not in current:
            results.append(FileResult(project.relative(stale), False, "no source article any more; kept"))
    return results


def update(
    project: Project,
    langs: Sequence[str] | None = None,
    *,
    use_tm: bool = True,
    fills: list[Fill] | None = None,
) -> list[FileResult]:
    """Merge each template into the target catalogs; nothing translated is ever dropped.

    With `use_tm`, entries left without a translation (and those the merge made fuzzy) are filled from the
    translation memory, which is first brought up to date with the catalogs as they were; `fills` collects them.
    """
    from ..formats import po as pofmt

    targets = check_langs(project, langs)
    memory = None
    if use_tm:
        from .tm import open_memory

        memory = open_memory(project)
    results = []
    try:
        for lang in targets:
            for pot_path in sorted(project.locales_dir.glob("*.pot")):
                domain = pot_path.stem
                template = pofmt.read_po(str(pot_path))
                po_path = project.po_path(domain, lang)
                existing = pofmt.read_po(str(po_path)) if po_path.is_file() else None
                merged, merge_stats = pofmt.merge(template, existing, lang)
                filled = []
                if memory is not None:
                    from .tm import leverage_catalog

                    filled = leverage_catalog(memory, project, lang, domain, merged, existing)
                    if fills is not None:
                        fills.extend(filled)
                changed = pofmt.write_po(merged, str(po_path))
                m = merge_stats
                detail = f"{m.kept} kept, {m.fuzzy} fuzzy, {m.added} new, {m.obsoleted} obsolete"
                if m.revived:
                    detail += f", {m.revived} revived from obsolete"
                if filled:
                    detail += f", {len(filled)} filled from the translation memory"
                results.append(FileResult(project.relative(po_path), changed, detail))
        if memory is not None and any(r.changed for r in results):
            from .tm import synchronize

            synchronize(project, memory)  # the memory holds what the catalogs now say
    finally:
        if memory is not None:
            memory.close()
    return results


def compile_catalogs(
    project: Project, langs: Sequence[str] | None = None, *, use_fuzzy: bool = False, check: bool = False
) -> list[FileResult]:
    """Compile every catalog to the .mo beside it; `check`: as msgfmt -c, and a catalog with errors is not written."""
    from ..formats import mo as mofmt
    from ..formats.atomic import write_if_changed

    results = []
    paths = list(catalog_paths(project, langs))
    for _lang, _domain, po_path in paths:
        # Every catalog is checked before any MO is written: a refused catalog leaves all of them as they were.
        _check_formats(read_catalog(po_path), po_path, use_fuzzy)
    for lang, domain, po_path in paths:
        catalog = read_catalog(po_path)
        mo_path = project.mo_path(domain, lang)
        if check:
            from ..formats.pocheck import check_catalog

            where = project.relative(po_path)
            problems = check_catalog(catalog, use_fuzzy=use_fuzzy)
            shown = [f"{where}:{p.line}: {'warning: ' if p.severity == 'warning' else ''}{p.message}" for p in problems]
            if any(p.severity == "error" for p in problems):
                results.append(FileResult(project.relative(mo_path), False, "not written", problems=shown, failed=True))
                continue
        else:
            shown = []
        data, counts = mofmt.compile_mo(catalog, use_fuzzy=use_fuzzy)
        changed = write_if_changed(mo_path, data)
        results.append(
            FileResult(project.relative(mo_path), changed, counts.summary(), statistics=True, problems=shown)
        )
    return results


def _check_formats(catalog: Any, path: Any, use_fuzzy: bool) -> None:
    """Refuse what `msgfmt -c` refuses: a compiled message whose placeholders do not fit its source's."""
    from ..errors import KervanError

    rule = catalog.metadata.get("Plural-Forms")
    for entry in catalog:
        if entry.obsolete or not entry.msgid or (entry.fuzzy and not use_fuzzy):
            continue  # left out of the MO file, so not checked (as msgfmt does)
        problems = format_problems(entry, rule)
        if problems:
            raise KervanError(problems[0], path, _msgstr_line(path, entry.linenum))


def _msgstr_line(path: Any, first: int | None) -> int | None:
    """The entry's first msgstr line, where msgfmt points; polib counts from the entry's first comment."""
    if not first:
        return first
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().split("\n")  # noqa: SIM115 (error path only)
    except OSError:
        return first
    for number in range(first, len(lines) + 1):
        if lines[number - 1].lstrip().startswith("msgstr"):
            return number
    return first


def stats(project: Project, langs: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Per catalog: segments and source words translated, fuzzy and untranslated (as msgfmt counts them)."""
    from ..formats import po as pofmt

    rows = []
    for lang, domain, po_path in catalog_paths(project, langs):
        counts = pofmt.catalog_stats(read_catalog(po_path))
        row: dict[str, Any] = {"lang": lang, "domain": domain}
        for state in ("translated", "fuzzy", "untranslated"):
            row[state] = {"segments": counts[state], "words": counts[f"words_{state}"]}
        rows.append(row)
    return rows
