"""The `segment` job: plain text or an article, from a file or stdin, streamed through the SRX rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import locales
from ..project import check_file_name
from ..sources import header_title
from .common import iter_input_lines


def _paragraph_lines(source: str) -> Iterator[str]:
    """Paragraph texts of plain input: an article header line gives its headline as the first paragraph."""
    for number, line in iter_input_lines(source):
        if number == 1:
            title = header_title(line)
            if title is not None:
                line = title
        yield line


def segment_stream(source: str, *, lang: str, rules: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(paragraph number, sentences) for every non-empty line of a file or stdin, streamed."""
    from .. import segmentation

    locales.check_language(lang)
    srx = segmentation.load_rules(rules)
    return segmentation.segment_lines(_paragraph_lines(source), lang, srx)


def segment_records(source: str, *, lang: str, rules: str | None = None) -> Iterator[dict[str, Any]]:
    if source != "-":
        check_file_name(Path(source), "the file name makes the segment ids")
    domain = "stdin" if source == "-" else Path(source).stem
    for paragraph, sentences in segment_stream(source, lang=lang, rules=rules):
        for number, text in enumerate(sentences, start=1):
            yield {"id": f"{domain}:{paragraph}.{number}", "text": text, "paragraph": paragraph}
