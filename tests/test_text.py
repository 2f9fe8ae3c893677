"""Language-aware text helpers."""

from __future__ import annotations

import pytest

from kervan import text
from kervan.formats import xmltext


@pytest.mark.parametrize(
    ("raw", "lang", "expected"),
    [
        ("BAĞIMSIZ", "tr", "bağımsız"),
        ("İSTANBUL", "tr", "istanbul"),
        ("ISPARTA", "tr-TR", "ısparta"),
        ("ISTANBUL", "en", "istanbul"),
        ("ЕАЭС", "ru", "еаэс"),
    ],
)
def test_lower(raw: str, lang: str, expected: str) -> None:
    assert text.lower(raw, lang) == expected
    assert text.casefold(raw, lang) == expected


def test_upper_turkish_dotted_i() -> None:
    assert text.upper("iş birliği", "tr") == "İŞ BİRLİĞİ"
    assert text.upper("iş", "en") == "IŞ"


def test_fold_matches_text_typed_without_turkish_letters() -> None:
    assert text.fold("Birliği", "tr") == text.fold("Birligi", "tr") == "birligi"
    assert text.fold("İŞBİRLİĞİ", "tr") == "isbirligi"
    assert text.fold("ёлка", "ru") == "елка"


def test_apostrophes_unified() -> None:
    for mark in "'’ʼ′":
        assert text.normalize_apostrophes(f"AEB{mark}nin") == "AEB'nin"


def test_word_count_keeps_suffixes_and_hyphens() -> None:
    assert text.words("Rusya’ya 11-12 Kasım’da gitti.") == ["Rusya’ya", "11-12", "Kasım’da", "gitti"]
    assert text.word_count("Касым-Жомарт Токаев") == 2


def test_decode_utf8_bom_and_error() -> None:
    assert text.decode_utf8(b"\xef\xbb\xbfabc") == "abc"
    from kervan.errors import KervanError

    with pytest.raises(KervanError) as info:
        text.decode_utf8(b"ok\nok\n\xff", "f.txt")
    assert info.value.line == 3 and "offset 6" in info.value.message


def test_not_xml_char_is_the_complement_of_the_xml_char_production() -> None:
    # XML 1.0, production [2]: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    allowed = [(0x9, 0x9), (0xA, 0xA), (0xD, 0xD), (0x20, 0xD7FF), (0xE000, 0xFFFD), (0x10000, 0x10FFFF)]
    every = "".join(map(chr, range(0x110000)))
    found = [m.start() for m in xmltext.NOT_XML_CHAR.finditer(every)]
    gaps, start = [], 0
    for lo, hi in allowed:
        gaps += range(start, lo)
        start = hi + 1
    assert found == gaps
