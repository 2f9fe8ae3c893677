"""Exchange with translators' tools: an OmegaT project out and its translations back; XLIFF 1.2 out and back.

Both directions go through the PO catalogs, the source of truth: exports carry the reviewed translations (and,
in XLIFF, the fuzzy ones marked for review), imports fill the catalogs with the same rules and the same
report as `tmx import` (filled, already the same, conflicts kept unless overwriting).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import locales
from ..errors import KervanError
from ..model import Concept, Document, Segment, Unit
from ..project import Project
from .common import (
    ArticleUnits,
    article_units,
    check_langs,
    has_glossary,
    reviewed_translations,
    term_index,
    writes_project,
)
from .memories import CatalogFiller, ImportReport, _catalog_date


class ExchangeResult:
    """Files an export wrote (or found unchanged), with what each holds."""

    __slots__ = ("files", "lines")

    def __init__(self, lines: list[str] | None = None, files: list[dict[str, Any]] | None = None) -> None:
        self.lines = [] if lines is None else lines
        self.files = [] if files is None else files

    def add(self, project: Project, path: Path, changed: bool, detail: str = "") -> None:
        state = "written" if changed else "unchanged"
        self.lines.append(f"{project.relative(path)}: {state}{f' ({detail})' if detail else ''}")
        self.files.append({"path": project.relative(path), "changed": changed, "detail": detail})

    def summary(self) -> str:
        return "\n".join(self.lines)

    def to_json(self) -> dict[str, Any]:
        return {"files": self.files}


def _one_lang(project: Project, lang: str | None, what: str) -> str:
    if lang:
        return check_langs(project, [lang])[0]
    targets = check_langs(project, None)
    if len(targets) != 1:
        raise KervanError(
            f"{what} is for one target language and this project has {len(targets)} ({', '.join(targets)}): give --lang"
        )
    return targets[0]


def _date_line(document: Document, lang: str) -> str | None:
    return None if document.date is None else locales.format_date(document.date, lang)


# --------------------------------------------------------------------------------------------- OmegaT


@writes_project
def omegat_export(project: Project, folder: str, lang: str | None = None) -> ExchangeResult:
    """Write (or refresh) an OmegaT project for one target language in `folder`.

    Each article goes to source/<article>.txt as `kervan render` writes it in the source language: headline,
    date and paragraphs, one per line with a blank line between, so that with the project's filter settings
    (a paragraph per line) and segmentation rules (Kervan's own) OmegaT's segments are Kervan's. The memory in
    tm/auto holds every reviewed translation and the date as the target language writes it, so OmegaT fills
    every translated segment on opening and its target file is `kervan render --lang L`. The translator's
    omegat/project_save.tmx is never touched.
    """
    from ..formats import atomic
    from ..formats import omegat as omt
    from ..formats.srx import read_srx, srx_bytes
    from ..render import render_article
    from ..segmentation import default_rules_path

    target = _one_lang(project, lang, "an OmegaT project")
    root = Path(folder)
    project_file = root / omt.PROJECT_FILE
    fresh = omt.project_bytes(project.source_lang, target)
    if project_file.is_file():
        if _contents(project_file) != fresh:  # as written last time, it needs no parsing
            existing = omt.read_project(project_file)
            if not _same_lang(existing.target_lang, target):
                raise KervanError(
                    f"this OmegaT project translates into {existing.target_lang!r}, not {target!r}; "
                    "export each target language into a folder of its own",
                    project_file,
                )
    elif root.is_dir() and any(root.iterdir()):
        raise KervanError(f"folder is not empty and holds no {omt.PROJECT_FILE}; give a new or empty folder", root)
    elif root.exists() and not root.is_dir():
        raise KervanError("is a file, not a folder", root)

    articles = article_units(project, None)
    result = ExchangeResult()

    def put(relative: str, data: bytes, detail: str = "") -> None:
        path = root / relative
        result.add(project, path, atomic.write_if_changed(path, data), detail)

    for name in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        try:
            (root / name).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KervanError(f"cannot create the folder: {exc.strerror or exc}", root / name) from None
    put(omt.PROJECT_FILE, fresh, f"{project.source_lang} -> {target}")
    rules = read_srx(default_rules_path())
    put(omt.SEGMENTATION_CONF, omt.segmentation_conf_bytes(rules), "segmentation rules for OmegaT 3.6")
    put(omt.SEGMENTATION_SRX, srx_bytes(rules), "segmentation rules for OmegaT 4 and later")
    if (root / omt.FILTERS).is_file():
        # OmegaT completes this file with every filter it has; the translator may have set some of them.
        result.lines.append(f"{project.relative(root / omt.FILTERS)}: kept (the project's own)")
    else:
        put(omt.FILTERS, omt.filters_bytes(), "text files: UTF-8, a paragraph per line")

    units: list[Unit] = []
    for article in articles:
        document = article.document
        text = render_article(document, article.segments, {}, project.source_lang).text
        put(f"source/{document.id}.txt", text.encode("utf-8"), f"{len(article.segments)} segments")
        translations = reviewed_translations(project, target, document.id)
        for segment in article.segments:
            if segment.text in translations:
                units.append(Unit(source=segment, targets={target: translations[segment.text]}))
        date = _date_line(document, project.source_lang)
        if date is not None:
            date_segment = Segment(
                id=f"{document.id}:date", text=date, lang=project.source_lang, ref=f"{document.path}:1"
            )
            units.append(Unit(source=date_segment, targets={target: _date_line(document, target) or ""}))

    tm_path = root / "tm" / "auto" / f"{project.name}.{target}.tmx"
    data = _tmx_bytes(units, project, target)
    result.add(project, tm_path, atomic.write_if_changed(tm_path, data), f"{len(units)} translation units")

    # The termbase (and its title) from the matcher's cache, checked against the TBX's size and time: no XML
    # parser is loaded for a glossary read before.
    index = term_index(project) if has_glossary(project) else None
    concepts = _omegat_concepts(list(index.concepts)) if index is not None else []
    if index is not None and concepts:
        from ..formats import tbx as tbxfmt

        glossary_path = root / "glossary" / f"{project.name}.tbx"
        title, description = index.header
        with atomic.transaction() as txn:  # staged until the job commits: ask the transaction what changes
            tbxfmt.write_tbx(
                concepts, str(glossary_path), version=2, title=title or None, description=description or None
            )
            changed = txn.will_change(glossary_path)
        result.add(project, glossary_path, changed, f"{len(concepts)} concepts, TBX v2")
    return result


def _contents(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _same_lang(tag: str, kervan_code: str) -> bool:
    """A tool's language tag names a project language: the same tag, or "ru-RU" for a project's plain "ru"."""
    tag, code = tag.replace("_", "-").lower(), kervan_code.replace("_", "-").lower()
    return tag == code or ("-" not in code and tag.split("-")[0] == code)


def _tmx_bytes(units: list[Unit], project: Project, target: str) -> bytes:
    import io

    from ..formats import tmx as tmxfmt

    buffer = io.BytesIO()
    date = _catalog_date(project, sorted({u.source.id.split(":")[0] for u in units}), [target])
    tmxfmt.write_tmx(units, buffer, srclang=project.source_lang, langs=[target], creationdate=date)
    return buffer.getvalue()


def _omegat_concepts(concepts: list[Concept]) -> list[Concept]:
    """The termbase without deprecated terms: OmegaT 3.6 shows every term of a TBX as a rendering to use."""
    kept = []
    for concept in concepts:
        terms = {lang: tuple(t for t in ts if t.status != "deprecated") for lang, ts in concept.terms.items()}
        terms = {lang: ts for lang, ts in terms.items() if ts}
        if terms:
            kept.append(concept.replace(terms=terms))
    return kept


@writes_project
def omegat_import(project: Project, folder: str, lang: str | None = None, *, overwrite: bool = False) -> ImportReport:
    """Fill the catalogs from an OmegaT project's omegat/project_save.tmx (TMX 1.1 as OmegaT writes it)."""
    from ..formats import omegat as omt
    from ..formats import tmx as tmxfmt

    root = Path(folder)
    project_file = root / omt.PROJECT_FILE
    if not project_file.is_file():
        raise KervanError(f"no {omt.PROJECT_FILE} here: not an OmegaT project folder", root)
    info = omt.read_project(project_file)
    if not _same_lang(info.source_lang.split("-")[0], project.source_lang.split("_")[0]):
        raise KervanError(
            f"the OmegaT project translates from {info.source_lang!r}, this project from {project.source_lang!r}",
            project_file,
        )
    matching = [t for t in project.target_langs if _same_lang(info.target_lang, t)]
    if not matching:
        raise KervanError(
            f"the OmegaT project translates into {info.target_lang!r}, which is not a target language of this "
            f"project ({', '.join(project.target_langs)})",
            project_file,
        )
    target = matching[0]
    if lang and not _same_lang(lang, target):
        raise KervanError(f"the OmegaT project translates into {info.target_lang!r}, not {lang!r}", project_file)
    save = root / omt.SAVE_TMX
    if not save.is_file():
        raise KervanError("no translations saved yet (OmegaT writes this file when it saves the project)", save)

    from .common import load_documents

    # The date line of each article is OmegaT's segment but no catalog's: its translation comes from the locale.
    dates = {d for d in (_date_line(doc, project.source_lang) for doc in load_documents(project)) if d}
    label = str(save)
    report = ImportReport(source=label, kind="OmegaT")
    filler = CatalogFiller(project, [target], report, overwrite=overwrite)
    with open(save, "rb") as stream, tmxfmt.open_tmx(stream, label=label) as reader:
        for unit in reader:
            report.units += 1
            report.warnings.extend(
                f"{label}: {w}" if w.startswith("line ") else f"{label}:{unit.line}: {w}" for w in unit.warnings
            )
            src_text = unit.text(project.source_lang)
            if src_text is None or src_text in dates:
                continue
            filler.offer(src_text, {target: unit.text(info.target_lang) or ""}, tuid=unit.tuid, line=unit.line)
    filler.commit()
    return report


# --------------------------------------------------------------------------------------------- XLIFF


def _xliff_articles(project: Project, target: str, articles: list[ArticleUnits]) -> Iterator:  # -> XliffFile
    from ..formats import po as pofmt
    from ..formats import xliff
    from .common import read_catalog

    for article in articles:
        document = article.document
        po_path = project.po_path(document.id, target)
        entries = {}
        if po_path.is_file():
            entries = {e.msgid: e for e in read_catalog(po_path) if e.msgid and not e.obsolete}
        units = []
        for segment in article.segments:
            entry = entries.get(segment.text)
            status = pofmt.entry_status(entry) if entry is not None else "untranslated"
            notes = _term_notes(entry.comment if entry is not None else "")
            text = entry.msgstr if entry is not None and status != "untranslated" else ""
            units.append(xliff.XliffUnit(segment=segment, target=text, status=status, notes=notes))
        yield xliff.XliffFile(
            original=document.path,
            source_lang=project.source_lang,
            target_lang=target,
            headline=document.title,
            date=document.date.isoformat() if document.date else "",
            units=tuple(units),
        )


def _term_notes(comment: str) -> tuple[str, ...]:
    """The catalog's extracted comments, one note per "Term:" line (PO files wrap long comment lines)."""
    notes: list[str] = []
    for line in comment.splitlines():
        if not line.strip():
            continue
        if notes and not line.startswith("Term:"):
            notes[-1] += " " + line.strip()
        else:
            notes.append(line.strip())
    return tuple(notes)


@writes_project
def xliff_export(project: Project, output: str | None = None, langs: Sequence[str] | None = None) -> ExchangeResult:
    """XLIFF 1.2 per target language: a <file> per article, a <trans-unit> per segment, a <group> per paragraph.

    `output` is a file (one language), a folder (a file per language, `<project>.<lang>.xlf`), or `-`.
    """
    import sys

    from ..formats import atomic, xliff

    targets = check_langs(project, langs)
    articles = article_units(project, None)
    result = ExchangeResult()
    to_folder = output is None or output.endswith(("/", "\\")) or (output != "-" and Path(output).is_dir())
    if not to_folder and len(targets) != 1:
        raise KervanError(f"one XLIFF file holds one target language; give --lang or a folder for {len(targets)}")
    for target in targets:
        # Dated by the catalogs, as the TMX is: exporting unchanged catalogs again changes nothing.
        date = _catalog_date(project, [a.document.id for a in articles], [target])
        data = xliff.xliff_bytes(list(_xliff_articles(project, target, articles)), date)
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            continue
        if to_folder:
            path = (
                Path(output) / f"{project.name}.{target}.xlf"
                if output
                else project.build_dir / (f"{project.name}.{target}.xlf")
            )
        else:
            path = atomic.output_path(str(output), project.root)  # a link the user names is written through
        units = sum(len(a.segments) for a in articles)
        result.add(project, path, atomic.write_if_changed(path, data), f"{len(articles)} article(s), {units} units")
    return result


@writes_project
def xliff_import(
    project: Project, source: str, langs: Sequence[str] | None = None, *, overwrite: bool = False
) -> ImportReport:
    """Fill the catalogs from an XLIFF 1.2 file (any tool): each <file>'s target language, each unit's target."""
    from ..formats import xliff

    targets = check_langs(project, langs)
    report = ImportReport(source=source, kind="XLIFF")
    document = xliff.read_xliff(source)
    report.warnings.extend(document.warnings)
    fillers: dict[str, CatalogFiller] = {}
    for file in document.files:
        matching = [t for t in targets if _same_lang(file.target_lang, t)]
        if not matching:
            report.warnings.append(
                f"{source}:{file.line}: <file> translates into {file.target_lang or '(no target-language)'!r}, "
                f"not into {', '.join(targets)}; skipped"
            )
            continue
        lang = matching[0]
        if lang not in fillers:
            fillers[lang] = CatalogFiller(project, [lang], report, overwrite=overwrite)
        for unit in file.units:
            report.units += 1
            if unit.status != "translated" or not unit.target:
                continue
            fillers[lang].offer(unit.segment.text, {lang: unit.target}, tuid=unit.segment.id, line=unit.line)
    for filler in fillers.values():
        filler.commit()
    return report
