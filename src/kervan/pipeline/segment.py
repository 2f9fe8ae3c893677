"""The `segment` job: plain text or an article, from a file or stdin, streamed through the SRX rules."""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .. import locales
from ..errors import KervanError
from ..segmentation.ruleset import SrxRules
from ..text import decode_utf8

# Lines longer than this many bytes are read, decoded and segmented in blocks, so memory stays flat.
LONG_LINE = 1 << 20


def _paragraph_lines(source: str, before_wait: Callable[[], None] | None = None) -> Iterator[str | Iterator[str]]:
    """Paragraph texts of plain input: an article header line gives its headline as the first paragraph. A line
    longer than LONG_LINE bytes comes as an iterator of its decoded text in pieces (consume it before the next).
    `before_wait` is called before each read that may wait for input (to flush what was written so far)."""
    label = "<stdin>" if source == "-" else source
    try:
        if source == "-":
            if sys.stdin is None:  # closed (`<&-`): an input error, not a crash
                raise KervanError("standard input is closed", "<stdin>")
            stream = sys.stdin.buffer
        else:
            stream = open(source, "rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), source) from None
    try:
        number = 0
        pending, at = b"", 0  # unread bytes are pending[at:]
        while True:
            end = pending.rfind(b"\n", at)
            if end < 0 and len(pending) - at < LONG_LINE:
                if before_wait is not None:
                    before_wait()
                block = stream.read1(LONG_LINE)  # what is there: a pipe is not waited on to fill a block
                if block:
                    pending, at = pending[at:] + block, 0
                    continue
                if at >= len(pending):
                    return
                end = len(pending)  # the last line has no line break
            if end < 0:  # a huge line: hand it out in pieces
                number += 1
                pieces = _LinePieces(stream, pending[at:], label, number)
                yield iter(pieces)
                pending, at = pieces.drain(), 0  # what followed the line
                continue
            # Every whole line in the block, decoded at once.
            text = decode_utf8(pending[at:end], label, first_line=number + 1)
            at = end + 1
            for line in text.split("\n"):
                number += 1
                line = line.removesuffix("\r")
                if number == 1:
                    from ..sources import header_title

                    if (title := header_title(line)) is not None:
                        line = title
                yield line
    finally:
        if source != "-":
            stream.close()


class _LinePieces:
    """The decoded text of one huge line, read on from `stream` in blocks; once iterated to the end (drain()),
    `rest` holds the bytes that followed the line."""

    def __init__(self, stream: BinaryIO, head: bytes, label: str, number: int) -> None:
        self.stream, self.head, self.label, self.number = stream, head, label, number
        self.rest = b""
        self._pieces = self._read()

    def __iter__(self) -> Iterator[str]:
        return self._pieces

    def drain(self) -> bytes:
        for _ in self._pieces:
            pass
        return self.rest

    def _read(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        data = self.head[3:] if self.number == 1 and self.head.startswith(b"\xef\xbb\xbf") else self.head
        while True:
            newline = data.find(b"\n")
            last = newline >= 0 or not data
            chunk = data[:newline] if newline >= 0 else data
            try:
                text = decoder.decode(chunk, final=last)
            except UnicodeDecodeError as exc:
                raise KervanError(
                    f"not valid UTF-8 (byte 0x{chunk[exc.start]:02x} at offset {offset + exc.start} of the line); "
                    "save the file as UTF-8",
                    self.label,
                    self.number,
                ) from None
            offset += len(chunk)
            if last:
                self.rest = data[newline + 1 :] if newline >= 0 else b""
                yield text.rstrip("\r")
                return
            if text:
                yield text
            data = self.stream.read1(LONG_LINE)


def segment_rules(rules: str | None) -> SrxRules:
    """The rules `segment` uses: an SRX file, or the shipped rules. `problems()` lists the disabled ones."""
    from .. import segmentation

    return segmentation.load_rules(rules)


def segment_stream(
    source: str,
    *,
    lang: str,
    rules: str | SrxRules | None = None,
    warn: Callable[[str], None] | None = None,
    before_wait: Callable[[], None] | None = None,
) -> Iterator[tuple[int, Iterable[str]]]:
    """(paragraph number, sentences) for every non-empty line of a file or stdin, streamed.

    The language and the rules are checked at once; `warn` hears, just before the first paragraph comes out,
    that the rules have nothing for `lang` of its own (see language_warning). Input errors come first.
    `before_wait` is called whenever the input must be waited for (to flush the output written so far).
    """
    from .. import segmentation

    locales.check_language(lang)
    srx = rules if isinstance(rules, SrxRules) else segmentation.load_rules(rules)
    stream = segmentation.segment_lines(_paragraph_lines(source, before_wait), lang, srx)
    warning = language_warning(lang, srx) if warn is not None else None
    if warning is None or warn is None:
        return stream
    return _warn_first(stream, warning, warn)


def _warn_first(
    stream: Iterator[tuple[int, Iterable[str]]], warning: str, warn: Callable[[str], None]
) -> Iterator[tuple[int, Iterable[str]]]:
    for number, item in enumerate(stream):
        if number == 0:
            warn(warning)
        yield item


def language_warning(lang: str, rules: str | SrxRules | None = None) -> str | None:
    """A warning when the rules have nothing for `lang` beyond what they apply to every language."""
    from .. import segmentation

    locales.check_language(lang)
    srx = rules if isinstance(rules, SrxRules) else segmentation.load_rules(rules)
    if srx.knows(lang):
        return None
    names = ", ".join(srx.rule_names_for(lang)) or "none"
    if isinstance(rules, SrxRules):
        source = "the shipped rules" if rules is segmentation.load_rules() else rules.path
    else:
        source = rules or "the shipped rules"
    return (
        f"no segmentation rules for language {lang!r} in {source}; using the rules for every language ({names}):"
        " a sentence ends at . ! ? or … before an uppercase letter, with no abbreviation or ordinal exceptions"
    )


def segment_records(
    source: str, *, lang: str, rules: str | SrxRules | None = None, warn: Callable[[str], None] | None = None
) -> Iterator[dict[str, Any]]:
    if source != "-":
        from ..project import check_file_name

        check_file_name(Path(source), "the file name makes the segment ids")
    domain = "stdin" if source == "-" else Path(source).stem
    for paragraph, sentences in segment_stream(source, lang=lang, rules=rules, warn=warn):
        for number, text in enumerate(sentences, start=1):
            yield {"id": f"{domain}:{paragraph}.{number}", "text": text, "paragraph": paragraph}
