"""The shared backend: a PostgreSQL database named by ``[tm] url`` in kervan.toml (needs ``kervan[postgres]``).

The same tables as the embedded index, in the connection's schema: units with their index words in a
``text[]`` column under a GIN index (the inverted index), and a table of how many units hold each word.
Word counts are added in one statement per import, in sorted order, at the end of its transaction, so
imports running at once queue on shared words instead of deadlocking. Each import is one transaction (COPY into the
table): several machines importing at once lose nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..errors import KervanError
from .store import Memory, Stored, TmUnit, batches, stored_from_row

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kervan_tm_origin(
    id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, kind text NOT NULL, stamp text NOT NULL);
CREATE TABLE IF NOT EXISTS kervan_tm_unit(
    id bigserial PRIMARY KEY, origin bigint NOT NULL REFERENCES kervan_tm_origin(id) ON DELETE CASCADE,
    src_lang text NOT NULL, source text NOT NULL, targets jsonb NOT NULL, key bigint NOT NULL,
    context bigint NOT NULL, words text NOT NULL, iwords text[] NOT NULL);
CREATE INDEX IF NOT EXISTS kervan_tm_unit_origin ON kervan_tm_unit(origin);
CREATE INDEX IF NOT EXISTS kervan_tm_unit_key ON kervan_tm_unit(key);
CREATE INDEX IF NOT EXISTS kervan_tm_unit_iwords ON kervan_tm_unit USING gin(iwords);
CREATE TABLE IF NOT EXISTS kervan_tm_word(word text PRIMARY KEY, units bigint NOT NULL);
"""
_LOCK = 7_404_766_173  # advisory lock id: one process creates the tables at a time
_COLUMNS = "u.id, u.source, u.targets, o.name, u.context, u.words"


def _connect(url: str) -> Any:
    try:
        import psycopg
    except ImportError:
        raise KervanError(
            "a PostgreSQL translation memory needs psycopg: pip install 'kervan[postgres]'", "kervan.toml"
        ) from None
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise KervanError(
            f"cannot connect to the translation memory database: {first} (--no-tm works without it)", "kervan.toml"
        ) from None


class PostgresMemory(Memory):
    backend = "postgresql"
    shared = True

    def __init__(self, url: str) -> None:
        self.location = _redacted(url)
        self.db = _connect(url)
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            self.db.execute(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def replace_origin(self, origin: str, kind: str, stamp: str, units: Iterable[TmUnit]) -> int:
        db = self.db
        count = 0
        counts: Counter[str] = Counter()
        with db.transaction():
            row = db.execute(
                "INSERT INTO kervan_tm_origin(name, kind, stamp) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, stamp = excluded.stamp RETURNING id",
                (origin, kind, stamp),
            ).fetchone()
            origin_id = row[0]
            # Counts change once, at the end: a transaction that took word rows twice could deadlock another.
            counts.subtract(self._words_of(origin_id))
            db.execute("DELETE FROM kervan_tm_unit WHERE origin = %s", (origin_id,))
            with db.cursor() as cur:
                for batch in batches(units):
                    count += len(batch)
                    with cur.copy(
                        "COPY kervan_tm_unit(origin, src_lang, source, targets, key, context, words, iwords)"
                        " FROM STDIN"
                    ) as copy:
                        for r in batch:
                            copy.write_row((origin_id, r.src_lang, r.source, r.targets, r.key, r.context, r.words,
                                            r.index))  # fmt: skip
                            counts.update(r.index)
            self._add_words(counts)
        return count

    def _words_of(self, origin_id: int) -> Counter[str]:
        counts: Counter[str] = Counter()
        for (words,) in self.db.execute("SELECT iwords FROM kervan_tm_unit WHERE origin = %s", (origin_id,)):
            counts.update(words)
        return counts

    def _add_words(self, counts: Counter[str]) -> None:
        words = sorted(word for word, n in counts.items() if n)
        if not words:
            return  # one order for every process: row locks are taken alike, no deadlock
        self.db.execute(
            "INSERT INTO kervan_tm_word(word, units) SELECT * FROM unnest(%s::text[], %s::bigint[]) ORDER BY 1 "
            "ON CONFLICT (word) DO UPDATE SET units = kervan_tm_word.units + excluded.units",
            (words, [counts[w] for w in words]),
        )

    def set_stamp(self, origin: str, stamp: str) -> None:
        self.db.execute("UPDATE kervan_tm_origin SET stamp = %s WHERE name = %s", (stamp, origin))

    def remove_origin(self, origin: str) -> None:
        with self.db.transaction():
            row = self.db.execute("SELECT id FROM kervan_tm_origin WHERE name = %s FOR UPDATE", (origin,)).fetchone()
            if row is None:
                return
            self._add_words(Counter({word: -n for word, n in self._words_of(row[0]).items()}))
            self.db.execute("DELETE FROM kervan_tm_origin WHERE id = %s", (row[0],))

    def origins(self) -> dict[str, tuple[str, str]]:
        rows = self.db.execute("SELECT name, kind, stamp FROM kervan_tm_origin")
        return {name: (kind, stamp) for name, kind, stamp in rows}

    def by_key(self, src_lang: str, key: int) -> list[Stored]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM kervan_tm_unit u JOIN kervan_tm_origin o ON o.id = u.origin "
            "WHERE u.key = %s AND u.src_lang = %s",
            (key, src_lang),
        )
        return [stored_from_row(row) for row in rows]

    def document_frequency(self, words: Sequence[str]) -> dict[str, int]:
        rows = self.db.execute("SELECT word, units FROM kervan_tm_word WHERE word = ANY(%s)", (list(words),))
        return {word: units for word, units in rows if units > 0}

    def postings(self, word: str) -> list[int]:
        rows = self.db.execute("SELECT id FROM kervan_tm_unit WHERE iwords && ARRAY[%s]::text[]", (word,))
        return [row[0] for row in rows]

    def words_of(self, src_lang: str, ids: Sequence[int]) -> list[tuple[int, str]]:
        if not ids:
            return []
        query = "SELECT id, words FROM kervan_tm_unit WHERE id = ANY(%s) AND src_lang = %s"
        return self.db.execute(query, (list(ids), src_lang)).fetchall()

    def fetch(self, src_lang: str, ids: Sequence[int]) -> list[Stored]:
        if not ids:
            return []
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM kervan_tm_unit u JOIN kervan_tm_origin o ON o.id = u.origin "
            "WHERE u.id = ANY(%s) AND u.src_lang = %s",
            (list(ids), src_lang),
        )
        return [stored_from_row(row) for row in rows]

    def iter_all(self) -> Iterator[Stored]:
        with self.db.transaction(), self.db.cursor(name="kervan_tm_all") as cur:
            cur.execute(
                f"SELECT {_COLUMNS} FROM kervan_tm_unit u JOIN kervan_tm_origin o ON o.id = u.origin ORDER BY u.id"
            )
            for row in cur:
                yield stored_from_row(row)

    def stats(self) -> dict[str, Any]:
        db = self.db
        pairs = {
            (src, tgt): n
            for src, tgt, n in db.execute(
                "SELECT u.src_lang, t, count(*) FROM kervan_tm_unit u, jsonb_object_keys(u.targets) t GROUP BY 1, 2"
            )
        }
        origins = {
            name: (kind, n)
            for name, kind, n in db.execute(
                "SELECT o.name, o.kind, count(u.id) FROM kervan_tm_origin o "
                "LEFT JOIN kervan_tm_unit u ON u.origin = o.id GROUP BY o.id ORDER BY o.name"
            )
        }
        units = db.execute("SELECT count(*) FROM kervan_tm_unit").fetchone()[0]
        return {"units": units, "pairs": pairs, "origins": origins}


def _redacted(url: str) -> str:
    """The URL without its password, for reports."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
