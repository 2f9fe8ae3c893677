"""QA over the catalogs, and rendered target articles."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import locales
from ..errors import KervanError
from ..model import Finding, Segment
from ..project import Project
from .common import (
    ArticleUnits,
    FileResult,
    article_units,
    catalog_paths,
    check_langs,
    glossary_index,
    read_catalog,
    reviewed_translations,
)

if TYPE_CHECKING:
    from ..terms.index import TermIndex


def run_qa(
    project: Project,
    langs: Sequence[str] | None = None,
    articles: list[ArticleUnits] | None = None,
    index: TermIndex | None = None,
) -> list[Finding]:
    """Check every catalog entry of every target language; findings sorted by language and unit."""
    from .. import qa

    targets = check_langs(project, langs)
    if articles is None:
        articles = article_units(project, None)
    if index is None:
        index = glossary_index(project)
    segments = [(a.document.id, s) for a in articles for s in a.segments]
    order = {s.id: number for number, (_, s) in enumerate(segments)}  # findings in reading order
    ids: dict[tuple[str, str], str] = {}
    for domain, segment in segments:
        ids.setdefault((domain, segment.text), segment.id)  # a repeated sentence is named where it first stands
    named_before = _named_before(segments, index, project.source_lang)
    items = []
    for lang, domain, po_path in catalog_paths(project, targets):
        for entry in read_catalog(po_path):
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
                    named_before=named_before.get((domain, entry.msgid), frozenset()),
                )
            )
    context = qa.QaContext(index=index, source_lang=project.source_lang)
    findings = qa.run_checks(items, context)
    return sorted(findings, key=lambda f: (f.lang, order.get(f.unit_id, len(order)), f.check))


def _named_before(
    segments: Sequence[tuple[str, Segment]], index: TermIndex | None, source_lang: str
) -> dict[tuple[str, str], frozenset[str]]:
    """For each (article, source sentence): the glossary concepts its article named in earlier segments."""
    if index is None:
        return {}
    result: dict[tuple[str, str], frozenset[str]] = {}
    seen: dict[str, set[str]] = {}
    for domain, segment in segments:
        named = seen.setdefault(domain, set())
        result.setdefault((domain, segment.text), frozenset(named))
        named.update(occ.concept.id for occ in index.scan(segment.text, source_lang))
    return result


def write_qa_report(project: Project, findings: Sequence[Finding]) -> FileResult:
    """build/qa.json: the findings as `kervan qa --json` prints them."""
    import json

    from ..formats.atomic import write_if_changed
    from ..qa import finding_to_json

    path = project.build_dir / "qa.json"
    text = json.dumps({"findings": [finding_to_json(f) for f in findings]}, ensure_ascii=False, indent=2) + "\n"
    return FileResult(project.relative(path), write_if_changed(path, text.encode("utf-8")), "QA findings")


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
    from ..formats import atomic
    from ..render import render_article

    if lang != project.source_lang:
        check_langs(project, [lang])
    if articles is None:
        articles = article_units(project, None)
    if article:
        articles = [a for a in articles if a.document.id == article]
        if not articles:
            raise KervanError(f"no article {article!r} in {project.relative(project.sources_dir)}")
    texts, warnings = [], []
    for item in articles:
        translations = reviewed_translations(project, lang, item.document.id) if lang != project.source_lang else {}
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
