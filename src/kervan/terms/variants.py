"""What a lookup tries when no whole term matches a query: Russian forms no suffix rule reaches (pymorphy3),
spelling variants of names across scripts (transliteration), and parts of terms.

Kept apart from the index: these tables are built on first use only, by lookups that need them, and never stored
in the index cache.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from ..text import primary
from ..translit import skeleton
from . import morphology as morph

# Words that never make a partial match alone: they occur in every other term.
_STOP_TEXT = {
    "tr": "ve ile ya da de ki bu şu o bir için gibi ama veya hem ne mi",
    "en": "a an the and or of in on at to for by with from as is are be",
    "ru": "и или в во на с со к ко о об от по за из у для при не а но же",
}
STOPWORDS = {lang: frozenset(text.split(" ")) for lang, text in _STOP_TEXT.items()}
MIN_PARTIAL_LETTERS = 3
MIN_SKELETON_LETTERS = 4
_MAX_LEMMA_VARIANTS = 27


def content_words(words: Sequence[str], lang: str) -> bool:
    """Whether a query has a word that can carry a partial match (not only short or function words)."""
    stop = STOPWORDS.get(morph.family(lang) or primary(lang), frozenset())
    return any(len(w) >= MIN_PARTIAL_LETTERS and w.lower() not in stop for w in words)


# ---------------------------------------------------------------------------------------------- partial


def stem_keys(word_key: str, lang: str) -> set[str]:
    """Keys under which a term word is filed for partial lookup: the word, and for the last word of a Turkish
    compound or a Russian adjective or noun, its stem as `morphology.analyze` gives it for a query word."""
    keys = {word_key}
    fam = morph.family(lang)
    if fam == "tr":
        for marker in ("si", "su", "i", "u"):  # keys are folded: ı/ü are i/u here
            if word_key.endswith(marker) and len(word_key) > len(marker) + 2:
                keys.add(word_key[: -len(marker)])
    elif fam == "ru":
        for ending in ("ий", "ый", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "а", "я", "о", "е", "ь", "ы", "и", "й"):
            if word_key.endswith(ending) and len(word_key) > len(ending) + 2:
                keys.add(word_key[: -len(ending)])
                break
    elif fam == "en" and word_key.endswith("s") and len(word_key) > 3:
        keys.add(word_key[:-1])
    return keys


Postings = dict[str, "int | list[int]"]


def push(table: Postings, k: str, eid: int) -> None:
    """A bare int while a key has one entry (most keys), a list after: a fraction of the memory."""
    current = table.get(k)
    if current is None:
        table[k] = eid
    elif isinstance(current, int):
        table[k] = [current, eid]
    else:
        current.append(eid)


def ids(value: int | list[int] | None) -> Sequence[int]:
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else value


def build_inner(norm_table: dict[str, Any], lang: str) -> Postings:
    """word key -> entries of multi-word terms holding that word after their first one (the first is already
    filed in the index's first-word table)."""
    inner: Postings = {}
    for norm, value in norm_table.items():
        words = norm.split(" ")
        if len(words) < 2:
            continue
        for word in dict.fromkeys(words[1:]):
            for k in stem_keys(word, lang):
                for eid in ids(value):
                    push(inner, k, eid)
    return inner


# ---------------------------------------------------------------------------------------------- transliteration


def build_skeletons(entries: Iterable[tuple[int, str]], is_abbreviation: Callable[[int], bool]) -> Postings:
    """compact skeleton -> entries, for terms that are names (a capital letter) in any script; abbreviations
    are letters, not sounds, and are left out ("ЕАЭСС" is no spelling of "ЕАЭС")."""
    table: Postings = {}
    for eid, text in entries:
        if text.lower() == text or is_abbreviation(eid):  # the cheap test first: most terms are lower case
            continue
        k = skeleton(text).replace(" ", "")
        if len(k) >= MIN_SKELETON_LETTERS:
            push(table, k, eid)
    return table


def query_skeletons(words: Sequence[str]) -> set[str]:
    """Skeletons of a query: as typed, and without a Turkish suffix after an apostrophe ("Tokaev'in")."""
    from ..text import normalize_apostrophes

    variants = {skeleton(" ".join(words)).replace(" ", "")}
    last = normalize_apostrophes(words[-1])
    if "'" in last:
        variants.add(skeleton(" ".join([*words[:-1], last.split("'", 1)[0]])).replace(" ", ""))
    return {v for v in variants if len(v) >= MIN_SKELETON_LETTERS}


# ---------------------------------------------------------------------------------------------- Russian lemmas


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    """pymorphy3 with its OpenCorpora dictionary: imported and loaded (about 0.1 s) on the first query that
    needs it, never at start-up."""
    try:
        import pymorphy3
    except ImportError:  # the dictionary tier is an addition; without it lookups still work by rule
        return None
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=4096)
def _forms(word: str) -> tuple[str, ...]:
    """Dictionary forms a Russian word may stand for: its lemma (люди -> человек, детей -> ребёнок) and its
    nominative in the same number (детей -> дети), from every plausible reading, best first."""
    analyzer = _analyzer()
    if analyzer is None:
        return ()
    out: dict[str, None] = {}
    for parse in analyzer.parse(word)[:4]:
        if parse.score < 0.05:
            continue
        # The nominative in the word's own number first, then in the other (a glossary may hold "дети").
        numbers = [parse.tag.number] if parse.tag.number else []
        numbers += [n for n in ("sing", "plur") if n not in numbers]
        forms = [parse.normal_form]
        for number in numbers:
            inflected = parse.inflect({"nomn", number})
            if inflected is not None:
                forms.insert(len(forms) - 1, inflected.word)
        for form in forms:
            if form and form != word.lower():
                out[form] = None
    return tuple(out)


def lemma_variants(words: Sequence[str]) -> list[list[str]]:
    """The query with its Cyrillic words replaced by their dictionary forms, every combination (bounded), the
    query itself left out."""
    options = [[w, *_forms(w)] if morph.family("ru") and _is_cyrillic(w) else [w] for w in words]
    variants = []
    for combo in itertools.islice(itertools.product(*options), 1, _MAX_LEMMA_VARIANTS + 1):
        variants.append(list(combo))
    return variants


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)
