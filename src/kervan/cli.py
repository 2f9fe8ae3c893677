"""The `kervan` command line: parse options, call one function of the pipeline, print. No logic here.

Heavy modules are imported inside the commands so that `kervan --help` and lookups start fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import KervanError

EXIT_NOT_FOUND = 1
EXIT_USAGE = 2


def _one_line(text: str) -> str:
    """Control characters (a newline in a file name) escaped, so that an error stays one line."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def _fail(message: str) -> NoReturn:
    click.echo(f"kervan: error: {_one_line(message)}", err=True)
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


def _guard_standard_streams() -> None:
    """Closed standard streams (`<&-`, `>&-`): park /dev/null on the descriptors, so no file Kervan opens lands on
    them; then refuse to run without an output, before anything is read or written."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # takes the lowest free descriptor: this one
    if sys.stdout is None:
        _fail("<stdout>: standard output is closed; redirect it to /dev/null to discard the output")
    # A file name with bytes that are not UTF-8 (or text the terminal's encoding lacks) is shown escaped,
    # never a crash after the work is done.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")


class _Group(click.Group):
    """Turns every KervanError (and stray OS errors) into one line on stderr and exit code 2."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Usage errors of every command and subcommand (unknown option, missing value or argument, bad
        choice) as `kervan: error: ...` and exit code 2, like every other bad input; click would print its
        own `Error: ...` block."""
        _guard_standard_streams()  # before parsing: --help and --version write too
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        if sys.stdout is None:  # started with file descriptor 1 closed (`kervan ... >&-`)
            sys.stdout = _closed_stdout()
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            # `kervan` or `kervan glossary` alone asks for help rather than doing something wrong.
            click.echo(exc.ctx.get_help() if exc.ctx else "")
            sys.exit(0)
        except click.UsageError as exc:
            _fail(_usage_message(exc))
        except click.ClickException as exc:
            _fail(" ".join(exc.format_message().split()))
        except click.exceptions.Exit as exc:  # --help, --version
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("", err=True)
            sys.exit(130)
        except OSError as exc:  # --help or a usage message with nowhere to go
            _os_error(exc)
        # Without standalone mode click returns the code of a ctx.exit(n) (and of --help) instead of exiting.
        sys.exit(code if isinstance(code, int) else 0)

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
            _os_error(exc)


def _os_error(exc: OSError) -> NoReturn:
    if isinstance(exc, BrokenPipeError):
        sys.exit(0)
    where = f"{_shown(str(exc.filename))}: " if exc.filename else ""
    _fail(f"{where}{exc.strerror or exc}")


def _closed_stdout():  # -> io.TextIOWrapper
    """A stdout whose every write fails as a closed descriptor does, so that output with nowhere to go is an
    error (as GNU tools report it), not a traceback or a silent success."""
    import errno
    import io

    class Closed(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            raise OSError(errno.EBADF, "is closed; nothing can be written", "stdout")

    return io.TextIOWrapper(Closed(), encoding="utf-8", write_through=True)  # type: ignore[arg-type]


def _usage_message(exc: click.UsageError) -> str:
    """One line: the command, click's message, and where to look (`kervan tmx import --help`)."""
    message = " ".join(exc.format_message().split())
    names = []
    ctx = exc.ctx
    while ctx is not None and ctx.parent is not None:  # the root's name may be "python -m kervan.cli"
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    command = " ".join(reversed(names))
    path = f"kervan {command}" if command else "kervan"
    return f"{command + ': ' if command else ''}{message} (see '{path} --help')"


def _project(ctx: click.Context, hint: str = ""):  # -> kervan.project.Project
    """The project; `hint` says what to give instead when there is none (commands that take files)."""
    from .project import load_project

    root = ctx.find_root()
    try:
        return load_project(root.params.get("project"))
    except KervanError as exc:
        if hint and exc.message.startswith("no kervan.toml"):
            raise KervanError(f"{exc.message}; outside a project, {hint}", exc.path, exc.line) from None
        raise


def _json() -> Any:
    """The json module, imported when a command prints JSON (not at start-up)."""
    import json

    return json


def _emit_json(data: Any) -> None:
    click.echo(_json().dumps(data, ensure_ascii=False, indent=2))


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


def _files(results: Any, as_json: bool, *, statistics: bool = False) -> None:
    """What a job wrote: one line per file for people, or {"files": [...]}; check problems go to stderr."""
    for result in results:
        for problem in result.problems:
            click.echo(f"kervan: {problem}", err=True)
    if as_json:
        _emit_json({"files": [r.to_json() for r in results]})
    else:
        for result in results:
            click.echo(result.describe(statistics=statistics))


def _source_lang(ctx: click.Context) -> str:
    """Source language for files named outside a project: the project's when there is one, else English (the
    language msgids are usually written in)."""
    from .project import load_project

    try:
        return load_project(ctx.find_root().params.get("project")).source_lang
    except KervanError:
        return "en"


def _warn(warnings: Any) -> None:
    """Warnings go to stderr, so that stdout holds only results (a table, JSON, a file's text)."""
    for warning in warnings:
        click.echo(f"kervan: warning: {warning}", err=True)
    more = getattr(warnings, "more", 0)  # a report lists the first warnings and counts the rest
    if more:
        many = "warning" if more == 1 else "warnings"
        click.echo(f"kervan: warning: ... and {more} more {many} (--json counts them all)", err=True)


class _Progress:
    """A progress bar on stderr for work that lasts: shown only on a terminal, and only once the work has run
    for about a second, so quick commands and pipes never see one. Call it with (done, total, label)."""

    DELAY = 1.0

    def __init__(self, label: str) -> None:
        import time

        self.label = label
        self.start = time.monotonic()
        self.bar: Any = None
        self.shown = 0
        self.enabled = sys.stderr.isatty()
        self.delay = float(os.environ.get("KERVAN_PROGRESS_DELAY", self.DELAY))

    def __call__(self, done: int, total: int, what: str = "") -> None:
        import time

        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.start < self.delay:
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


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


# --------------------------------------------------------------------------- the project


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--source-lang", default="tr", show_default=True, help="Language of the source articles.")
@click.option("--lang", "langs", multiple=True, metavar="LANG", help="Target language (repeatable). Default: en, ru.")
@click.option("--name", default=None, help="Project name, used in file names (default: the folder's name).")
@JSON_OPTION
def init(folder: Path, source_lang: str, langs: tuple[str, ...], name: str | None, as_json: bool) -> None:
    """Start a project in FOLDER: kervan.toml, sources/, an empty TBX-Basic termbase, locales/."""
    from . import pipeline

    results = pipeline.init_project(folder, source_lang=source_lang, target_langs=langs or ("en", "ru"), name=name)
    if as_json:
        _emit_json({"folder": str(folder), "files": [{"path": r.path, "detail": r.detail} for r in results]})
        return
    for result in results:
        click.echo(f"{_shown(str(folder / result.path))}: created ({result.detail})")
    where = "" if str(folder) == "." else f" --project {_shown(str(folder))}"
    click.echo(f"next: kervan{where} add ARTICLE.txt", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=str)
@click.option("--id", "article_id", default=None, help="Article id (file name) for a single file.")
@JSON_OPTION
@click.pass_context
def add(ctx: click.Context, files: tuple[str, ...], article_id: str | None, as_json: bool) -> None:
    """Take articles into sources/ under a readable id (date and headline words); the header is checked."""
    from . import pipeline

    result = pipeline.add_articles(_project(ctx), files, name=article_id)
    if as_json:
        _emit_json(result.to_json())
    else:
        click.echo("\n".join(result.lines()))


@main.command(name="list")
@JSON_OPTION
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """The articles, with per-language progress: translated / fuzzy / untranslated segments."""
    from . import pipeline

    project = _project(ctx)
    rows = pipeline.list_articles(project)
    if as_json:
        _emit_json({"articles": rows})
        return
    if not rows:
        click.echo("no articles yet (kervan add FILE)", err=True)
        return
    table = []
    for row in rows:
        cells = [row["id"], str(row["segments"])]
        for lang in project.target_langs:
            counts = row["languages"][lang]
            share = 100 * counts["translated"] // row["segments"] if row["segments"] else 100
            fuzzy = f" +{counts['fuzzy']}f" if counts["fuzzy"] else ""
            cells.append(f"{counts['translated']}/{row['segments']} {share}%{fuzzy}")
        table.append(cells)
    click.echo(_table(table, ["article", "segments", *project.target_langs]))


# --------------------------------------------------------------------------- the main job


@main.command()
@click.option("--use-fuzzy", is_flag=True, help="Compile fuzzy translations into the .mo files too.")
@click.option("--strict", is_flag=True, help="Exit 1 when QA finds errors (untranslated segments included), for CI.")
@click.option("--no-tm", is_flag=True, help="Do not fill entries from the translation memory.")
@JSON_OPTION
@click.pass_context
def build(ctx: click.Context, use_fuzzy: bool, strict: bool, no_tm: bool, as_json: bool) -> None:
    """Extract, update, compile, export TMX, check and render: everything, in one go.

    Exits 0 when everything was built, whatever the state of the translations; --strict makes QA errors fail.
    """
    from . import pipeline

    project = _project(ctx)
    with _Progress("building") as progress:
        report = pipeline.build(project, use_fuzzy=use_fuzzy, progress=progress, use_tm=not no_tm)
    if as_json:
        _emit_json(report.to_json())
    else:
        click.echo(report.summary())
    _warn(report.warnings)
    if strict and report.errors:
        sys.exit(EXIT_NOT_FOUND)


@main.command()
@click.argument("source", type=str)
@click.option("--lang", default="tr", show_default=True, help="Language of the text.")
@click.option("--rules", type=str, default=None, metavar="FILE", help="SRX 2.0 rules (default: shipped rules).")
@JSON_OPTION
def segment(source: str, lang: str, rules: str | None, as_json: bool) -> None:
    """Split FILE (or - for stdin) into sentences: one per line, an empty line between paragraphs."""
    from . import pipeline

    srx = pipeline.segment_rules(rules)
    for problem in srx.problems():
        click.echo(f"kervan: warning: {problem}", err=True)

    def warn(message: str) -> None:
        click.echo(f"kervan: warning: {message}", err=True)

    out = _Blocks(sys.stdout)
    if as_json:
        # Streamed as it is produced, so large inputs never sit in memory as one list.
        out.write("[")
        count = 0
        for count, record in enumerate(pipeline.segment_records(source, lang=lang, rules=srx, warn=warn), start=1):
            out.write(("," if count > 1 else "") + "\n  " + _json().dumps(record, ensure_ascii=False))
        out.write("\n]\n" if count else "]\n")
        out.flush()
        return
    separator = ""  # an empty line between paragraphs
    # Flushed whenever the input must be waited for, so each line of an open pipe is answered at once.
    stream = pipeline.segment_stream(source, lang=lang, rules=srx, warn=warn, before_wait=out.flush)
    try:
        for _paragraph, sentences in stream:
            if isinstance(sentences, list):  # one piece of text per paragraph
                out.write(separator + "\n".join(sentences) + "\n" if sentences else separator)
            else:  # a huge paragraph, streamed
                out.write(separator)
                for sentence in sentences:
                    out.write(f"{sentence}\n")
            separator = "\n"
    finally:
        out.drain()  # what came before an input error is shown, as it was streamed
    out.flush()


class _Blocks:
    """Text gathered into blocks of about 64 KB, one write each: with PYTHONUNBUFFERED set, every write to
    stdout is a system call."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= 1 << 16:
            self.drain()

    def drain(self) -> None:
        """Hand what was gathered to the stream."""
        if self.parts:
            text = "".join(self.parts)
            self.parts.clear()
            self.size = 0
            self.out.write(text)

    def flush(self) -> None:
        self.drain()
        self.out.flush()


@main.command()
@JSON_OPTION
@click.pass_context
def extract(ctx: click.Context, as_json: bool) -> None:
    """Write locales/<article>.pot from the sources."""
    from . import pipeline

    _files(pipeline.extract(_project(ctx)), as_json)


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

    # Templates and catalogs together: an update that fails changes neither.
    fills: list[Any] = []
    results = pipeline.refresh(_project(ctx), langs or None, use_tm=not no_tm, fills=fills)
    if as_json:
        for result in results:
            for problem in result.problems:
                click.echo(f"kervan: {problem}", err=True)
        _emit_json({"files": [r.to_json() for r in results], "fills": [f.to_json() for f in fills]})
        return
    _files(results, False)


@main.command(name="compile")
@click.argument("files", nargs=-1, type=str)
@LANG_OPTION
@click.option("-o", "--output", type=str, default=None, help="With one FILE: the .mo to write (- for stdout).")
@click.option("--use-fuzzy", is_flag=True, help="Include fuzzy translations.")
@click.option("--check", is_flag=True, help="Check as msgfmt -c does (header, plural forms, format strings).")
@click.option("--statistics", is_flag=True, help="Print translated/fuzzy/untranslated counts, like msgfmt.")
@JSON_OPTION
@click.pass_context
def compile_(
    ctx: click.Context,
    files: tuple[str, ...],
    langs: tuple[str, ...],
    output: str | None,
    use_fuzzy: bool,
    check: bool,
    statistics: bool,
    as_json: bool,
) -> None:
    """Compile PO catalogs to .mo files: FILE.po ... (each beside itself, or -o), or every catalog of the project.

    Exit 1 when --check (or msgfmt's own newline rule) finds errors; nothing is written then.
    """
    from . import pipeline

    if not files:
        if output:
            raise KervanError("-o needs a FILE.po argument (a project compiles every catalog beside itself)")
        project = _project(ctx, "name the catalogs: kervan compile FILE.po")
        results = pipeline.compile_catalogs(project, langs or None, use_fuzzy=use_fuzzy, check=check)
        _files(results, as_json, statistics=statistics)
        if any(r.failed for r in results):
            sys.exit(EXIT_NOT_FOUND)
        return
    if output and len(files) > 1:
        raise KervanError("-o names one output; give one FILE.po with it")
    from .pipeline.files import compile_file

    compiled = [compile_file(f, output, use_fuzzy=use_fuzzy, check=check) for f in files]
    for result in compiled:
        for message in result.messages():
            click.echo(f"kervan: {message}", err=True)
    if as_json:
        _emit_json({"files": [r.to_json() for r in compiled]})
    else:
        for result in compiled:
            if result.failed or result.output == "-":
                continue
            state = "written" if result.changed else "unchanged"
            detail = f" ({result.counts.summary()})" if statistics else ""
            click.echo(f"{_shown(result.output)}: {state}{detail}", err=output == "-")
    if any(r.failed for r in compiled):
        sys.exit(EXIT_NOT_FOUND)


# --------------------------------------------------------------------------- translation memories


@main.group()
def tmx() -> None:
    """Export and import TMX 1.4b translation memories."""


@tmx.command(name="export")
@click.option("-o", "--output", type=str, default=None, help="Output file, - for stdout (default: build/<name>.tmx).")
@LANG_OPTION
@click.option("--from", "from_files", is_flag=True, help="Convert the PO catalogs FILES instead (po2tmx).")
@click.argument("sources", nargs=-1, type=str, metavar="[FILES]...")
@click.option("--source-lang", default=None, help="With --from: language of the msgids (default: project's, or en).")
@JSON_OPTION
@click.pass_context
def tmx_export(
    ctx: click.Context,
    output: str | None,
    langs: tuple[str, ...],
    from_files: bool,
    sources: tuple[str, ...],
    source_lang: str | None,
    as_json: bool,
) -> None:
    """Write a TMX 1.4b memory: the project's segments with their translations (to build/<name>.tmx unless -o),
    or (--from FILE.po...) any catalogs, one target language per catalog (to stdout unless -o)."""
    from . import pipeline

    if sources and not from_files:
        raise KervanError("catalog files are given with --from: kervan tmx export --from FILE.po...")
    if from_files and not sources:
        raise KervanError("--from needs one or more PO files")
    if sources:
        from .pipeline.files import po_to_tmx

        if langs:
            raise KervanError("--lang selects project catalogs; with --from, the catalogs give the languages")
        result: Any = po_to_tmx(sources, output or "-", source_lang=source_lang or _source_lang(ctx))
    else:
        result = pipeline.export_tmx(_project(ctx, "convert catalogs with --from FILE.po"), output, langs or None)
    if as_json:
        click.echo(_json().dumps(result.to_json(), ensure_ascii=False, indent=2), err=result.path == "-")
    elif result.path != "-":
        click.echo(result.describe())
    else:
        click.echo(f"{result.units} translation units ({', '.join(result.langs)})", err=True)


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
        click.echo(report.summary(warnings=False))
        _warn(report.warnings)


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
@JSON_OPTION
@click.pass_context
def omegat_export(ctx: click.Context, folder: str, lang: str | None, as_json: bool) -> None:
    """Write or refresh an OmegaT project in FOLDER; the translator's project_save.tmx is never touched."""
    from .pipeline import exchange

    result = exchange.omegat_export(_project(ctx), folder, lang)
    click.echo(_json().dumps(result.to_json(), ensure_ascii=False, indent=2) if as_json else result.summary())


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
    if as_json:
        _emit_json(report.to_json())
    else:
        click.echo(report.summary(warnings=False))
        _warn(report.warnings)


@main.group()
def xliff() -> None:
    """Export and import XLIFF 1.2 for Trados Studio, memoQ, Phrase, OmegaT and other CAT tools."""


@xliff.command(name="export")
@click.option("-o", "--output", type=str, default=None, help="File, folder, or - (default: build/<name>.<lang>.xlf).")
@LANG_OPTION
@JSON_OPTION
@click.pass_context
def xliff_export(ctx: click.Context, output: str | None, langs: tuple[str, ...], as_json: bool) -> None:
    """Write XLIFF 1.2: a <file> per article, a <trans-unit> per segment, grouped per paragraph."""
    from .pipeline import exchange

    result = exchange.xliff_export(_project(ctx), output, langs or None)
    if as_json:
        click.echo(_json().dumps(result.to_json(), ensure_ascii=False, indent=2), err=output == "-")
    elif output != "-":
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
    if as_json:
        _emit_json(report.to_json())
    else:
        click.echo(report.summary(warnings=False))
        _warn(report.warnings)


# --------------------------------------------------------------------------- terms and glossary


@main.group()
def term() -> None:
    """Look up, scan for and extract glossary terms."""


GLOSSARY_OPTION = click.option(
    "--glossary", "glossary_file", default=None, metavar="TBX", help="A TBX file to use instead of the project's."
)


def _optional_project(ctx: click.Context, needed: bool):  # -> kervan.project.Project | None
    """The project, or None when the command was given all it needs and there is none."""
    try:
        return _project(ctx, "give --glossary FILE.tbx")
    except KervanError:
        if needed:
            raise
        return None


@term.command(name="lookup")
@click.argument("query")
@click.option("--lang", default=None, help="Language of the query (default: any).")
@click.option("--limit", default=10, type=click.IntRange(min=1), show_default=True, help="At most this many concepts.")
@GLOSSARY_OPTION
@JSON_OPTION
@click.pass_context
def term_lookup(
    ctx: click.Context, query: str, lang: str | None, limit: int, glossary_file: str | None, as_json: bool
) -> None:
    """Find glossary concepts by any of their terms: inflected, transliterated (Tokaev), or a part of a term."""
    from . import pipeline

    project = _optional_project(ctx, needed=glossary_file is None)
    result = pipeline.term_lookup(project, query, lang=lang, limit=limit, glossary=glossary_file)
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
@GLOSSARY_OPTION
@JSON_OPTION
@click.pass_context
def term_scan(ctx: click.Context, source: str, lang: str | None, glossary_file: str | None, as_json: bool) -> None:
    """List every glossary term occurring in FILE (or - for stdin), with offsets."""
    from . import pipeline

    project = _optional_project(ctx, needed=glossary_file is None)
    with _Progress("scanning") as progress:
        result = pipeline.term_scan(project, source, lang=lang, glossary=glossary_file, progress=progress)
        # Streamed as found: a large input never sits in memory, nor does its list of occurrences.
        found = result.write_json(sys.stdout) if as_json else result.write_table(sys.stdout, _table)
        sys.stdout.flush()
    if not found:
        if not as_json:
            click.echo("no glossary term found", err=True)
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
@JSON_OPTION
@click.pass_context
def glossary_export(ctx: click.Context, fmt: str, output: str | None, langs: tuple[str, ...], as_json: bool) -> None:
    """Write the termbase as TBX v3, TBX v2, or TSV/CSV glossaries."""
    from . import pipeline

    lines = pipeline.glossary_export(_project(ctx), fmt, output, langs or None)
    if as_json:
        click.echo(_json().dumps({"format": fmt, "written": lines}, ensure_ascii=False, indent=2), err=output == "-")
        return
    for line in lines:
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
@JSON_OPTION
@click.pass_context
def glossary_import(ctx: click.Context, source: str, fmt: str, lang: str | None, prefer: str, as_json: bool) -> None:
    """Merge a TBX (v2 or v3), TSV or CSV glossary into the termbase."""
    from . import pipeline

    lines = pipeline.glossary_import(_project(ctx), source, fmt=fmt, lang=lang, prefer=prefer)
    if as_json:
        _emit_json({"result": lines[0], "conflicts": [line.strip() for line in lines[1:]]})
        return
    for line in lines:
        click.echo(line)


@glossary.command(name="validate")
@JSON_OPTION
@click.pass_context
def glossary_validate(ctx: click.Context, as_json: bool) -> None:
    """Check the termbase: duplicates, missing languages, abbreviations without full forms, bad codes."""
    from . import pipeline

    findings = pipeline.glossary_validate(_project(ctx))
    if as_json:
        from .qa import finding_to_json  # only here: the checks' patterns cost a plain validation start-up time

        _emit_json({"findings": [finding_to_json(f) for f in findings]})
    else:
        for finding in findings:
            click.echo(f"{finding.severity}: {finding.unit_id}: {finding.message}")
        click.echo(f"{len(findings)} problem(s) found" if findings else "glossary OK", err=bool(findings))
    if any(f.severity == "error" for f in findings):
        sys.exit(EXIT_NOT_FOUND)


# --------------------------------------------------------------------------- checks and reports


@main.command()
@click.argument("files", nargs=-1, type=str)
@LANG_OPTION
@click.option("--check", "include", multiple=True, metavar="CHECK", help="Run only this check (repeatable).")
@click.option("--exclude", multiple=True, metavar="CHECK", help="Skip this check (repeatable).")
@click.option("--glossary", "glossary_file", default=None, metavar="TBX", help="With FILES: termbase for terminology.")
@click.option("--source-lang", default=None, help="With FILES: language of the msgids (default: project's, or en).")
@JSON_OPTION
@click.pass_context
def qa(
    ctx: click.Context,
    files: tuple[str, ...],
    langs: tuple[str, ...],
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    glossary_file: str | None,
    source_lang: str | None,
    as_json: bool,
) -> None:
    """Check translations: completeness, terminology, numbers, punctuation, quotes, spacing, length.

    Checks the project's catalogs, or the PO FILES given (as pofilter). Exit 1 when errors are found.
    """
    from . import pipeline
    from .qa import finding_to_json

    checks = pipeline.select_checks(include, exclude)
    if files:
        from .pipeline.files import qa_files

        if len(langs) > 1:
            raise KervanError("with FILES, --lang gives the one language of catalogs that do not say")
        findings = qa_files(
            files,
            glossary=glossary_file,
            source_lang=source_lang or _source_lang(ctx),
            lang=langs[0] if langs else None,
            checks=checks,
        )
    else:
        if glossary_file or source_lang:
            raise KervanError("--glossary and --source-lang are for FILES; a project names its own")
        findings = pipeline.run_qa(_project(ctx, "name the catalogs: kervan qa FILE.po"), langs or None, checks=checks)
    if as_json:
        _emit_json({"findings": [finding_to_json(f) for f in findings]})
    else:
        rows = [[f.severity, f.lang, _shown(f.unit_id), f.check, f.message] for f in findings]
        if rows:
            click.echo(_table(rows, ["severity", "lang", "unit", "check", "message"]))
        errors = sum(f.severity == "error" for f in findings)
        click.echo(f"{len(findings)} finding(s), {errors} error(s)")
    if any(f.severity == "error" for f in findings):
        sys.exit(EXIT_NOT_FOUND)


@main.command()
@click.argument("files", nargs=-1, type=str)
@LANG_OPTION
@JSON_OPTION
@click.pass_context
def stats(ctx: click.Context, files: tuple[str, ...], langs: tuple[str, ...], as_json: bool) -> None:
    """Per catalog and per language: segments and words translated, fuzzy and untranslated, with totals.

    Counts the project's catalogs, or the PO FILES given (as pocount).
    """
    from . import pipeline
    from .pipeline.files import stats_files, stats_totals

    if files:
        rows = stats_files(files, langs=langs)
    else:
        rows = pipeline.stats(_project(ctx, "name the catalogs: kervan stats FILE.po"), langs or None)
    totals = stats_totals(rows)
    if as_json:
        _emit_json({"languages": rows, "totals": totals})
        return

    def cells(r: dict[str, Any]) -> list[str]:
        return [f"{r[k]['segments']} ({r[k]['words']} w)" for k in ("translated", "fuzzy", "untranslated")]

    table = [[r["lang"] or "?", _shown(r["domain"]), *cells(r)] for r in rows]
    for total in totals:
        label = "all" if total["lang"] == "*" else total["lang"] or "?"
        table.append([label, f"total ({total['catalogs']} catalog(s))", *cells(total)])
    click.echo(_table(table, ["lang", "catalog" if files else "article", "translated", "fuzzy", "untranslated"]))


@main.command()
@click.option("--lang", required=True, help="Target language of the rendering.")
@click.option("-o", "--output", type=str, default="-", show_default=True, help="Output file, - for stdout.")
@click.option("--article", default=None, help="Article id (default: every article).")
@click.option("--pages", is_flag=True, help="Write one page per article: build/<article>.<lang>.txt.")
@JSON_OPTION
@click.pass_context
def render(ctx: click.Context, lang: str, output: str, article: str | None, pages: bool, as_json: bool) -> None:
    """Print the translated article: headline, localized date, paragraphs, and what is still untranslated."""
    from . import pipeline

    project = _project(ctx)
    if pages:
        if output != "-":
            raise KervanError("--pages writes build/<article>.<lang>.txt; -o is for a single text")
        _files(pipeline.render_pages(project, lang, article=article), as_json)
        return
    if as_json and output == "-":
        raise KervanError("--json reports on a written file; give -o FILE (the text itself goes to stdout)")
    result = pipeline.render(project, lang, output, article=article)
    _warn(result.warnings)
    if as_json:
        _emit_json(result.to_json())


if __name__ == "__main__":  # pragma: no cover
    main()
