"""Preparing units in a second process while this one stores them.

Importing a large TMX file is work of two kinds: reading XML, and tokenizing and writing the database. A
forked child reads the file and sends drafted units (see store.Draft) down a pipe in batches; the parent
tokenizes and stores them meanwhile, which shares the work out about evenly between two cores. Where fork is
not available, or the machine has one core, everything is done in this process. Messages are JSON (strings and
numbers only): nothing read from the pipe can run code.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import KervanError
from .store import Draft, DraftBatches, TmUnit, drafts


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


class Prepared(DraftBatches):
    """Batches of the units `produce()` yields, read and drafted in a forked child; iterate once.

    After each batch the child sends `position()` (how far it has read, for a progress bar; `progress` gets the
    growth); after the last one, `finish()`, which is then `result`. A KervanError in the child is raised here
    with its message, file and line; the parent stopping early ends the child.
    """

    def __init__(
        self,
        produce: Callable[[], Iterable[TmUnit]],
        *,
        position: Callable[[], int] = lambda: 0,
        progress: Callable[[int], None] | None = None,
        finish: Callable[[], Any] = lambda: None,
    ) -> None:
        super().__init__(self._receive())
        self._produce = produce
        self._position = position
        self._progress = progress
        self._finish = finish
        self.result: Any = None

    def _receive(self) -> Iterator[list[Draft]]:
        context = multiprocessing.get_context("fork")
        inbox, outbox = context.Pipe(duplex=False)
        child = context.Process(target=self._child, args=(outbox,), daemon=True)
        child.start()
        outbox.close()
        done = 0
        try:
            while True:
                try:
                    kind, payload, where = json.loads(inbox.recv_bytes())
                except EOFError:
                    raise KervanError("the process preparing the units ended without finishing") from None
                if kind == "rows":
                    if self._progress is not None and where > done:
                        self._progress(where - done)
                        done = where
                    yield payload
                elif kind == "end":
                    self.result = payload
                    return
                else:
                    message, path, line = payload
                    raise KervanError(message, path, line)
        finally:
            inbox.close()
            if child.is_alive():
                child.terminate()
            child.join()

    def _child(self, outbox: Any) -> None:
        # Runs in the forked child: it only reads and sends, never touches the parent's connections or files.
        try:
            for batch in drafts(self._produce()):
                outbox.send_bytes(_message("rows", batch, self._position()))
            outbox.send_bytes(_message("end", self._finish(), 0))
        except KervanError as exc:
            outbox.send_bytes(_message("error", (exc.message, exc.path, exc.line), 0))
        except Exception as exc:  # a bug, not bad input: the parent reports it as a failed job
            outbox.send_bytes(_message("error", (f"preparing the units failed: {exc!r}", None, None), 0))
        finally:
            outbox.close()


def _message(kind: str, payload: Any, where: int) -> bytes:
    # Drafts arrive as lists rather than tuples; they are only unpacked.
    return json.dumps([kind, payload, where], ensure_ascii=False).encode("utf-8")
