"""The `kervan` command line: parse options, call one function of the pipeline, print. No logic here.

Heavy modules are imported inside the commands so that `kervan --help` and lookups start fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import KervanError

EXIT_NOT_FOUND = 1
EXIT_USAGE = 2


def _fail(message: str) -> NoReturn:
    click.echo(f"kervan: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _shown(path: str) -> str:
    """Paths in messages as the user would type them: relative to the working folder when inside it."""
    if os.path.isabs(path):
        try:
            relative = os.path.relpath(path)
        except ValueError:
            return path
        if relative != "." and not relative.startswith(".."):
            return relative
    return path


class _Group(click.Group):
    """Turns every KervanError (and stray OS errors) into one line on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KervanError as exc:
            if exc.path:
                exc.path = _shown(exc.path)
            _fail(str(exc))
        except KeyboardInterrupt:
            click.echo("", err=True)
            sys.exit(130)  # as shells report an interrupt; 1 would read as "nothing found"
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                sys.exit(0)
            where = f"{_shown(str(exc.filename))}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")


def _project(ctx: click.Context):  # -> kervan.project.Project
    from .project import load_project

    root = ctx.find_root()
    return load_project(root.params.get("project"))


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _table(rows: list[list[str]], header: list[str] | None = None) -> str:
    """Aligned columns for people."""
    all_rows = ([header] if header else []) + rows
    if not all_rows:
        return ""
    widths = [max(len(row[i]) for row in all_rows) for i in range(len(all_rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in all_rows]
    if header:
        lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


LANG_OPTION = click.option(
    "--lang", "langs", multiple=True, metavar="LANG", help="Target language (repeatable). Default: all targets."
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kervan")
@click.option(
    "--project",
    type=click.Path(file_okay=True, dir_okay=True, path_type=Path),
    default=None,
    help="Project folder (default: the nearest kervan.toml upward).",
)
def main(project: Path | None) -> None:
    """Kervan: segments, glossary, gettext catalogs and translation memories for Turkish news articles."""


# --------------------------------------------------------------------------- the main job


@main.command()
@click.option("--use-fuzzy", is_flag=True, help="Compile fuzzy translations into the .mo files too.")
@click.option("--no-tm", is_flag=True, help="Do not fill entries from the translation memory.")
@JSON_OPTION
@click.pass_context
def build(ctx: click.Context, use_fuzzy: bool, no_tm: bool, as_json: bool) -> None:
    """Extract, update, compile, export TMX, check and render: everything, in one go."""
    from . import pipeline

    project = _project(ctx)
    report = pipeline.build(project, use_fuzzy=use_fuzzy, use_tm=not no_tm)
    if as_json:
        _emit_json(report.to_json())
    else:
        click.echo(report.summary())
    if report.errors:
        sys.exit(EXIT_NOT_FOUND)


@main.command()
@click.argument("source", type=str)
@click.option("--lang", default="tr", show_default=True, help="Language of the text.")
@click.option("--rules", type=str, default=None, metavar="FILE", help="SRX 2.0 rules (default: shipped rules).")
@JSON_OPTION
def segment(source: str, lang: str, rules: str | None, as_json: bool) -> None:
    """Split FILE (or - for stdin) into sentences: one per line, an empty line between paragraphs."""
    from . import pipeline

    out = sys.stdout
    if as_json:
        # Streamed as it is produced, so large inputs never sit in memory as one list.
        out.write("[")
        count = 0
        for count, record in enumerate(pipeline.segment_records(source, lang=lang, rules=rules), start=1):
            out.write(("," if count > 1 else "") + "\n  " + json.dumps(record, ensure_ascii=False))
        out.write("\n]\n" if count else "]\n")
        out.flush()
        return
    first = True
    for _paragraph, sentences in pipeline.segment_stream(source, lang=lang, rules=rules):
        if not first:
            out.write("\n")
        first = False
        out.write("".join(f"{sentence}\n" for sentence in sentences))
    out.flush()


@main.command()
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Write locales/<article>.pot from the sources."""
    from . import pipeline

    for result in pipeline.extract(_project(ctx)):
        click.echo(result.describe())


@main.command()
@LANG_OPTION
@click.option("--no-tm", is_flag=True, help="Do not fill entries from the translation memory.")
@JSON_OPTION
@click.pass_context
def update(ctx: click.Context, langs: tuple[str, ...], no_tm: bool, as_json: bool) -> None:
    """Create or update the PO catalogs from the template; translations are never lost.

    Untranslated entries get the best translation-memory match at or above [tm] min-score.
    """
    from . import pipeline

    project = _project(ctx)
    pipeline.extract(project)
    fills: list[Any] = []
    results = pipeline.update(project, langs or None, use_tm=not no_tm, fills=fills)
    if as_json:
        _emit_json(
            {
                "files": [{"path": r.path, "changed": r.changed, "detail": r.detail} for r in results],
                "fills": [f.to_json() for f in fills],
            }
        )
        return
    for result in results:
        click.echo(result.describe())


@main.command(name="compile")
@LANG_OPTION
@click.option("--use-fuzzy", is_flag=True, help="Include fuzzy translations.")
@click.option("--statistics", is_flag=True, help="Print translated/fuzzy/untranslated counts, like msgfmt.")
@click.pass_context
def compile_(ctx: click.Context, langs: tuple[str, ...], use_fuzzy: bool, statistics: bool) -> None:
    """Compile every PO catalog to a .mo file beside it."""
    from . import pipeline

    for result in pipeline.compile_catalogs(_project(ctx), langs or None, use_fuzzy=use_fuzzy):
        click.echo(result.describe(statistics=statistics))


# --------------------------------------------------------------------------- translation memories


@main.group()
def tmx() -> None:
    """Export and import TMX 1.4b translation memories."""


@tmx.command(name="export")
@click.option("-o", "--output", type=str, default=None, help="Output file, - for stdout (default: build/<name>.tmx).")
@LANG_OPTION
@click.pass_context
def tmx_export(ctx: click.Context, output: str | None, langs: tuple[str, ...]) -> None:
    """Write a TMX 1.4b memory: source tr, one <tu> per segment, with the target languages."""
    from . import pipeline

    result = pipeline.export_tmx(_project(ctx), output, langs or None)
    if output != "-":
        click.echo(result.describe())


@tmx.command(name="import")
@click.argument("source", type=str)
@LANG_OPTION
@click.option("--overwrite", is_flag=True, help="Replace catalog translations that differ from the TMX.")
@JSON_OPTION
@click.pass_context
def tmx_import(ctx: click.Context, source: str, langs: tuple[str, ...], overwrite: bool, as_json: bool) -> None:
    """Fill the PO catalogs from a TMX file (any tool, TMX 1.1 to 1.4b)."""
    from . import pipeline

    project = _project(ctx)
    size = Path(source).stat().st_size if source != "-" and Path(source).is_file() else 0
    if sys.stderr.isatty() and size > 1 << 20:
        with click.progressbar(length=size, label="reading TMX", file=sys.stderr) as bar:
            report = pipeline.import_tmx(project, source, langs or None, overwrite=overwrite, progress=bar.update)
    else:
        report = pipeline.import_tmx(project, source, langs or None, overwrite=overwrite)
    if as_json:
        _emit_json(report.to_json())
    else:
        click.echo(report.summary())


@main.group(name="tm")
def tm_group() -> None:
    """The translation memory: tm/*.tmx and every reviewed translation, indexed for fuzzy matching."""


@tm_group.command(name="import")
@click.argument("source", type=str)
@LANG_OPTION
@JSON_OPTION
@click.pass_context
def tm_import(ctx: click.Context, source: str, langs: tuple[str, ...], as_json: bool) -> None:
    """Copy a TMX file (any tool, TMX 1.1 to 1.4b) into tm/ and index its units."""
    from .pipeline import tm

    project = _project(ctx)
    size = Path(source).stat().st_size if source != "-" and Path(source).is_file() else 0
    if sys.stderr.isatty() and size > 1 << 20:
        with click.progressbar(length=size, label="importing TMX", file=sys.stderr) as bar:
            report = tm.import_tm(project, source, langs or None, progress=bar.update)
    else:
        report = tm.import_tm(project, source, langs or None)
    if as_json:
        _emit_json(report.to_json())
    else:
        click.echo(report.summary())


@tm_group.command(name="search")
@click.argument("query")
@LANG_OPTION
@click.option("--min-score", type=click.IntRange(0, 101), default=None, help="Lowest score (default: [tm] min-score).")
@click.option("--limit", default=10, type=click.IntRange(min=1), show_default=True, help="At most this many matches.")
@JSON_OPTION
@click.pass_context
def tm_search(
    ctx: click.Context, query: str, langs: tuple[str, ...], min_score: int | None, limit: int, as_json: bool
) -> None:
    """Fuzzy matches and concordance for QUERY, best first (exit 1 when nothing is found)."""
    from .pipeline import tm

    result = tm.search(_project(ctx), query, langs or None, min_score=min_score, limit=limit)
    if as_json:
        _emit_json(result)
    elif result["matches"]:
        rows = []
        for match in result["matches"]:
            first = True
            for lang, text in match["targets"].items():
                rows.append([f"{match['score']}%" if first else "", match["source"] if first else "", lang, text])
                first = False
            rows.append(["", f"({match['origin']})", "", ""])
        click.echo(_table(rows, ["score", "source", "lang", "translation"]))
    else:
        click.echo(f"no translation memory match for {query!r}", err=True)
    if not result["matches"]:
        sys.exit(EXIT_NOT_FOUND)


@tm_group.command(name="export")
@click.option("-o", "--output", type=str, default=None, help="Output file, - for stdout (default: build/).")
@click.pass_context
def tm_export(ctx: click.Context, output: str | None) -> None:
    """Write the whole translation memory as TMX 1.4b."""
    from .pipeline import tm

    result = tm.export_tm(_project(ctx), output)
    if output != "-":
        click.echo(result.describe())


@tm_group.command(name="remove")
@click.argument("name")
@click.pass_context
def tm_remove(ctx: click.Context, name: str) -> None:
    """Take a source (tm/FILE.tmx or an article id, as tm stats names it) out of a shared memory."""
    from .pipeline import tm

    click.echo(f"removed {tm.remove(_project(ctx), name)}")


@tm_group.command(name="stats")
@JSON_OPTION
@click.pass_context
def tm_stats(ctx: click.Context, as_json: bool) -> None:
    """Units in the translation memory per language pair and per origin."""
    from .pipeline import tm

    result = tm.stats(_project(ctx))
    if as_json:
        _emit_json(result)
        return
    click.echo(f"{result['units']} units ({result['backend']}: {result['location']})\n")
    pairs = [[f"{p['source']}-{p['target']}", str(p["units"])] for p in result["pairs"]]
    click.echo(_table(pairs, ["pair", "units"]) + "\n")
    origins = [[o["origin"], o["kind"], str(o["units"])] for o in result["origins"]]
    click.echo(_table(origins, ["origin", "kind", "units"]))


# --------------------------------------------------------------------------- CAT tools: OmegaT and XLIFF


@main.group()
def omegat() -> None:
    """Hand the articles to OmegaT as a ready project, and take the translations back."""


@omegat.command(name="export")
@click.argument("folder", type=str)
@click.option("--lang", default=None, help="Target language (needed when the project has several).")
@click.pass_context
def omegat_export(ctx: click.Context, folder: str, lang: str | None) -> None:
    """Write or refresh an OmegaT project in FOLDER; the translator's project_save.tmx is never touched."""
    from .pipeline import exchange

    click.echo(exchange.omegat_export(_project(ctx), folder, lang).summary())


@omegat.command(name="import")
@click.argument("folder", type=str)
@click.option("--lang", default=None, help="Target language (default: the OmegaT project's).")
@click.option("--overwrite", is_flag=True, help="Take the translator's version where it differs from the catalog.")
@JSON_OPTION
@click.pass_context
def omegat_import(ctx: click.Context, folder: str, lang: str | None, overwrite: bool, as_json: bool) -> None:
    """Fill the catalogs from FOLDER/omegat/project_save.tmx."""
    from .pipeline import exchange

    report = exchange.omegat_import(_project(ctx), folder, lang, overwrite=overwrite)
    click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2) if as_json else report.summary())


@main.group()
def xliff() -> None:
    """Export and import XLIFF 1.2 for Trados Studio, memoQ, Phrase, OmegaT and other CAT tools."""


@xliff.command(name="export")
@click.option("-o", "--output", type=str, default=None, help="File, folder, or - (default: build/<name>.<lang>.xlf).")
@LANG_OPTION
@click.pass_context
def xliff_export(ctx: click.Context, output: str | None, langs: tuple[str, ...]) -> None:
    """Write XLIFF 1.2: a <file> per article, a <trans-unit> per segment, grouped per paragraph."""
    from .pipeline import exchange

    result = exchange.xliff_export(_project(ctx), output, langs or None)
    if output != "-":
        click.echo(result.summary())


@xliff.command(name="import")
@click.argument("source", type=str)
@LANG_OPTION
@click.option("--overwrite", is_flag=True, help="Replace catalog translations that differ from the XLIFF.")
@JSON_OPTION
@click.pass_context
def xliff_import(ctx: click.Context, source: str, langs: tuple[str, ...], overwrite: bool, as_json: bool) -> None:
    """Fill the catalogs from an XLIFF 1.0-1.2 file written by any tool."""
    from .pipeline import exchange

    report = exchange.xliff_import(_project(ctx), source, langs or None, overwrite=overwrite)
    click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2) if as_json else report.summary())


# --------------------------------------------------------------------------- terms and glossary


@main.group()
def term() -> None:
    """Look up, scan for and extract glossary terms."""


@term.command(name="lookup")
@click.argument("query")
@click.option("--lang", default=None, help="Language of the query (default: any).")
@click.option("--limit", default=10, type=click.IntRange(min=1), show_default=True, help="At most this many concepts.")
@JSON_OPTION
@click.pass_context
def term_lookup(ctx: click.Context, query: str, lang: str | None, limit: int, as_json: bool) -> None:
    """Find glossary concepts by any of their terms, in any inflected form."""
    from . import pipeline

    project = _project(ctx)
    result = pipeline.term_lookup(project, query, lang=lang, limit=limit)
    if as_json:
        _emit_json(result.to_json())
    elif result.matches:
        click.echo(result.table(_table))
    else:
        click.echo(f"no glossary term matches {query!r}", err=True)
    if not result.matches:
        sys.exit(EXIT_NOT_FOUND)


@term.command(name="scan")
@click.argument("source", type=str)
@click.option("--lang", default=None, help="Language of the text (default: the source language).")
@JSON_OPTION
@click.pass_context
def term_scan(ctx: click.Context, source: str, lang: str | None, as_json: bool) -> None:
    """List every glossary term occurring in FILE (or - for stdin), with offsets."""
    from . import pipeline

    result = pipeline.term_scan(_project(ctx), source, lang=lang)
    if as_json:
        _emit_json(result.to_json())
    elif result.occurrences:
        click.echo(result.table(_table))
    else:
        click.echo("no glossary term found", err=True)
    if not result.occurrences:
        sys.exit(EXIT_NOT_FOUND)


@term.command(name="extract")
@click.argument("source", type=str)
@click.option("--lang", default=None, help="Language of the text (default: the source language).")
@JSON_OPTION
@click.pass_context
def term_extract(ctx: click.Context, source: str, lang: str | None, as_json: bool) -> None:
    """Suggest glossary candidates from FILE: acronyms with their expansions, repeated names."""
    from . import pipeline

    result = pipeline.term_extract(_project(ctx), source, lang=lang)
    if as_json:
        _emit_json(result.to_json())
    else:
        click.echo(result.table(_table))


@main.group()
def glossary() -> None:
    """Export, import and validate the termbase."""


@glossary.command(name="export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tbx", "tbx2", "tsv", "csv"]),
    default="tbx",
    show_default=True,
    help="tbx: TBX v3 (ISO 30042:2019); tbx2: TBX v2 martif (OmegaT); tsv/csv: one file per target language.",
)
@click.option("-o", "--output", type=str, default=None, help="Output file (- for stdout) or folder for tsv/csv.")
@click.option("--lang", "langs", multiple=True, help="Target language for tsv/csv (repeatable).")
@click.pass_context
def glossary_export(ctx: click.Context, fmt: str, output: str | None, langs: tuple[str, ...]) -> None:
    """Write the termbase as TBX v3, TBX v2, or TSV/CSV glossaries."""
    from . import pipeline

    for line in pipeline.glossary_export(_project(ctx), fmt, output, langs or None):
        click.echo(line, err=output == "-")


@glossary.command(name="import")
@click.argument("source", type=str)
@click.option("--format", "fmt", type=click.Choice(["auto", "tbx", "tsv", "csv"]), default="auto", show_default=True)
@click.option("--lang", default=None, help="Target language of a TSV/CSV file.")
@click.option(
    "--prefer",
    type=click.Choice(["existing", "incoming"]),
    default="existing",
    show_default=True,
    help="Which side wins where both give a value (no term is ever dropped; the other side is reported).",
)
@click.pass_context
def glossary_import(ctx: click.Context, source: str, fmt: str, lang: str | None, prefer: str) -> None:
    """Merge a TBX (v2 or v3), TSV or CSV glossary into the termbase."""
    from . import pipeline

    for line in pipeline.glossary_import(_project(ctx), source, fmt=fmt, lang=lang, prefer=prefer):
        click.echo(line)


@glossary.command(name="validate")
@JSON_OPTION
@click.pass_context
def glossary_validate(ctx: click.Context, as_json: bool) -> None:
    """Check the termbase: duplicates, missing languages, abbreviations without full forms, bad codes."""
    from . import pipeline
    from .qa import finding_to_json

    findings = pipeline.glossary_validate(_project(ctx))
    if as_json:
        _emit_json({"findings": [finding_to_json(f) for f in findings]})
    else:
        for finding in findings:
            click.echo(f"{finding.severity}: {finding.unit_id}: {finding.message}")
        click.echo(f"{len(findings)} problem(s) found" if findings else "glossary OK", err=bool(findings))
    if any(f.severity == "error" for f in findings):
        sys.exit(EXIT_NOT_FOUND)


# --------------------------------------------------------------------------- checks and reports


@main.command()
@LANG_OPTION
@JSON_OPTION
@click.pass_context
def qa(ctx: click.Context, langs: tuple[str, ...], as_json: bool) -> None:
    """Check translations: completeness, terminology, numbers, punctuation, quotes, spacing, length."""
    from . import pipeline
    from .qa import finding_to_json

    findings = pipeline.run_qa(_project(ctx), langs or None)
    if as_json:
        _emit_json({"findings": [finding_to_json(f) for f in findings]})
    else:
        rows = [[f.severity, f.lang, f.unit_id, f.check, f.message] for f in findings]
        if rows:
            click.echo(_table(rows, ["severity", "lang", "unit", "check", "message"]))
        errors = sum(f.severity == "error" for f in findings)
        click.echo(f"{len(findings)} finding(s), {errors} error(s)")
    if any(f.severity == "error" for f in findings):
        sys.exit(EXIT_NOT_FOUND)


@main.command()
@JSON_OPTION
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Per language: segments and words translated, fuzzy and untranslated."""
    from . import pipeline

    rows = pipeline.stats(_project(ctx))
    if as_json:
        _emit_json({"languages": rows})
        return
    table = [
        [
            r["lang"],
            r["domain"],
            *(f"{r[k]['segments']} ({r[k]['words']} w)" for k in ("translated", "fuzzy", "untranslated")),
        ]
        for r in rows
    ]
    click.echo(_table(table, ["lang", "article", "translated", "fuzzy", "untranslated"]))


@main.command()
@click.option("--lang", required=True, help="Target language of the rendering.")
@click.option("-o", "--output", type=str, default="-", show_default=True, help="Output file, - for stdout.")
@click.option("--article", default=None, help="Article id (default: every article).")
@click.pass_context
def render(ctx: click.Context, lang: str, output: str, article: str | None) -> None:
    """Print the translated article: headline, localized date, paragraphs."""
    from . import pipeline

    result = pipeline.render(_project(ctx), lang, output, article=article)
    for warning in result.warnings:
        click.echo(f"kervan: warning: {warning}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
