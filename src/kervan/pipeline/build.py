"""The main job: every other job in order, with one summary."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
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
        }

    def summary(self) -> str:
        lines = [f"{self.articles} article(s), {self.segments} segments"]
        for row in self.languages:
            lines.append(
                f"  {row['lang']}: {row['translated']['segments']} translated, {row['fuzzy']['segments']} fuzzy, "
                f"{row['untranslated']['segments']} untranslated  ({row['domain']})"
            )
        warnings = sum(f.severity == "warning" for f in self.findings)
        lines.append(f"QA: {self.errors} error(s), {warnings} warning(s)")
        for finding in self.findings:
            if finding.severity == "error":
                lines.append(f"  {finding.lang} {finding.unit_id} {finding.check}: {finding.message}")
        lines.extend(f"warning: {w}" for w in self.warnings)
        lines.append("files:")
        lines.extend(f"  {f.describe()}" for f in self.files)
        return "\n".join(lines)


def build(project: Project, *, use_fuzzy: bool = False) -> BuildReport:
    """Extract, update, compile, export TMX, run QA and render every target language.

    Incremental: what the last build read and wrote is recorded (see `stamps`); when nothing changed since,
    its report is this one, and otherwise only the articles and catalogs whose inputs changed are redone.
    """
    from .stamps import Stamps

    stamps = Stamps(project, {"use_fuzzy": use_fuzzy})
    recorded = stamps.unchanged_report()
    if recorded is not None:
        try:
            return _report_from(recorded)
        except (TypeError, ValueError, KeyError):
            pass  # a damaged record: build in full
    report = BuildReport()
    index = glossary_index(project)
    articles = article_units(project, index, stamps)
    report.articles = len(articles)
    report.segments = sum(len(a.segments) for a in articles)
    report.files.extend(extract(project, articles, stamps))
    report.files.extend(update(project, stamps=stamps))
    report.files.extend(compile_catalogs(project, use_fuzzy=use_fuzzy, stamps=stamps))
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
    stamps.save(_report_data(report))
    return report


def _report_data(report: BuildReport) -> dict[str, Any]:
    """The report as plain data, for the stamp file."""
    data = {f.name: getattr(report, f.name) for f in fields(report)}
    data["files"] = [asdict(f) for f in report.files]
    data["findings"] = [asdict(f) for f in report.findings]
    return data


def _report_from(data: dict[str, Any]) -> BuildReport:
    """The recorded report of a build whose inputs and outputs are all unchanged: every file is unchanged."""
    values = dict(data)
    values["files"] = [FileResult(**{**f, "changed": False}) for f in data["files"]]
    values["findings"] = [Finding(**f) for f in data["findings"]]
    return BuildReport(**values)
