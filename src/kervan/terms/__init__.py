"""Glossary terms: inflection-aware lookup and scanning (`TermIndex`), and term candidate extraction."""

from __future__ import annotations

from .extract import Candidate, extract_candidates
from .index import LookupMatch, MatchKind, Occurrence, TermIndex

__all__ = ["Candidate", "LookupMatch", "MatchKind", "Occurrence", "TermIndex", "extract_candidates"]
