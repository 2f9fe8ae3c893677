"""Term candidates from running text: acronyms with their expansions, and repeated capitalised names.

- Acronym pairs, "Avrasya Ekonomik Birliği (AEB)": the expansion is the shortest run of preceding words (within
  the clause) whose letters spell the acronym right to left, the first letter at the start of a word
  (Schwartz & Hearst's rule), compared case-insensitively with the language's rules (Turkish İ/I) and
  diacritics folded. The reverse order, "AEB (Avrasya Ekonomik Birliği)", is recognised too.
- Names: runs of capitalised words. A sentence's first word only counts when the same word also appears
  capitalised in mid-sentence; suffixes after an apostrophe are dropped ("Rusya’ya" -> "Rusya"). A run
  seen whole at least once is reported when it occurs `min_count` times in all, inside longer runs too
  ("Tokayev" also counts in "Kasım Cömert Tokayev"); fragments never seen alone are not reported. Russian
  names inflect without an apostrophe, so forms sharing a stem ("Россия", "России", "Россией") count as one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from ..record import Record, init
from ..text import APOSTROPHES, fold, lower
from . import morphology as morph

if TYPE_CHECKING:
    from .index import TermIndex

CandidateKind = Literal["acronym", "name"]


def _words_set(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


_APOS = re.escape(APOSTROPHES)
_PAREN_RE = re.compile(r"\(([^()\n]{1,120})\)")
_CLAUSE_END = frozenset('.!?;:,()[]{}«»“”"\n\r\t…')
_SENTENCE_END = frozenset(".!?…:")
# Abbreviations whose period ends no sentence (titles, "vb.", Russian "г.", "им.").
_TITLES = _words_set("dr prof doç av sn yrd mr mrs ms st jr gen vb vs örn no г гг им см т тов")
_HYPHENS = frozenset({"-", "\u2010", "\u2011"})
_SUFFIX_RE = re.compile(f"[{_APOS}].*$", re.DOTALL)
_MAX_NAME_WORDS = 6
# Connectors allowed inside English names: "Commonwealth of Independent States".
_NAME_CONNECTORS = {"en": frozenset({"of", "the", "for"})}


# Month and weekday names are capitalised in running text but are not terms.
_CALENDAR = {
    "tr": _words_set(
        "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık "
        "pazartesi salı çarşamba perşembe cuma cumartesi pazar"
    ),
    "en": _words_set(
        "january february march april may june july august september october november december "
        "monday tuesday wednesday thursday friday saturday sunday"
    ),
    "ru": _words_set(
        "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь "
        "понедельник вторник среда четверг пятница суббота воскресенье"
    ),
}


class Candidate(Record):
    """A possible glossary term: its text (base form), kind, how often it occurs, the expansion of an
    acronym, and the id of the concept the index already has for it (None if new)."""

    _fields = ("text", "kind", "count", "expansion", "known_concept")
    __slots__ = _fields
    text: str
    kind: CandidateKind
    count: int
    expansion: str | None
    known_concept: str | None

    def __init__(
        self,
        text: str,
        kind: CandidateKind,
        count: int,
        expansion: str | None = None,
        known_concept: str | None = None,
    ) -> None:
        init(self, "text", text)
        init(self, "kind", kind)
        init(self, "count", count)
        init(self, "expansion", expansion)
        init(self, "known_concept", known_concept)

    @property
    def known(self) -> bool:
        return self.known_concept is not None


class _Word(Record):
    """One word of the text: where it is, its base form, and whether it had a suffix or began a sentence."""

    _fields = ("start", "end", "base", "suffixed", "initial")
    __slots__ = _fields
    start: int
    end: int
    base: str  # the word without an apostrophe suffix
    suffixed: bool
    initial: bool  # first word of a sentence

    def __init__(self, start: int, end: int, base: str, suffixed: bool, initial: bool) -> None:
        init(self, "start", start)
        init(self, "end", end)
        init(self, "base", base)
        init(self, "suffixed", suffixed)
        init(self, "initial", initial)


def _is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and word[:1].isalpha()


def _is_capitalized(word: str) -> bool:
    return word[:1].isupper() and any(ch.islower() for ch in word)


def _words(text: str, lang: str) -> list[_Word]:
    """Words with sentence starts marked; hyphenated words stay one word ("Kassym-Jomart")."""
    out: list[_Word] = []
    for match in morph.tokens(text):
        raw = match.group()
        base = _SUFFIX_RE.sub("", raw)
        prev = out[-1] if out else None
        if prev is not None and not prev.suffixed and text[prev.end : match.start()] in _HYPHENS:
            out[-1] = _Word(prev.start, match.end(), prev.base + "-" + base, base != raw, prev.initial)
            continue
        if prev is None:
            initial = True
        else:
            gap = text[prev.end : match.start()]
            # "21. Rusya-Kazakistan", "V. Putin", "Dr. Ahmet": the period ends no sentence.
            ended = any(ch in _SENTENCE_END for ch in gap) and not (
                prev.base.isdigit() or len(prev.base) == 1 or lower(prev.base, lang) in _TITLES
            )
            initial = ended or "\n" in gap
        out.append(_Word(match.start(), match.end(), base, base != raw, initial))
    return out


# ---------------------------------------------------------------------------------------------- acronyms


def _letters(text: str, lang: str) -> str:
    """Per-character folded letters (same length as `text`), for aligning acronym letters with words."""
    return "".join((fold(ch, lang) or ch)[:1] for ch in text)


def _expansion(short: str, window: str, lang: str) -> str | None:
    """Schwartz & Hearst: the shortest tail of `window` whose letters spell `short`, starting at a word."""
    s = [ch for ch in _letters(short, lang) if ch.isalnum()]
    if len(s) < 2:
        return None
    letters = _letters(window, lang)
    li = len(letters) - 1
    for si in range(len(s) - 1, -1, -1):
        c = s[si]
        while li >= 0 and (letters[li] != c or (si == 0 and li > 0 and letters[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
    long_form = window[li + 1 :].strip()
    words = morph.TOKEN_RE.findall(long_form)
    if len(words) < 2 or len(words) > min(len(s) + 5, 2 * len(s)) or short in words:
        return None
    return long_form


def _acronym_pairs(text: str, lang: str) -> list[tuple[str, str]]:
    """(acronym, expansion) for every "long form (SHORT)" and "SHORT (long form)" in the text."""
    pairs: list[tuple[str, str]] = []
    for match in _PAREN_RE.finditer(text):
        inner = match.group(1).strip()
        inner_words = [_SUFFIX_RE.sub("", w) for w in morph.TOKEN_RE.findall(inner)]
        if len(inner_words) == 1 and _is_acronym(inner_words[0]):
            short = inner_words[0]
            start = match.start()
            while start > 0 and text[start - 1] not in _CLAUSE_END:
                start -= 1
            # At most min(|A| + 5, 2|A|) words before the parenthesis.
            spans = list(morph.tokens(text[start : match.start()]))[-min(len(short) + 5, 2 * len(short)) :]
            if spans:
                found = _expansion(short, text[start + spans[0].start() : match.start()], lang)
                if found:
                    pairs.append((short, found))
        elif len(inner_words) >= 2:
            head = text[max(0, match.start() - 40) : match.start()].rstrip()
            before = list(morph.tokens(head))
            if before and before[-1].end() != len(head):
                before = []
            if before and _is_acronym(before[-1].group()):
                found = _expansion(before[-1].group(), inner, lang)
                if found == inner:
                    pairs.append((before[-1].group(), found))
    return pairs


# ---------------------------------------------------------------------------------------------- names


def _runs(words: Sequence[_Word], text: str, lang: str) -> list[list[str]]:
    """Runs of capitalised words separated by spaces only (or English connectors: "Bank of Russia")."""
    mid = {w.base for w in words if not w.initial and _is_capitalized(w.base)}
    connectors = _NAME_CONNECTORS.get(morph.family(lang), frozenset())

    def capital(word: _Word) -> bool:
        return _is_capitalized(word.base) and (not word.initial or word.base in mid)

    def spaced(a: _Word, b: _Word) -> bool:
        gap = text[a.end : b.start]
        return not gap.strip() and "\n" not in gap

    runs: list[list[str]] = []
    current: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if capital(word) and not (current and not spaced(words[i - 1], word)):
            current.append(word.base)
            i += 1
            if word.suffixed:
                # "Putin’e gönderdiği": a suffixed word ends the name.
                runs.append(current)
                current = []
            continue
        if current and not capital(word):
            # Connectors join two capitalised words: "Commonwealth of Independent States".
            j = i
            while j < len(words) and words[j].base in connectors and spaced(words[j - 1], words[j]):
                j += 1
            if j > i and j < len(words) and capital(words[j]) and spaced(words[j - 1], words[j]):
                current.extend(w.base for w in words[i:j])
                i = j
                continue
        if current:
            runs.append(current)
            current = []
        if not capital(word):
            i += 1
    if current:
        runs.append(current)
    return runs


def _word_groups(words: set[str], lang: str) -> dict[str, str]:
    """Russian names inflect ("Россия", "России", "Россией"): words sharing a stem of four or more letters
    (after a case ending is removed) are one name. Other languages mark suffixes with an apostrophe."""
    if morph.family(lang) != "ru":
        return {w: w for w in words}
    parent = {w: w for w in words}

    def root(w: str) -> str:
        while parent[w] != w:
            parent[w] = parent[parent[w]]
            w = parent[w]
        return w

    owner: dict[str, str] = {}
    for word in sorted(words):
        for reading in morph.analyze(word, lang):
            if len(reading.key) < 4:
                continue
            other = owner.setdefault(reading.key, word)
            parent[root(word)] = root(other)
    return {w: root(w) for w in words}


_RU_OBLIQUE = ("ой", "ей", "ом", "ем", "ам", "ям", "ах", "ях", "ого", "его", "ому", "ему", "ых", "их", "ым", "им")


def _oblique(word: str, lang: str) -> int:
    """How unlike a Russian nominative a word looks: 0 consonant, ь, й; 1 а, я; 2 о, е; 3 other endings."""
    if morph.family(lang) != "ru":
        return 0
    w = word.lower()
    if w.endswith(_RU_OBLIQUE):
        return 3
    last = w[-1:]
    if last in ("ь", "й") or (last.isalpha() and last not in "аяоеиыуюэё"):
        return 0
    return {"а": 1, "я": 1, "о": 2, "е": 2}.get(last, 3)


def _names(text: str, lang: str, words: Sequence[_Word], min_count: int) -> list[tuple[str, int, int]]:
    """(name, count, order of first appearance) for runs seen whole at least once and `min_count` times
    in all (inside longer runs too: "Tokayev" also counts in "Kasım Cömert Tokayev"). Inflected Russian forms
    count together, under their most frequent spelling."""
    runs = _runs(words, text, lang)
    group = _word_groups({w for run in runs for w in run}, lang)
    counts: Counter[tuple[str, ...]] = Counter()
    spellings: dict[tuple[str, ...], Counter[tuple[str, ...]]] = {}
    whole: dict[tuple[str, ...], int] = {}
    for run in runs:
        keys = [group[w] for w in run]
        whole.setdefault(tuple(keys), len(whole))
        for i in range(len(run)):
            for j in range(i + 1, min(len(run), i + _MAX_NAME_WORDS) + 1):
                gram = tuple(keys[i:j])
                counts[gram] += 1
                spellings.setdefault(gram, Counter())[tuple(run[i:j])] += 1
    calendar = _CALENDAR.get(morph.family(lang), frozenset())
    out: list[tuple[str, int, int]] = []
    for gram, order in whole.items():
        count = counts[gram]  # 0 for runs longer than _MAX_NAME_WORDS
        if count < min_count:
            continue
        # The spelling most like a nominative, then the most frequent, then the shortest.
        spelled = min(
            spellings[gram].items(),
            key=lambda item: (sum(_oblique(w, lang) for w in item[0]), -item[1], len(" ".join(item[0]))),
        )[0]
        if len(gram) == 1 and lower(spelled[0], lang) in calendar:
            continue
        out.append((" ".join(spelled), count, order))
    return out


# ---------------------------------------------------------------------------------------------- public


def extract_candidates(text: str, lang: str, index: TermIndex | None = None, *, min_count: int = 2) -> list[Candidate]:
    """Acronym pairs (always, with their expansion) and names seen at least `min_count` times.

    Acronyms come first in order of appearance, then names by count (most frequent first). With an index,
    `known_concept` is the id of the concept a non-fuzzy lookup finds for the candidate (or its expansion).
    """
    words = _words(text, lang)
    acronym_counts: Counter[str] = Counter(w.base for w in words if _is_acronym(w.base))
    out: list[Candidate] = []
    seen: set[str] = set()
    for short, long_form in _acronym_pairs(text, lang):
        if short in seen:
            continue
        seen.add(short)
        known = _known(index, lang, short, long_form)
        out.append(Candidate(short, "acronym", max(acronym_counts[short], 1), long_form, known))
    for short, count in acronym_counts.items():
        if short not in seen and count >= min_count:
            out.append(Candidate(short, "acronym", count, None, _known(index, lang, short)))
    names = sorted(_names(text, lang, words, min_count), key=lambda item: (-item[1], item[2]))
    out.extend(Candidate(name, "name", count, None, _known(index, lang, name)) for name, count, _ in names)
    return out


def _known(index: TermIndex | None, lang: str, *queries: str) -> str | None:
    if index is None:
        return None
    for query in queries:
        for match in index.lookup(query, lang, limit=1):
            if match.how != "fuzzy":
                return match.concept.id
    return None
