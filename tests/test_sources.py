"""The source reader: header, paragraphs, line endings, BOM, encoding errors."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import ARTICLE, ARTICLE_ID
from kervan.errors import KervanError
from kervan.sources import parse_document, read_document


def test_article_header_and_paragraphs() -> None:
    doc = read_document(ARTICLE, lang="tr")
    raw_lines = ARTICLE.read_text(encoding="utf-8").split("\n")
    assert doc.id == ARTICLE_ID
    assert doc.date == dt.date(2025, 11, 13)
    assert doc.title == raw_lines[0].split(" ", 3)[3]
    assert [p.text for p in doc.paragraphs] == raw_lines[1:]
    assert [p.line for p in doc.paragraphs] == list(range(2, len(raw_lines) + 1))
    assert doc.all_paragraphs()[0].text == doc.title


@pytest.mark.parametrize(
    "raw",
    [
        b" date 2024-01-02 Ba\xc5\x9fl\xc4\xb1k\nBir.\nIki.",
        b" date 2024-01-02 Ba\xc5\x9fl\xc4\xb1k\r\nBir.\r\nIki.\r\n",
        b"\xef\xbb\xbf date 2024-01-02 Ba\xc5\x9fl\xc4\xb1k\nBir.\n\nIki.\n",
        b"date 2024-01-02 Ba\xc5\x9fl\xc4\xb1k\rBir.\rIki.",
    ],
)
def test_line_endings_bom_and_final_newline(tmp_path, raw: bytes) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(raw)
    doc = read_document(path, lang="tr")
    assert doc.title == "Başlık"
    assert doc.date == dt.date(2024, 1, 2)
    assert [p.text for p in doc.paragraphs] == ["Bir.", "Iki."]


def test_non_utf8_is_refused_with_line_and_offset(tmp_path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(" date 2024-01-02 Baslik\nT\u00fcrk\u00e7e".encode("latin-1"))
    with pytest.raises(KervanError) as info:
        read_document(path, lang="tr")
    assert info.value.line == 2
    assert "offset 25" in str(info.value) and str(path) in str(info.value)


def test_missing_file(tmp_path) -> None:
    with pytest.raises(KervanError, match="No such file"):
        read_document(tmp_path / "none.txt", lang="tr")


def test_no_header_means_no_title_and_no_date() -> None:
    doc = parse_document("Bir.\nIki.", doc_id="x", path="x.txt", lang="tr")
    assert doc.date is None and doc.title == ""
    assert [p.text for p in doc.all_paragraphs()] == ["Bir.", "Iki."]


def test_invalid_header_date() -> None:
    with pytest.raises(KervanError, match="invalid date") as info:
        parse_document(" date 2025-13-45 X\nY", doc_id="x", path="x.txt", lang="tr")
    assert info.value.line == 1
