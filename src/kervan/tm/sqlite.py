"""The embedded backend: one SQLite file under build/, with an FTS5 index of each unit's words.

FTS5 keeps the words of every unit in an inverted index (``detail=none``: which units hold a word, nothing
more, the smallest and fastest form); a table beside it counts the units holding each word, which the candidate
search needs to pick rare words (FTS5's own ``fts5vocab`` counts by reading the word's whole posting list:
135 ms a query at 1,000,000 units). WAL mode lets searches run while another process imports.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import KervanError
from .store import Memory, Stored, TmUnit, batches, stored_from_row

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS origin(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, stamp TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS unit(
    id INTEGER PRIMARY KEY, origin INTEGER NOT NULL, src_lang TEXT NOT NULL, source TEXT NOT NULL,
    targets TEXT NOT NULL, key INTEGER NOT NULL, context INTEGER NOT NULL, words TEXT NOT NULL,
    iwords TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS unit_origin ON unit(origin);
CREATE INDEX IF NOT EXISTS unit_key ON unit(key);
CREATE VIRTUAL TABLE IF NOT EXISTS unit_fts USING fts5(
    iwords, content='unit', content_rowid='id', tokenize='ascii', detail=none, columnsize=0);
CREATE TABLE IF NOT EXISTS word(word TEXT PRIMARY KEY, units INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS unit_removed AFTER DELETE ON unit BEGIN
    INSERT INTO unit_fts(unit_fts, rowid, iwords) VALUES ('delete', old.id, old.iwords);
END;
"""
_COLUMNS = "u.id, u.source, u.targets, o.name, u.context, u.words"


class SqliteMemory(Memory):
    backend = "sqlite"

    def __init__(self, path: Path) -> None:
        self.location = str(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=60, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-65536")  # 64 MiB: imports touch the FTS index in bursts
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                # An index of another layout: it is derived data, so it is made anew and filled by the next sync.
                self.db.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                self.db = sqlite3.connect(str(path), timeout=60, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                version = 0
            if version == 0:  # a new file; an existing one is left untouched by merely opening it
                self.db.executescript(_SCHEMA)
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise KervanError(f"cannot open the translation memory index: {exc}", path) from None

    def close(self) -> None:
        self.db.close()

    def replace_origin(self, origin: str, kind: str, stamp: str, units: Iterable[TmUnit]) -> int:
        db = self.db
        count = 0
        db.execute("BEGIN IMMEDIATE")
        try:
            counts: Counter[str] = Counter()
            row = db.execute("SELECT id FROM origin WHERE name = ?", (origin,)).fetchone()
            if row is not None:
                origin_id = row[0]
                counts.subtract(self._words_of(origin_id))
                db.execute("DELETE FROM unit WHERE origin = ?", (origin_id,))
                db.execute("UPDATE origin SET kind = ?, stamp = ? WHERE id = ?", (kind, stamp, origin_id))
            else:
                origin_id = db.execute(
                    "INSERT INTO origin(name, kind, stamp) VALUES (?, ?, ?)", (origin, kind, stamp)
                ).lastrowid
            last = db.execute("SELECT coalesce(max(id), 0) FROM unit").fetchone()[0]
            for batch in batches(units):
                count += len(batch)
                for r in batch:
                    counts.update(r.index)
                db.executemany(
                    "INSERT INTO unit(origin, src_lang, source, targets, key, context, words, iwords)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (origin_id, r.src_lang, r.source, r.targets, r.key, r.context, r.words, " ".join(r.index))
                        for r in batch
                    ],
                )  # fmt: skip
            # Indexed in one statement once stored: two to three times faster than a trigger row by row.
            db.execute(
                "INSERT INTO unit_fts(rowid, iwords) SELECT id, iwords FROM unit WHERE id > ? AND origin = ?",
                (last, origin_id),
            )
            self._add_words(counts)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return count

    def _words_of(self, origin_id: int) -> Counter[str]:
        counts: Counter[str] = Counter()
        for (words,) in self.db.execute("SELECT iwords FROM unit WHERE origin = ?", (origin_id,)):
            counts.update(words.split(" ") if words else ())
        return counts

    def _add_words(self, counts: Counter[str]) -> None:
        """How many units hold each word: kept here because FTS5 counts a word's units by reading them all."""
        self.db.executemany(
            "INSERT INTO word(word, units) VALUES (?, ?) "
            "ON CONFLICT(word) DO UPDATE SET units = units + excluded.units",
            sorted((word, n) for word, n in counts.items() if n),
        )

    def set_stamp(self, origin: str, stamp: str) -> None:
        self.db.execute("UPDATE origin SET stamp = ? WHERE name = ?", (stamp, origin))

    def remove_origin(self, origin: str) -> None:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT id FROM origin WHERE name = ?", (origin,)).fetchone()
            if row is not None:
                self._add_words(Counter({word: -n for word, n in self._words_of(row[0]).items()}))
                db.execute("DELETE FROM unit WHERE origin = ?", (row[0],))
                db.execute("DELETE FROM origin WHERE id = ?", (row[0],))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def origins(self) -> dict[str, tuple[str, str]]:
        return {name: (kind, stamp) for name, kind, stamp in self.db.execute("SELECT name, kind, stamp FROM origin")}

    def by_key(self, src_lang: str, key: int) -> list[Stored]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM unit u JOIN origin o ON o.id = u.origin WHERE u.key = ? AND u.src_lang = ?",
            (key, src_lang),
        )
        return [stored_from_row(row) for row in rows]

    def document_frequency(self, words: Sequence[str]) -> dict[str, int]:
        marks = ",".join("?" * len(words))
        rows = self.db.execute(f"SELECT word, units FROM word WHERE word IN ({marks})", tuple(words))
        return {word: units for word, units in rows if units > 0}

    def postings(self, word: str) -> list[int]:
        query = '"' + word.replace('"', '""') + '"'
        return [row[0] for row in self.db.execute("SELECT rowid FROM unit_fts WHERE unit_fts MATCH ?", (query,))]

    def words_of(self, src_lang: str, ids: Sequence[int]) -> list[tuple[int, str]]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        query = f"SELECT id, words FROM unit WHERE id IN ({marks}) AND src_lang = ?"
        return self.db.execute(query, (*ids, src_lang)).fetchall()

    def fetch(self, src_lang: str, ids: Sequence[int]) -> list[Stored]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM unit u JOIN origin o ON o.id = u.origin "
            f"WHERE u.id IN ({marks}) AND u.src_lang = ?",
            (*ids, src_lang),
        )
        return [stored_from_row(row) for row in rows]

    def iter_all(self) -> Iterator[Stored]:
        yield from (stored_from_row(row) for row in self.db.execute(
            f"SELECT {_COLUMNS} FROM unit u JOIN origin o ON o.id = u.origin ORDER BY u.id"))  # fmt: skip

    def stats(self) -> dict[str, Any]:
        db = self.db
        pairs = {
            (src, tgt): n
            for src, tgt, n in db.execute(
                "SELECT u.src_lang, t.key, count(*) FROM unit u, json_each(u.targets) t GROUP BY 1, 2"
            )
        }
        origins = {
            name: (kind, n)
            for name, kind, n in db.execute(
                "SELECT o.name, o.kind, count(u.id) FROM origin o LEFT JOIN unit u ON u.origin = o.id "
                "GROUP BY o.id ORDER BY o.name"
            )
        }
        units = db.execute("SELECT count(*) FROM unit").fetchone()[0]
        return {"units": units, "pairs": pairs, "origins": origins}
