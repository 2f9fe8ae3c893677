"""The one hardened lxml parser every XML reader uses.

No external entities, no network, no DTD loading, and no entity declarations at all: an internal DTD subset
that declares entities is refused before parsing (a scan of the prolog), and again from the parsed DTD if a
crafted prolog got past the scan, which stops entity-expansion bombs and XXE alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

from ..errors import KervanError

_PROLOG_SCAN = 64 * 1024
# Comments and processing instructions may make a prolog long; past this it is refused outright.
_PROLOG_LIMIT = 4 * 1024 * 1024
_ROOT_CHUNK = 4096
_FEED_CHUNK = 64 * 1024
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SUBSET_END = re.compile(rb"\]\s*>")
_ENTITY_MESSAGE = "XML entity declarations are not allowed (possible entity expansion attack)"


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


def _root_start(view: bytes) -> int | None:
    """Offset of the root element's "<", stepping over comments, PIs and the DOCTYPE; None if not in `view`."""
    pos = 0
    while True:
        lt = view.find(b"<", pos)
        if lt < 0:
            return None
        if view.startswith(b"<!--", lt):
            end = view.find(b"-->", lt + 4)
            pos = end + 3
        elif view.startswith(b"<?", lt):
            end = view.find(b"?>", lt + 2)
            pos = end + 2
        elif view.startswith(b"<!", lt):
            bracket, end = view.find(b"[", lt), view.find(b">", lt)
            if 0 <= bracket < end:
                close = _SUBSET_END.search(view, bracket)
                end = close.end() - 1 if close else -1
            pos = end + 1
        else:
            return lt
        if end < 0:
            return None


def check_prolog(head: bytes, path: str, *, complete: bool = False) -> None:
    """Refuse entity declarations in the prolog (the only place a document can declare them).

    `head` is the start of the document; `complete` says it is the whole document. A prolog that does not end
    within the bytes given is scanned as far as it goes and refused when it reaches the limit.
    """
    view = _ascii_view(head)
    root = _root_start(view)
    prolog = view if root is None else view[:root]
    match = _ENTITY_DECL.search(prolog)
    if match:
        line = prolog.count(b"\n", 0, match.start()) + 1
        raise KervanError(_ENTITY_MESSAGE, path, line)
    if root is None and not complete and len(head) >= _PROLOG_LIMIT:
        raise KervanError(f"XML prolog longer than {_PROLOG_LIMIT // 1024 // 1024} MiB, refused", path)


def read_prolog(stream: IO[bytes], path: str) -> bytes:
    """Read (and check) the start of a stream up to its root element; the bytes read are returned for replay."""
    head = stream.read(_PROLOG_SCAN)
    while _root_start(_ascii_view(head)) is None and len(head) < _PROLOG_LIMIT:
        more = stream.read(_PROLOG_SCAN)
        if not more:
            break
        head += more
    check_prolog(head, path, complete=len(head) < _PROLOG_LIMIT)
    return head


def _refuse_declared_entities(tree: Any, path: str) -> None:
    """The parsed internal subset must declare no entity (catches what a crafted prolog hid from the scan)."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise KervanError(_ENTITY_MESSAGE, path, 1)


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
    check_prolog(data, path, complete=True)
    parser = etree.XMLParser(**_parser_options(huge_tree))
    etree.clear_error_log()  # the log is shared: stale entries would misreport the line of this file's error
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, path) from None
    if root is None:
        raise KervanError("empty XML document", path)
    tree = root.getroottree()
    _refuse_declared_entities(tree, path)
    return tree


def parse_file(path: str, *, huge_tree: bool = False) -> etree._ElementTree:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), path) from None
    return parse_bytes(data, path, huge_tree=huge_tree)


def root_element(head: bytes) -> tuple[str, int] | None:
    """Tag (Clark notation) and line of the root element, from the start of a document as :func:`read_prolog`
    returns it; None if `head` ends before the root's start tag or is malformed up to it (the parse says so).

    A streaming reader that filters events by tag looks here first: a foreign document would otherwise be
    walked to its end before the missing root showed.
    """
    parser = etree.XMLPullParser(events=("start",), **_parser_options(False))
    try:
        # The root starts near the top: feed a little at a time rather than parse the whole head.
        for start in range(0, len(head), _ROOT_CHUNK):
            parser.feed(head[start : start + _ROOT_CHUNK])
            for _, element in parser.read_events():
                return str(element.tag), element.sourceline or 0
    except etree.XMLSyntaxError:
        pass
    return None


def iterparse(
    stream: IO[bytes],
    path: str,
    *,
    events: tuple[str, ...] = ("end",),
    tag: str | list[str] | None = None,
    huge_tree: bool = False,
    head: bytes | None = None,
) -> Iterator[tuple[str, Any]]:
    """Stream (event, element) pairs from a binary stream with the hardened settings.

    Callers clear elements they are done with, so memory stays constant on large files.
    Syntax errors surface as KervanError with the line. `head` is what :func:`read_prolog` already read
    from `stream`, for a caller that looked at the start of the document first (see :func:`root_element`).
    """
    if head is None:
        head = read_prolog(stream, path)
    if not head:
        # What parse_bytes says; the streaming parser would only report "no element found", without a line.
        raise KervanError("malformed XML: Document is empty", path, 1)
    # A pull parser fed in fixed chunks, not etree.iterparse: libxml2 2.14 reads ahead far enough that
    # iterparse raised a syntax error before delivering the elements that preceded it. Here every event
    # parsed before an error is still handed out, then the error is raised with its own line.
    parser = etree.XMLPullParser(events=events, tag=tag, **_parser_options(huge_tree))
    etree.clear_error_log()
    checked = False
    failure: etree.XMLSyntaxError | None = None
    chunk = head
    while True:
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
        except etree.XMLSyntaxError as exc:
            failure = exc
        for event, element in parser.read_events():
            if not checked and hasattr(element, "getroottree"):
                _refuse_declared_entities(element.getroottree(), path)
                checked = True
            yield event, element
        if failure is not None:
            raise syntax_error(failure, path) from None
        if not chunk:
            return
        chunk = stream.read(_FEED_CHUNK)
