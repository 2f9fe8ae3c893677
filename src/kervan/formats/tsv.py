"""Bilingual glossaries as CAT tools read them: OmegaT's tab-separated file and CSV with a header row.

Both hold one language pair, one entry per line: source term, target term, comment.

- ``dialect="tsv"``: OmegaT's glossary format. UTF-8 without BOM, LF line ends, no header, no quoting;
  fields are separated by one TAB; lines starting with ``#`` are comments. OmegaT 3.6 reads it from files named
  ``*.utf8`` or ``*.txt`` (later versions also ``*.tsv``); Translate Toolkit reads it as ``translate.storage.omegat``.
- ``dialect="csv"``: RFC 4180 (comma, double quotes where needed, CRLF), UTF-8, header row
  ``source,target,notes``, the column names Translate Toolkit's CSV reader and spreadsheet-style imports
  (memoQ, Trados MultiTerm Convert) map. Fields never hold line breaks: one record is one line.

Export writes a row for every source-language term of a concept (full forms, abbreviations, variants: all of
them occur in texts), each with the best approved target term: for an abbreviation the target abbreviation,
otherwise the preferred full form; deprecated target terms are never offered. The comment holds the definition
and the note, labelled ("Definition: ... | Note: ..."). Concepts without a source term or without an approved
target term are skipped.

Import makes one concept per distinct source term: rows repeating a source term (compared case-insensitively,
with the source language's rules) add their targets to it, the first target preferred, the others admitted.
Both files carry no term types or statuses, so imported terms are preferred or admitted full forms (merging
into the termbase keeps the types and statuses it has). A labelled comment goes back to definition and note;
any other comment becomes the note.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or CR) as a formula, so a hostile
term could run commands on the machine of whoever opens the export (CSV injection). As OWASP recommends, such a
cell is written with a leading apostrophe, which spreadsheets hide and treat as "text"; import removes it again,
so the term round-trips. A cell that already starts with apostrophes before such a character gets one more.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from typing import IO, Literal

from ..errors import KervanError
from ..model import Concept, Term
from ..text import casefold, decode_utf8, fold

Dialect = Literal["tsv", "csv"]
CSV_HEADER = ("source", "target", "notes")
DEFINITION_LABEL = "Definition: "
NOTE_LABEL = "Note: "
# Header names accepted on import besides the language codes of the pair.
_HEADER_NAMES = {
    "source": "source",
    "target": "target",
    "note": "note",
    "notes": "note",
    "comment": "note",
    "comments": "note",
}
_FIELD_BREAKS = re.compile(r"[\t\r\n]")
_SPACE = re.compile(r"\s+")
# Characters XML 1.0 cannot hold, the termbase being TBX (those Python counts as white space become spaces).
_UNFIT = re.compile("[\x00-\x08\x0e-\x1b\ufffe\uffff]")
_FLUSH_ROWS = 2000
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED_FORMULA = re.compile(r"'+[=+\-@\t\r]")
_LINE_END = re.compile(r"\r\n|\r|\n")


def escape_formula(cell: str) -> str:
    """A cell a spreadsheet would evaluate, made inert with a leading apostrophe."""
    return "'" + cell if _FORMULA.match(cell) else cell


def unescape_formula(cell: str) -> str:
    """The cell as it was before :func:`escape_formula`."""
    return cell[1:] if _ESCAPED_FORMULA.match(cell) else cell


def _where(source: object) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


def _languages(source_lang: str, target_lang: str, path: str) -> tuple[str, str]:
    from ..locales import check_language

    try:
        pair = check_language(source_lang), check_language(target_lang)
    except KervanError as exc:
        raise KervanError(exc.message, path) from None
    if pair[0] == pair[1]:
        raise KervanError(f"source and target language are both {pair[0]!r}", path)
    return pair


def _dialect(dialect: str, path: str) -> Dialect:
    if dialect not in ("tsv", "csv"):
        raise KervanError(f"unknown glossary dialect {dialect!r} (expected 'tsv' or 'csv')", path)
    return dialect  # type: ignore[return-value]


# --------------------------------------------------------------------------- writing


def _comment(concept: Concept) -> str:
    """The definition and the note, labelled, so that reading the file back restores both."""
    parts = []
    if concept.definition:
        parts.append(f"{DEFINITION_LABEL}{concept.definition}")
    if concept.note:
        parts.append(f"{NOTE_LABEL}{concept.note}")
    # A comment is one field on one line in both dialects and in every reader.
    return _SPACE.sub(" ", " | ".join(parts)).strip()


def _parse_comment(comment: str) -> tuple[str, str]:
    """(definition, note) from a comment this module wrote; any other comment is a note."""
    if comment.startswith(DEFINITION_LABEL):
        definition, _, note = comment[len(DEFINITION_LABEL) :].partition(f" | {NOTE_LABEL}")
        return definition, note
    return "", comment.removeprefix(NOTE_LABEL)


def _target_for(term: Term, targets: list[Term]) -> Term:
    """The approved target term for one source term: same kind if there is one, preferred before admitted."""
    wanted = "abbreviation" if term.kind == "abbreviation" else "fullForm"

    def rank(index: int) -> tuple[bool, bool, int]:
        target = targets[index]
        return (target.kind != wanted, target.status != "preferred", index)

    return targets[min(range(len(targets)), key=rank)]


def glossary_rows(concepts: Iterable[Concept], source_lang: str, target_lang: str) -> Iterator[tuple[str, str, str]]:
    """(source term, target term, comment) for every source term of every concept with an approved target."""
    for concept in concepts:
        sources = concept.terms.get(source_lang, ())
        targets = [t for t in concept.terms.get(target_lang, ()) if t.status != "deprecated"]
        if not sources or not targets:
            continue
        comment = _comment(concept)
        for term in sources:
            target = _target_for(term, targets)
            for text in (term.text, target.text):
                bad = _FIELD_BREAKS.search(text)
                if bad:
                    raise KervanError(f"concept {concept.id!r}: term {text!r} contains a tab or line break")
            if term.text.startswith("#"):
                # Every line-based glossary reader takes such a line for a comment.
                raise KervanError(f"concept {concept.id!r}: source term {term.text!r} starts with '#'")
            yield term.text, target.text, comment


def write_tsv(
    concepts: Iterable[Concept],
    target: str | os.PathLike[str] | IO[bytes],
    *,
    source_lang: str,
    target_lang: str,
    dialect: Dialect = "tsv",
) -> int:
    """Write one language pair of the termbase (atomically to a path, or to a binary stream); returns the rows."""
    path = _where(target)
    kind = _dialect(dialect, path)
    source_lang, target_lang = _languages(source_lang, target_lang, path)
    if isinstance(target, str | os.PathLike):
        from .atomic import atomic_open

        with atomic_open(target, "wb") as handle:
            return _write(concepts, handle, source_lang, target_lang, kind, path)
    return _write(concepts, target, source_lang, target_lang, kind, path)


def _write(concepts: Iterable[Concept], out: IO[bytes], source: str, target: str, dialect: Dialect, path: str) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n") if dialect == "csv" else None
    if writer:
        writer.writerow(CSV_HEADER)
    count = 0
    try:
        for raw in glossary_rows(concepts, source, target):
            row = tuple(escape_formula(cell) for cell in raw)
            if writer:
                writer.writerow(row)
            else:
                buffer.write("\t".join(row if row[2] else row[:2]) + "\n")
            count += 1
            if count % _FLUSH_ROWS == 0:
                out.write(buffer.getvalue().encode("utf-8"))
                buffer.seek(0)
                buffer.truncate()
    except KervanError as exc:
        raise KervanError(exc.message, path) from None
    out.write(buffer.getvalue().encode("utf-8"))
    return count


# --------------------------------------------------------------------------- reading


def read_tsv(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    source_lang: str,
    target_lang: str,
    dialect: Dialect = "tsv",
) -> list[Concept]:
    """Concepts from a bilingual glossary file; malformed rows are errors naming the line."""
    path = _where(source)
    kind = _dialect(dialect, path)
    source_lang, target_lang = _languages(source_lang, target_lang, path)
    if isinstance(source, str | os.PathLike):
        try:
            with open(source, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise KervanError(exc.strerror or str(exc), path) from None
    else:
        data = source.read()
    text = decode_utf8(data, path)
    unfit = _UNFIT.search(text)
    if unfit:
        line_start = max(text.rfind("\n", 0, unfit.start()), text.rfind("\r", 0, unfit.start())) + 1
        raise KervanError(
            f"control character U+{ord(unfit.group()):04X} at column {unfit.start() - line_start + 1}, "
            "which a termbase cannot hold",
            path,
            len(_LINE_END.findall(text, 0, unfit.start())) + 1,
        )
    rows = _tsv_rows(text, path) if kind == "tsv" else _csv_rows(text, path, source_lang, target_lang)
    return _concepts(rows, source_lang, target_lang, path)


def _clean(value: str) -> str:
    return unescape_formula(_SPACE.sub(" ", value).strip())


def _tsv_rows(text: str, path: str) -> Iterator[tuple[int, str, str, str]]:
    # LF, CRLF and CR-only (old Mac) line ends alike: a lone CR never joins two entries into one.
    for number, line in enumerate(_LINE_END.split(text), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not 2 <= len(fields) <= 3:
            raise KervanError(
                f"expected source<TAB>target or source<TAB>target<TAB>comment, found {len(fields)} field(s)",
                path,
                number,
            )
        fields += [""] * (3 - len(fields))
        yield number, _clean(fields[0]), _clean(fields[1]), _clean(fields[2])


def _csv_rows(text: str, path: str, source_lang: str, target_lang: str) -> Iterator[tuple[int, str, str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    names = dict(_HEADER_NAMES)
    for lang, role in ((source_lang, "source"), (target_lang, "target")):
        for spelling in {lang, lang.replace("_", "-")}:
            names[spelling.lower()] = role
    columns: dict[str, int] | None = None
    first = True
    try:
        for record in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in record) or record[0].startswith("#"):
                continue
            if first:
                first = False
                roles = [names.get(cell.strip().lower()) for cell in record]
                if "source" in roles and "target" in roles:
                    columns = {role: roles.index(role) for role in ("source", "target", "note") if role in roles}
                    continue
            if columns is None:
                if not 2 <= len(record) <= 3:
                    raise KervanError(
                        f"expected source,target or source,target,note, found {len(record)} field(s)", path, number
                    )
                cells = [*record, ""][:3]
            else:
                cells = [record[i] if i < len(record) else "" for i in (columns["source"], columns["target"])]
                note_at = columns.get("note")
                cells.append(record[note_at] if note_at is not None and note_at < len(record) else "")
            yield number, _clean(cells[0]), _clean(cells[1]), _clean(cells[2])
    except csv.Error as exc:
        raise KervanError(f"malformed CSV: {exc}", path, reader.line_num) from None


def _slug(text: str, lang: str) -> str:
    from .tbx import is_ncname

    slug = re.sub(r"[\W_]+", "-", fold(text, lang)).strip("-")
    if not slug or not is_ncname(slug):
        slug = f"t-{slug}" if slug else "t"
    return slug if is_ncname(slug) else "t"


def _concepts(
    rows: Iterable[tuple[int, str, str, str]], source_lang: str, target_lang: str, path: str
) -> list[Concept]:
    # caseless source -> (source text, targets, definitions, notes)
    by_source: dict[str, tuple[str, list[str], list[str], list[str]]] = {}
    for number, source, target, comment in rows:
        if not source:
            raise KervanError("empty source term", path, number)
        key = casefold(source, source_lang)
        _, targets, definitions, notes = by_source.setdefault(key, (source, [], [], []))
        if target and all(casefold(t, target_lang) != casefold(target, target_lang) for t in targets):
            targets.append(target)
        definition, note = _parse_comment(comment)
        for value, bucket in ((definition, definitions), (note, notes)):
            if value and value not in bucket:
                bucket.append(value)
    concepts: list[Concept] = []
    used: set[str] = set()
    for source, targets, definitions, notes in by_source.values():
        base = _slug(source, source_lang)
        concept_id, n = base, 1
        while concept_id in used:
            n += 1
            concept_id = f"{base}-{n}"
        used.add(concept_id)
        terms: dict[str, tuple[Term, ...]] = {source_lang: (Term(source, source_lang),)}
        if targets:
            terms[target_lang] = tuple(
                Term(text, target_lang, "fullForm", "preferred" if i == 0 else "admitted")
                for i, text in enumerate(targets)
            )
        concepts.append(Concept(concept_id, terms, definition="; ".join(definitions), note="; ".join(notes)))
    return concepts
