"""SRX 2.0 segmentation: the engine and the shipped rules (rules/kervan.srx)."""

from __future__ import annotations

from .engine import Segmenter, default_rules_path, load_rules, segment_document, segment_lines
from .javaregex import RegexSyntaxError
from .ruleset import Rule, SrxRules

__all__ = [
    "RegexSyntaxError",
    "Rule",
    "Segmenter",
    "SrxRules",
    "default_rules_path",
    "load_rules",
    "segment_document",
    "segment_lines",
]
