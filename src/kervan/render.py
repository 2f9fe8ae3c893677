"""The translated article as plain text: headline, localized date, paragraphs. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import locales
from .model import Document, Segment
from .record import Record, init
from .text import primary


class RenderResult(Record):
    """The rendered text (ending in a newline) and the ids of segments left in the source language."""

    _fields = ("text", "untranslated")
    __slots__ = _fields
    text: str
    untranslated: tuple[str, ...]

    def __init__(self, text: str, untranslated: tuple[str, ...]) -> None:
        init(self, "text", text)
        init(self, "untranslated", untranslated)


def _paragraph_number(segment: Segment) -> int:
    """The segment's paragraph; read from the id (`<domain>:<paragraph>.<sentence>`) when not set."""
    if segment.paragraph:
        return segment.paragraph
    position = segment.id.rpartition(":")[2]
    head = position.partition(".")[0]
    return int(head) if head.isdigit() else 0


def render_article(
    document: Document, segments: Sequence[Segment], translations: Mapping[str, str], lang: str
) -> RenderResult:
    """Assemble the article in `lang` from its segments.

    `translations` maps source text to target text and holds only finished (translated, not fuzzy)
    entries. Paragraph 1 is the headline when the document has one; then comes the date as the language
    writes it, then the body. Blocks are separated by a blank line, the sentences of a paragraph by one
    space. A segment without translation stays in the source language and its id is reported. Rendering
    into the document's own language reproduces the source and reports nothing.
    """
    same_language = primary(lang) == primary(document.lang)
    paragraphs: dict[int, list[str]] = {}
    untranslated: list[str] = []
    ordered = sorted(enumerate(segments), key=lambda pair: (_paragraph_number(pair[1]), pair[1].sentence, pair[0]))
    for _, segment in ordered:
        text = segment.text.strip()
        if not same_language:
            target = translations.get(segment.text, "").strip()
            if target:
                text = target
            else:
                untranslated.append(segment.id)
        if text:
            paragraphs.setdefault(_paragraph_number(segment), []).append(text)

    blocks: list[str] = []
    headline = paragraphs.pop(1, None) if document.title else None
    if headline:
        blocks.append(" ".join(headline))
    if document.date is not None:
        blocks.append(locales.format_date(document.date, lang))
    blocks.extend(" ".join(paragraphs[number]) for number in sorted(paragraphs))
    return RenderResult("\n\n".join(blocks) + "\n", tuple(untranslated))


def untranslated_note(untranslated: Sequence[str], total: int, source_language: str) -> str:
    """The closing line of a rendered page with gaps: how many segments, and which, are still in the source
    language ("3.2" = paragraph 3, sentence 2; paragraph 1 is the headline). Empty when nothing is missing."""
    if not untranslated:
        return ""
    positions = ", ".join(unit.rpartition(":")[2] for unit in untranslated)
    return f"[untranslated: {len(untranslated)} of {total} segments left in {source_language}: {positions}]\n"
