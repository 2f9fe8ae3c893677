"""Atomic file writes: a temp file in the target's folder, fsync, rename. A crash never leaves half a file.

Writing the bytes a file already holds leaves it untouched (same inode, same time stamp), so rebuilding an
unchanged project changes nothing on disk. Failures name the file asked for, never the temp file.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..errors import KervanError

_CHUNK = 1 << 20


def _cannot(target: Path, exc: OSError, what: str = "cannot write") -> KervanError:
    return KervanError(f"{what}: {exc.strerror or exc}", target)


def _refuse_special(target: Path) -> None:
    """A pipe, a device or /dev/stdout cannot be replaced by a rename: that would swap the special file (or the
    /dev link) for a plain file, and reading a pipe to compare contents blocks."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = None
    parent = os.path.realpath(target.parent)
    if (mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)) or parent in ("/dev", "/proc") or (
        parent.startswith(("/dev/", "/proc/"))
    ):
        raise KervanError("is not a regular file (a pipe or a device); write to - for stdout", target)


def _prepare(target: Path) -> None:
    """The folder must exist (it is created) and the target must not be one."""
    _refuse_special(target)
    if target.is_dir():
        raise KervanError("is a folder; give a file name", target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        # A file stands where a folder of the path should be.
        blocker = next((p for p in (target.parent, *target.parent.parents) if p.exists() and not p.is_dir()), None)
        raise KervanError("is a file, not a folder", blocker or target.parent) from None
    except OSError as exc:
        raise _cannot(Path(exc.filename or target.parent), exc, "cannot create the folder") from None


def _same_content(tmp: str, target: Path) -> bool:
    try:
        if not target.is_file() or os.path.getsize(tmp) != target.stat().st_size:
            return False
        with open(tmp, "rb") as new, open(target, "rb") as old:
            while True:
                chunk = new.read(_CHUNK)
                if chunk != old.read(_CHUNK):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def _mode_for(target: Path) -> int:
    """The mode an existing target has, else what a plain open() would give (mkstemp makes 0600 files)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb", encoding: str | None = None) -> Iterator[IO]:
    """Open a temp file beside `path`; on clean exit it replaces `path` (unless the bytes are the same),
    on error it is removed."""
    target = Path(path)
    _prepare(target)
    try:
        import tempfile  # here, not at the top: it costs start-up time to commands that write nothing

        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _cannot(target, exc) from None
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) as handle:
            yield handle
            try:
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise _cannot(target, exc) from None
        if _same_content(tmp, target):
            os.unlink(tmp)
            return
        try:
            os.chmod(tmp, _mode_for(target))
            os.replace(tmp, target)
        except OSError as exc:
            raise _cannot(target, exc) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(path: str | os.PathLike[str], data: bytes | bytearray) -> None:
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_if_changed(path: str | os.PathLike[str], data: bytes | bytearray) -> bool:
    """Write only when the content differs, so rebuilding leaves an unchanged tree untouched."""
    target = Path(path)
    _refuse_special(target)
    try:
        # The size first: a large file of another size is not read just to find that it differs.
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except (FileNotFoundError, NotADirectoryError):
        pass  # written below, or refused there with the reason
    except IsADirectoryError:
        raise KervanError("is a folder; give a file name", target) from None
    except OSError as exc:
        raise _cannot(target, exc, "cannot read") from None
    write_bytes(target, data)
    return True
