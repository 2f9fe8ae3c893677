"""Babel-backed locale facts: language validation, plural forms, language names, dates."""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re

from .errors import KervanError

_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@functools.lru_cache(maxsize=64)
def _locale(lang: str):  # -> babel.Locale, imported lazily to keep CLI start-up fast
    from babel import Locale, UnknownLocaleError

    if not _TAG_RE.match(lang):
        raise KervanError(f"unknown language code {lang!r}")
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise KervanError(f"unknown language code {lang!r}") from None


def check_language(lang: str) -> str:
    """Return the canonical gettext form of a language tag ("pt-br" -> "pt_BR"); unknown codes are errors."""
    if _plain_code_known(lang):
        return lang
    return str(_locale(lang))


@functools.lru_cache(maxsize=64)
def _plain_code_known(lang: str) -> bool:
    """A bare lower-case code ("ru") that CLDR has data for is already canonical. Answered from babel's data
    folder without importing babel, which every command loading a project would otherwise pay for."""
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        return False
    import importlib.util

    spec = importlib.util.find_spec("babel")
    folders = spec.submodule_search_locations if spec else None
    return bool(folders) and any(os.path.isfile(os.path.join(f, "locale-data", f"{lang}.dat")) for f in folders)


def plural_forms(lang: str) -> str:
    """The gettext Plural-Forms header for `lang`, from CLDR plural rules."""
    from babel.messages.plurals import get_plural

    _locale(lang)
    plural = get_plural(lang.replace("-", "_"))
    expr = plural.plural_expr
    if not (expr.startswith("(") and expr.endswith(")")):
        expr = f"({expr})"
    return f"nplurals={plural.num_plurals}; plural={expr};"


def language_name(lang: str, in_lang: str = "en") -> str:
    """The language's name as `in_lang` writes it ("ru" in English -> "Russian")."""
    name = _locale(lang).get_display_name(_locale(in_lang)) or lang
    return name


def format_date(date: _dt.date, lang: str) -> str:
    """A long date as the language writes it: "November 13, 2025", "13 ноября 2025 г.", "13 Kasım 2025"."""
    from babel.dates import format_date as _format

    return _format(date, format="long", locale=_locale(lang))
