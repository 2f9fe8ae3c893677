"""Transliteration: Russian Cyrillic in Latin letters, and a spelling skeleton shared by the ways names are written.

A name such as Токаев reaches a Turkish or English text as "Tokayev", "Tokaev" or, in a German source,
"Tokajew"; Жомарт as "Jomart" or "Zhomart". `skeleton` maps each of these spellings to one comparison key,
so that a lookup typed in any of them finds the term: Cyrillic is romanized, Turkish letters are read as they
sound (ş sh, ç ch, c j), and the letters the romanization systems disagree on are merged (y between vowels, kh/h,
zh/j, doubled consonants). The key is for comparing names only; it is never shown.
"""

from __future__ import annotations

import re
import unicodedata

# A plain romanization (close to the scientific one, without diacritics): used for readable file names too.
_RU_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip
_TR_SOUNDS = {"ş": "sh", "ç": "ch", "ğ": "", "ı": "i"}
_VOWELS = "aeiou"
_SKELETON_STEPS = (
    (re.compile(r"c(?!h)"), "j"),  # a lone c is Turkish (Cömert = Jomart); ch is the same in every system
    (re.compile(r"shch|sch"), "sh"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"zh|dzh|dj"), "j"),
    (re.compile(r"ts"), "c"),
    (re.compile(r"w"), "v"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"y"), "i"),
    (re.compile(r"([a-z])\1+"), r"\1"),
    # An i glide between vowels or before a vowel at the start of a word ("Tokayev", "Yeltsin") is written by
    # some systems and left out by others.
    (re.compile(rf"(?<=[{_VOWELS}])i(?=[{_VOWELS}])|\bi(?=[{_VOWELS}])"), ""),
)


def romanize(text: str) -> str:
    """Cyrillic letters in Latin (Токаев -> Tokaev, Жомарт -> Zhomart); other characters are kept."""
    out = []
    for ch in text:
        low = ch.lower()
        latin = _RU_LATIN.get(low)
        if latin is None:
            out.append(ch)
        elif ch != low and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def ascii_fold(text: str) -> str:
    """Latin letters without diacritics (ı -> i, ş -> s): for file names."""
    text = text.replace("ı", "i").replace("İ", "I")
    decomposed = unicodedata.normalize("NFKD", romanize(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch.isascii())


def skeleton(text: str) -> str:
    """The spelling skeleton of a name in any script: "Tokayev", "Tokaev" and "Токаев" all give "tokaev"."""
    text = unicodedata.normalize("NFC", text).replace("İ", "i").lower()
    text = "".join(_TR_SOUNDS.get(ch, ch) for ch in romanize(text))
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    text = " ".join(text.split())
    for pattern, replacement in _SKELETON_STEPS:
        text = pattern.sub(replacement, text)
    return text
