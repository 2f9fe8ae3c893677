"""Babel-backed locale facts: language validation, plural forms, language names, dates.

Babel reads a pickled CLDR file for each locale it is asked about, which costs a command more than the rest of
its start-up. The facts it gives (short strings) are kept in the user's cache folder (see `kervan.usercache`),
one JSON entry per babel version: a later run takes them from there without importing babel at all.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import re
from collections.abc import Callable
from pathlib import Path

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
    return _fact(("check_language", lang), lambda: str(_locale(lang)))


@functools.lru_cache(maxsize=64)
def _plain_code_known(lang: str) -> bool:
    """A bare lower-case code ("ru") that CLDR has data for is already canonical. Answered from babel's data
    folder without importing babel, which every command loading a project would otherwise pay for."""
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        return False
    folder = _babel_folder()
    return folder is not None and os.path.isfile(os.path.join(folder, "locale-data", f"{lang}.dat"))


def plural_forms(lang: str) -> str:
    """The gettext Plural-Forms header for `lang`, from CLDR plural rules."""
    return _fact(("plural_forms", lang), lambda: _plural_forms(lang))


def _plural_forms(lang: str) -> str:
    from babel.messages.plurals import get_plural

    _locale(lang)
    plural = get_plural(lang.replace("-", "_"))
    expr = plural.plural_expr
    if not (expr.startswith("(") and expr.endswith(")")):
        expr = f"({expr})"
    return f"nplurals={plural.num_plurals}; plural={expr};"


def language_name(lang: str, in_lang: str = "en") -> str:
    """The language's name as `in_lang` writes it ("ru" in English -> "Russian")."""
    return _fact(("language_name", lang, in_lang), lambda: _locale(lang).get_display_name(_locale(in_lang)) or lang)


def format_date(date: _dt.date, lang: str) -> str:
    """A long date as the language writes it: "November 13, 2025", "13 ноября 2025 г.", "13 Kasım 2025"."""
    if type(date) is not _dt.date:  # a datetime, or a subclass: formatted by babel, not kept
        return _format_date(date, lang)
    return _fact(("format_date", date.isoformat(), lang), lambda: _format_date(date, lang))


def _format_date(date: _dt.date, lang: str) -> str:
    from babel.dates import format_date as _format

    return _format(date, format="long", locale=_locale(lang))


# --------------------------------------------------------------------------- the facts kept between runs

_FORMAT = 1
_MAX_FACTS = 4096  # a cache grown past this (dates of many articles) starts again
_SEPARATOR = "\x1f"  # in no language tag or ISO date
_facts: dict[str, str] | None = None


def _fact(key: tuple[str, ...], compute: Callable[[], str]) -> str:
    """The fact named by `key`: from this run, else from the cache, else computed (errors are never kept)."""
    global _facts
    if _facts is None:
        _facts = _read_facts()
    name = _SEPARATOR.join(key)
    value = _facts.get(name)
    if value is None:
        value = compute()
        if len(_facts) >= _MAX_FACTS:
            _facts.clear()
        _facts[name] = value
        path = _facts_path()
        if path is not None:
            from .usercache import write_json

            write_json(path, {"format": _FORMAT, "facts": _facts})
    return value


def _read_facts() -> dict[str, str]:
    from .usercache import read_json

    path = _facts_path()
    entry = read_json(path) if path is not None else None
    if not isinstance(entry, dict) or entry.get("format") != _FORMAT:
        return {}
    facts = entry.get("facts")
    if not isinstance(facts, dict) or not all(type(k) is str and type(v) is str for k, v in facts.items()):
        return {}
    return facts


def _facts_path() -> Path | None:
    """`locale-babel-<version>.json` in the cache folder; None when the cache is off or babel's version unknown."""
    from .usercache import cache_dir

    folder = cache_dir()
    version = _babel_version()
    return None if folder is None or version is None else folder / f"locale-babel-{version}.json"


@functools.lru_cache(maxsize=1)
def _babel_version() -> str | None:
    """babel's version as its package states it, read without importing babel."""
    folder = _babel_folder()
    if folder is None:
        return None
    try:
        with open(os.path.join(folder, "__init__.py"), encoding="utf-8") as handle:
            found = re.search(r"""^__version__\s*=\s*['"]([0-9A-Za-z.+_-]{1,40})['"]""", handle.read(), re.MULTILINE)
    except (OSError, ValueError):
        return None
    return found.group(1) if found else None


@functools.lru_cache(maxsize=1)
def _babel_folder() -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("babel")
    folders = spec.submodule_search_locations if spec else None
    return folders[0] if folders else None
