"""Source documents: a header line ` date YYYY-MM-DD <headline>`, then one paragraph per line."""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KervanError
from .text import decode_utf8

if TYPE_CHECKING:
    from .model import Document

_HEADER_RE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})(?:\s+(.*?))?\s*$")


def header_title(line: str) -> str | None:
    """The headline of an article header line (` date YYYY-MM-DD <headline>`), or None for any other line."""
    header = _HEADER_RE.match(line)
    return None if header is None else (header.group(2) or "").strip()


def domain_for(path: str | Path) -> str:
    """The article id used as gettext domain and segment-id prefix: the file name without extension."""
    return Path(path).stem


def parse_document(text: str, *, doc_id: str, path: str, lang: str, where: str | None = None) -> Document:
    """Split text into header and paragraphs. CRLF, CR and a missing final newline are all accepted.

    `path` is how the document names its file (in references); `where` how errors name it (default: `path`).
    """
    from .model import Document, Paragraph  # here: `segment` reads headers without the model

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    title, date = "", None
    start = 0
    header = _HEADER_RE.match(lines[0]) if lines else None
    if header:
        try:
            date = _dt.date.fromisoformat(header.group(1))
        except ValueError:
            raise KervanError(f"invalid date {header.group(1)!r} in header", where or path, 1) from None
        title = (header.group(2) or "").strip()
        start = 1
    paragraphs = tuple(
        Paragraph(line.strip(), number) for number, line in enumerate(lines[start:], start=start + 1) if line.strip()
    )
    return Document(id=doc_id, path=path, lang=lang, title=title, date=date, paragraphs=paragraphs)


def read_document(path: str | Path, *, lang: str, display_path: str | None = None) -> Document:
    """Read one source article; `display_path` is how its references name the file, errors name the real path."""
    where = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), where) from None
    text = decode_utf8(data, where)
    return parse_document(text, doc_id=domain_for(path), path=display_path or where, lang=lang, where=where)
