"""The term index: lookup of one query and scanning of running text, both inflection-aware.

Matching works word by word (see `morphology`): a term matches a run of text words when every word of the term
accepts the corresponding text word and the gaps between them are plain spaces or hyphens (or the same
punctuation as in the term, "T.C."). Languages are keyed by their primary subtag ("tr-TR" -> "tr").

Spans reported by `scan` cover whole words as written, including suffixes attached to the last word
("AEB’nin", "Hazar Denizi’nin", "Евразийского экономического союза"), so `text[start:end]` is what a reader
would mark; the term itself tells the base form.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal

from ..errors import KervanError
from ..model import Concept, Term
from ..record import Record, init
from ..text import casefold, normalize_apostrophes, primary
from ..translit import has_cyrillic
from . import morphology as morph
from . import variants
from .morphology import Analysis, WordPattern
from .variants import ids as _ids
from .variants import push as _push

MatchKind = Literal["exact", "normalized", "inflected", "transliterated", "partial", "fuzzy"]

FORMAT_VERSION = 5
# Fuzzy matching is the last resort: folded similarity (1 - edit distance / longer length) at least this,
# queries of at least FUZZY_MIN_LENGTH characters, never abbreviations. With 0.88 one edit needs 9 characters.
FUZZY_THRESHOLD = 0.88
FUZZY_MIN_LENGTH = 5
_SHAPE_CACHE = 200_000
_FUZZY_POSTINGS = 2_000

_TIERS: dict[MatchKind, int] = {
    "exact": 0,
    "normalized": 1,
    "inflected": 2,
    "transliterated": 3,
    "partial": 4,
    "fuzzy": 5,
}
_PARTIAL_CANDIDATES = 5_000  # a word shared by more terms than this is too common to rank them by
_STATUS_RANK = {"preferred": 0, "admitted": 1, "deprecated": 2}
_KIND_RANK = {"fullForm": 0, "abbreviation": 1, "variant": 2}
_SPACE_GAP = frozenset(" \t\n\r\u00a0\u2009\u202f-\u2010\u2011")


class LookupMatch(Record):
    """One concept found for a query: how it matched, a score in 0..1 and the term that matched."""

    _fields = ("concept", "how", "score", "matched")
    __slots__ = _fields
    concept: Concept
    how: MatchKind
    score: float
    matched: Term

    def __init__(self, concept: Concept, how: MatchKind, score: float, matched: Term) -> None:
        init(self, "concept", concept)
        init(self, "how", how)
        init(self, "score", score)
        init(self, "matched", matched)


class Occurrence(Record):
    """A glossary term found in running text: `text == source[start:end]`, whole words incl. suffixes."""

    _fields = ("start", "end", "text", "concept", "term")
    __slots__ = _fields
    start: int
    end: int
    text: str
    concept: Concept
    term: Term

    def __init__(self, start: int, end: int, text: str, concept: Concept, term: Term) -> None:
        init(self, "start", start)
        init(self, "end", end)
        init(self, "text", text)
        init(self, "concept", concept)
        init(self, "term", term)


class _Shape:
    """How one term is matched; derived from the term on demand (kept out of the cache)."""

    __slots__ = ("abbreviation", "gaps", "patterns")

    def __init__(self, patterns: tuple[WordPattern, ...], gaps: tuple[str, ...], abbreviation: bool) -> None:
        self.patterns = patterns
        self.gaps = gaps  # normalised separators between the term's words
        self.abbreviation = abbreviation


def _gap(text: str) -> str:
    """Separators between two words: spaces, a line break and hyphens are all alike, other punctuation must
    agree; a blank line (a new paragraph) separates everything."""
    if text == " " or (all(ch in _SPACE_GAP for ch in text) and text.count("\n") < 2):
        return " "
    return "".join(ch for ch in text if not ch.isspace()) or "\n\n"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _words(text: str) -> list[str]:
    return [m.group() for m in morph.tokens(text)]


def _norm_key(words: Sequence[str], lang: str) -> str:
    return " ".join(morph.key(w, lang) for w in words)


def _case_key(words: Sequence[str], lang: str) -> str:
    """Case and apostrophes folded, diacritics kept: tells a case-only difference from a spelling one."""
    return " ".join(casefold(normalize_apostrophes(w), lang) for w in words)


class _Tokens:
    """The words of a text as parallel lists (fewer objects for the garbage collector than tuples)."""

    __slots__ = ("ends", "starts", "words")

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.words: list[str] = []
        for m in morph.tokens(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.words.append(m.group())


class TermIndex:
    """Concepts indexed for `lookup` and `scan`. Build with `TermIndex.build(concepts)`; picklable."""

    def __init__(self) -> None:
        self.stamp: tuple[object, ...] | None = None  # what the index was built from, for caches
        self.header = ("", "")  # the termbase's title and description, where the caller gives them
        # One entry per term: parallel arrays, so that 100,000 concepts stay small in memory and on disk.
        self._concepts: list[Concept | None] = []  # materialised lazily after `load`
        self._packed: list[tuple[object, ...]] | None = None  # concepts as plain tuples, while loaded
        self._owner = array("I")  # concept position
        self._order = array("H")  # position among the concept's terms in that language
        self._tag: list[str] = []  # the concept's language key for the term ("tr", "tr-TR")
        self._lang: list[str] = []  # primary subtag
        self._by_id: dict[str, int] = {}
        self._norm: dict[str, dict[str, int | list[int]]] = {}  # folded words joined by spaces
        self._compact: dict[str, dict[str, int | list[int]]] = {}  # the same without spaces (multi-word)
        self._first: dict[str, dict[str, int | list[int]]] = {}  # keys of the first word's pattern
        self._fuzzy: dict[str, _FuzzyIndex] = {}  # per language
        self._fuzzy_json: str | None = None  # a loaded index's fuzzy tables, decoded on first use
        self._shapes: dict[int, _Shape] = {}
        # Built on first use by lookups that need them (see `variants`), never cached.
        self._inner: dict[str, variants.Postings] = {}
        self._skeletons: variants.Postings | None = None

    def __getstate__(self) -> dict[str, object]:
        # Concepts travel as plain tuples: unpickling 100,000 records field by field is slow,
        # and a cached index is mostly used for a few lookups or one scan.
        state = dict(self.__dict__)
        state["_shapes"] = {}
        state["_inner"] = {}
        state["_skeletons"] = None
        state["_packed"] = [_pack(self._concept_at(i)) for i in range(len(self._concepts))]
        state["_concepts"] = None
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update({"_inner": {}, "_skeletons": None, **state})
        self._concepts = [None] * len(self._packed or ())

    @property
    def concepts(self) -> tuple[Concept, ...]:
        """All concepts, in the order given to `build`."""
        return tuple(self._concept_at(i) for i in range(len(self._concepts)))

    def _concept_at(self, position: int) -> Concept:
        concept = self._concepts[position]
        if concept is None:
            assert self._packed is not None
            concept = self._concepts[position] = _unpack(self._packed[position])
        return concept

    def _term(self, eid: int) -> Term:
        return self._concept_at(self._owner[eid]).terms[self._tag[eid]][self._order[eid]]

    # ------------------------------------------------------------------------------------------ building

    @classmethod
    def build(cls, concepts: Iterable[Concept]) -> TermIndex:
        index = cls()
        for concept in concepts:
            position = len(index._concepts)
            index._concepts.append(concept)
            index._by_id.setdefault(concept.id, position)
            for lang_tag, terms in concept.terms.items():
                tag = sys.intern(lang_tag)
                for order, term in enumerate(terms[:0xFFFF]):
                    index._add(position, tag, sys.intern(primary(lang_tag or term.lang)), term, order)
        return index

    def _add(self, concept: int, tag: str, lang: str, term: Term, order: int) -> None:
        text = _nfc(term.text).strip()
        words = _words(text)
        if not words:
            return
        eid = len(self._owner)
        self._owner.append(concept)
        self._order.append(order)
        self._tag.append(tag)
        self._lang.append(lang)
        shape = self._make_shape(eid, term)
        norm = _norm_key(words, lang)
        _push(self._norm.setdefault(lang, {}), norm, eid)
        if len(words) > 1:
            _push(self._compact.setdefault(lang, {}), norm.replace(" ", ""), eid)
        first = self._first.setdefault(lang, {})
        for k in dict.fromkeys(k for k, _ in shape.patterns[0].keys):
            _push(first, k, eid)

    def _shape(self, eid: int) -> _Shape:
        """How term `eid` is matched: derived on demand, kept in a bounded cache (never pickled)."""
        shape = self._shapes.get(eid)
        if shape is None:
            if len(self._shapes) > _SHAPE_CACHE:
                self._shapes.clear()
            shape = self._shapes[eid] = self._make_shape(eid, self._term(eid))
        return shape

    def _make_shape(self, eid: int, term: Term) -> _Shape:
        text = _nfc(term.text).strip()
        matches = list(morph.tokens(text))
        abbreviation = self._is_abbreviation(eid)
        return _Shape(
            morph.term_patterns(text, self._lang[eid], abbreviation=abbreviation),
            tuple(_gap(text[a.end() : b.start()]) for a, b in itertools.pairwise(matches)),
            abbreviation,
        )

    def _is_abbreviation(self, eid: int) -> bool:
        term = self._term(eid)
        return term.kind == "abbreviation" or morph.is_abbreviation(term.text)

    def _rank(self, eid: int) -> tuple[int, int, int]:
        """Preferred before admitted before deprecated; full forms first; then the glossary's order."""
        term = self._term(eid)
        return (_STATUS_RANK.get(term.status, 3), _KIND_RANK.get(term.kind, 3), self._order[eid])

    # ------------------------------------------------------------------------------------------ queries

    def __len__(self) -> int:
        return len(self._concepts)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self._first))

    def concept(self, concept_id: str) -> Concept | None:
        position = self._by_id.get(concept_id)
        return None if position is None else self._concept_at(position)

    def lookup(self, query: str, lang: str | None = None, limit: int = 10) -> list[LookupMatch]:
        """Concepts whose terms match `query`, best first, one match per concept (its best term).

        Tries, in order: exact (as typed), normalized (case with Turkish rules, apostrophes, diacritics,
        spacing), inflected (the query is an inflected form of a term; every word must match), and only when
        nothing matched, fuzzy (similarity >= FUZZY_THRESHOLD on folded forms; never for abbreviations or
        queries shorter than FUZZY_MIN_LENGTH). `lang` limits the search to terms of one language. Ties
        go to preferred terms, then to the glossary's order.
        """
        text = _nfc(query).strip()
        words = _words(text)
        if not words or limit <= 0:
            return []
        langs = [primary(lang)] if lang else list(self._first)
        best: dict[int, tuple[int, float, tuple[int, int, int], int]] = {}

        def offer(eid: int, how: MatchKind, score: float) -> None:
            candidate = (_TIERS[how], -score, self._rank(eid), eid)
            owner = self._owner[eid]
            current = best.get(owner)
            if current is None or candidate < current:
                best[owner] = candidate

        for code in langs:
            norm = _norm_key(words, code)
            compact = norm.replace(" ", "")
            case_key = _case_key(words, code)
            for eid in _ids(self._norm.get(code, {}).get(norm)):
                term_text = _nfc(self._term(eid).text).strip()
                if term_text == text:
                    offer(eid, "exact", 1.0)
                else:
                    same_letters = _case_key(_words(term_text), code) == case_key
                    offer(eid, "normalized", 0.95 if same_letters else 0.9)
            for table in (self._norm, self._compact):
                for eid in _ids(table.get(code, {}).get(compact)):
                    offer(eid, "normalized", 0.85)
            for eid, _ in self._match_query(text, code):
                offer(eid, "inflected", 0.78 if self._respelled(eid, words, code) else 0.8)
        ru_langs = [code for code in langs if morph.family(code) == "ru"]
        if not best and ru_langs and has_cyrillic(text):
            # Forms no suffix rule reaches (люди, детей, времени): the dictionary's lemma and nominative.
            for variant in variants.lemma_variants(words):
                joined = " ".join(variant)
                for code in ru_langs:
                    for eid in _ids(self._norm.get(code, {}).get(_norm_key(variant, code))):
                        offer(eid, "inflected", 0.76)
                    for eid, _ in self._match_query(joined, code):
                        offer(eid, "inflected", 0.75)
        if not best:
            for eid in self._transliterated(words, langs):
                offer(eid, "transliterated", 0.7)
        if not best:
            for eid, coverage in self._partial(words, langs):
                offer(eid, "partial", round(0.6 * coverage, 4))
        if not best:
            for eid, similarity in self._fuzzy_candidates(words, langs):
                offer(eid, "fuzzy", round(0.75 * similarity, 4))
        ranked = sorted(best.values())[:limit]
        return [
            LookupMatch(self._concept_at(self._owner[eid]), _kind_of(tier), -neg_score, self._term(eid))
            for tier, neg_score, _, eid in ranked
        ]

    def scan(self, text: str, lang: str, *, overlapping: bool = False) -> list[Occurrence]:
        """Every glossary term of language `lang` in `text`, left to right, without overlaps.

        At each word the longest term starting there wins (leftmost-longest), so "ЕАЭС" is the EAEU and
        never also "АЭС", and "Avrasya Ekonomik Birliği" is not also "Avrasya". Terms match on word
        boundaries only; abbreviations must be written in capitals ("aeb" in a sentence is not AEB, "AEB'nin"
        is); one-word Turkish names take suffixes only after an apostrophe. Among terms of the same length,
        an uninflected match wins, then the preferred term.

        With `overlapping=True`, a term that starts inside an earlier match but ends beyond it is reported
        too ("eşit ve bölünmez güvenlik" and "güvenlik mimarisinin"); terms nested inside a match never are.
        """
        code = primary(lang)
        first = self._first.get(code)
        if not first:
            return []
        toks = _Tokens(text)
        found: list[Occurrence] = []
        i, n = 0, len(toks.words)
        covered = 0  # the end of the last match, in words
        while i < n:
            best: tuple[tuple[int, int, int, tuple[int, int, int], int], int, int] | None = None
            candidates = list(self._candidates_at(text, toks, i, code, first, True, False))
            for eid, length, inflected in candidates:
                # Ties are rare: spelling is compared only when there is a choice.
                respelled = self._respelled(eid, toks.words[i : i + length], code) if len(candidates) > 1 else 0
                rank = (-length, inflected, respelled, self._rank(eid), self._owner[eid])
                if best is None or rank < best[0]:
                    best = (rank, eid, length)
            if best is None or i + best[2] <= covered:
                i += 1
                continue
            _, eid, length = best
            start, end = toks.starts[i], toks.ends[i + length - 1]
            concept = self._concept_at(self._owner[eid])
            found.append(Occurrence(start, end, text[start:end], concept, self._term(eid)))
            covered = i + length
            i = i + 1 if overlapping else i + length
        return found

    # ------------------------------------------------------------------------------------------ matching

    def _respelled(self, eid: int, words: Sequence[str], code: str) -> int:
        """1 if the words differ from the term in more than case and endings ("Likon" for "Lıkön"), else 0:
        between two otherwise equal matches, the one spelled like the text wins."""
        for word, pattern in zip(words, self._shape(eid).patterns, strict=False):
            written = casefold(normalize_apostrophes(word), code)
            term = casefold(normalize_apostrophes(pattern.surface), code)
            # The term's last letter may alternate (birlik -> birliği), so compare up to it.
            if not written.startswith(term[:-1] if len(term) > 2 else term):
                return 1
        return 0

    def _match_query(self, text: str, code: str) -> list[tuple[int, int]]:
        """Entries whose term covers the whole query, as (entry, length) pairs."""
        first = self._first.get(code)
        if not first:
            return []
        toks = _Tokens(text)
        return [(eid, length) for eid, length, _ in self._candidates_at(text, toks, 0, code, first, False, True)]

    def _candidates_at(
        self,
        text: str,
        toks: _Tokens,
        i: int,
        code: str,
        first: dict[str, int | list[int]],
        strict: bool,
        whole: bool,
    ) -> Iterator[tuple[int, int, int]]:
        """(entry, number of words, 1 if any word was inflected) for terms starting at word i."""
        n = len(toks.words)
        seen: set[int] = set()
        for analysis in morph.analyze(toks.words[i], code):
            for eid in _ids(first.get(analysis.key)):
                if eid in seen:
                    continue
                shape = self._shape(eid)
                length = len(shape.patterns)
                if i + length > n or (whole and i + length != n):
                    continue
                head = shape.patterns[0]
                if not any(
                    k == analysis.key and morph.accepts(head, paradigm, analysis, code, strict=strict)
                    for k, paradigm in head.keys
                ):
                    continue
                inflected = 1 if analysis.ending else 0
                if length > 1:
                    rest = self._rest(text, toks, i, shape, code, strict)
                    if rest is None:
                        continue
                    inflected |= rest
                seen.add(eid)
                yield eid, length, inflected

    def _rest(self, text: str, toks: _Tokens, i: int, shape: _Shape, code: str, strict: bool) -> int | None:
        """Whether words 2.. of the term match the words after i: None if not, else 1 if inflected."""
        inflected = 0
        for j in range(1, len(shape.patterns)):
            if _gap(text[toks.ends[i + j - 1] : toks.starts[i + j]]) != shape.gaps[j - 1]:
                return None
            reading = _accepting(shape.patterns[j], morph.analyze(toks.words[i + j], code), code, strict)
            if reading is None:
                return None
            if reading.ending:
                inflected = 1
        return inflected

    # ------------------------------------------------------------------------------------------ variants

    def _transliterated(self, words: list[str], langs: list[str]) -> list[int]:
        """Name terms spelled like the query once both are reduced to their transliteration skeleton."""
        keys = variants.query_skeletons(words)
        if not keys:
            return []
        if self._skeletons is None:
            self._skeletons = variants.build_skeletons(
                ((eid, self._term(eid).text) for eid in range(len(self._owner))), self._is_abbreviation
            )
        wanted = set(langs)
        return [eid for k in keys for eid in _ids(self._skeletons.get(k)) if self._lang[eid] in wanted]

    def _partial(self, words: list[str], langs: list[str]) -> list[tuple[int, float]]:
        """Longer terms holding the query's words, in order and inflection-aware ("santral" in "nükleer enerji
        santrali"), with the share of the term's words the query covers."""
        out: list[tuple[int, float]] = []
        n = len(words)
        for code in langs:
            first = self._first.get(code)
            if not first or not variants.content_words(words, code):
                continue
            inner = self._inner.get(code)
            if inner is None:
                inner = self._inner[code] = variants.build_inner(self._norm.get(code, {}), code)
            readings = [morph.analyze(word, code) for word in words]
            candidates: set[int] = set()
            for reading in readings[0]:
                candidates.update(_ids(first.get(reading.key)))
                candidates.update(_ids(inner.get(reading.key)))
            if len(candidates) > _PARTIAL_CANDIDATES:
                continue
            for eid in sorted(candidates):
                patterns = self._shape(eid).patterns
                m = len(patterns)
                if m <= n:
                    continue
                for j in range(m - n + 1):
                    if all(_holds(patterns[j + k], readings[k], code) for k in range(n)):
                        out.append((eid, n / m))
                        break
        return out

    # ------------------------------------------------------------------------------------------ fuzzy

    def _fuzzy_index(self, code: str) -> _FuzzyIndex:
        """Trigram tables over the normalized keys of one language: a loaded index's, else built on first use
        (and by `save`)."""
        if self._fuzzy_json is not None:
            self._fuzzy = _fuzzy_tables(self._fuzzy_json, len(self._owner))
            self._fuzzy_json = None
        table = self._fuzzy.get(code)
        if table is None:
            table = self._fuzzy[code] = _FuzzyIndex.build(
                (k, [eid for eid in _ids(value) if not self._is_abbreviation(eid)])
                for k, value in self._norm.get(code, {}).items()
            )
        return table

    def _fuzzy_candidates(self, words: list[str], langs: list[str]) -> list[tuple[int, float]]:
        if len(words) == 1 and morph.is_abbreviation(words[0]):
            return []
        variants = [words]
        last = normalize_apostrophes(words[-1])
        if "'" in last:
            # The stem of an inflected name: "Kazakhistan'da" -> "kazakhistan".
            variants.append([*words[:-1], last.split("'", 1)[0]])
        out: dict[int, float] = {}
        for code in langs:
            for q in {_norm_key(variant, code) for variant in variants}:
                if len(q) < FUZZY_MIN_LENGTH:
                    continue
                for eid, similarity in self._fuzzy_index(code).search(q):
                    if similarity > out.get(eid, 0.0):
                        out[eid] = similarity
        return list(out.items())

    # ------------------------------------------------------------------------------------------ cache

    def save(self, path: str | Path) -> None:
        """Write the index (with its fuzzy tables) to `path` atomically, as JSON, for `load` or `cached`."""
        import json

        from ..formats.atomic import write_bytes

        for code in self._norm:
            self._fuzzy_index(code)
        fuzzy = {
            code: [table.keys, table.entries, {gram: ids.tolist() for gram, ids in table.postings.items()}]
            for code, table in self._fuzzy.items()
        }
        data = {
            "magic": _MAGIC,
            "format": FORMAT_VERSION,
            "version": _version(),
            "stamp": self.stamp,
            "header": list(self.header),
            "concepts": [_pack(self._concept_at(i)) for i in range(len(self._concepts))],
            "owner": self._owner.tolist(),
            "order": self._order.tolist(),
            "tag": self._tag,
            "lang": self._lang,
            "by_id": self._by_id,
            "norm": self._norm,
            "compact": self._compact,
            "first": self._first,
            # Kept as JSON text inside the JSON: a scan, and most lookups, never need the fuzzy tables, and
            # decoding a string is much quicker than decoding and checking the tables it holds.
            "fuzzy": json.dumps(fuzzy, ensure_ascii=False, separators=(",", ":")),
        }
        write_bytes(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    @classmethod
    def load(cls, path: str | Path) -> TermIndex:
        """Read an index written by `save`. The file is data only (JSON) and checked through before use: the
        cache lives in a project folder, which may come from anyone, so a crafted file can at most be refused."""
        import json

        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise KervanError(exc.strerror or str(exc), path) from None
        try:
            payload = json.loads(data)
        except (ValueError, RecursionError):
            raise KervanError("not a Kervan term index", path) from None
        if not isinstance(payload, dict) or payload.get("magic") != _MAGIC:
            raise KervanError("not a Kervan term index", path)
        if payload.get("format") != FORMAT_VERSION or payload.get("version") != _version():
            raise KervanError(
                f"term index written by another version ({payload.get('version')}, format {payload.get('format')})",
                path,
            )
        try:
            return cls._from_data(payload)
        except (TypeError, ValueError, KeyError, IndexError, OverflowError, AttributeError):
            raise KervanError("damaged term index", path) from None

    @classmethod
    def _from_data(cls, data: dict[str, object]) -> TermIndex:
        """An index from `save`'s data, every part checked: types, lengths, and ids within range."""
        index = cls()
        stamp = data["stamp"]
        index.stamp = tuple(_frozen(stamp)) if isinstance(stamp, list) else None
        header = data["header"]
        if not isinstance(header, list) or len(header) != 2 or not all(type(part) is str for part in header):
            raise TypeError("header")
        index.header = (header[0], header[1])
        concepts = data["concepts"]
        if not isinstance(concepts, list):
            raise TypeError("concepts")
        index._packed = [_checked_concept(item) for item in concepts]
        index._concepts = [None] * len(index._packed)
        index._owner = array("I", _ints(data["owner"], len(concepts)))
        index._order = array("H", _ints(data["order"], 0x10000))
        index._tag, index._lang = _strings(data["tag"]), _strings(data["lang"])
        terms = len(index._owner)
        if not len(index._order) == len(index._tag) == len(index._lang) == terms:
            raise ValueError("term tables differ in length")
        for eid in range(terms):
            _check_term_position(index._packed[index._owner[eid]], index._tag[eid], index._order[eid])
        by_id = data["by_id"]
        if not isinstance(by_id, dict):
            raise TypeError("by_id")
        index._by_id = {str(k): _ints([v], len(concepts))[0] for k, v in by_id.items()}
        index._norm, index._compact, index._first = (_table(data[name], terms) for name in ("norm", "compact", "first"))
        fuzzy = data["fuzzy"]
        if not isinstance(fuzzy, str):
            raise TypeError("fuzzy")
        index._fuzzy_json = fuzzy
        return index

    @classmethod
    def cached(
        cls,
        glossary: str | Path,
        cache_dir: str | Path,
        read: Callable[[Path], Iterable[Concept]],
        header: Callable[[Path], tuple[str, str]] | None = None,
    ) -> TermIndex:
        """The index of `glossary`, from `cache_dir` when the file's mtime and size, Kervan's version and the
        matcher's code still match, else built with `read(glossary)` (and `header(glossary)`, the termbase's
        title and description, kept with it) and saved there (one file per glossary)."""
        source = Path(glossary)
        try:
            stat = source.stat()
        except OSError as exc:
            raise KervanError(exc.strerror or str(exc), source) from None
        resolved = str(source.resolve())
        stamp = (resolved, stat.st_mtime_ns, stat.st_size, FORMAT_VERSION, _version(), _code_stamp())
        # A name per glossary path; the stamp inside tells whether the file really is this glossary's index.
        name = f"terms-{zlib.crc32(resolved.encode('utf-8')):08x}.json"
        target = Path(cache_dir) / name
        if target.is_file():
            try:
                index = cls.load(target)
            except KervanError:
                index = None
            if index is not None and index.stamp == _frozen(list(stamp)):
                return index
        index = cls.build(read(source))
        if header is not None:
            index.header = header(source)
        index.stamp = _frozen(list(stamp))
        with contextlib.suppress(OSError):  # a read-only project still answers, only without the cache
            index.save(target)
        return index


_MAGIC = "kervan-term-index"


def _pack(concept: Concept) -> tuple[object, ...]:
    """A concept as plain tuples (every field, in declaration order; terms as field tuples)."""
    values = list(concept.astuple())
    values[_TERMS_AT] = tuple((lang, tuple(t.astuple() for t in terms)) for lang, terms in concept.terms.items())
    return tuple(values)


_CONCEPT_FIELDS = list(Concept._fields)
_TERMS_AT = _CONCEPT_FIELDS.index("terms")
_TERM_FIELDS = len(Term._fields)


def _frozen(value: object) -> tuple[object, ...]:
    """A stamp as JSON gives it back, lists turned to tuples, so a fresh and a loaded stamp compare equal."""
    return tuple(_frozen(item) if isinstance(item, list | tuple) else item for item in value)  # type: ignore[attr-defined]


def _fuzzy_tables(text: str, terms: int) -> dict[str, _FuzzyIndex]:
    """The fuzzy tables a loaded index carried, every part checked; none (each then built again from the
    normalized keys, to the same result) when anything in them is amiss."""
    import json

    tables: dict[str, _FuzzyIndex] = {}
    try:
        fuzzy = json.loads(text)
        if not isinstance(fuzzy, dict):
            raise TypeError("fuzzy")
        for code, (keys, entries, postings) in fuzzy.items():
            table = _FuzzyIndex()
            table.keys = _strings(keys)
            if not isinstance(entries, list) or len(entries) != len(table.keys):
                raise ValueError("fuzzy entries")
            table.entries = [_posting(value, terms) for value in entries]
            if not isinstance(postings, dict):
                raise TypeError("postings")
            lists = list(postings.values())
            if not all(type(ids) is list for ids in lists):
                raise TypeError("ids expected")
            _ints(list(itertools.chain.from_iterable(lists)), len(table.keys))  # all checked at once
            table.postings = {str(g): array("I", ids) for g, ids in postings.items()}
            tables[str(code)] = table
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, AttributeError, RecursionError):
        return {}
    return tables


def _ints(value: object, bound: int) -> list[int]:
    """`value` when it is a list of integers in [0, bound); checked in C (array, min, max), not item by item."""
    if not isinstance(value, list):
        raise TypeError("ids expected")
    checked = array("q", value)  # refuses anything but integers that fit
    if checked and (min(checked) < 0 or max(checked) >= bound):
        raise ValueError("ids out of range")
    return value


def _strings(value: object) -> list[str]:
    if not isinstance(value, list) or not all(map(str.__instancecheck__, value)):  # isinstance(item, str), in C
        raise TypeError("strings expected")
    return value


def _posting(value: object, bound: int) -> int | list[int]:
    if type(value) is int:
        if not 0 <= value < bound:
            raise ValueError("id out of range")
        return value
    return _ints(value, bound)


def _table(value: object, bound: int) -> dict[str, dict[str, int | list[int]]]:
    if not isinstance(value, dict):
        raise TypeError("table")
    result: dict[str, dict[str, int | list[int]]] = {}
    for code, keys in value.items():
        if not isinstance(keys, dict):
            raise TypeError("table")
        # Every posting at once (a few C calls per table, not some per key): single ids, then lists of ids.
        postings = list(keys.values())
        single = [v for v in postings if type(v) is int]
        several = [v for v in postings if type(v) is not int]
        if not all(type(v) is list for v in several):
            raise TypeError("ids expected")
        _ints(single, bound)
        _ints(list(itertools.chain.from_iterable(several)), bound)
        result[str(code)] = {str(k): v for k, v in keys.items()}
    return result


def _checked_concept(item: object) -> tuple[object, ...]:
    """A packed concept (see `_pack`) with the types `_unpack` needs: strings everywhere, terms by language."""
    names = _CONCEPT_FIELDS
    if not isinstance(item, list) or len(item) != len(names):
        raise ValueError("concept")
    term_fields = _TERM_FIELDS
    for name, value in zip(names, item, strict=True):
        if name != "terms":
            if type(value) is not str:
                raise TypeError(name)
            continue
        if not isinstance(value, list):
            raise TypeError("terms")
        for group in value:
            if not isinstance(group, list) or len(group) != 2 or type(group[0]) is not str:
                raise TypeError("terms")
            if not isinstance(group[1], list):
                raise TypeError("terms")
            for term in group[1]:
                if not isinstance(term, list) or len(term) != term_fields or not all(type(t) is str for t in term):
                    raise TypeError("term")
    return tuple(item)


def _check_term_position(packed: tuple[object, ...], tag: str, order: int) -> None:
    for lang, group in packed[_TERMS_AT]:  # type: ignore[attr-defined]
        if lang == tag:
            if order >= len(group):
                raise IndexError("term order")
            return
    raise KeyError("term language")


def _unpack(packed: tuple[object, ...]) -> Concept:
    values = list(packed)
    terms: tuple[tuple[str, tuple[tuple[object, ...], ...]], ...] = values[_TERMS_AT]  # type: ignore[assignment]
    values[_TERMS_AT] = {lang: tuple(Term(*t) for t in group) for lang, group in terms}  # type: ignore[arg-type]
    return Concept(*values)  # type: ignore[arg-type]


def _version() -> str:
    from .. import __version__

    return __version__


def _code_stamp() -> tuple[int, ...]:
    """Size and mtime of the matcher's own modules: an edited morphology invalidates cached indexes even
    before the version number changes."""
    stamp: list[int] = []
    for module in (__file__, morph.__file__):
        try:
            info = Path(module).stat()
        except (OSError, TypeError):
            continue
        stamp += [info.st_size, info.st_mtime_ns]
    return tuple(stamp)


def _kind_of(tier: int) -> MatchKind:
    for kind, value in _TIERS.items():
        if value == tier:
            return kind
    raise AssertionError(tier)


def _accepting(pattern: WordPattern, readings: Sequence[Analysis], code: str, strict: bool) -> Analysis | None:
    """The first reading of a text word that the pattern accepts (uninflected readings come first)."""
    for reading in readings:
        for k, paradigm in pattern.keys:
            if reading.key == k and morph.accepts(pattern, paradigm, reading, code, strict=strict):
                return reading
    return None


def _holds(pattern: WordPattern, readings: Sequence[Analysis], code: str) -> bool:
    """Whether a query word is the pattern's word: in a form the pattern accepts, or, for the last word of a
    Turkish compound, bare and equal to its stem ("santral" for the "santrali" of "nükleer enerji santrali")."""
    return any(
        reading.key == k
        and (
            paradigm == morph.TR_BARE  # a free noun: "santral", "santraller" (analyze vetted the chain)
            or morph.accepts(pattern, paradigm, reading, code, strict=False)
        )
        for reading in readings
        for k, paradigm in pattern.keys
    )


# ---------------------------------------------------------------------------------------------- fuzzy


def _grams(text: str) -> list[str]:
    padded = f"  {text}  "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def _distance(a: str, b: str, bound: int) -> int:
    """Edit distance with adjacent transpositions; stops early once it exceeds `bound`."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        low = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, prev2[j - 2] + 1)
            row[j] = value
            low = min(low, value)
        if low > bound:
            return bound + 1
        prev2, prev = prev, row
    return prev[-1]


class _FuzzyIndex:
    """Trigram postings over the normalized keys of one language's terms, abbreviations left out."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.entries: list[int | list[int]] = []
        self.postings: dict[str, array[int]] = {}

    @classmethod
    def build(cls, keys: Iterable[tuple[str, list[int]]]) -> _FuzzyIndex:
        index = cls()
        postings: dict[str, list[int]] = {}
        for k, eids in keys:
            if len(k) < FUZZY_MIN_LENGTH or not eids:
                continue
            kid = len(index.keys)
            index.keys.append(k)
            index.entries.append(eids[0] if len(eids) == 1 else eids)
            for gram in set(_grams(k)):
                postings.setdefault(gram, []).append(kid)
        index.postings = {gram: array("I", ids_) for gram, ids_ in postings.items()}
        return index

    def search(self, query: str) -> list[tuple[int, float]]:
        # An edit destroys at most three of a key's trigrams, a transposition four. So a key within distance
        # k shares at least m - 4k of any m distinct query trigrams: counting hits over the rarest m (m
        # well above 4k) finds every candidate while touching only short postings; the edit distance is
        # computed for the few that pass.
        bound = int((1 - FUZZY_THRESHOLD) * len(query) / FUZZY_THRESHOLD + 1e-9)
        if bound < 1:
            return []
        query_grams = set(_grams(query))
        grams = sorted(query_grams, key=lambda g: len(self.postings.get(g, ())))
        chosen = grams[: 4 * bound + 1]
        for gram in grams[4 * bound + 1 : 8 * bound + 2]:
            if len(self.postings.get(gram, ())) > _FUZZY_POSTINGS:
                break  # more trigrams filter better, but a common one costs more than it saves
            chosen.append(gram)
        need = max(1, len(chosen) - 4 * bound)
        hits: Counter[int] = Counter()
        for gram in chosen:
            hits.update(self.postings.get(gram, ()))
        out: list[tuple[int, float]] = []
        for kid, count in hits.items():
            if count < need:
                continue
            k = self.keys[kid]
            longest = max(len(k), len(query))
            allowed = int((1 - FUZZY_THRESHOLD) * longest + 1e-9)
            if allowed < 1 or abs(len(k) - len(query)) > allowed:
                continue
            if len(query_grams.difference(_grams(k))) > 4 * allowed:
                continue
            distance = _distance(query, k, allowed)
            if distance > allowed:
                continue
            similarity = 1 - distance / longest
            out.extend((eid, similarity) for eid in _ids(self.entries[kid]))
        return out
