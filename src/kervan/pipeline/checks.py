"""QA over the catalogs, and rendered target articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

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
    stdout_binary,
    writing,
)

if TYPE_CHECKING:
    from .. import qa as qa_module
    from ..terms.index import TermIndex
    from .stamps import Stamps


def select_checks(include: Sequence[str] = (), exclude: Sequence[str] = ()) -> tuple[qa_module.Check, ...]:
    """The checks to run, by name (pofilter's -t / -x): all of them, or those included, less those excluded."""
    from .. import qa

    for name in (*include, *exclude):
        if name not in qa.CHECKS:
            raise KervanError(f"unknown check {name!r} (known: {', '.join(qa.CHECKS)})")
    names = [n for n in qa.CHECKS if (not include or n in include) and n not in exclude]
    return tuple(qa.CHECKS[n] for n in names)


def run_qa(
    project: Project,
    langs: Sequence[str] | None = None,
    articles: list[ArticleUnits] | None = None,
    index: TermIndex | None = None,
    checks: Sequence[qa_module.Check] | None = None,
    stamps: Stamps | None = None,
) -> list[Finding]:
    """Check every catalog entry of every target language; findings sorted by language and unit.

    Running every check, a catalog unchanged since the last build, with its article, the glossary and
    kervan.toml, has the findings the build recorded (its `stamps`, else those it left, read only).
    """
    from .. import qa

    targets = check_langs(project, langs)
    if stamps is None:
        from .stamps import Stamps

        stamps = Stamps.recorded(project)
    if articles is None:
        articles = article_units(project, None, stamps=stamps)
    every = checks is None or tuple(checks) == qa.ALL_CHECKS
    sources = {a.document.id: a.source for a in articles}
    segments = [(a.document.id, s) for a in articles for s in a.segments]
    order = {s.id: number for number, (_, s) in enumerate(segments)}  # findings in reading order
    ids: dict[tuple[str, str], str] = {}
    for domain, segment in segments:
        ids.setdefault((domain, segment.text), segment.id)  # a repeated sentence is named where it first stands
    scanned: list[Any] = []  # the glossary scanner and the concepts named before each sentence, when needed

    def scanner() -> tuple[_ScanOnce | None, dict[tuple[str, str], frozenset[str]]]:
        if not scanned:
            found = index if index is not None else glossary_index(project)
            once = _ScanOnce(found) if found is not None else None
            scanned.extend((once, _named_before(segments, once, project.source_lang)))
        return scanned[0], scanned[1]

    if not (every and stamps.checks_recorded()):
        scanner()  # the glossary changed or was never checked: read it now (and fail now if it is broken)

    catalog_findings: list[Finding] = []
    item_findings: list[Finding] = []
    for lang, domain, po_path in catalog_paths(project, targets):
        cldr = locales.plural_forms(lang)
        source = sources.get(domain)
        recorded = stamps.checked(po_path, source, cldr) if every else None
        if recorded is not None:
            catalog_findings += [f for f in recorded if f.check == "plural-forms"]
            item_findings += [f for f in recorded if f.check != "plural-forms"]
            continue
        catalog = read_catalog(po_path)
        rule = catalog.metadata.get("Plural-Forms", "")
        found = list(qa.check_plural_rule(domain, lang, rule, cldr))
        catalog_findings += found
        items = []
        once, named_before = scanner()
        for entry in catalog:
            if not entry.msgid or entry.obsolete:
                continue
            unit_id = ids.get((domain, entry.msgid), f"{domain}:?")
            forms = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural, key=int))
            items.append(
                qa.QaItem(
                    unit_id=unit_id,
                    source=entry.msgid,
                    target=entry.msgstr or (forms[0] if entry.msgid_plural and forms else ""),
                    lang=lang,
                    source_lang=project.source_lang,
                    fuzzy=entry.fuzzy,
                    named_before=named_before.get((domain, entry.msgid), frozenset()),
                    flags=tuple(entry.flags),
                    source_plural=entry.msgid_plural or "",
                    plural_targets=forms if entry.msgid_plural else (),
                    plural_forms=rule,
                )
            )
        context = qa.QaContext(index=once, source_lang=project.source_lang)
        checked = qa.run_checks(items, context, qa.ALL_CHECKS if checks is None else checks)
        item_findings += checked
        if every and not stamps.read_only:
            stamps.record_check(po_path, source, cldr, found + checked)
    findings = catalog_findings + item_findings
    return sorted(findings, key=lambda f: (f.lang, order.get(f.unit_id, len(order)), f.check))


class _ScanOnce:
    """The glossary scan of each text once per QA run: every source is scanned for the concepts named before
    it, then again per target language by the terminology and added-term checks."""

    def __init__(self, index: TermIndex) -> None:
        self._index = index
        self._found: dict[tuple[str, str], Sequence[Any]] = {}

    def scan(self, text: str, lang: str) -> Sequence[Any]:
        key = (text, lang)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._index.scan(text, lang)
        return found


def _named_before(
    segments: Sequence[tuple[str, Segment]], index: _ScanOnce | None, source_lang: str
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
    with writing(project):
        changed = write_if_changed(path, text.encode("utf-8"))
    return FileResult(project.relative(path), changed, "QA findings")


class RenderResult:
    """What `kervan render` wrote (nothing for stdout), its warnings, and a summary per article."""

    __slots__ = ("articles", "changed", "warnings", "written")

    def __init__(
        self,
        written: list[str],
        warnings: list[str],
        changed: bool = False,
        articles: list[dict[str, Any]] | None = None,
    ) -> None:
        self.written = written
        self.warnings = warnings
        self.changed = changed
        self.articles = [] if articles is None else articles  # per article: id, segments, untranslated

    def to_json(self) -> dict[str, Any]:
        return {"written": self.written, "changed": self.changed, "articles": self.articles, "warnings": self.warnings}


def _rendered(project: Project, item: ArticleUnits, lang: str) -> tuple[str, tuple[str, ...]]:
    """One article's page in `lang`, with a closing note on what is still untranslated."""
    from ..render import render_article, untranslated_note

    translations = reviewed_translations(project, lang, item.document.id) if lang != project.source_lang else {}
    result = render_article(item.document, item.segments, translations, lang)
    note = untranslated_note(result.untranslated, len(item.segments), locales.language_name(project.source_lang))
    return result.text + ("\n" + note if note else ""), result.untranslated


def _select(
    project: Project, lang: str, article: str | None, articles: list[ArticleUnits] | None
) -> list[ArticleUnits]:
    if lang != project.source_lang:
        check_langs(project, [lang])
    if articles is None:
        articles = article_units(project, None)
    if article:
        articles = [a for a in articles if a.document.id == article]
        if not articles:
            raise KervanError(f"no article {article!r} in {project.relative(project.sources_dir)}")
    return articles


def render(
    project: Project,
    lang: str,
    output: str = "-",
    *,
    article: str | None = None,
    articles: list[ArticleUnits] | None = None,
) -> RenderResult:
    """The translated article(s) as one text; untranslated segments stay in the source language and are reported."""
    from ..formats import atomic

    texts, warnings, summary = [], [], []
    for item in _select(project, lang, article, articles):
        text, untranslated = _rendered(project, item, lang)
        texts.append(text)
        summary.append({"article": item.document.id, "segments": len(item.segments), "untranslated": len(untranslated)})
        if untranslated:
            positions = ", ".join(unit.rpartition(":")[2] for unit in untranslated)
            warnings.append(
                f"{item.document.id} ({lang}): {len(untranslated)} segment(s) untranslated, left in "
                f"{locales.language_name(project.source_lang)}: {positions}"
            )
    text = "\n\n".join(t.rstrip("\n") for t in texts) + "\n"
    if output == "-":
        out = stdout_binary()
        out.write(text.encode("utf-8"))
        out.flush()
        return RenderResult([], warnings, articles=summary)
    target = atomic.output_path(output, project.root)
    with writing(project):
        changed = atomic.write_if_changed(target, text.encode("utf-8"))
    return RenderResult([output], warnings, changed, summary)


def render_pages(
    project: Project, lang: str, articles: list[ArticleUnits] | None = None, *, article: str | None = None
) -> list[FileResult]:
    """One page per article: build/<article>.<lang>.txt, each saying what is still untranslated."""
    from ..formats import atomic

    results = []
    with writing(project):
        for item in _select(project, lang, article, articles):
            text, untranslated = _rendered(project, item, lang)
            path = project.build_dir / f"{item.document.id}.{lang}.txt"
            detail = f"{len(untranslated)} of {len(item.segments)} untranslated" if untranslated else "complete"
            changed = atomic.write_if_changed(path, text.encode("utf-8"))
            results.append(FileResult(project.relative(path), changed, detail))
    return results
