"""The `segment` job: plain text or an article, from a file or stdin, streamed through the SRX rules."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import locales
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


def segment_stream(
    source: str, *, lang: str, rules: str | None = None, warn: Callable[[str], None] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """(paragraph number, sentences) for every non-empty line of a file or stdin, streamed.

    The language and the rules are checked at once; `warn` hears, just before the first paragraph comes out,
    that the rules have nothing for `lang` of its own (see language_warning). Input errors come first.
    """
    from .. import segmentation

    locales.check_language(lang)
    srx = segmentation.load_rules(rules)
    stream = segmentation.segment_lines(_paragraph_lines(source), lang, srx)
    warning = language_warning(lang, rules) if warn is not None else None
    if warning is None or warn is None:
        return stream
    return _warn_first(stream, warning, warn)


def _warn_first(
    stream: Iterator[tuple[int, list[str]]], warning: str, warn: Callable[[str], None]
) -> Iterator[tuple[int, list[str]]]:
    for number, item in enumerate(stream):
        if number == 0:
            warn(warning)
        yield item


def language_warning(lang: str, rules: str | None = None) -> str | None:
    """A warning when the rules have nothing for `lang` beyond what they apply to every language."""
    from .. import segmentation

    locales.check_language(lang)
    srx = segmentation.load_rules(rules)
    if srx.knows(lang):
        return None
    names = ", ".join(srx.rule_names_for(lang)) or "none"
    source = rules or "the shipped rules"
    return (
        f"no segmentation rules for language {lang!r} in {source}; using the rules for every language ({names}):"
        " a sentence ends at . ! ? or … before an uppercase letter, with no abbreviation or ordinal exceptions"
    )


def segment_records(
    source: str, *, lang: str, rules: str | None = None, warn: Callable[[str], None] | None = None
) -> Iterator[dict[str, Any]]:
    domain = "stdin" if source == "-" else Path(source).stem
    for paragraph, sentences in segment_stream(source, lang=lang, rules=rules, warn=warn):
        for number, text in enumerate(sentences, start=1):
            yield {"id": f"{domain}:{paragraph}.{number}", "text": text, "paragraph": paragraph}
