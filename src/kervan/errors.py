"""The one error type the core raises for bad input; the CLI turns it into a one-line message and exit 2."""

from __future__ import annotations

from os import PathLike


class KervanError(Exception):
    """Bad input or a failed job, located by file and (where known) line."""

    def __init__(self, message: str, path: str | PathLike[str] | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return where + self.message
