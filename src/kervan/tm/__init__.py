"""Translation memory: units from TMX files and reviewed catalogs, an index, fuzzy scoring and leverage.

No CLI and no printing here: pipeline/tm.py runs the jobs. Backends: :mod:`.sqlite` (embedded, the default)
and :mod:`.postgres` (shared, ``[tm] url`` in kervan.toml).
"""

from __future__ import annotations

from pathlib import Path

from .store import Match, Memory, TmUnit


def open_memory(url: str, index_path: Path) -> Memory:
    """The PostgreSQL memory at `url`, or (no url) the embedded SQLite index at `index_path`."""
    if url:
        from .postgres import PostgresMemory

        return PostgresMemory(url)
    from .sqlite import SqliteMemory

    return SqliteMemory(index_path)


__all__ = ["Match", "Memory", "TmUnit", "open_memory"]
