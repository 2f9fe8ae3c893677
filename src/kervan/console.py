"""The `kervan` console script: the command line of :mod:`kervan.cli`, loaded with the garbage collector held.

Importing click and defining the commands makes only objects that live as long as the process, yet the
collector would run dozens of times meanwhile and find nothing: about 10 ms of every command's start-up
(benchmarks/bench_io.py, startup row). They are frozen once loaded, so later collections skip them too.
"""

from __future__ import annotations

import gc
from typing import Any


def main() -> Any:
    gc.disable()
    try:
        from .cli import main as command_line
    finally:
        gc.freeze()
        gc.enable()
    return command_line()
