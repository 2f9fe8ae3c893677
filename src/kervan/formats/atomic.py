"""Atomic file writes: a temp file in the target's folder, fsync, rename. A crash never leaves half a file.

Writing the bytes a file already holds leaves it untouched (same inode, same time stamp), so rebuilding an
unchanged project changes nothing on disk. Failures name the file asked for, never the temp file.

Several files change together in a :func:`transaction`: every write inside it goes to a staged temp file,
and the targets are replaced only when the block ends without an error, so a command that fails leaves every
file as it was. Readers inside the block see the staged content through :func:`view` and :func:`listing`.

Kervan only writes regular files: a symbolic link, a FIFO, a device or a socket where a file should go is
refused (a link is never silently replaced by a file, a FIFO never blocks, a device is never read).
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import fnmatch
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from ..errors import KervanError

_CHUNK = 1 << 20

# Temp files carry the writer's process id, so a later run can tell a killed writer's leftovers from the
# files of a run still going: `.<target name>.kervan-<pid>-<random>.tmp`.
_TEMP_RE = re.compile(r"\A\..+\.kervan-(\d+)-[A-Za-z0-9_]+\.tmp\Z")
_NAME_ROOM = 150  # of the target's name in the temp name, so long names stay within NAME_MAX

# Errors of the device or the quota, reported by a write without a file name: the target is named instead.
_DEVICE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


def _cannot(target: Path, exc: OSError, what: str = "cannot write") -> KervanError:
    return KervanError(f"{what}: {exc.strerror or exc}", target)


def describe_kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_target(target: Path) -> None:
    """Refuse to write where a folder, a symbolic link or a special file stands (checked without following it)."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return
    except NotADirectoryError:
        return  # a file where a folder should be: _prepare names it
    except OSError as exc:
        raise _cannot(target, exc) from None
    if stat.S_ISLNK(info.st_mode):
        raise KervanError(
            "is a symbolic link; Kervan does not replace links with files (name the link's target, or remove it)",
            target,
        )
    kind = describe_kind(info.st_mode)
    if kind == "a folder":
        raise KervanError("is a folder; give a file name", target)
    if kind:
        raise KervanError(f"is {kind}, not a regular file; Kervan writes regular files only", target)


def output_path(path: str | os.PathLike[str], project: Path | None = None) -> Path:
    """A file named by the user (`-o FILE`): a symbolic link is written through to the file it names.

    The link stays; its target is replaced atomically. A FIFO, a device or a folder (at the end of the link
    chain or at the path itself) is refused, and nothing is opened for reading. A link inside `project` is
    refused like any link there: the project, not the user, put it there.
    """
    target = Path(path)
    inside = project is not None and _within(target, project)
    if os.path.islink(target) and not inside:
        resolved = Path(os.path.realpath(target))
        if os.path.islink(resolved):
            raise KervanError("is a symbolic link that loops or cannot be resolved", target)
        try:
            check_target(resolved)
        except KervanError as exc:
            raise KervanError(f"links to {resolved}, which {exc.message}", target) from None
        return resolved
    check_target(target)
    return target


def _within(path: Path, folder: Path) -> bool:
    """Whether `path` (its folder's links resolved, not its own) lies inside `folder`."""
    where = Path(os.path.realpath(path.parent)) / path.name
    root = Path(os.path.realpath(folder))
    return root == where or root in where.parents


def _prepare(target: Path) -> None:
    """The folder must exist (it is created) and the target must be a regular file or not exist."""
    check_target(target)
    txn = _ACTIVE.get()
    if txn is not None:
        # Folders made for staged files go again should the transaction fail.
        missing = [p for p in (target.parent, *target.parent.parents) if not os.path.lexists(p)]
        txn._made.extend(reversed(missing))
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
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode) or os.path.getsize(tmp) != info.st_size:
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


# What tempfile.mkstemp opens with: a new file only (never one that exists, nor through a link), private (0600)
# until the target's mode is given. Done here: tempfile brings shutil and random, 5 ms of every command's start.
_TEMP_FLAGS = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def _temp_file(target: Path) -> tuple[int, str]:
    """A new private file beside `target`: (descriptor, absolute path)."""
    prefix = os.path.join(os.path.abspath(target.parent), f".{target.name[:_NAME_ROOM]}.kervan-{os.getpid()}-")
    for _ in range(100):
        name = f"{prefix}{os.urandom(6).hex()}.tmp"
        try:
            return os.open(name, _TEMP_FLAGS, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temp file name", prefix)


def is_own_temp(name: str) -> int | None:
    """The writer's process id when `name` is one of Kervan's temp files, else None."""
    found = _TEMP_RE.match(name)
    return int(found.group(1)) if found else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def remove_stale_temps(folders: Iterator[Path] | list[Path]) -> list[Path]:
    """Delete Kervan's own temp files left in `folders` by writers that no longer run (a killed build).

    Only names Kervan gives its temp files are considered, and only when the process that made them is gone:
    a run still writing keeps its files. Returns what was removed.
    """
    removed = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            pid = is_own_temp(entry.name)
            if pid is None or pid == os.getpid() or _alive(pid):
                continue
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


class Transaction:
    """Files staged beside their targets, replaced together by :meth:`commit` or all dropped by :meth:`abort`."""

    def __init__(self) -> None:
        self._staged: dict[Path, str] = {}  # target -> staged temp file
        self._made: list[Path] = []  # folders created for staged files, parents first

    @staticmethod
    def _key(path: str | os.PathLike[str]) -> Path:
        return Path(os.path.abspath(path))

    def view(self, path: str | os.PathLike[str]) -> Path:
        staged = self._staged.get(self._key(path))
        return Path(staged) if staged is not None else Path(path)

    def will_change(self, path: str | os.PathLike[str]) -> bool:
        """Whether the commit replaces `path` (its staged bytes differ from the file's)."""
        return self._key(path) in self._staged

    def staged(self) -> list[Path]:
        return list(self._staged)

    def _stage(self, target: Path, tmp: str) -> None:
        key = self._key(target)
        old = self._staged.pop(key, None)
        if old is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(old)
        self._staged[key] = tmp

    def commit(self) -> None:
        """Replace every target. Should a rename fail, the targets already replaced get their old content back."""
        done: list[tuple[Path, str | None]] = []
        current: Path | None = None
        backup: str | None = None
        try:
            for target, tmp in self._staged.items():
                current, backup = target, None
                check_target(target)  # nothing may have put a link or a FIFO there meanwhile
                if os.path.lexists(target):
                    backup = self._backup(target)
                os.replace(tmp, target)
                done.append((target, backup))
                backup = None
        except (OSError, KervanError) as exc:
            if backup is not None:  # made for the target whose rename failed
                with contextlib.suppress(OSError):
                    os.unlink(backup)
            for target, backup in reversed(done):
                with contextlib.suppress(OSError):
                    if backup is not None:
                        os.replace(backup, target)
                    else:
                        os.unlink(target)
            self.abort()
            if isinstance(exc, KervanError):
                raise
            raise _cannot(current or Path("."), exc) from None
        finally:
            for _target, backup in done:
                if backup is not None:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(backup)
        self._staged.clear()
        self._made.clear()

    @staticmethod
    def _backup(target: Path) -> str:
        """A second name for the target's current content (a hard link; a copy where links are not possible)."""
        fd, name = _temp_file(target)
        os.close(fd)
        os.unlink(name)
        try:
            os.link(target, name)
        except OSError:
            import shutil  # rarely needed: its compression modules cost every command start-up time

            shutil.copy2(target, name)
        return name

    def abort(self) -> None:
        for tmp in self._staged.values():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self._staged.clear()
        for folder in reversed(self._made):
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # only when empty: a folder someone else filled meanwhile stays
        self._made.clear()


_ACTIVE: contextvars.ContextVar[Transaction | None] = contextvars.ContextVar("kervan_transaction", default=None)


@contextlib.contextmanager
def transaction() -> Iterator[Transaction]:
    """Stage every write made inside the block; commit them together when it ends without an error.

    A transaction opened inside another one joins it: the outermost block commits.
    """
    outer = _ACTIVE.get()
    if outer is not None:
        yield outer
        return
    txn = Transaction()
    token = _ACTIVE.set(txn)
    try:
        yield txn
    except BaseException:
        txn.abort()
        raise
    finally:
        _ACTIVE.reset(token)
    txn.commit()


def view(path: str | os.PathLike[str]) -> Path:
    """Where to read `path` now: its staged content inside a transaction, else the file itself."""
    txn = _ACTIVE.get()
    return Path(path) if txn is None else txn.view(path)


def listing(folder: Path, pattern: str) -> list[Path]:
    """`folder.glob(pattern)` (sorted), with the files a running transaction is about to create."""
    found = set(folder.glob(pattern)) if folder.is_dir() else set()
    txn = _ACTIVE.get()
    if txn is not None:
        base = Path(os.path.abspath(folder))
        for target in txn.staged():
            if target.parent == base and fnmatch.fnmatchcase(target.name, pattern):
                found.add(folder / target.name)
    return sorted(found, key=lambda p: p.name)


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike[str], mode: str = "wb", encoding: str | None = None, *, compare: bool = True
) -> Iterator[IO]:
    """Open a temp file beside `path`; on clean exit it replaces `path` (unless the bytes are the same; with
    `compare=False` the caller knows they differ), on error it is removed. Inside a :func:`transaction` the
    replacement waits for the commit."""
    target = Path(path)
    _prepare(target)
    try:
        fd, tmp = _temp_file(target)
    except OSError as exc:
        raise _cannot(target, exc) from None
    try:
        try:
            with os.fdopen(fd, mode, encoding=encoding, newline="" if "b" not in mode else None) as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            # A full disk or a quota says so without a file name (on a write, or on the close that flushes):
            # name the file being written.
            if exc.filename is None and exc.errno in _DEVICE_ERRORS:
                raise _cannot(target, exc) from None
            raise
        txn = _ACTIVE.get()
        if compare and _same_content(tmp, view(target)):
            os.unlink(tmp)
            return
        try:
            os.chmod(tmp, _mode_for(target))
            if txn is not None:
                txn._stage(target, tmp)
            else:
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


def write_chunks_if_changed(
    path: str | os.PathLike[str], size: int, chunks: Callable[[bool], Iterable[bytes]]
) -> bool:
    """Write only when the content differs, for content of a known `size` made piece by piece (never held
    whole): `chunks(False)` gives the pieces to compare with the target (only when its size is the same;
    nothing is written when every byte is), `chunks(True)` the pieces to write, free to drop what it has
    given. A target that is not a regular file is never read (a FIFO would block, a device never end)."""
    target = Path(path)
    check_target(target)
    current = view(target)
    try:
        info = os.lstat(current)
        if stat.S_ISREG(info.st_mode) and info.st_size == size:
            with open(current, "rb") as handle:
                if all(handle.read(len(chunk)) == chunk for chunk in chunks(False)) and not handle.read(1):
                    return False
    except (FileNotFoundError, NotADirectoryError):
        pass  # written below, or refused there with the reason
    except OSError as exc:
        raise _cannot(target, exc, "cannot read") from None
    with atomic_open(target, "wb", compare=False) as handle:
        for chunk in chunks(True):
            handle.write(chunk)
    return True


def write_if_changed(path: str | os.PathLike[str], data: bytes | bytearray) -> bool:
    """Write only when the content differs, so rebuilding leaves an unchanged tree untouched.

    The target is compared without reading more of it than `data` holds, and never when it is not a
    regular file (a FIFO would block, a device never end)."""
    return write_chunks_if_changed(path, len(data), lambda _release: (data,))
