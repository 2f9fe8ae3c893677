"""The main job: every other job in order, with one summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Finding
from ..project import Project
from .catalogs import compile_catalogs, extract, stats, update
from .checks import render, run_qa, write_qa_report
from .common import FileResult, article_units, glossary_index
from .memories import export_tmx


@dataclass
class BuildReport:
    segments: int = 0
    articles: int = 0
    languages: list[dict[str, Any]] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tm_fills: list[Any] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "segments": self.segments,
            "languages": self.languages,
            "files": [{"path": f.path, "changed": f.changed} for f in self.files],
            "qa": {"errors": self.errors, "warnings": sum(f.severity == "warning" for f in self.findings)},
            "warnings": self.warnings,
            "tm": {"fills": [f.to_json() for f in self.tm_fills]},
        }

    def summary(self) -> str:
        lines = [f"{self.articles} article(s), {self.segments} segments"]
        for row in self.languages:
            lines.append(
                f"  {row['lang']}: {row['translated']['segments']} translated, {row['fuzzy']['segments']} fuzzy, "
                f"{row['untranslated']['segments']} untranslated  ({row['domain']})"
            )
        warnings = sum(f.severity == "warning" for f in self.findings)
        if self.tm_fills:
            kinds = {k: sum(f.kind == k for f in self.tm_fills) for k in ("context", "exact", "fuzzy")}
            lines.append(
                f"TM: {len(self.tm_fills)} filled ({kinds['context']} in context, {kinds['exact']} exact, "
                f"{kinds['fuzzy']} fuzzy)"
            )
        lines.append(f"QA: {self.errors} error(s), {warnings} warning(s)")
        for finding in self.findings:
            if finding.severity == "error":
                lines.append(f"  {finding.lang} {finding.unit_id} {finding.check}: {finding.message}")
        lines.extend(f"warning: {w}" for w in self.warnings)
        lines.append("files:")
        lines.extend(f"  {f.describe()}" for f in self.files)
        return "\n".join(lines)


def build(project: Project, *, use_fuzzy: bool = False, use_tm: bool = True) -> BuildReport:
    """Extract, update, compile, export TMX, run QA and render every target language."""
    report = BuildReport()
    index = glossary_index(project)
    articles = article_units(project, index)
    report.articles = len(articles)
    report.segments = sum(len(a.segments) for a in articles)
    report.files.extend(extract(project, articles))
    report.files.extend(update(project, use_tm=use_tm, fills=report.tm_fills))
    report.files.extend(compile_catalogs(project, use_fuzzy=use_fuzzy))
    exported = export_tmx(project, None, None, articles)
    report.files.append(FileResult(exported.path, exported.changed, f"{exported.units} units"))
    report.findings = run_qa(project, None, articles, index)
    report.files.append(write_qa_report(project, report.findings))
    for lang in project.target_langs:
        path = project.build_dir / f"{project.name}.{lang}.txt"
        rendered = render(project, lang, str(path), articles=articles)
        report.warnings.extend(rendered.warnings)
        report.files.append(FileResult(project.relative(path), rendered.changed, "rendered article"))
    report.languages = stats(project)
    return report
