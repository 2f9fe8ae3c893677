"""The user's cache folder, and the data-only entries Kervan keeps there to spare each run some start-up work.

Entries are JSON files with the CRC-32 of their JSON on the first line, written atomically; one that cannot be
read, or whose checksum does not match, counts as absent and is written anew. Nothing in an entry is ever
executed as Python. The folder is never one relative to where Kervan runs (which may be a project, and a project
folder may come from anyone). `KERVAN_CACHE_DIR` moves it; set to an empty value, it turns every cache off.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    """The cache folder: $KERVAN_CACHE_DIR, else $XDG_CACHE_HOME/kervan or ~/.cache/kervan; None when off, or
    when there is no home to put it in (never a folder relative to where Kervan runs, which may be a project)."""
    configured = os.environ.get("KERVAN_CACHE_DIR")
    if configured is not None:
        # Empty turns the cache off; so does a relative path, which would land wherever Kervan runs.
        return Path(configured) if os.path.isabs(configured) else None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative, which the XDG specification says to ignore
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "kervan"


_LARGEST = 64 << 20  # bytes: far above any entry Kervan writes


def read_json(path: Path) -> Any:
    """An entry's JSON, or None when it cannot be read or its checksum (the first line) does not match. Only a
    regular file of a sane size is read: a FIFO or a device put in its place neither blocks nor fills memory."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > _LARGEST:
                return None
            data = handle.read(_LARGEST + 1)
        checksum, _, text = data.partition(b"\n")
        if checksum != b"%08x" % zlib.crc32(text):
            return None
        return json.loads(text)
    except (OSError, ValueError, RecursionError):
        return None


def write_json(path: Path, value: Any) -> None:
    """Write atomically (a reader sees the old entry or the new one, never half of one), the CRC-32 of the JSON
    on the first line; failures are ignored: a cache that cannot be written only means the work is done again."""
    import tempfile

    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(b"%08x\n" % zlib.crc32(text) + text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError, TypeError, RecursionError):
        pass
