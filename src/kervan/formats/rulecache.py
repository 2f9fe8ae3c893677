"""Data-only caches that spare each run the reading of SRX rules and the compiling of their patterns.

Reading a rule file (XML, then every rule translated from Java's regex syntax) and compiling the joined pattern
that decides breaks take longer than segmenting a short text. Both results are kept as JSON files in the user's
cache folder, never in a project folder (which may come from anyone):

- `rules/<size>-<CRC-32 of the SRX file>.json`: the file's bytes, the rule set as read from them (rules,
  language map, reasons for disabled rules) and the translation of every pattern, valid for the code that made
  them (Kervan's version and the files of the translator);
- `regex-<regex version>-<Python version>/<size>-<CRC-32 of pattern and flags>.json`: the pattern and what the
  regex module's compiler hands its matching engine for it (numbers and strings only). Replaying it skips the
  parse, which the regex module does in Python (about 30 ms for a rule set's joined pattern).

An entry serves only the very file or pattern it holds (compared whole); its structure and a checksum of its
content are checked when it is read, and anything unexpected is ignored and written anew. (CRC-32 rather than a
cryptographic hash: the names only spread entries, and loading OpenSSL would cost more start-up than the cache
saves on small inputs.) Nothing in an entry is ever executed as Python. `KERVAN_CACHE_DIR` moves the folder; set to an
empty value, it turns both caches off (the folder and the entries' checks are those of `kervan.usercache`).
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import zlib
from array import array
from pathlib import Path
from typing import Any

from ..usercache import cache_dir
from ..usercache import read_json as _read_json
from ..usercache import write_json as _write_json

FORMAT = 1
# Patterns shorter than this compile in well under a millisecond: not worth a file.
LARGE_PATTERN = 512

_lock = threading.Lock()


def _name(data: bytes) -> str:
    return f"{len(data)}-{zlib.crc32(data):08x}"


# --------------------------------------------------------------------------- compiled patterns


def _encode(value: Any) -> Any:
    """JSON with the container types kept: tuples, dicts (any keys) and frozensets are tagged objects."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)  # flags are an IntFlag
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, tuple):
        return {"t": [_encode(item) for item in value]}
    if isinstance(value, frozenset):
        return {"f": [_encode(item) for item in value]}
    if isinstance(value, dict):
        return {"d": [[_encode(key), _encode(item)] for key, item in value.items()]}
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, list):
        try:  # a compiled pattern's code: thousands of numbers, checked in one call
            array("Q", value)
            return value
        except (TypeError, OverflowError):
            return [_decode(item) for item in value]
    if isinstance(value, dict) and len(value) == 1:
        (tag, items), = value.items()
        if isinstance(items, list):
            if tag == "t":
                return tuple(_decode(item) for item in items)
            if tag == "f":
                return frozenset(_decode(item) for item in items)
            if tag == "d" and all(isinstance(pair, list) and len(pair) == 2 for pair in items):
                return {_decode(key): _decode(item) for key, item in items}
    raise ValueError("unexpected value in a cache entry")


class PatternStore:
    """Compiled regex patterns kept as the arguments of the regex module's engine constructor."""

    def __init__(self, folder: Path) -> None:
        self.base = folder

    @functools.cached_property
    def folder(self) -> Path:
        # Named when first needed: importing regex only to read its version costs ~10 ms, and a command that
        # reads rules without compiling them (omegat export) never needs it.
        import regex

        return self.base / f"regex-{regex.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"

    def _path(self, pattern: str, flags: int) -> Path:
        key = f"{int(flags)}:{pattern}".encode("utf-8", "surrogatepass")
        return self.folder / f"{_name(key)}.json"

    def compile(self, pattern: str, flags: int) -> Any:
        """The compiled pattern; regex.error for a bad one, as regex.compile raises it."""
        import regex

        if len(pattern) < LARGE_PATTERN:
            return regex.compile(pattern, flags)
        path = self._path(pattern, flags)
        compiled = self._replay(path, pattern, flags)
        if compiled is not None:
            return compiled
        compiled, call = _compile_recorded(pattern, flags)
        if call is not None:
            try:
                encoded = _encode(list(call))
            except TypeError:
                return compiled
            _write_json(path, {"format": FORMAT, "call": encoded})
        return compiled

    @staticmethod
    def _replay(path: Path, pattern: str, flags: int) -> Any:
        entry = _read_json(path)
        if not isinstance(entry, dict) or entry.get("format") != FORMAT:
            return None
        encoded = entry.get("call")
        try:
            args, kwargs = _decode(encoded)
            if not (isinstance(args, tuple) and isinstance(kwargs, dict) and args and args[0] == pattern):
                return None
            compiled = _compiler_module()._regex.compile(*args, **kwargs)
        except Exception:  # an entry from another version of the engine: compile anew
            return None
        return compiled if getattr(compiled, "pattern", None) == pattern else None


def _compiler_module() -> Any:
    """The module of regex.compile (`regex._main`; `regex.regex` in releases before 2023), which calls the C
    engine's constructor as `_regex.compile`."""
    import regex

    return sys.modules[regex.compile.__module__]


def _compile_recorded(pattern: str, flags: int) -> tuple[Any, tuple[tuple[Any, ...], dict[str, Any]] | None]:
    """Compile with regex.compile, recording what its compiler passes to the engine's constructor."""
    import regex

    main = _compiler_module()
    real = getattr(main, "_regex", None)
    if real is None or not hasattr(real, "compile"):
        return regex.compile(pattern, flags), None
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    class Recorder:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def compile(self, *args: Any, **kwargs: Any) -> Any:
            calls.append((args, kwargs))
            return real.compile(*args, **kwargs)

    with _lock:
        main._regex = Recorder()
        try:
            compiled = regex.compile(pattern, flags, cache_pattern=False)
        except TypeError:  # a regex release without cache_pattern
            return regex.compile(pattern, flags), None
        finally:
            main._regex = real
    mine = [call for call in calls if call[0] and call[0][0] == pattern]
    return compiled, mine[0] if len(mine) == 1 else None


def install() -> None:
    """Let the segmentation engine keep its compiled patterns in the cache folder (when there is one)."""
    from ..segmentation import javaregex

    if javaregex.pattern_store is not None:
        return
    folder = cache_dir()
    if folder is not None:
        javaregex.pattern_store = PatternStore(folder)


# --------------------------------------------------------------------------- rule files


def _code_version() -> str:
    """What the translation of rules depends on: Kervan's version and the files that read and translate."""
    from .. import __version__
    from ..segmentation import javaregex, ruleset

    parts = [__version__]
    for module in (javaregex, ruleset, sys.modules[__name__.rsplit(".", 1)[0] + ".srx"]):
        try:
            stat = os.stat(module.__file__ or "")
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append("?")
    return " ".join(parts)


def _rules_path(data: bytes) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / "rules" / f"{_name(data)}.json"


def load_rules(data: bytes, shown: str) -> Any:
    """The SrxRules kept for an SRX file with these bytes (translations made known to the translator), or None."""
    path = _rules_path(data)
    if path is None:
        return None
    entry = _read_json(path)
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("code") != _code_version():
        return None
    body = entry.get("body")
    if not isinstance(body, dict) or body.get("file") != data.hex():
        return None
    try:
        return _rules_from(body, shown)
    except (TypeError, ValueError, KeyError):
        return None


def store_rules(data: bytes, rules: Any) -> None:
    """Keep a rule set read from an SRX file with these bytes, with the translations of its patterns."""
    from ..segmentation.javaregex import translate_java

    path = _rules_path(data)
    if path is None:
        return
    translations = []
    for rule_list in rules.languagerules.values():
        for rule in rule_list:
            if not rule.problem:
                translations.append((rule.before, "suffix"))
                translations.append((rule.after, "prefix"))
    translations.extend(("(?i)" + pattern, "") for pattern, _ in rules.maprules)
    try:
        body = {
            "file": data.hex(),
            "cascade": rules.cascade,
            "languagerules": [
                [name, [[r.is_break, r.before, r.after, r.line, r.problem] for r in rule_list]]
                for name, rule_list in rules.languagerules.items()
            ],
            "maprules": [list(pair) for pair in rules.maprules],
            "translations": [
                [text, factor, *_translation_fields(translate_java(text, factor))]
                for text, factor in dict.fromkeys(translations)
            ],
        }
    except ValueError:  # a pattern that no longer translates: nothing worth keeping
        return
    _write_json(path, {"format": FORMAT, "code": _code_version(), "body": body})


def _translation_fields(t: Any) -> list[Any]:
    return [
        t.pattern,
        t.has_backrefs,
        t.v1,
        sorted(t.constructs),
        None if t.first is None else list(t.first),
        None if t.last is None else list(t.last),
        sorted(t.required),
        sorted(t.anchors),
    ]


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("not a list of strings")
    return value


def _rules_from(body: Any, shown: str) -> Any:
    from ..segmentation.javaregex import Translation, remember_translations
    from ..segmentation.ruleset import Rule, SrxRules

    if not isinstance(body, dict) or not isinstance(body["cascade"], bool):
        raise ValueError("bad entry")
    languagerules: dict[str, tuple[Rule, ...]] = {}
    for name, rule_list in body["languagerules"]:
        rules = []
        for is_break, before, after, line, problem in rule_list:
            if not (isinstance(is_break, bool) and isinstance(line, int)):
                raise ValueError("bad rule")
            _strings([name, before, after, problem])
            rules.append(Rule(is_break=is_break, before=before, after=after, line=line, problem=problem))
        languagerules[name] = tuple(rules)
    maprules = []
    for pattern, name in body["maprules"]:
        _strings([pattern, name])
        maprules.append((pattern, name))
    known = {}
    for text, factor, pattern, backrefs, v1, constructs, first, last, required, anchors in body["translations"]:
        _strings([text, factor, pattern])
        if not (isinstance(backrefs, bool) and isinstance(v1, bool)):
            raise ValueError("bad translation")
        known[(text, factor)] = Translation(
            pattern,
            backrefs,
            v1,
            frozenset(_strings(constructs)),
            None if first is None else tuple(_strings(first)),
            None if last is None else tuple(_strings(last)),
            frozenset(_strings(required)),
            frozenset(_strings(anchors)),
        )
    rules_read = SrxRules(
        cascade=body["cascade"], languagerules=languagerules, maprules=tuple(maprules), path=shown
    )
    remember_translations(known)
    return rules_read
