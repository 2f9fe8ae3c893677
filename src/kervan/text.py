"""Language-aware text helpers: Turkish case mapping, apostrophes, diacritic folding, word counts."""

from __future__ import annotations

import re
import unicodedata

# Every character people type as an apostrophe before a Turkish suffix: ASCII, right single quotation mark,
# modifier letter apostrophe, prime, acute and grave accents, fullwidth apostrophe.
APOSTROPHES = "'\u2019\u02bc\u2032\u00b4`\uff07"
_TO_ASCII_APOSTROPHE = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))

_TR_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_TR_UPPER = str.maketrans({"i": "İ", "ı": "I"})
# Turkish letters typed on keyboards without them: "Birligi" for "Birliği".
_TR_FOLD = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"})
_RU_FOLD = str.maketrans({"ё": "е"})

_WORD_RE = re.compile(r"\w+(?:[-'\u2019\u02bc]\w+)*")


def is_turkic(lang: str) -> bool:
    """Languages whose dotted and dotless i follow Turkish case rules."""
    return primary(lang) in {"tr", "az", "crh", "kk", "tt"}


def primary(lang: str) -> str:
    """The primary subtag of a language tag, lower-cased: "tr-TR" -> "tr"."""
    return lang.replace("_", "-").split("-", 1)[0].lower()


def lower(text: str, lang: str) -> str:
    """Lower-case with the language's rules: Turkish "I" -> "ı" and "İ" -> "i"."""
    if is_turkic(lang):
        return text.translate(_TR_LOWER).lower()
    return text.lower()


def upper(text: str, lang: str) -> str:
    """Upper-case with the language's rules: Turkish "i" -> "İ"."""
    if is_turkic(lang):
        return text.translate(_TR_UPPER).upper()
    return text.upper()


def casefold(text: str, lang: str) -> str:
    """Caseless form for comparison; NFC first so that "İ" typed as I + combining dot behaves."""
    text = unicodedata.normalize("NFC", text)
    if is_turkic(lang):
        return text.translate(_TR_LOWER).lower()
    return text.casefold()


def normalize_apostrophes(text: str) -> str:
    """Map every apostrophe variant to ASCII "'"."""
    return text.translate(_TO_ASCII_APOSTROPHE)


def fold(text: str, lang: str) -> str:
    """Comparison key: case-folded, apostrophes unified, Turkish letters and Russian ё folded to plain ones."""
    text = normalize_apostrophes(casefold(text, lang))
    text = text.translate(_TR_FOLD).translate(_RU_FOLD)
    if text.isascii():
        return text  # no mark to drop (the usual case once Turkish letters are folded)
    # Drop remaining combining marks (İ decomposed, accents typed by mistake).
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Words as translators count them: letters and digits, joined by inner hyphens and apostrophes."""
    return _WORD_RE.findall(text)


def word_count(text: str) -> int:
    return len(words(text))


def decode_utf8(data: bytes, path: str = "<stdin>", *, first_line: int = 1) -> str:
    """Decode UTF-8 (a BOM at the start of a file is dropped); anything else is a KervanError naming line and byte
    offset. `first_line` is the line `data` starts on, for callers that decode a file line by line."""
    from .errors import KervanError

    if first_line == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + first_line
        raise KervanError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); save the file as UTF-8",
            path,
            line,
        ) from None
