"""Catalog jobs: extract the template, update the translations, compile, count."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..project import Project, check_file_name
from .common import (
    ArticleUnits,
    FileResult,
    article_units,
    catalog_paths,
    check_langs,
    lazy_glossary_index,
    project_file,
    read_catalog,
    writing,
)

if TYPE_CHECKING:
    from ..tm.leverage import Fill
    from .stamps import Stamps


def extract(
    project: Project, articles: list[ArticleUnits] | None = None, stamps: Stamps | None = None
) -> list[FileResult]:
    """Write locales/<article>.pot for every source article: those whose inputs changed since the last build
    (its `stamps`, else those it left, read only)."""
    if stamps is None:
        from .stamps import Stamps

        stamps = Stamps.recorded(project)
    if articles is None:
        articles = article_units(project, lazy_glossary_index(project), stamps=stamps)
    with writing(project):
        return _extract(project, articles, stamps)


def _extract(project: Project, articles: list[ArticleUnits], stamps: Stamps | None) -> list[FileResult]:
    from ..formats import po as pofmt
    from ..formats.atomic import view

    results = []
    for article in articles:
        path = project.pot_path(article.document.id)
        if stamps is not None and article.source is not None:
            detail = stamps.extracted(article.source, path)
            if detail is not None:
                results.append(FileResult(project.relative(path), False, detail))
                continue
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
        if stamps is not None and article.source is not None:
            stamps.record_extract(article.source, path, f"{len(template)} messages")
    # A template whose article left sources/ is kept (its catalogs hold translations), but said so.
    current = {article.document.id for article in articles}
    for stale in sorted(project.locales_dir.glob("*.pot")):
        check_file_name(stale, "a template's name is its gettext domain")
        if stale.stem not in current:
            results.append(FileResult(project.relative(stale), False, "no source article any more; kept"))
    return results


def update(
    project: Project,
    langs: Sequence[str] | None = None,
    stamps: Stamps | None = None,
    *,
    use_tm: bool = True,
    fills: list[Fill] | None = None,
    reuse: bool = True,
) -> list[FileResult]:
    """Merge each template into the target catalogs; nothing translated is ever dropped.

    With `use_tm`, entries left without a translation (and those the merge made fuzzy) are filled from the
    translation memory, which is first brought up to date with the catalogs as they were; `fills` collects them.
    With `stamps` (and `reuse`), a template and catalog both as the last merge left them are not merged again.
    """
    targets = check_langs(project, langs)
    with writing(project):
        return _update(project, targets, stamps, use_tm, fills, reuse)


def refresh(
    project: Project, langs: Sequence[str] | None = None, *, use_tm: bool = True, fills: list[Fill] | None = None
) -> list[FileResult]:
    """`kervan update`: the templates from the sources, then the catalogs from the templates, all or nothing.

    A template and catalog both as a merge of the last build left them unchanged are not merged again (while
    the embedded memory's files are unchanged too: the memory could fill entries)."""
    from .stamps import Stamps

    targets = check_langs(project, langs)
    with writing(project):
        stamps = Stamps.recorded(project)
        extract(project, None, stamps)
        reuse = not use_tm or (not project.tm_url and stamps.memory_unchanged())
        return _update(project, targets, stamps, use_tm, fills, reuse)


def _update(
    project: Project,
    targets: list[str],
    stamps: Stamps | None,
    use_tm: bool,
    fills: list[Fill] | None,
    reuse: bool,
) -> list[FileResult]:
    from ..formats import po as pofmt
    from ..formats.atomic import listing, view

    memory = None
    if use_tm:
        from .tm import open_memory

        memory = open_memory(project)
    results = []
    try:
        for lang in targets:
            for pot_path in listing(project.locales_dir, "*.pot"):
                check_file_name(pot_path, "a template's name is its gettext domain")
                domain = pot_path.stem
                po_path = project.po_path(domain, lang)
                if stamps is not None and reuse:
                    detail = stamps.merged(pot_path, po_path, settled=stamps.read_only, use_tm=use_tm)
                    if detail is not None:
                        results.append(FileResult(project.relative(po_path), False, detail))
                        continue
                template = pofmt.read_po(str(project_file(view(pot_path))))
                existing = pofmt.read_po(str(project_file(view(po_path)))) if os.path.lexists(view(po_path)) else None
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
                if stamps is not None:
                    stamps.record_merge(pot_path, po_path, detail, changed, use_tm)
        if memory is not None and any(r.changed for r in results):
            from .tm import synchronize

            synchronize(project, memory)  # the memory holds what the catalogs now say
    finally:
        if memory is not None:
            memory.close()
    return results


def compile_catalogs(
    project: Project,
    langs: Sequence[str] | None = None,
    *,
    use_fuzzy: bool = False,
    check: bool = False,
    stamps: Stamps | None = None,
) -> list[FileResult]:
    """Compile every catalog to the .mo beside it; `check`: as msgfmt -c, and a catalog with errors is not written.

    Placeholders that do not fit their source's are refused whatever `check` says. Each MO file is written
    as it is laid out, staged in the job's transaction: a catalog refused later leaves all of them as they
    were. With `stamps`, catalogs and MO files both as the last compile left them are not compiled again.
    """
    results: list[FileResult] = []
    with writing(project):
        for lang, domain, po_path in catalog_paths(project, langs):
            mo_path = project.mo_path(domain, lang)
            shown: list[str] = []
            if check:
                from ..formats.pocheck import check_catalog

                where = project.relative(po_path)
                problems = check_catalog(read_catalog(po_path), use_fuzzy=use_fuzzy)
                shown = [
                    f"{where}:{p.line}: {'warning: ' if p.severity == 'warning' else ''}{p.message}" for p in problems
                ]
                if any(p.severity == "error" for p in problems):
                    results.append(
                        FileResult(project.relative(mo_path), False, "not written", problems=shown, failed=True)
                    )
                    continue
            detail = stamps.compiled(po_path, mo_path, use_fuzzy) if stamps is not None and not check else None
            if detail is not None:
                results.append(FileResult(project.relative(mo_path), False, detail, statistics=True))
                continue
            changed, counts = _compile(po_path, mo_path, use_fuzzy)
            summary = counts.summary()
            results.append(FileResult(project.relative(mo_path), changed, summary, statistics=True, problems=shown))
            if stamps is not None:
                stamps.record_compile(po_path, mo_path, use_fuzzy, summary)
    return results


def _compile(po_path: Path, mo_path: Path, use_fuzzy: bool) -> tuple[bool, Any]:
    """Compile a catalog as this job sees it (staged by an earlier step of the job, or on disk) into its MO
    file; whether the MO file changes, and the statistics."""
    from ..errors import KervanError
    from ..formats import mo as mofmt
    from ..formats.atomic import view

    staged = view(po_path)
    try:
        return mofmt.write_po_as_mo(project_file(staged), mo_path, use_fuzzy=use_fuzzy, check=_format_problems)
    except KervanError as exc:
        if exc.path == str(staged) and staged != po_path:
            exc.path = str(po_path)  # name the catalog, not its staged copy
        raise


def _format_problems(message: Any, plural_forms: str | None) -> list[str]:
    """What `msgfmt -c` refuses in a compiled message: placeholders that do not fit its source's."""
    from ..placeholders import mismatches

    flags = message.flags or ()
    if message.plurals is not None:
        return mismatches(
            message.msgid, message.plurals, flags, msgid_plural=message.msgid_plural, plural_forms=plural_forms
        )
    return mismatches(message.msgid, [message.msgstr], flags)


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
