"""One writer at a time: an advisory lock (`fcntl.flock`) on the project folder, waited for a bounded time.

Two Kervan runs that write the same project (a `build` and a `tmx import` in two terminals) would otherwise read
a catalog, merge, and write it back over each other's work. The lock is held over the whole read-modify-write.
The kernel drops it when the holder's process ends, however it ends, so a killed run never leaves the project
locked. The lock is taken on the folder itself, so no lock file is created and a run that fails or changes
nothing leaves the project exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import KervanError

DEFAULT_TIMEOUT = 30.0
TIMEOUT_VARIABLE = "KERVAN_LOCK_TIMEOUT"

_held: dict[str, int] = {}  # locked folder -> nesting depth, for jobs that call other jobs


def timeout_from_environment() -> float:
    raw = os.environ.get(TIMEOUT_VARIABLE, "")
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise KervanError(f"{TIMEOUT_VARIABLE} must be a number of seconds, not {raw!r}") from None
    if not value >= 0 or value == float("inf"):
        raise KervanError(f"{TIMEOUT_VARIABLE} must be a number of seconds, not {raw!r}")
    return value


@contextlib.contextmanager
def exclusive(folder: Path, *, timeout: float | None = None) -> Iterator[bool]:
    """Hold the lock on `folder` for the block; yields True when this call took it (False when nested).

    Waits up to `timeout` seconds (default: $KERVAN_LOCK_TIMEOUT, else 30), then fails with "busy".
    """
    import fcntl

    key = os.path.abspath(folder)
    if key in _held:
        _held[key] += 1
        try:
            yield False
        finally:
            _held[key] -= 1
        return
    wait = timeout_from_environment() if timeout is None else timeout
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise KervanError(f"cannot lock the project: {exc.strerror or exc}", folder) from None
    try:
        deadline = time.monotonic() + wait
        delay = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise KervanError(
                        f"project is busy: another kervan run is writing it; waited {wait:g} s, "
                        f"try again when it is done (or set {TIMEOUT_VARIABLE} to wait longer)",
                        folder,
                    ) from None
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                delay = min(delay * 2, 0.2)
            except OSError as exc:
                raise KervanError(f"cannot lock the project: {exc.strerror or exc}", folder) from None
        _held[key] = 1
        try:
            yield True
        finally:
            del _held[key]
    finally:
        os.close(fd)  # closing the descriptor releases the lock
