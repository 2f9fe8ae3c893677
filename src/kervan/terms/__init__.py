"""Glossary terms: inflection-aware lookup and scanning (`TermIndex`), and term candidate extraction."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .extract import Candidate, extract_candidates
    from .index import LookupMatch, MatchKind, Occurrence, TermIndex

__all__ = ["Candidate", "LookupMatch", "MatchKind", "Occurrence", "TermIndex", "extract_candidates"]

# Each name loads its module on first use, so that a command importing one submodule (`term lookup` the index,
# `glossary validate` the checks) does not also load the others.
_MODULE = {
    "Candidate": "extract",
    "extract_candidates": "extract",
    "LookupMatch": "index",
    "MatchKind": "index",
    "Occurrence": "index",
    "TermIndex": "index",
}


def __getattr__(name: str) -> object:
    module = _MODULE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
