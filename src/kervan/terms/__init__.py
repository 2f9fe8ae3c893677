"""Glossary terms: inflection-aware lookup and scanning (`TermIndex`), and term candidate extraction."""

from __future__ import annotations

from .index import LookupMatch, MatchKind, Occurrence, TermIndex

__all__ = ["LookupMatch", "MatchKind", "Occurrence", "TermIndex"]
