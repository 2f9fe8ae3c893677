"""The translation memory: what a unit is, what a match is, and the look-ups both backends share.

A backend (SQLite embedded, PostgreSQL shared) stores units and answers four primitive questions: units with
a given exact-match key; how many units contain each of some index words; the units containing some of those
words (those holding the most first, up to a limit); and where units came from (their origin: a TMX file
under tm/ or an article's catalogs). Matching itself lives here, once, so both backends give the same answers.

Finding fuzzy candidates: the query's distinct index words are ranked rarest first and the first
``max_missing + 1`` of them are looked up (see :func:`scoring.max_missing`): a unit that can reach the minimum
score contains at least one of them. The units holding the most of them are then scored exactly, word by word.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _json_string  # type: ignore[attr-defined]
from typing import Any

from . import scoring

# Candidates scored per query at most, those holding the most of the looked-up words first.
CANDIDATE_LIMIT = 200
# Postings read per query at most. Past it the remaining (common) words are not looked up: a unit reachable
# only through them may be missed. With a minimum score of 75 a query of n words looks up n/3 + 1 of its
# rarest words, which stay far below this on news text.
POSTINGS_BUDGET = 10_000
BATCH = 5000


@dataclass(frozen=True, slots=True)
class TmUnit:
    """One source text with its translations, where it came from, and the source text before it (context)."""

    source: str
    targets: dict[str, str]
    origin: str
    src_lang: str = "tr"
    previous: str = ""  # the source segment before this one in its document ("" for none)


@dataclass(frozen=True, slots=True)
class Stored:
    """A unit as read back from a store."""

    id: int
    source: str
    targets: dict[str, str]
    origin: str
    context: int
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """A unit scored against a query: 100 identical words, 101 identical and the preceding segment too."""

    score: int
    source: str
    targets: dict[str, str]
    origin: str
    in_context: bool = False

    @property
    def kind(self) -> str:
        if self.score >= 100:
            return "context" if self.in_context else "exact"
        return "fuzzy"

    def to_json(self) -> dict[str, Any]:
        return {"score": self.score, "source": self.source, "targets": self.targets, "origin": self.origin}


@dataclass
class Row:
    """A unit prepared for storage: every derived column computed once, the same way for every backend."""

    src_lang: str
    source: str
    targets: str  # JSON, keys sorted
    origin: str
    key: int
    context: int
    words: str  # scoring words, space-joined
    index: list[str] = field(default_factory=list)  # distinct index words


def prepare(unit: TmUnit, previous: tuple[str, int] | None = None) -> Row:
    """Every derived column of a unit. `previous` is (source, key) of the unit read before it: a file's units
    follow each other, so the context key is usually known already."""
    words = scoring.tokens(unit.source)
    if not unit.previous:
        context = 0
    elif previous is not None and previous[0] == unit.previous:
        context = previous[1]
    else:
        context = scoring.text_key(scoring.tokens(unit.previous))
    # JSON written by hand (keys are language codes, values escaped by json's C encoder): an import does this
    # a million times, json.dumps with sorted keys takes five times as long.
    targets = "{" + ",".join(f'"{lang}":{_json_string(text)}' for lang, text in sorted(unit.targets.items())) + "}"
    index = list(dict.fromkeys(scoring.index_words(words, unit.src_lang)))
    return Row(
        src_lang=unit.src_lang,
        source=unit.source,
        targets=targets,
        origin=unit.origin,
        key=scoring.text_key(words),
        context=context,
        words=" ".join(words),
        index=index,
    )


def batches(units: Iterable[TmUnit], size: int = BATCH) -> Iterator[list[Row]]:
    batch: list[Row] = []
    last: tuple[str, int] | None = None
    for unit in units:
        row = prepare(unit, last)
        last = (unit.source, row.key)
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Memory:
    """A translation memory store. Backends implement the primitives; matching is shared."""

    backend = "?"
    location = ""
    shared = False  # a memory other machines write to: what this one lacks may be theirs, not removed

    # ---- primitives (backends) ------------------------------------------------------------------------
    def add(self, units: Iterable[TmUnit]) -> int:  # pragma: no cover - abstract
        """Store units (a unit already stored under its origin is not stored twice); returns units read."""
        raise NotImplementedError

    def replace_origin(self, origin: str, kind: str, stamp: str, units: Iterable[TmUnit]) -> int:  # pragma: no cover
        """Atomically: drop every unit of `origin`, store `units` (all of them: a repeated unit is shown once
        by the look-ups), record the origin's stamp."""
        raise NotImplementedError

    def remove_origin(self, origin: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def origins(self) -> dict[str, tuple[str, str]]:  # pragma: no cover
        """origin -> (kind, stamp)."""
        raise NotImplementedError

    def by_key(self, src_lang: str, key: int) -> list[Stored]:  # pragma: no cover
        raise NotImplementedError

    def document_frequency(self, words: Sequence[str]) -> dict[str, int]:  # pragma: no cover
        raise NotImplementedError

    def postings(self, word: str) -> list[int]:  # pragma: no cover
        """Ids of the units holding an index word."""
        raise NotImplementedError

    def fetch(self, src_lang: str, ids: Sequence[int]) -> list[Stored]:  # pragma: no cover
        raise NotImplementedError

    def words_of(self, src_lang: str, ids: Sequence[int]) -> list[tuple[int, str]]:  # pragma: no cover
        """(id, scoring words space-joined) of units: all that scoring needs, fetched before the rest."""
        raise NotImplementedError

    def iter_all(self) -> Iterator[Stored]:  # pragma: no cover
        raise NotImplementedError

    def stats(self) -> dict[str, Any]:  # pragma: no cover
        """{"units": n, "pairs": {(src, tgt): n}, "origins": {origin: (kind, n)}}"""
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover
        pass

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- matching (shared) ----------------------------------------------------------------------------
    def candidates(self, src_lang: str, words: Sequence[str], min_score: int) -> list[int]:
        """Ids of the units that may reach `min_score` against a query of `words` (scoring words)."""
        index = list(dict.fromkeys(scoring.index_words(words, src_lang)))
        if not index:
            return []
        frequency = self.document_frequency(index)
        present = sorted((w for w in index if frequency.get(w, 0)), key=lambda w: (frequency[w], w))
        # Counted over every word of the query: a distinct word missing from a unit costs one edit or more.
        need = scoring.max_missing(len(words), min_score) + 1
        counts: Counter[int] = Counter()
        budget = POSTINGS_BUDGET
        for number, word in enumerate(present[:need]):
            if number and frequency[word] > budget:
                break  # only common words left: what the rarer ones bring is what can be scored in time
            budget -= frequency[word]
            counts.update(self.postings(word))
        return [ident for ident, _count in counts.most_common(CANDIDATE_LIMIT)]

    def matches(
        self,
        text: str,
        *,
        src_lang: str,
        langs: Sequence[str] | None = None,
        min_score: int = 75,
        limit: int = 5,
        previous: str | None = None,
    ) -> list[Match]:
        """The best units for a source text, best first: score, then in-context, then newest."""
        words = scoring.tokens(text)
        if not words:
            return []
        wanted = list(langs) if langs else None
        context = scoring.text_key(scoring.tokens(previous)) if previous else 0
        found: dict[int, tuple[tuple[int, bool, int], Match]] = {}

        def consider(unit: Stored, value: int) -> None:
            targets = unit.targets
            if wanted is not None:
                targets = {lang: targets[lang] for lang in wanted if targets.get(lang)}
                if not targets:
                    return
            in_context = value >= 100 and bool(context) and unit.context == context
            rank = (value + in_context, in_context, unit.id)
            if unit.id not in found or rank > found[unit.id][0]:
                found[unit.id] = (rank, Match(value + in_context, unit.source, targets, unit.origin, in_context))

        key = scoring.text_key(words)
        for unit in self.by_key(src_lang, key):
            if list(unit.words) == words:
                consider(unit, 100)
        if min_score < 100 or not found:
            ids = [i for i in self.candidates(src_lang, words, min_score) if i not in found]
            scores = {}
            for ident, unit_words in self.words_of(src_lang, ids):
                value = scoring.score_words(words, unit_words.split(" ") if unit_words else [])
                if value >= min_score:
                    scores[ident] = value
            for unit in self.fetch(src_lang, list(scores)):
                consider(unit, scores[unit.id])
        ranked = sorted(found.values(), key=lambda item: item[0], reverse=True)
        return _distinct([match for _rank, match in ranked])[:limit]

    def concordance(self, text: str, *, src_lang: str, langs: Sequence[str] | None, limit: int) -> list[Match]:
        """Units whose words contain the query's words in a row (case-insensitively), with their score."""
        words = scoring.tokens(text)
        index = scoring.index_words(words, src_lang)
        if not index:
            return []
        frequency = self.document_frequency(list(dict.fromkeys(index)))
        rarest = min(index, key=lambda w: frequency.get(w, 0))
        if not frequency.get(rarest):
            return []
        found = []
        ids = sorted(self.postings(rarest), reverse=True)[: CANDIDATE_LIMIT * 5]
        for unit in self.fetch(src_lang, ids):
            unit_index = scoring.index_words(unit.words, src_lang)
            if not _contains_run(unit_index, index):
                continue
            targets = unit.targets if not langs else {k: v for k, v in unit.targets.items() if k in langs}
            if targets:
                found.append(Match(scoring.score_words(words, unit.words), unit.source, targets, unit.origin))
        found.sort(key=lambda m: -m.score)
        return _distinct(found)[:limit]


def _contains_run(words: Sequence[str], run: Sequence[str]) -> bool:
    size = len(run)
    return any(list(words[start : start + size]) == list(run) for start in range(len(words) - size + 1))


def _distinct(matches: list[Match]) -> list[Match]:
    """One match per (source, targets): the same pair stored under several origins is shown once."""
    seen: set[tuple[str, str]] = set()
    result = []
    for match in matches:
        key = (match.source, json.dumps(match.targets, sort_keys=True, ensure_ascii=False))
        if key not in seen:
            seen.add(key)
            result.append(match)
    return result


def stored_from_row(row: tuple[Any, ...]) -> Stored:
    """A stored unit from a backend's row (id, source, targets, origin, context, space-joined words)."""
    ident, source, targets, origin, context, words = row
    return Stored(ident, source, decode_targets(targets), origin, context, tuple(words.split(" ")) if words else ())


def decode_targets(raw: Any) -> dict[str, str]:
    return raw if isinstance(raw, dict) else json.loads(raw)
