"""Fuzzy match scores a translator can check by hand: word-level edit distance, as OmegaT computes it.

    score = floor(100 * (max(n, m) - d) / max(n, m))

where n and m are the word counts of the two sources and d the Levenshtein distance between the two word
sequences (a word inserted, deleted or replaced costs 1). Two texts without any word score 0. This is the
formula of OmegaT's ``FuzzyMatcher.calcSimilarity``; tests/test_tm_scoring.py runs OmegaT's own classes on the
same pairs. Where Kervan's words differ from OmegaT's default tokenizer, on purpose:

- Turkish apostrophe suffixes stay part of the word whatever apostrophe is typed ("Putin’e" is one word that
  differs from "Putin'den"; OmegaT cuts "Putin’e" into "Putin" + "e" but keeps "Putin'e" whole);
- numbers are words ("21." -> "22." is a changed word; OmegaT drops numbers, so it calls that 100%);
- words are compared as typed (case counts, as in OmegaT), after NFC and with one apostrophe for all.

Punctuation and spacing are not words, so a punctuation-only difference scores 100.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from ..text import APOSTROPHES, casefold, is_turkic

try:  # BLAKE2 is built into CPython; hashlib itself would load OpenSSL, a few ms of every command's start-up
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover (a Python built without it)
    from hashlib import blake2b as _blake2b

_APOS = re.escape(APOSTROPHES)
# A run of letters and digits, joined across inner apostrophes (suffixes: "AEB'nin", "Putin’e", "14.30’da") and
# inner separators of numbers ("13.11.2025", "3,5", "14.30"). Apostrophes are unified first, so one simple
# pattern does: re runs it several times faster than one with alternatives, which an import feels.
_TOKEN_RE = re.compile(r"\w+(?:[.,:']\w+)*")
_APOS_RE = re.compile(f"[{_APOS}]")


def tokens(text: str) -> list[str]:
    """The words of `text` that the score compares: as typed, NFC, every apostrophe written as '."""
    found = _TOKEN_RE.findall(_APOS_RE.sub("'", unicodedata.normalize("NFC", text)))
    if "_" in text:  # rare: an underscore is a \w character but no letter
        found = [part for word in found for part in word.split("_") if part]
    return found


def index_words(words: Sequence[str], lang: str) -> list[str]:
    """Look-up keys for the candidate index: case-folded with the language's rules, letters and digits only."""
    if not words:
        return []
    return fold_joined(" ".join(words), lang).split(" ")


def fold_joined(joined: str, lang: str) -> str:
    """:func:`index_words` of words joined by spaces (words hold no space), still joined."""
    # One pass over the joined words: an import folds millions of them. The Turkish dotted and dotless i are
    # mapped with str.replace, many times faster than str.translate.
    joined = joined.replace("İ", "i").replace("I", "ı").lower() if _turkic(lang) else casefold(joined, lang)
    # Words hold letters, digits and only these joiners (see _TOKEN_RE).
    return joined.replace("'", "").replace(".", "").replace(",", "").replace(":", "")


_turkic = functools.lru_cache(maxsize=64)(is_turkic)


def text_key(words: Sequence[str]) -> int:
    """A 63-bit key of a word sequence: equal keys are 100% matches (the words are then compared too)."""
    return joined_key(" ".join(words))


def joined_key(joined: str) -> int:
    """:func:`text_key` of words joined by spaces."""
    return int.from_bytes(_blake2b(joined.encode("utf-8"), digest_size=8).digest(), "big") >> 1


@functools.cache
def _distance():  # rapidfuzz is imported on first use: the command line starts without it
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance


def score_words(a: Sequence[str], b: Sequence[str]) -> int:
    """The score of two word sequences (see the module docstring)."""
    longest = max(len(a), len(b))
    if longest == 0:
        return 0
    if list(a) == list(b):
        return 100
    return 100 * (longest - _distance()(a, b)) // longest


def score(a: str, b: str) -> int:
    """The fuzzy match score of two source texts, 0 to 100."""
    return score_words(tokens(a), tokens(b))


def max_missing(words: int, min_score: int) -> int:
    """At most how many of a query's `words` a unit scoring at least `min_score` can lack.

    A unit of m words at distance d scores >= s only if d <= (1 - s/100) * max(n, m); since d >= m - n, a
    longer unit needs d <= (1 - s/100) * (n + d), that is d <= n * (100 - s) / s. Every missing query word
    costs at least one edit, so a candidate index queried with that many + 1 of the query's words (any of
    them) finds every unit that can reach `min_score`.
    """
    if min_score <= 0:
        return words
    return (words * (100 - min_score)) // min_score
