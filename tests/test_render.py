"""Rendering a translated article: headline, the date as the language writes it (babel/CLDR), paragraphs."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date

from conftest import ARTICLE, ARTICLE_ID
from kervan.model import Document, Paragraph, Segment
from kervan.render import render_article
from kervan.sources import read_document

DATE = dt.date(2025, 11, 13)
HEADLINE = "Tokayev: Stratejik Ortaklık Bildirgesi, Rusya ile işbirliğini güçlendirecek"
P2 = "Moskova ve Astana siyasi temasların her düzeyde sürdürülmesi konusunda mutabakata vardı."
P3_1 = "Liderler, stratejik ortaklığın yanı sıra ekonomi ve enerji alanlarındaki iş birliğini de görüştü."
P3_2 = "İki lider ayrıca 21. Rusya-Kazakistan Bölgelerarası İş Birliği Forumu’nun genel oturumuna katıldı."

EN = {
    HEADLINE: "Tokayev: Strategic Partnership Declaration will strengthen cooperation with Russia",
    P2: "Moscow and Astana agreed to maintain political contacts at all levels.",
    P3_1: "Besides the strategic partnership, the leaders also discussed cooperation in the energy sector.",
    P3_2: "The two leaders also joined the plenary session of the 21st Russia-Kazakhstan Interregional Forum.",
}
RU = {
    HEADLINE: "Токаев: Декларация о стратегическом партнёрстве укрепит сотрудничество с Россией",
    P2: "Москва и Астана договорились поддерживать политические контакты на всех уровнях.",
    P3_1: "Помимо стратегического партнёрства, лидеры обсудили также сотрудничество в экономической сфере.",
}


def _document(*, title: str = HEADLINE, date: dt.date | None = DATE) -> Document:
    return Document(
        id="doc",
        path="sources/doc.txt",
        lang="tr",
        title=title,
        date=date,
        paragraphs=(Paragraph(P2, 2), Paragraph(f"{P3_1} {P3_2}", 3)),
    )


def _segments(first_paragraph: int = 1) -> list[Segment]:
    texts = [(first_paragraph, 1, HEADLINE), (first_paragraph + 1, 1, P2), (first_paragraph + 2, 1, P3_1)]
    texts.append((first_paragraph + 2, 2, P3_2))
    return [
        Segment(id=f"doc:{p}.{s}", text=text, lang="tr", ref=f"sources/doc.txt:{p}", paragraph=p, sentence=s)
        for p, s, text in texts
    ]


def test_english_rendering_has_headline_date_and_joined_paragraphs() -> None:
    result = render_article(_document(), _segments(), EN, "en")
    date = format_date(DATE, format="long", locale="en")
    assert date == "November 13, 2025"
    assert result.text == f"{EN[HEADLINE]}\n\n{date}\n\n{EN[P2]}\n\n{EN[P3_1]} {EN[P3_2]}\n"
    assert result.untranslated == ()


def test_russian_rendering_keeps_untranslated_sentence_in_turkish_and_lists_it() -> None:
    result = render_article(_document(), _segments(), RU, "ru")
    date = format_date(DATE, format="long", locale="ru")
    assert date.replace("\u202f", " ") == "13 ноября 2025 г."
    assert result.text.split("\n\n") == [RU[HEADLINE], date, RU[P2], f"{RU[P3_1]} {P3_2}\n"]
    assert result.untranslated == ("doc:3.2",)


def test_rendering_into_the_source_language_reproduces_it() -> None:
    result = render_article(_document(), _segments(), {}, "tr")
    date = format_date(DATE, format="long", locale="tr")
    assert date == "13 Kasım 2025"
    assert result.text == f"{HEADLINE}\n\n{date}\n\n{P2}\n\n{P3_1} {P3_2}\n"
    assert result.untranslated == ()


def test_no_translations_leaves_everything_in_the_source_and_lists_every_segment() -> None:
    segments = _segments()
    result = render_article(_document(), segments, {}, "en")
    assert result.untranslated == tuple(s.id for s in segments)
    assert result.text.startswith(f"{HEADLINE}\n\nNovember 13, 2025\n\n")


def test_segment_order_comes_from_paragraph_and_sentence_numbers() -> None:
    segments = _segments()
    shuffled = [segments[3], segments[1], segments[0], segments[2]]
    assert render_article(_document(), shuffled, EN, "en") == render_article(_document(), segments, EN, "en")
    # Ids alone are enough when the numbers were not filled in.
    bare = [Segment(id=s.id, text=s.text, lang=s.lang, ref=s.ref) for s in segments]
    assert render_article(_document(), bare, EN, "en") == render_article(_document(), segments, EN, "en")


def test_translation_whitespace_is_trimmed_and_empty_translation_is_untranslated() -> None:
    padded = {source: f" {target}\n" for source, target in EN.items()} | {P2: "   "}
    result = render_article(_document(), _segments(), padded, "en")
    assert f"\n\n{P2}\n\n{EN[P3_1]} {EN[P3_2]}\n" in result.text
    assert result.untranslated == ("doc:2.1",)


def test_document_without_date_or_headline() -> None:
    result = render_article(_document(date=None), _segments(), EN, "en")
    assert result.text == f"{EN[HEADLINE]}\n\n{EN[P2]}\n\n{EN[P3_1]} {EN[P3_2]}\n"
    # Without a headline, paragraph 1 is body text: the date comes first.
    body = [s for s in _segments(0) if s.paragraph > 0]
    result = render_article(_document(title=""), body, EN, "en")
    assert result.text == f"November 13, 2025\n\n{EN[P2]}\n\n{EN[P3_1]} {EN[P3_2]}\n"


@pytest.mark.parametrize("lang", ["en", "ru", "tr", "de"])
def test_shipped_article_renders_one_block_per_paragraph(lang: str) -> None:
    document = read_document(ARTICLE, lang="tr")
    segments = [
        Segment(id=f"{ARTICLE_ID}:{n}.1", text=p.text, lang="tr", ref=f"{document.path}:{p.line}", paragraph=n)
        for n, p in enumerate(document.all_paragraphs(), start=1)
    ]
    translations = {s.text: f"[{lang}] {s.text}" for s in segments[::2]}
    result = render_article(document, segments, translations, lang)
    blocks = result.text.rstrip("\n").split("\n\n")
    assert document.date is not None
    assert len(blocks) == len(segments) + 1
    assert blocks[1] == format_date(document.date, format="long", locale=lang)
    if lang == "tr":  # the source language: translations play no part
        expected = [s.text for s in segments]
        assert result.untranslated == ()
    else:
        expected = [translations.get(s.text, s.text) for s in segments]
        assert result.untranslated == tuple(s.id for s in segments[1::2])
    assert [blocks[0], *blocks[2:]] == expected
