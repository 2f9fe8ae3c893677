"""The translation memory: what a unit is, what a match is, and the look-ups both backends share.

A backend (SQLite embedded, PostgreSQL shared) stores units and answers a few primitive questions, each for
many keys at once: units with some exact-match keys; how many units hold each of some index words; the ids of
the units holding each of some words (postings, in blocks); the scoring words and the rest of some units; and
where units came from (their origin: a TMX file under tm/ or an article's catalogs). Matching itself lives
here, once, so both backends give the same answers, and many segments are matched together (one look-up per
step for all of them: leverage fills a whole catalog so).

Finding fuzzy candidates: the query's distinct index words are ranked rarest first and the first
``max_missing + 1`` of them are looked up (see :func:`scoring.max_missing`): a unit that can reach the minimum
score contains at least one of them. The units holding the most of them are then scored exactly, word by word.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring as _json_string  # type: ignore[attr-defined]
from typing import Any

from ..record import Record, init
from . import scoring

# Candidates scored per query at most, those holding the most of the looked-up words first.
CANDIDATE_LIMIT = 200
# Postings read per query at most. Past it the remaining (common) words are not looked up: a unit reachable
# only through them may be missed. With a minimum score of 75 a query of n words looks up n/3 + 1 of its
# rarest words, which stay far below this on news text.
POSTINGS_BUDGET = 10_000
BATCH = 5000
# Units whose index words are gathered in memory before they are written as one row per word.
POSTINGS_BLOCK = 100_000
_BIG_ENDIAN = sys.byteorder == "big"


class TmUnit(Record):
    """One source text with its translations, where it came from, and the source text before it (context)."""

    _fields = ("source", "targets", "origin", "src_lang", "previous")
    __slots__ = _fields
    source: str
    targets: dict[str, str]
    origin: str
    src_lang: str
    previous: str  # the source segment before this one in its document ("" for none)

    def __init__(
        self, source: str, targets: dict[str, str], origin: str, src_lang: str = "tr", previous: str = ""
    ) -> None:
        init(self, "source", source)
        init(self, "targets", targets)
        init(self, "origin", origin)
        init(self, "src_lang", src_lang)
        init(self, "previous", previous)


class Stored(Record):
    """A unit as read back from a store."""

    _fields = ("id", "source", "targets", "origin", "context", "words")
    __slots__ = _fields
    id: int
    source: str
    targets: dict[str, str]
    origin: str
    context: int
    words: tuple[str, ...]

    def __init__(
        self, id: int, source: str, targets: dict[str, str], origin: str, context: int, words: tuple[str, ...]
    ) -> None:
        init(self, "id", id)
        init(self, "source", source)
        init(self, "targets", targets)
        init(self, "origin", origin)
        init(self, "context", context)
        init(self, "words", words)


class Match(Record):
    """A unit scored against a query: 100 identical words, 101 identical and the preceding segment too."""

    _fields = ("score", "source", "targets", "origin", "in_context")
    __slots__ = _fields
    score: int
    source: str
    targets: dict[str, str]
    origin: str
    in_context: bool

    def __init__(self, score: int, source: str, targets: dict[str, str], origin: str, in_context: bool = False) -> None:
        init(self, "score", score)
        init(self, "source", source)
        init(self, "targets", targets)
        init(self, "origin", origin)
        init(self, "in_context", in_context)

    @property
    def kind(self) -> str:
        if self.score >= 100:
            return "context" if self.in_context else "exact"
        return "fuzzy"

    def to_json(self) -> dict[str, Any]:
        return {"score": self.score, "source": self.source, "targets": self.targets, "origin": self.origin}


# A unit prepared for storage, every derived column computed once, the same way for every backend: (source
# language, source, targets as JSON with sorted keys, exact-match key, context key, scoring words space-joined).
# The index words are derived from the scoring words where the rows are stored (Postings.add_all).
Row = tuple[str, str, str, int, int, str]
# The first half of that work, which a reader process can do (see :mod:`.parallel`): (source language, source,
# targets as JSON, the source before it). Plain tuples: a million of them cross a process boundary.
Draft = tuple[str, str, str, str]


def draft(unit: TmUnit) -> Draft:
    # JSON written by hand (keys are language codes, values escaped by json's C encoder): an import does this
    # a million times, json.dumps with sorted keys takes five times as long.
    targets = unit.targets
    if len(targets) == 1:
        [(lang, text)] = targets.items()
        encoded = f'{{"{lang}":{_json_string(text)}}}'
    else:
        encoded = "{" + ",".join([f'"{lang}":{_json_string(targets[lang])}' for lang in sorted(targets)]) + "}"
    return (unit.src_lang, unit.source, encoded, unit.previous)


def drafts(units: Iterable[TmUnit], size: int = BATCH) -> Iterator[list[Draft]]:
    batch: list[Draft] = []
    for unit in units:
        batch.append(draft(unit))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def finish(batches: Iterable[list[Draft]]) -> Iterator[list[Row]]:
    """The rows of drafted units: words and keys. The context key of a unit whose previous source is the unit
    before it (as in a file) is that unit's key, computed already."""
    last_source, last_key = None, 0
    for batch in batches:
        rows: list[Row] = []
        for src_lang, source, targets, previous in batch:
            joined = " ".join(scoring.tokens(source))
            if not previous:
                context = 0
            elif previous == last_source:
                context = last_key
            else:
                context = scoring.text_key(scoring.tokens(previous))
            key = scoring.joined_key(joined)
            rows.append((src_lang, source, targets, key, context, joined))
            last_source, last_key = source, key
        yield rows


def batches(units: Iterable[TmUnit], size: int = BATCH) -> Iterator[list[Row]]:
    """Units prepared for storage, in batches."""
    return finish(drafts(units, size))


class DraftBatches:
    """Units drafted already, in batches (by another process, see :mod:`.parallel`): finished as they come."""

    def __init__(self, batches: Iterable[list[Draft]]) -> None:
        self._batches = batches

    def __iter__(self) -> Iterator[list[Draft]]:
        return iter(self._batches)


def row_batches(units: Iterable[TmUnit] | DraftBatches) -> Iterator[list[Row]]:
    """What a backend stores: the batches of prepared units, however they were given."""
    return finish(units) if isinstance(units, DraftBatches) else batches(units)


class Postings:
    """The index words of the units being stored, as word -> unit ids, written out every `block` units.

    One row per (word, block) instead of one per (word, unit): an import writes a few rows per distinct word,
    a look-up reads a few, and memory stays bounded by the block whatever the size of the file.
    """

    def __init__(self, block: int = POSTINGS_BLOCK) -> None:
        self.block = block
        self.units = 0
        self.lists: defaultdict[str, array[int]] = defaultdict(_new_ids)

    def add_all(self, first: int, rows: Sequence[Row]) -> None:
        """The index words of `rows`, stored with the ids first, first + 1, ..."""
        self.units += len(rows)
        lang = rows[0][0] if rows else ""
        if all(row[0] == lang for row in rows):  # one language (always, in a file): folded in one pass
            folded = scoring.fold_joined("\n".join([row[5] for row in rows]), lang).split("\n")
        else:
            folded = [scoring.fold_joined(row[5], row[0]) for row in rows]
        lists = self.lists
        for ident, words in enumerate(folded, first):
            if words:
                for word in set(words.split(" ")):  # ids only grow: each list comes out sorted in any order
                    lists[word].append(ident)

    @property
    def full(self) -> bool:
        return self.units >= self.block

    def take(self) -> list[tuple[str, int, int, bytes]]:
        """Rows (word, first id, units, ids) of what was added since the last call, sorted by word."""
        rows = [(word, ids[0], len(ids), pack_ids(ids)) for word, ids in sorted(self.lists.items())]
        self.lists = defaultdict(_new_ids)
        self.units = 0
        return rows


def _new_ids() -> array[int]:
    return array("q")


def pack_ids(ids: array[int]) -> bytes:
    """Unit ids as stored: 64-bit little-endian integers."""
    if _BIG_ENDIAN:
        ids = array("q", ids)
        ids.byteswap()
    return ids.tobytes()


def unpack_ids(data: bytes) -> array[int]:
    ids = array("q")
    ids.frombytes(data)
    if _BIG_ENDIAN:
        ids.byteswap()
    return ids


class _Query(Record):
    """One text to match: its scoring words, exact-match key, context key and index words."""

    _fields = ("words", "key", "context", "index")
    __slots__ = _fields
    words: list[str]
    key: int
    context: int
    index: list[str]

    def __init__(self, words: list[str], key: int, context: int, index: list[str]) -> None:
        init(self, "words", words)
        init(self, "key", key)
        init(self, "context", context)
        init(self, "index", index)


class Memory:
    """A translation memory store. Backends implement the primitives; matching is shared."""

    backend = "?"
    location = ""
    shared = False  # a memory other machines write to: what this one lacks may be theirs, not removed

    # ---- primitives (backends) ------------------------------------------------------------------------
    def replace_origin(
        self, origin: str, kind: str, stamp: str, units: Iterable[TmUnit] | DraftBatches
    ) -> int:  # pragma: no cover
        """Atomically: drop every unit of `origin`, store `units` (all of them: a repeated unit is shown once
        by the look-ups), record the origin's stamp."""
        raise NotImplementedError

    def remove_origin(self, origin: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def origins(self) -> dict[str, tuple[str, str]]:  # pragma: no cover
        """origin -> (kind, stamp)."""
        raise NotImplementedError

    def set_stamp(self, origin: str, stamp: str) -> None:  # pragma: no cover
        raise NotImplementedError

    def exact(self, src_lang: str, keys: Sequence[int]) -> list[tuple[int, Stored]]:  # pragma: no cover
        """(key, unit) of the units whose exact-match key is one of `keys`."""
        raise NotImplementedError

    def document_frequency(self, words: Sequence[str]) -> dict[str, int]:  # pragma: no cover
        """How many units hold each index word (words no unit holds are left out)."""
        raise NotImplementedError

    def postings(self, words: Sequence[str]) -> dict[str, list[Sequence[int]]]:  # pragma: no cover
        """Ids of the units holding each index word, in blocks."""
        raise NotImplementedError

    def fetch(self, src_lang: str, ids: Sequence[int]) -> list[Stored]:  # pragma: no cover
        raise NotImplementedError

    def words_of(self, src_lang: str, ids: Sequence[int]) -> list[tuple[int, str]]:  # pragma: no cover
        """(id, scoring words space-joined) of units: all that scoring needs, fetched before the rest."""
        raise NotImplementedError

    def iter_all(self) -> Iterator[Stored]:  # pragma: no cover
        raise NotImplementedError

    # The connection, and the three queries stats() runs: (source, target language, units), (origin name, kind,
    # units) and the count of units; each backend names its tables and reads its JSON its own way.
    db: Any
    STATS_SQL: tuple[str, str, str]

    def stats(self) -> dict[str, Any]:
        """{"units": n, "pairs": {(src, tgt): n}, "origins": {origin: (kind, n)}}"""
        pairs_sql, origins_sql, units_sql = self.STATS_SQL
        db = self.db
        pairs = {(src, tgt): n for src, tgt, n in db.execute(pairs_sql)}
        origins = {name: (kind, n) for name, kind, n in db.execute(origins_sql)}
        units = db.execute(units_sql).fetchone()[0]
        return {"units": units, "pairs": pairs, "origins": origins}

    def close(self) -> None:  # pragma: no cover
        pass

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- matching (shared) ----------------------------------------------------------------------------
    @staticmethod
    def _choose(query: _Query, frequency: dict[str, int], min_score: int) -> list[str]:
        """The index words whose units are the candidates of a query (see the module docstring)."""
        present = sorted((w for w in query.index if frequency.get(w, 0)), key=lambda w: (frequency[w], w))
        # Counted over every word of the query: a distinct word missing from a unit costs one edit or more.
        need = scoring.max_missing(len(query.words), min_score) + 1
        chosen = []
        budget = POSTINGS_BUDGET
        for number, word in enumerate(present[:need]):
            if number and frequency[word] > budget:
                break  # only common words left: what the rarer ones bring is what can be scored in time
            budget -= frequency[word]
            chosen.append(word)
        return chosen

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
        return self.matches_many([(text, previous)], src_lang=src_lang, langs=langs, min_score=min_score,
                                 limit=limit)[0]  # fmt: skip

    def matches_many(
        self,
        texts: Sequence[tuple[str, str | None]],
        *,
        src_lang: str,
        langs: Sequence[str] | None = None,
        min_score: int = 75,
        limit: int = 5,
    ) -> list[list[Match]]:
        """:meth:`matches` of many (text, previous text) at once: each step is one look-up for all of them."""
        wanted = list(langs) if langs else None
        queries: list[_Query | None] = []
        for text, previous in texts:
            words = scoring.tokens(text)
            if not words:
                queries.append(None)
                continue
            context = scoring.text_key(scoring.tokens(previous)) if previous else 0
            index = list(dict.fromkeys(scoring.index_words(words, src_lang)))
            queries.append(_Query(words, scoring.text_key(words), context, index))
        live = [q for q in queries if q is not None]
        if not live:
            return [[] for _ in queries]

        by_key: dict[int, list[Stored]] = {}
        for key, unit in self.exact(src_lang, sorted({q.key for q in live})):
            by_key.setdefault(key, []).append(unit)
        found: list[dict[int, tuple[tuple[int, bool, int], Match]]] = []
        fuzzy: list[_Query] = []
        for query in live:
            mine: dict[int, tuple[tuple[int, bool, int], Match]] = {}
            for unit in by_key.get(query.key, ()):
                if list(unit.words) == query.words:
                    _consider(mine, unit, 100, query.context, wanted)
            found.append(mine)
            if min_score < 100 or not mine:
                fuzzy.append(query)

        if fuzzy:
            frequency = self.document_frequency(sorted({w for q in fuzzy for w in q.index}))
            chosen = {id(q): self._choose(q, frequency, min_score) for q in fuzzy}
            lists = self.postings(sorted({w for words in chosen.values() for w in words}))
            candidates: dict[int, list[int]] = {}
            for query, mine in zip(live, found, strict=True):
                if id(query) not in chosen:
                    continue
                counts: Counter[int] = Counter()
                for word in chosen[id(query)]:
                    for block in lists.get(word, ()):
                        counts.update(block)
                best = [ident for ident, _n in counts.most_common(CANDIDATE_LIMIT)]
                candidates[id(query)] = [ident for ident in best if ident not in mine]
            texts_of = dict(self.words_of(src_lang, sorted({i for ids in candidates.values() for i in ids})))
            scored: dict[int, dict[int, int]] = {}
            for query in fuzzy:
                size = len(query.words)
                # A unit of m words scores at most 100 * min(n, m) / max(n, m): longer or shorter ones are skipped.
                shortest = -(-size * min_score // 100)
                longest = size * 100 // min_score if min_score else 1 << 30
                scores = {}
                for ident in candidates[id(query)]:
                    joined = texts_of.get(ident)
                    if joined is None:
                        continue
                    unit_words = joined.split(" ") if joined else []
                    if not shortest <= len(unit_words) <= longest:
                        continue
                    value = scoring.score_words(query.words, unit_words)
                    if value >= min_score:
                        scores[ident] = value
                scored[id(query)] = scores
            units = {u.id: u for u in self.fetch(src_lang, sorted({i for s in scored.values() for i in s}))}
            for query, mine in zip(live, found, strict=True):
                for ident, value in scored.get(id(query), {}).items():
                    if ident in units:
                        _consider(mine, units[ident], value, query.context, wanted)

        results: list[list[Match]] = []
        mines = iter(found)
        for query in queries:
            if query is None:
                results.append([])
                continue
            ranked = sorted(next(mines).values(), key=lambda item: item[0], reverse=True)
            results.append(_distinct([match for _rank, match in ranked])[:limit])
        return results

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
        ids = sorted((i for block in self.postings([rarest]).get(rarest, ()) for i in block), reverse=True)
        for unit in self.fetch(src_lang, ids[: CANDIDATE_LIMIT * 5]):
            unit_index = scoring.index_words(unit.words, src_lang)
            if not _contains_run(unit_index, index):
                continue
            targets = unit.targets if not langs else {k: v for k, v in unit.targets.items() if k in langs}
            if targets:
                found.append(Match(scoring.score_words(words, unit.words), unit.source, targets, unit.origin))
        found.sort(key=lambda m: -m.score)
        return _distinct(found)[:limit]


def _consider(
    found: dict[int, tuple[tuple[int, bool, int], Match]],
    unit: Stored,
    value: int,
    context: int,
    wanted: list[str] | None,
) -> None:
    targets = unit.targets
    if wanted is not None:
        targets = {lang: targets[lang] for lang in wanted if targets.get(lang)}
        if not targets:
            return
    in_context = value >= 100 and bool(context) and unit.context == context
    rank = (value + in_context, in_context, unit.id)
    if unit.id not in found or rank > found[unit.id][0]:
        found[unit.id] = (rank, Match(value + in_context, unit.source, targets, unit.origin, in_context))


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
