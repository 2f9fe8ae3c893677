"""The main job: every other job in order, with one short summary.

A build succeeds whenever everything was built, whatever the state of the translations: untranslated text is
a normal state of a project (counted per language, as msgfmt --statistics and pocount count it), and QA
findings are summarised per check. Whether findings fail the build is the caller's choice (`--strict`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from ..model import Finding
from ..project import Project
from .catalogs import compile_catalogs, extract, stats, update
from .checks import render_pages, run_qa, write_qa_report
from .common import FileResult, article_units, glossary_index, writing
from .memories import export_tmx

# progress(done, total, what): called as each step of the build finishes.
Progress = Callable[[int, int, str], None]
EXAMPLES = 3  # findings shown per check in the summary


class BuildReport:
    """What a build did: articles and segments, per-catalog statistics, the files, QA findings and memory fills."""

    __slots__ = ("articles", "files", "findings", "languages", "segments", "tm_fills", "warnings")

    def __init__(
        self,
        segments: int = 0,
        articles: int = 0,
        languages: list[dict[str, Any]] | None = None,
        files: list[FileResult] | None = None,
        findings: list[Finding] | None = None,
        warnings: list[str] | None = None,
        tm_fills: list[Any] | None = None,
    ) -> None:
        self.segments = segments
        self.articles = articles
        self.languages = [] if languages is None else languages  # per catalog, as `stats` gives them
        self.files = [] if files is None else files
        self.findings = [] if findings is None else findings
        self.warnings = [] if warnings is None else warnings
        self.tm_fills = [] if tm_fills is None else tm_fills

    def asdict(self) -> dict[str, Any]:
        """Every field, in the constructor's order (the order of the stamp file's record), values as they are."""
        return {
            "segments": self.segments,
            "articles": self.articles,
            "languages": self.languages,
            "files": self.files,
            "findings": self.findings,
            "warnings": self.warnings,
            "tm_fills": self.tm_fills,
        }

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    def totals(self) -> list[dict[str, Any]]:
        """Per language, the catalogs added up: segments and words translated, fuzzy, untranslated."""
        out: dict[str, dict[str, Any]] = {}
        for row in self.languages:
            total = out.setdefault(row["lang"], {"lang": row["lang"], "catalogs": 0})
            total["catalogs"] += 1
            for state in ("translated", "fuzzy", "untranslated"):
                counts = total.setdefault(state, {"segments": 0, "words": 0})
                counts["segments"] += row[state]["segments"]
                counts["words"] += row[state]["words"]
        return list(out.values())

    def by_check(self) -> list[dict[str, Any]]:
        """Findings counted per check (errors, warnings), in the order checks first occur, with examples."""
        groups: dict[str, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.check, []).append(finding)
        out = []
        for check, found in groups.items():
            severities = Counter(f.severity for f in found)
            out.append(
                {
                    "check": check,
                    "errors": severities["error"],
                    "warnings": severities["warning"],
                    "infos": severities["info"],
                    "examples": found[:EXAMPLES],
                }
            )
        return out

    def to_json(self) -> dict[str, Any]:
        from ..qa import finding_to_json

        return {
            "articles": self.articles,
            "segments": self.segments,
            "totals": self.totals(),
            "languages": self.languages,
            "files": [{"path": f.path, "changed": f.changed, "detail": f.detail} for f in self.files],
            "qa": {
                "errors": self.errors,
                "warnings": sum(f.severity == "warning" for f in self.findings),
                "checks": [
                    {"check": g["check"], "errors": g["errors"], "warnings": g["warnings"], "infos": g["infos"]}
                    for g in self.by_check()
                ],
                "findings": [finding_to_json(f) for f in self.findings],
            },
            "warnings": self.warnings,
            "tm": {"fills": [f.to_json() for f in self.tm_fills]},
        }

    def summary(self) -> str:
        lines = [f"{self.articles} article(s), {self.segments} segments"]
        for row in self.totals():
            done, fuzzy, missing = (row[s]["segments"] for s in ("translated", "fuzzy", "untranslated"))
            whole = done + fuzzy + missing
            share = f"{100 * done // whole}%" if whole else "-"
            lines.append(f"  {row['lang']}: {done} translated, {fuzzy} fuzzy, {missing} untranslated ({share})")
        groups = [g for g in self.by_check() if g["check"] != "untranslated"]
        errors = sum(g["errors"] for g in groups)
        warnings = sum(g["warnings"] for g in groups)
        infos = sum(g["infos"] for g in groups)
        where = " (build/qa.json has them all)" if groups else ""
        notes = f", {infos} note(s)" if infos else ""
        if self.tm_fills:
            kinds = {k: sum(f.kind == k for f in self.tm_fills) for k in ("context", "exact", "fuzzy")}
            lines.append(
                f"TM: {len(self.tm_fills)} filled ({kinds['context']} in context, {kinds['exact']} exact, "
                f"{kinds['fuzzy']} fuzzy)"
            )
        lines.append(f"QA: {errors} error(s), {warnings} warning(s){notes}{where}")
        width = max((len(g["check"]) for g in groups), default=0)
        for group in groups:
            kinds = (("error(s)", group["errors"]), ("warning(s)", group["warnings"]), ("note(s)", group["infos"]))
            counts = ", ".join(f"{n} {kind}" for kind, n in kinds if n)
            lines.append(f"  {group['check'].ljust(width)}  {counts}")
            for f in group["examples"]:
                lines.append(f"    {f.lang} {f.unit_id}: {f.message}")
            rest = group["errors"] + group["warnings"] + group["infos"] - len(group["examples"])
            if rest > 0:
                lines.append(f"    … and {rest} more")
        written = sum(f.changed for f in self.files)
        lines.append(f"files: {written} written, {len(self.files) - written} unchanged (--json lists them)")
        return "\n".join(lines)


def build(
    project: Project, *, use_fuzzy: bool = False, progress: Progress | None = None, use_tm: bool = True
) -> BuildReport:
    """Extract, update, compile, export TMX, run QA and render one page per article and target language.

    Incremental: what the last build read and wrote is recorded (see `stamps`); when nothing changed since,
    its report is this one, and otherwise only the articles and catalogs whose inputs changed are redone.
    """
    with writing(project):  # alone, and all or nothing: a build that fails changes no file
        return _build(project, use_fuzzy, progress, use_tm)


def _build(project: Project, use_fuzzy: bool, progress: Progress | None, use_tm: bool) -> BuildReport:
    from .stamps import Stamps

    memory = (project.tm_url or "embedded") if use_tm else ""
    stamps = Stamps(project, {"use_fuzzy": use_fuzzy, "memory": memory})
    recorded = stamps.unchanged_report()
    if recorded is not None:
        try:
            report = _report_from(recorded)
        except (TypeError, ValueError, KeyError):
            pass  # a damaged record: build in full
        else:
            if progress is not None:
                progress(1, 1, "nothing changed")
            return report
    report = BuildReport()
    index = glossary_index(project)
    total = len(project.source_files()) + 6
    done = 0

    def step(what: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, what)

    articles = article_units(project, index, stamps=stamps, on_article=lambda doc: step(f"segmented {doc}"))
    report.articles = len(articles)
    report.segments = sum(len(a.segments) for a in articles)
    report.files.extend(extract(project, articles, stamps))
    step("templates")
    # A catalog merge is reused only while the memory is made of the same files: a new TMX or a catalog
    # translated since may fill entries of catalogs that did not change themselves.
    reuse = not use_tm or stamps.memory_unchanged()
    report.files.extend(update(project, stamps=stamps, use_tm=use_tm, fills=report.tm_fills, reuse=reuse))
    step("catalogs")
    report.files.extend(compile_catalogs(project, use_fuzzy=use_fuzzy, stamps=stamps))
    step("compiled")
    exported = export_tmx(project, None, None, articles)
    report.files.append(FileResult(exported.path, exported.changed, f"{exported.units} units"))
    step("TMX")
    report.findings = run_qa(project, None, articles, index, stamps=stamps)
    report.files.append(write_qa_report(project, report.findings))
    step("QA")
    for lang in project.target_langs:
        report.files.extend(render_pages(project, lang, articles))
    step("rendered")
    report.languages = stats(project)
    stamps.save(_report_data(report))
    return report


def _report_data(report: BuildReport) -> dict[str, Any]:
    """The report as plain data, for the stamp file."""
    data = report.asdict()
    data["files"] = [f.asdict() for f in report.files]
    data["findings"] = [f.asdict() for f in report.findings]
    data["tm_fills"] = []  # a build that changes nothing fills nothing
    return data


def _report_from(data: dict[str, Any]) -> BuildReport:
    """The recorded report of a build whose inputs and outputs are all unchanged: every file is unchanged."""
    values = dict(data)
    values["files"] = [FileResult(**{**f, "changed": False}) for f in data["files"]]
    values["findings"] = [Finding(**f) for f in data["findings"]]
    values["tm_fills"] = []
    return BuildReport(**values)
