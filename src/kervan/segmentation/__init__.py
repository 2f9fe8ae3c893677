"""SRX 2.0 segmentation: the engine and the shipped rules (rules/kervan.srx).

The names below are loaded when first used: importing `segmentation.ruleset` alone (to read or write rules)
does not load the engine.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_WHERE = {
    "RegexSyntaxError": ".javaregex",
    "Rule": ".ruleset",
    "Segmenter": ".engine",
    "SrxRules": ".ruleset",
    "default_rules_path": ".engine",
    "load_rules": ".engine",
    "segment_document": ".engine",
    "segment_lines": ".engine",
}



def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(where, __name__), name)
