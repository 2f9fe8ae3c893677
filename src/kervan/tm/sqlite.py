"""The embedded backend: one SQLite file under build/, units in one table and their index words in another.

The word index is a table clustered by word (``WITHOUT ROWID``): one row per word and block of up to 100,000
units of one origin, holding how many units and their ids packed in a blob. Looking up a word reads a few
neighbouring rows; counting its units reads the same rows without the blobs; an import writes a few rows per
distinct word. FTS5, used before, took three times as long to build and read a word's posting list entry by
entry. WAL mode lets searches run while another process imports.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import KervanError
from .store import DraftBatches, Memory, Postings, Stored, TmUnit, row_batches, stored_from_row, unpack_ids

SCHEMA_VERSION = 3
_SCHEMA = """
CREATE TABLE IF NOT EXISTS origin(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, stamp TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unit(
    id INTEGER PRIMARY KEY, origin INTEGER NOT NULL, src_lang TEXT NOT NULL, source TEXT NOT NULL,
    targets TEXT NOT NULL, key INTEGER NOT NULL, context INTEGER NOT NULL, words TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS unit_origin ON unit(origin);
CREATE INDEX IF NOT EXISTS unit_key ON unit(key);
CREATE TABLE IF NOT EXISTS posting(
    word TEXT NOT NULL, origin INTEGER NOT NULL, first INTEGER NOT NULL, units INTEGER NOT NULL, ids BLOB NOT NULL,
    PRIMARY KEY(word, origin, first)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS posting_origin ON posting(origin);
"""
_COLUMNS = "u.id, u.source, u.targets, o.name, u.context, u.words"
# Ids per statement: well under SQLite's limit on bound parameters.
_CHUNK = 5000


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _marks(count: int) -> str:
    return ",".join("?" * count)


class SqliteMemory(Memory):
    STATS_SQL = (
        "SELECT u.src_lang, t.key, count(*) FROM unit u, json_each(u.targets) t GROUP BY 1, 2",
        "SELECT o.name, o.kind, count(u.id) FROM origin o LEFT JOIN unit u ON u.origin = o.id "
        "GROUP BY o.id ORDER BY o.name",
        "SELECT count(*) FROM unit",
    )

    backend = "sqlite"

    def __init__(self, path: Path) -> None:
        self.location = str(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = self._connect(path)
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                # An index of another layout: it is derived data, so it is made anew and filled by the next sync.
                self.db.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                self.db = self._connect(path)
                version = 0
            if version == 0:  # a new file; an existing one is left untouched by merely opening it
                self.db.executescript(_SCHEMA)
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise KervanError(f"cannot open the translation memory index: {exc}", path) from None

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(str(path), timeout=60, isolation_level=None)
        # Pages of 16 KiB for a new file (an existing one keeps its own): at 1,000,000 units the import writes
        # the unit table and the word index with about a sixth less CPU than with the default 4 KiB. It must
        # precede WAL mode, which writes the file's header.
        db.execute("PRAGMA page_size=16384")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: consistent after a crash, syncs at checkpoints
        db.execute("PRAGMA cache_size=-65536")  # 64 MiB
        db.execute("PRAGMA temp_store=MEMORY")
        return db

    def close(self) -> None:
        self.db.close()

    def replace_origin(self, origin: str, kind: str, stamp: str, units: Iterable[TmUnit] | DraftBatches) -> int:
        db = self.db
        count = 0
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT id FROM origin WHERE name = ?", (origin,)).fetchone()
            if row is not None:
                origin_id = row[0]
                self._drop_units(origin_id)
                db.execute("UPDATE origin SET kind = ?, stamp = ? WHERE id = ?", (kind, stamp, origin_id))
            else:
                origin_id = db.execute(
                    "INSERT INTO origin(name, kind, stamp) VALUES (?, ?, ?)", (origin, kind, stamp)
                ).lastrowid
            ident = db.execute("SELECT coalesce(max(id), 0) FROM unit").fetchone()[0]
            postings = Postings()
            insert = (
                "INSERT INTO unit(id, origin, src_lang, source, targets, key, context, words)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            )
            for batch in row_batches(units):
                count += len(batch)
                db.executemany(insert, [(n, origin_id, *row) for n, row in enumerate(batch, ident + 1)])
                postings.add_all(ident + 1, batch)
                ident += len(batch)
                if postings.full:
                    self._write_postings(origin_id, postings)
            self._write_postings(origin_id, postings)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return count

    def _write_postings(self, origin_id: int, postings: Postings) -> None:
        self.db.executemany(
            "INSERT INTO posting(word, origin, first, units, ids) VALUES (?, ?, ?, ?, ?)",
            [(word, origin_id, first, units, ids) for word, first, units, ids in postings.take()],
        )

    def _drop_units(self, origin_id: int) -> None:
        self.db.execute("DELETE FROM unit WHERE origin = ?", (origin_id,))
        self.db.execute("DELETE FROM posting WHERE origin = ?", (origin_id,))

    def set_stamp(self, origin: str, stamp: str) -> None:
        self.db.execute("UPDATE origin SET stamp = ? WHERE name = ?", (stamp, origin))

    def remove_origin(self, origin: str) -> None:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT id FROM origin WHERE name = ?", (origin,)).fetchone()
            if row is not None:
                self._drop_units(row[0])
                db.execute("DELETE FROM origin WHERE id = ?", (row[0],))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def origins(self) -> dict[str, tuple[str, str]]:
        return {name: (kind, stamp) for name, kind, stamp in self.db.execute("SELECT name, kind, stamp FROM origin")}

    def exact(self, src_lang: str, keys: Sequence[int]) -> list[tuple[int, Stored]]:
        found = []
        for part in _chunks(keys):
            rows = self.db.execute(
                f"SELECT u.key, {_COLUMNS} FROM unit u JOIN origin o ON o.id = u.origin "
                f"WHERE u.key IN ({_marks(len(part))}) AND u.src_lang = ?",
                (*part, src_lang),
            )
            found += [(row[0], stored_from_row(row[1:])) for row in rows]
        return found

    def document_frequency(self, words: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in _chunks(words):
            query = f"SELECT word, sum(units) FROM posting WHERE word IN ({_marks(len(part))}) GROUP BY word"
            found.update((word, units) for word, units in self.db.execute(query, tuple(part)) if units > 0)
        return found

    def postings(self, words: Sequence[str]) -> dict[str, list[Sequence[int]]]:
        found: dict[str, list[Sequence[int]]] = {}
        for part in _chunks(words):
            query = f"SELECT word, ids FROM posting WHERE word IN ({_marks(len(part))})"
            for word, ids in self.db.execute(query, tuple(part)):
                found.setdefault(word, []).append(unpack_ids(ids))
        return found

    def words_of(self, src_lang: str, ids: Sequence[int]) -> list[tuple[int, str]]:
        found: list[tuple[int, str]] = []
        for part in _chunks(ids):
            query = f"SELECT id, words FROM unit WHERE id IN ({_marks(len(part))}) AND src_lang = ?"
            found += self.db.execute(query, (*part, src_lang)).fetchall()
        return found

    def fetch(self, src_lang: str, ids: Sequence[int]) -> list[Stored]:
        found: list[Stored] = []
        for part in _chunks(ids):
            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM unit u JOIN origin o ON o.id = u.origin "
                f"WHERE u.id IN ({_marks(len(part))}) AND u.src_lang = ?",
                (*part, src_lang),
            )
            found += [stored_from_row(row) for row in rows]
        return found

    def iter_all(self) -> Iterator[Stored]:
        yield from (stored_from_row(row) for row in self.db.execute(
            f"SELECT {_COLUMNS} FROM unit u JOIN origin o ON o.id = u.origin ORDER BY u.id"))  # fmt: skip

