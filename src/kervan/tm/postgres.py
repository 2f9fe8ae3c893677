"""The shared backend: a PostgreSQL database named by ``[tm] url`` in kervan.toml (needs ``kervan[postgres]``).

The same tables as the embedded index, in the connection's schema: units, and their index words in a table
keyed by (word, origin, first unit id) with one row per word and block of up to 100,000 units, the ids packed
in a ``bytea``. A look-up is one B-tree range per word and a few rows, where a GIN index over the units meant a
heap visit per unit. Each import is one transaction that writes only rows of its own origin (COPY into both
tables, ids drawn from a sequence): several machines importing at once neither wait on each other's rows nor
lose anything, and how many units hold a word is summed from the rows when asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..errors import KervanError
from .store import DraftBatches, Memory, Postings, Stored, TmUnit, row_batches, stored_from_row, unpack_ids

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kervan_tm_origin(
    id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, kind text NOT NULL, stamp text NOT NULL);
CREATE SEQUENCE IF NOT EXISTS kervan_tm_unit_ids;
CREATE TABLE IF NOT EXISTS kervan_tm_unit(
    id bigint PRIMARY KEY, origin bigint NOT NULL, src_lang text NOT NULL, source text NOT NULL,
    targets text NOT NULL, key bigint NOT NULL, context bigint NOT NULL, words text NOT NULL);
CREATE INDEX IF NOT EXISTS kervan_tm_unit_origin ON kervan_tm_unit(origin);
CREATE INDEX IF NOT EXISTS kervan_tm_unit_key ON kervan_tm_unit(key);
CREATE TABLE IF NOT EXISTS kervan_tm_posting(
    word text NOT NULL, origin bigint NOT NULL, first bigint NOT NULL, units integer NOT NULL, ids bytea NOT NULL,
    PRIMARY KEY (word, origin, first));
CREATE INDEX IF NOT EXISTS kervan_tm_posting_origin ON kervan_tm_posting(origin);
"""
# Packed ids barely compress and are read whole: stored out of line as they are, not run through pglz.
_PLAIN_IDS = """
SELECT 1 FROM pg_attribute
WHERE attrelid = 'kervan_tm_posting'::regclass AND attname = 'ids' AND attstorage <> 'e'
"""
# Tables of the earlier layout (a GIN index over a text[] of words, word counts in a table): dropped, the
# sources are imported again by the next run on each machine, as for a new database.
_OLD_LAYOUT = """
SELECT 1 FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = 'kervan_tm_unit' AND column_name = 'iwords'
"""
_DROP_OLD = "DROP TABLE IF EXISTS kervan_tm_unit, kervan_tm_word, kervan_tm_origin CASCADE"
_ANALYZE_AFTER = 50_000  # units imported at once
_LOCK = 7_404_766_173  # advisory lock id: one process creates the tables at a time
_COLUMNS = "u.id, u.source, u.targets, o.name, u.context, u.words"
# Binary COPY: the server parses nothing, and the ids go as bytes rather than as hex text.
_UNIT_COPY = (
    "COPY kervan_tm_unit(id, origin, src_lang, source, targets, key, context, words) FROM STDIN (FORMAT BINARY)"
)
_UNIT_TYPES = ["int8", "int8", "text", "text", "text", "int8", "int8", "text"]
_POSTING_COPY = "COPY kervan_tm_posting(word, origin, first, units, ids) FROM STDIN (FORMAT BINARY)"
_POSTING_TYPES = ["text", "int8", "int8", "int4", "bytea"]


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
    STATS_SQL = (
        "SELECT u.src_lang, t, count(*) FROM kervan_tm_unit u, json_object_keys(u.targets::json) t GROUP BY 1, 2",
        "SELECT o.name, o.kind, count(u.id) FROM kervan_tm_origin o "
        "LEFT JOIN kervan_tm_unit u ON u.origin = o.id GROUP BY o.id ORDER BY o.name",
        "SELECT count(*) FROM kervan_tm_unit",
    )

    backend = "postgresql"
    shared = True

    def __init__(self, url: str) -> None:
        self.location = _redacted(url)
        self.db = _connect(url)
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            if self.db.execute(_OLD_LAYOUT).fetchone():
                self.db.execute(_DROP_OLD)
            self.db.execute(_SCHEMA)
            if self.db.execute(_PLAIN_IDS).fetchone():
                self.db.execute("ALTER TABLE kervan_tm_posting ALTER COLUMN ids SET STORAGE EXTERNAL")

    def close(self) -> None:
        self.db.close()

    def replace_origin(self, origin: str, kind: str, stamp: str, units: Iterable[TmUnit] | DraftBatches) -> int:
        db = self.db
        count = 0
        with db.transaction():
            # The origin's row stays locked to the end: two imports of one origin run one after the other.
            origin_id = db.execute(
                "INSERT INTO kervan_tm_origin(name, kind, stamp) VALUES (%s, %s, %s) "
                "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, stamp = excluded.stamp RETURNING id",
                (origin, kind, stamp),
            ).fetchone()[0]
            self._drop_units(origin_id)
            postings = Postings()
            with db.cursor() as cur:
                for batch in row_batches(units):
                    count += len(batch)
                    ids = cur.execute(
                        "SELECT nextval('kervan_tm_unit_ids') FROM generate_series(1, %s)", (len(batch),)
                    ).fetchall()
                    with cur.copy(_UNIT_COPY) as copy:
                        copy.set_types(_UNIT_TYPES)
                        for (ident,), row in zip(ids, batch, strict=True):
                            copy.write_row((ident, origin_id, *row))
                    # Ids drawn at once are consecutive unless another import drew some meanwhile.
                    first = ids[0][0]
                    if ids[-1][0] - first == len(ids) - 1:
                        postings.add_all(first, batch)
                    else:
                        for (ident,), row in zip(ids, batch, strict=True):
                            postings.add_all(ident, [row])
                    if postings.full:
                        self._write_postings(cur, origin_id, postings)
                self._write_postings(cur, origin_id, postings)
        if count >= _ANALYZE_AFTER:
            # Fresh statistics at once: until autovacuum gets to it, the planner may scan the whole table for a
            # batch of ids instead of using the primary key (seconds instead of milliseconds at 1,000,000 units).
            db.execute("ANALYZE kervan_tm_unit, kervan_tm_posting")
        return count

    @staticmethod
    def _write_postings(cur: Any, origin_id: int, postings: Postings) -> None:
        with cur.copy(_POSTING_COPY) as copy:
            copy.set_types(_POSTING_TYPES)
            for word, first, units, ids in postings.take():
                copy.write_row((word, origin_id, first, units, ids))

    def _drop_units(self, origin_id: int) -> None:
        self.db.execute("DELETE FROM kervan_tm_unit WHERE origin = %s", (origin_id,))
        self.db.execute("DELETE FROM kervan_tm_posting WHERE origin = %s", (origin_id,))

    def set_stamp(self, origin: str, stamp: str) -> None:
        self.db.execute("UPDATE kervan_tm_origin SET stamp = %s WHERE name = %s", (stamp, origin))

    def remove_origin(self, origin: str) -> None:
        with self.db.transaction():
            row = self.db.execute("SELECT id FROM kervan_tm_origin WHERE name = %s FOR UPDATE", (origin,)).fetchone()
            if row is None:
                return
            self._drop_units(row[0])
            self.db.execute("DELETE FROM kervan_tm_origin WHERE id = %s", (row[0],))

    def origins(self) -> dict[str, tuple[str, str]]:
        rows = self.db.execute("SELECT name, kind, stamp FROM kervan_tm_origin")
        return {name: (kind, stamp) for name, kind, stamp in rows}

    def exact(self, src_lang: str, keys: Sequence[int]) -> list[tuple[int, Stored]]:
        rows = self.db.execute(
            f"SELECT u.key, {_COLUMNS} FROM kervan_tm_unit u JOIN kervan_tm_origin o ON o.id = u.origin "
            "WHERE u.key = ANY(%s) AND u.src_lang = %s",
            (list(keys), src_lang),
        )
        return [(row[0], stored_from_row(row[1:])) for row in rows]

    def document_frequency(self, words: Sequence[str]) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT word, sum(units) FROM kervan_tm_posting WHERE word = ANY(%s) GROUP BY word", (list(words),)
        )
        return {word: int(units) for word, units in rows if units > 0}

    def postings(self, words: Sequence[str]) -> dict[str, list[Sequence[int]]]:
        found: dict[str, list[Sequence[int]]] = {}
        rows = self.db.execute("SELECT word, ids FROM kervan_tm_posting WHERE word = ANY(%s)", (list(words),),
                               binary=True)  # fmt: skip
        for word, ids in rows:
            found.setdefault(word, []).append(unpack_ids(ids))
        return found

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



def _redacted(url: str) -> str:
    """The URL without its password, for reports."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url
