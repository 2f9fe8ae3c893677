"""Catalog jobs: extract the template, update the translations, compile, count."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from ..project import Project, check_file_name
from .common import (
    ArticleUnits,
    FileResult,
    article_units,
    catalog_paths,
    check_langs,
    format_problems,
    glossary_index,
    project_file,
    read_catalog,
    writing,
)


def extract(project: Project, articles: list[ArticleUnits] | None = None) -> list[FileResult]:
    """Write locales/<article>.pot for every source article."""
    if articles is None:
        articles = article_units(project, glossary_index(project))
    with writing(project):
        return _extract(project, articles)


def _extract(project: Project, articles: list[ArticleUnits]) -> list[FileResult]:
    from ..formats import po as pofmt
    from ..formats.atomic import view

    results = []
    for article in articles:
        path = project.pot_path(article.document.id)
        existing = pofmt.read_po(str(project_file(view(path)))) if os.path.lexists(view(path)) else None
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
        check_file_name(stale, "a template's name is its gettext domain")
        if stale.stem not in current:
            results.append(FileResult(project.relative(stale), False, "no source article any more; kept"))
    return results


def update(project: Project, langs: Sequence[str] | None = None) -> list[FileResult]:
    """Merge each template into the target catalogs; nothing translated is ever dropped."""
    targets = check_langs(project, langs)
    with writing(project):
        return _update(project, targets)


def refresh(project: Project, langs: Sequence[str] | None = None) -> list[FileResult]:
    """`kervan update`: the templates from the sources, then the catalogs from the templates, all or nothing."""
    targets = check_langs(project, langs)
    with writing(project):
        extract(project)
        return _update(project, targets)


def _update(project: Project, targets: list[str]) -> list[FileResult]:
    from ..formats import po as pofmt
    from ..formats.atomic import listing, view

    results = []
    for lang in targets:
        for pot_path in listing(project.locales_dir, "*.pot"):
            check_file_name(pot_path, "a template's name is its gettext domain")
            domain = pot_path.stem
            template = pofmt.read_po(str(project_file(view(pot_path))))
            po_path = project.po_path(domain, lang)
            existing = pofmt.read_po(str(project_file(view(po_path)))) if os.path.lexists(view(po_path)) else None
            merged, merge_stats = pofmt.merge(template, existing, lang)
            changed = pofmt.write_po(merged, str(po_path))
            m = merge_stats
            detail = f"{m.kept} kept, {m.fuzzy} fuzzy, {m.added} new, {m.obsoleted} obsolete"
            if m.revived:
                detail += f", {m.revived} revived from obsolete"
            results.append(FileResult(project.relative(po_path), changed, detail))
    return results


def compile_catalogs(
    project: Project, langs: Sequence[str] | None = None, *, use_fuzzy: bool = False, check: bool = False
) -> list[FileResult]:
    """Compile every catalog to the .mo beside it; `check`: as msgfmt -c, and a catalog with errors is not written."""
    from ..formats import mo as mofmt
    from ..formats.atomic import write_if_changed

    results = []
    with writing(project):
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
                shown = [
                    f"{where}:{p.line}: {'warning: ' if p.severity == 'warning' else ''}{p.message}" for p in problems
                ]
                if any(p.severity == "error" for p in problems):
                    results.append(
                        FileResult(project.relative(mo_path), False, "not written", problems=shown, failed=True)
                    )
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
