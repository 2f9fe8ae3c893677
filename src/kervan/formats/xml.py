"""The one hardened lxml parser every XML reader uses.

No external entities, no network, no DTD loading, and no entity declarations at all: an internal DTD subset
that declares entities is refused before parsing, which stops entity-expansion bombs and XXE alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

from ..errors import KervanError

_PROLOG_SCAN = 64 * 1024
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ROOT_START = re.compile(rb"<(?![?!])")


def _parser_options(huge_tree: bool) -> dict[str, Any]:
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "dtd_validation": False,
        "huge_tree": huge_tree,
        "remove_comments": False,
    }


def _ascii_view(head: bytes) -> bytes:
    """The prolog as ASCII-compatible bytes, so UTF-16/32 documents cannot hide declarations from the scan."""
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore").encode("utf-8")
    if head[:4] in (b"<\x00?\x00", b"<\x00!\x00"):
        return head.decode("utf-16-le", errors="ignore").encode("utf-8")
    if head[:4] in (b"\x00<\x00?", b"\x00<\x00!"):
        return head.decode("utf-16-be", errors="ignore").encode("utf-8")
    return head


def check_prolog(head: bytes, path: str) -> None:
    """Refuse entity declarations in the prolog (the only place a document can declare them)."""
    head = _ascii_view(head)
    root = _ROOT_START.search(head)
    prolog = head if root is None else head[: root.start()]
    match = _ENTITY_DECL.search(prolog)
    if match:
        line = prolog.count(b"\n", 0, match.start()) + 1
        raise KervanError("XML entity declarations are not allowed (possible entity expansion attack)", path, line)


def syntax_error(exc: etree.XMLSyntaxError, path: str) -> KervanError:
    # iterparse sometimes reports a late symptom ("no element found", line 0); the newest fatal entry of the
    # error log (which may still hold entries of earlier parses) names the real cause and its line.
    log = getattr(exc, "error_log", None)
    fatal = [e for e in log or () if e.level_name == "FATAL"] if log is not None else []
    first = fatal[-1] if fatal else None
    if first is not None and (not exc.lineno or "no element found" in (exc.msg or "")):
        return KervanError(f"malformed XML: {first.message.strip()}", path, first.line or None)
    message = exc.msg or str(exc)
    # lxml appends ", line N, column M": the line goes into the location instead.
    message = re.sub(r",? line \d+, column \d+$", "", message).strip()
    return KervanError(f"malformed XML: {message}", path, exc.lineno or None)


def parse_bytes(data: bytes, path: str = "<input>", *, huge_tree: bool = False) -> etree._ElementTree:
    """Parse a whole document held in memory."""
    check_prolog(data[:_PROLOG_SCAN], path)
    parser = etree.XMLParser(**_parser_options(huge_tree))
    etree.clear_error_log()  # the log is shared: stale entries would misreport the line of this file's error
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, path) from None
    if root is None:
        raise KervanError("empty XML document", path)
    return root.getroottree()


def parse_file(path: str, *, huge_tree: bool = False) -> etree._ElementTree:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), path) from None
    return parse_bytes(data, path, huge_tree=huge_tree)


class _PeekedStream:
    """A binary stream whose first bytes were read for the prolog check, then handed back to the parser."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size is None or size < 0:
                data, self._head = self._head + self._stream.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._stream.read(size)


def iterparse(
    stream: IO[bytes],
    path: str,
    *,
    events: tuple[str, ...] = ("end",),
    tag: str | list[str] | None = None,
    huge_tree: bool = False,
) -> Iterator[tuple[str, Any]]:
    """Stream (event, element) pairs from a binary stream with the hardened settings.

    Callers clear elements they are done with, so memory stays constant on large files.
    Syntax errors surface as KervanError with the line.
    """
    head = stream.read(_PROLOG_SCAN)
    check_prolog(head, path)
    source = _PeekedStream(head, stream)
    context = etree.iterparse(source, events=events, tag=tag, **_parser_options(huge_tree))
    etree.clear_error_log()
    try:
        yield from context
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, path) from None
