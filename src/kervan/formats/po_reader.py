"""The PO/POT reader: one pass over the lines, no copy of the file's text, every error with its line.

A file is decoded while it is read (the charset comes from the header, as msgfmt takes it), line by line,
with universal newlines (LF, CRLF and CR-only files alike; U+2028 and friends are text, not line ends).
Each line is classified by its first character and checked as GNU gettext checks it: strings enclosed in
double quotes, known escapes only, msgid followed by msgstr, msgstr[N] only after msgid_plural with indexes
counting from 0, one header entry, no duplicate message. The result is a stream of `Message` records; the
polib model (formats.po.read_po) and the MO compiler (formats.mo.compile_po) are both built from it, so
compiling never builds objects it does not need.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import KervanError
from ..text import decode_utf8

_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE_RE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "\\": "\\", '"': '"'}
_CHARSET_RE = re.compile(rb"charset\s*=\s*([A-Za-z0-9_.:-]+)")
_HEADER_MSGID_RE = re.compile(rb'^[ \t]*msgid[ \t]*""[ \t]*\r?$', re.M)
_HEAD_BYTES = 1 << 16
_UTF8_NAMES = {"utf-8", "utf8", "charset"}  # "CHARSET" is the template placeholder; msgfmt passes bytes on


class Message:
    """One entry as read: fields as gettext names them, plural forms in index order, the line it starts on."""

    __slots__ = (
        "comment",
        "flags",
        "line",
        "msgctxt",
        "msgid",
        "msgid_plural",
        "msgstr",
        "msgstr_line",
        "obsolete",
        "plurals",
        "previous_msgctxt",
        "previous_msgid",
        "previous_msgid_plural",
        "references",
        "tcomment",
    )

    def __init__(self, line: int) -> None:
        self.msgctxt: str | None = None
        self.msgid: str | None = None
        self.msgid_plural: str | None = None
        self.msgstr: str | None = None
        self.plurals: list[str] | None = None
        self.obsolete = False
        self.tcomment: list[str] | None = None
        self.comment: list[str] | None = None
        self.references: list[str] | None = None
        self.flags: list[str] | None = None
        self.previous_msgctxt: str | None = None
        self.previous_msgid: str | None = None
        self.previous_msgid_plural: str | None = None
        self.line = line
        self.msgstr_line = 0  # where msgstr (or msgstr[0]) stands: msgfmt points there

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete

    @property
    def is_fuzzy(self) -> bool:
        return self.flags is not None and "fuzzy" in self.flags


class Catalog:
    """What `read_messages` gives besides the entries: the header's comment lines and the charset read."""

    __slots__ = ("charset", "header_comment")

    def __init__(self) -> None:
        self.header_comment: list[str] = []
        self.charset = "utf-8"


def duplicate_error(message: Message, first: int, path: str) -> KervanError:
    if message.is_header:
        return KervanError(f'a second header entry (msgid ""); the first is at line {first}', path, message.line)
    return KervanError(f"duplicate message {(message.msgid or '')[:60]!r} (first at line {first})", path, message.line)


def _unescape(body: str, path: str, line: int) -> str:
    def replace(found: re.Match[str]) -> str:
        char = found.group(1)
        value = _ESCAPES.get(char)
        if value is None:
            raise KervanError(f"unsupported escape sequence \\{char}", path, line)
        return value

    return _ESCAPE_RE.sub(replace, body)


def _string(text: str, path: str, line: int) -> str:
    """The value of one quoted string (the rest of a line after its keyword, white space stripped)."""
    inner = text[1:-1]
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"' and '"' not in inner and "\\" not in inner:
        return inner  # the common case: no escapes, nothing to check further
    if not _STRING_RE.fullmatch(text):
        raise KervanError("syntax error: string not enclosed in double quotes", path, line)
    return _unescape(inner, path, line) if "\\" in inner else inner


def _comment_text(body: str) -> str:
    """A comment's text after its marker, less the one space that separates them."""
    return body[1:] if body[:1] == " " else body


def detect_charset(head: bytes, path: str) -> str:
    """The charset the header entry declares (UTF-8 when it declares none), as a Python codec name."""
    found = _HEADER_MSGID_RE.search(head)
    if found is None:
        return "utf-8"
    block = head[found.end() :]
    end = re.search(rb"\n[ \t]*\r?\n|\r[ \t]*\r|[\r\n][ \t#~]*msg(?:id|ctxt)\b", block)
    declared = _CHARSET_RE.search(block[: end.start()] if end else block)
    if declared is None:
        return "utf-8"
    name = declared.group(1).decode("ascii")
    if name.lower().replace("_", "-") in _UTF8_NAMES:
        return "utf-8"
    try:
        info = codecs.lookup(name)
    except LookupError:
        line = head.count(b"\n", 0, found.end() + declared.start()) + 1
        raise KervanError(f"unknown charset {name!r} in the header", path, line) from None
    if "a".encode(info.name) != b"a" or "\n".encode(info.name) != b"\n":
        raise KervanError(f"charset {name} is not ASCII-compatible, which gettext requires", path)
    return info.name


def _decode_error(path: Path, shown: str, charset: str) -> KervanError:
    """The precise message for bytes the charset cannot decode: line and byte offset."""
    data = path.read_bytes()
    if charset == "utf-8":
        try:
            decode_utf8(data, shown)
        except KervanError as exc:
            return exc
    try:
        data.decode(charset)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return KervanError(f"not valid {charset} at byte offset {exc.start}: {exc.reason}", shown, line)
    return KervanError(f"cannot decode as {charset}", shown)


def open_lines(path: str | Path) -> tuple[Iterator[str], str, IO[str]]:
    """The file's lines decoded in its own charset (lines, charset, handle to close)."""
    shown = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed by the caller through the returned handle)
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), shown) from None
    try:
        head = handle.peek(_HEAD_BYTES)[:_HEAD_BYTES] if hasattr(handle, "peek") else b""
        charset = detect_charset(head, shown)
        # utf-8-sig drops a byte order mark; universal newlines turn CR and CRLF into LF as the text is read.
        text = io.TextIOWrapper(handle, encoding="utf-8-sig" if charset == "utf-8" else charset, newline=None)
    except BaseException:
        handle.close()
        raise

    def lines() -> Iterator[str]:
        try:
            yield from text
        except UnicodeDecodeError:
            raise _decode_error(Path(path), shown, charset) from None

    return lines(), charset, text


def read_messages(
    lines: Iterable[str], path: str, catalog: Catalog | None = None, *, duplicates: bool = True
) -> Iterator[Message]:
    """Messages of PO text given as lines (header entry included, first), checked as gettext checks them.

    `duplicates=False` leaves the check for a repeated message to the caller (the MO compiler checks it on
    the encoded keys it keeps anyway, rather than holding every msgid a second time).
    """
    catalog = catalog if catalog is not None else Catalog()
    current: Message | None = None
    # What a continuation string extends: "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[" (the last
    # plural form) or a previous field ("previous_msgid", ...); None where no string may follow.
    field: str | None = None
    has_msgstr = False  # the current message has its translation: the next keyword or comment starts a new one
    started = False  # any message seen: comments before the first one may belong to the header
    leading: list[str] = []  # translator comments before the first message
    seen: dict[str | tuple[str, str], int] = {}
    number = 0
    nul = "\x00"

    def finish(message: Message) -> Message:
        if message.msgid is None:
            raise KervanError("msgctxt without msgid", path, message.line)
        if message.msgstr is None and message.plurals is None:
            raise KervanError("msgid without msgstr", path, message.line)
        if not duplicates:
            return message
        # The msgid alone when there is no context: no tuple per message to hold.
        key = message.msgid if message.msgctxt is None else (message.msgctxt, message.msgid)
        first = seen.get(key)
        if first is not None:
            raise duplicate_error(message, first, path)
        seen[key] = message.line
        return message

    try:
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line:
                continue
            if nul in line:
                # msgfmt silently cuts a string at a NUL; refuse it rather than lose the rest.
                raise KervanError("NUL character, which gettext catalogs cannot hold", path, number)
            obsolete = False
            first = line[0]
            if first == "#":
                marker = line[1:2]
                if marker == "~":
                    body = line[2:].lstrip()
                    if body[:1] == "|":
                        line, first, marker = "#|" + body[1:], "#", "|"
                    else:
                        line, first, obsolete = body, body[:1], True
                if first == "#":
                    if has_msgstr or current is None:
                        if current is not None:
                            yield finish(current)
                        current, field, has_msgstr = Message(number), None, False
                    if marker == "|":
                        body = line[2:].lstrip()
                        if body[:1] == '"':
                            if field is None or not field.startswith("previous_"):
                                raise KervanError("syntax error: string without a keyword", path, number)
                            setattr(current, field, getattr(current, field) + _string(body, path, number))
                            continue
                        keyword, _, rest = body.partition('"')
                        keyword = keyword.rstrip()
                        if keyword not in ("msgctxt", "msgid", "msgid_plural"):
                            raise KervanError(f"syntax error: unexpected {body[:30]!r}", path, number)
                        field = "previous_" + keyword
                        setattr(current, field, _string('"' + rest, path, number))
                        continue
                    field = None
                    if marker == ",":
                        flags = [flag.strip() for flag in line[2:].split(",")]
                        if current.flags is None:
                            current.flags = []
                        current.flags.extend(flag for flag in flags if flag)
                    elif marker == ":":
                        if current.references is None:
                            current.references = []
                        current.references.extend(line[2:].split())
                    elif marker == ".":
                        text = _comment_text(line[2:])
                        if text:
                            if current.comment is None:
                                current.comment = []
                            current.comment.append(text)
                    else:
                        text = _comment_text(line.lstrip("#"))
                        if not started:
                            leading.append(text)
                        else:
                            if current.tcomment is None:
                                current.tcomment = []
                            current.tcomment.append(text)
                    continue
                if not line:
                    raise KervanError("syntax error: unexpected '#~'", path, number)
            if first == '"':
                if field is None or field.startswith("previous_"):
                    raise KervanError("syntax error: string without a keyword", path, number)
                value = _string(line, path, number)
                assert current is not None
                if field == "msgstr[":
                    plurals = current.plurals
                    assert plurals is not None
                    plurals[-1] += value
                else:
                    setattr(current, field, getattr(current, field) + value)
                continue
            keyword, quote, rest = line.partition('"')
            keyword = keyword.rstrip()
            if not quote or keyword[:3] != "msg":
                raise KervanError(f"syntax error: unexpected {line[:30]!r}", path, number)
            value = _string(quote + rest, path, number)
            if keyword == "msgid" or keyword == "msgctxt":
                if current is not None and current.msgid is not None and not has_msgstr:
                    raise KervanError("msgid without msgstr", path, current.line)
                if has_msgstr or current is None:
                    if current is not None:
                        yield finish(current)
                    current, has_msgstr = Message(number), False
                elif current.msgctxt is not None and (keyword == "msgctxt" or current.msgid is not None):
                    raise KervanError("syntax error: a second msgctxt", path, number)
                started = True
                if keyword == "msgid":
                    current.msgid = value
                    current.obsolete = obsolete
                    if leading:
                        # Comments before the first message are the header's when it is the header entry,
                        # else that message's own.
                        if current.is_header:
                            catalog.header_comment = leading
                        else:
                            current.tcomment = leading + (current.tcomment or [])
                        leading = []
                else:
                    current.msgctxt = value
                field = keyword
            elif keyword == "msgstr":
                if current is None or current.msgid is None or has_msgstr:
                    raise KervanError("msgstr without msgid", path, number)
                if current.msgid_plural is not None:
                    raise KervanError("a message with msgid_plural needs msgstr[N], not msgstr", path, number)
                current.msgstr, field, has_msgstr = value, "msgstr", True
                current.msgstr_line = number
            elif keyword[:7] == "msgstr[" and keyword[-1:] == "]":
                index_text = keyword[7:-1].strip()
                if not index_text.isdigit() or not index_text.isascii():
                    raise KervanError(f"syntax error: unexpected {keyword!r}", path, number)
                if current is None or current.msgid is None or current.msgstr is not None:
                    raise KervanError("msgstr[N] without msgid", path, number)
                if current.msgid_plural is None:
                    raise KervanError("msgstr[N] in a message without msgid_plural", path, number)
                if current.plurals is None:
                    if int(index_text) != 0:
                        raise KervanError("first plural form has nonzero index", path, number)
                    current.plurals = []
                    current.msgstr_line = number
                elif int(index_text) != len(current.plurals):
                    raise KervanError("plural form has wrong index", path, number)
                current.plurals.append(value)
                field, has_msgstr = "msgstr[", True
            elif keyword == "msgid_plural":
                if current is None or current.msgid is None or has_msgstr:
                    raise KervanError("msgid_plural without msgid", path, number)
                if current.msgid_plural is not None:
                    raise KervanError("syntax error: a second msgid_plural", path, number)
                current.msgid_plural, field = value, "msgid_plural"
            else:
                raise KervanError(f"syntax error: unexpected {line[:30]!r}", path, number)
    finally:
        if leading and not catalog.header_comment:
            catalog.header_comment = leading  # a file of comments only
    if current is not None:
        if current.msgid is None and current.msgctxt is None:
            return  # comments after the last message (or a file of comments only): nothing to translate
        yield finish(current)


def iter_messages(path: str | Path, catalog: Catalog | None = None, *, duplicates: bool = True) -> Iterator[Message]:
    """Messages of a PO file, read as it streams; `catalog` receives the header comment and charset."""
    catalog = catalog if catalog is not None else Catalog()
    lines, charset, handle = open_lines(path)
    catalog.charset = charset
    try:
        yield from read_messages(lines, str(path), catalog, duplicates=duplicates)
    finally:
        handle.close()
