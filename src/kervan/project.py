"""The Kervan project: `kervan.toml` found upward from a folder, with its languages and paths."""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path
from typing import Any

from . import locales
from .errors import KervanError
from .record import Record, init
from .text import decode_utf8

CONFIG_NAME = "kervan.toml"


class Project(Record):
    """A Kervan project: its folder and what kervan.toml says (see `load_project`)."""

    _fields = (
        "root",
        "name",
        "version",
        "source_lang",
        "target_langs",
        "sources_dir",
        "glossary_path",
        "locales_dir",
        "build_dir",
        "bugs_address",
        "copyright_holder",
        "tm_dir",
        "tm_url",
        "tm_min_score",
        "glossary_line",
        "glossary_named",
    )
    __slots__ = _fields
    root: Path
    name: str
    version: str
    source_lang: str
    target_langs: tuple[str, ...]
    sources_dir: Path
    glossary_path: Path
    locales_dir: Path
    build_dir: Path
    bugs_address: str
    copyright_holder: str
    tm_dir: Path | None  # TMX files of the translation memory (default: <root>/tm)
    tm_url: str  # a shared PostgreSQL memory; empty: the embedded index under build/
    tm_min_score: int
    glossary_line: int | None  # where kervan.toml names the glossary (None: not named there)
    glossary_named: bool

    def __init__(
        self,
        root: Path,
        name: str,
        version: str,
        source_lang: str,
        target_langs: tuple[str, ...],
        sources_dir: Path,
        glossary_path: Path,
        locales_dir: Path,
        build_dir: Path,
        bugs_address: str = "",
        copyright_holder: str = "",
        tm_dir: Path | None = None,
        tm_url: str = "",
        tm_min_score: int = 75,
        glossary_line: int | None = None,
        glossary_named: bool = False,
    ) -> None:
        init(self, "root", root)
        init(self, "name", name)
        init(self, "version", version)
        init(self, "source_lang", source_lang)
        init(self, "target_langs", target_langs)
        init(self, "sources_dir", sources_dir)
        init(self, "glossary_path", glossary_path)
        init(self, "locales_dir", locales_dir)
        init(self, "build_dir", build_dir)
        init(self, "bugs_address", bugs_address)
        init(self, "copyright_holder", copyright_holder)
        init(self, "tm_dir", tm_dir)
        init(self, "tm_url", tm_url)
        init(self, "tm_min_score", tm_min_score)
        init(self, "glossary_line", glossary_line)
        init(self, "glossary_named", glossary_named)

    @property
    def memory_dir(self) -> Path:
        return self.tm_dir if self.tm_dir is not None else self.root / "tm"

    def source_files(self) -> list[Path]:
        """Source articles, sorted by name (the name starts with the date)."""
        if not self.sources_dir.is_dir():
            raise KervanError("sources folder not found", self.sources_dir)
        files = sorted(p for p in self.sources_dir.iterdir() if p.suffix == ".txt" and p.is_file())
        for path in files:
            check_file_name(path, "a source article's name becomes the name of its catalogs")
        return files

    def pot_path(self, domain: str) -> Path:
        return self.locales_dir / f"{domain}.pot"

    def po_path(self, domain: str, lang: str) -> Path:
        return self.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"

    def mo_path(self, domain: str, lang: str) -> Path:
        return self.po_path(domain, lang).with_suffix(".mo")

    def relative(self, path: Path) -> str:
        """A path as shown to people and written into references: relative to the project, POSIX style."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


# Characters no file name Kervan works with may hold: controls (a line break would end a `#:` reference or a
# header line), and the bidirectional controls that make a name read differently from what it is.
_UNSAFE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown_name(name: str) -> str:
    """A name fit for a one-line message: controls, bidi marks and undecodable bytes written as escapes."""
    out = []
    for ch in name:
        if "\udc80" <= ch <= "\udcff":  # a byte that is not UTF-8, kept by the file system decoder
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif _UNSAFE_NAME.match(ch):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def check_file_name(path: Path, why: str) -> None:
    """Refuse a file name that is not UTF-8 or holds control characters; the message shows it escaped."""
    name = path.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise KervanError(f"file name is not valid UTF-8; rename the file ({why})", shown_name(str(path))) from None
    found = _UNSAFE_NAME.search(name)
    if found:
        raise KervanError(
            f"file name holds the control character U+{ord(found.group()):04X}; rename the file ({why})",
            shown_name(str(path)),
        )


def find_project(start: str | Path | None = None) -> Path:
    """The nearest folder holding kervan.toml, from `start` (default: the working folder) upward."""
    here = Path(start or ".").resolve()
    if here.is_file():
        if here.name == CONFIG_NAME:
            return here.parent
        raise KervanError(f"not a project folder (give the folder holding {CONFIG_NAME}, or that file)", here)
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise KervanError(f"no {CONFIG_NAME} found here or in any parent folder", here)


def load_project(start: str | Path | None = None) -> Project:
    root = find_project(start)
    config_path = root / CONFIG_NAME
    try:
        raw = config_path.read_bytes()
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), config_path) from None
    text = decode_utf8(raw, str(config_path))
    config = _Config(_read_toml(text, config_path), text, config_path)
    source = config.language("project", "source-language", "tr")
    targets = config.targets(source)
    name = config.string("project", "name", root.name)
    if name in ("", ".", "..") or "/" in name or "\\" in name:
        raise config.error("project", "name", f"name {name!r} is used in file names and must not be a path")
    for key in ("name", "version", "bugs-address", "copyright-holder"):
        config.single_line("project", key)
    for key in ("sources", "glossary", "locales", "build"):
        config.single_line("paths", key)
    for key in ("glossary", "locales", "build"):
        config.inside("paths", key)
    return Project(
        root=root,
        name=name,
        version=str(config.value("project", "version", "1.0", (str, int, float))),
        source_lang=source,
        target_langs=targets,
        sources_dir=root / config.string("paths", "sources", "sources"),
        glossary_path=root / config.string("paths", "glossary", "glossary/kervan.tbx"),
        locales_dir=root / config.string("paths", "locales", "locales"),
        build_dir=root / config.string("paths", "build", "build"),
        bugs_address=config.string("project", "bugs-address", ""),
        copyright_holder=config.string("project", "copyright-holder", ""),
        tm_dir=root / config.string("paths", "tm", "tm"),
        tm_url=config.tm_url(),
        tm_min_score=config.tm_min_score(),
        glossary_line=config.line_of("paths", "glossary"),
        glossary_named="glossary" in config.table("paths"),
    )


def _read_toml(text: str, path: Path) -> dict[str, Any]:
    """kervan.toml's tables, from the user's cache when this very text was parsed before: importing tomllib and
    compiling its patterns is ~4 ms of every command's start-up. The cache keeps only plain JSON data (no
    dates) next to the whole text, compared in full; the same checks then run on it as on a fresh parse."""
    from .usercache import cache_dir, read_json, write_json

    folder = cache_dir()
    # One entry per project (named after the file's path, so edits replace it rather than pile up).
    name = f"{zlib.crc32(os.fsencode(path.absolute())):08x}.json"
    entry = folder / "config" / name if folder else None
    if entry is not None:
        cached = read_json(entry)
        if isinstance(cached, dict) and cached.get("text") == text and isinstance(cached.get("data"), dict):
            problem, exact = _survey(cached["data"])
            if not problem and exact:
                return cached["data"]
    import tomllib

    too_deep = "invalid TOML: arrays or tables nested too deeply"
    too_large = "invalid TOML: integer outside the 64-bit range TOML allows"
    try:
        data = tomllib.loads(text)
    except RecursionError:
        # tomllib descends once per nested array or inline table: a file nested hundreds deep exhausts the stack.
        raise KervanError(too_deep, path, _deep_line(text)) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the place in the message: "Illegal character '\n' (at line 2, column 10)".
        found = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        line = int(found.group(1)) if found else None
        message = str(exc)[: found.start()].strip() if found else str(exc)
        raise KervanError(f"invalid TOML: {message}", path, line) from None
    except ValueError:  # an integer of thousands of digits, which int() refuses
        raise KervanError(too_large, path, _long_number_line(text)) from None
    # Limits of TOML and of this file, checked on the data (where a nesting limit does not depend on how deep
    # the stack happened to be when tomllib ran), so a fresh parse and a cached one agree.
    problem, exact = _survey(data)
    if problem == "deep":
        raise KervanError(too_deep, path, _deep_line(text))
    if problem == "large":
        raise KervanError(too_large, path, _long_number_line(text))
    if entry is not None and exact:
        write_json(entry, {"text": text, "data": data})
    return data


_DEPTH = 100  # arrays and tables nested deeper are refused; kervan.toml needs three levels
_INT64 = range(-(2**63), 2**63)


def _survey(value: object) -> tuple[str, bool]:
    """What is wrong with parsed TOML ("deep", "large" or ""), and whether JSON gives it back exactly:
    strings, integers, booleans, finite floats, lists and tables of them (not TOML's dates and times,
    infinities or NaN)."""
    exact = True
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > _DEPTH:
                return "deep", False
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
        elif isinstance(item, bool | str):
            pass
        elif isinstance(item, int):
            if item not in _INT64:
                return "large", False
        elif isinstance(item, float):
            if item != item or item in (float("inf"), float("-inf")):
                exact = False
        else:
            exact = False
    return "", exact


def _long_number_line(text: str) -> int | None:
    """The line of the first integer outside 64 bits (strings are not told apart: a guide only)."""
    integer = r"(?<![\w.])[+-]?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)(?![\w.:-])"
    for number, line in enumerate(text.split("\n"), start=1):
        for found in re.finditer(integer, line):
            try:
                if int(found.group().replace("_", ""), 0) not in _INT64:
                    return number
            except ValueError:  # thousands of digits (or leading zeros, which TOML refuses anyway)
                if len(found.group()) > 19:
                    return number
    return None


def _deep_line(text: str, limit: int = _DEPTH) -> int | None:
    """The line where brackets first nest deeper than `limit` (strings are not told apart: a guide only)."""
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > limit:
                    return number
            elif ch in "]}":
                depth = max(0, depth - 1)
    return None


_TABLE_RE = re.compile(r"\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY_RE = re.compile(r"(?:\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*=")


class _Config:
    """The parsed kervan.toml with typed access: a value of the wrong kind is an error naming its line."""

    def __init__(self, data: dict[str, Any], text: str, path: Path) -> None:
        self.data = data
        self.lines = text.split("\n")
        self.path = path

    def line_of(self, table: str | None, key: str) -> int | None:
        """Line of `key = ...` inside `[table]` (top level when None); None when written some other way."""
        current: str | None = None
        for number, raw in enumerate(self.lines, start=1):
            line = raw.strip()
            header = _TABLE_RE.match(line)
            if header:
                current = header.group(1).strip("\"'")
                if table is None and current == key:
                    return number
                continue
            found = _KEY_RE.match(line)
            if found and current == table and next(g for g in found.groups() if g is not None) == key:
                return number
        return None

    def error(self, table: str | None, key: str, message: str) -> KervanError:
        return KervanError(message, self.path, self.line_of(table, key))

    def table(self, name: str) -> dict[str, Any]:
        value = self.data.get(name, {})
        if not isinstance(value, dict):
            raise self.error(None, name, f"{name} must be a table ([{name}])")
        return value

    def value(self, table: str, key: str, default: Any, kinds: tuple[type, ...]) -> Any:
        value = self.table(table).get(key, default)
        # TOML booleans are ints to Python; no setting here takes one.
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise self.error(table, key, f"{key} must be a {'string' if kinds == (str,) else 'string or number'}")
        return value

    def string(self, table: str, key: str, default: str) -> str:
        return self.value(table, key, default, (str,))

    def inside(self, table: str, key: str) -> None:
        """Folders Kervan writes must stay inside the project: a cloned project must not make Kervan write
        catalogs or reports anywhere else (say, over another program's installed translations)."""
        value = self.table(table).get(key)
        if not isinstance(value, str):
            return
        parts = Path(value.replace("\\", "/")).parts
        if Path(value).is_absolute() or value.startswith(("/", "\\", "~")) or ".." in parts:
            raise self.error(table, key, f"{key} {value!r} is outside the project; give a folder inside it")

    def single_line(self, table: str, key: str) -> None:
        """Values written into catalog headers and file names: a line break would add header fields."""
        value = self.table(table).get(key)
        found = _UNSAFE_NAME.search(value) if isinstance(value, str) else None
        if found:
            raise self.error(
                table, key, f"{key} must be one line without control characters (found U+{ord(found.group()):04X})"
            )

    def tm_url(self) -> str:
        url = self.string("tm", "url", "")
        if url and not url.startswith(("postgresql://", "postgres://")):
            raise self.error("tm", "url", "url must be a PostgreSQL URL (postgresql://user@host/database)")
        return url

    def tm_min_score(self) -> int:
        value = self.table("tm").get("min-score", 75)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
            raise self.error("tm", "min-score", "min-score must be a whole number from 0 to 100")
        return value

    def language(self, table: str, key: str, default: str, lang: Any = None) -> str:
        lang = self.string(table, key, default) if lang is None else lang
        try:
            canonical = locales.check_language(lang)
        except KervanError as exc:
            raise self.error(table, key, exc.message) from None
        if canonical != lang:
            # Catalogs live in locales/<code>/: gettext looks for "en_US", never for "en-US" or "EN_us".
            raise self.error(table, key, f"language code {lang!r} must be written {canonical!r}, as gettext names it")
        return lang

    def targets(self, source: str) -> tuple[str, ...]:
        targets = self.table("project").get("target-languages", [])
        key = "target-languages"
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            raise self.error("project", key, "target-languages must be a list of language codes")
        seen: list[str] = []
        for lang in targets:
            self.language("project", key, "", lang)
            if lang == source:
                raise self.error("project", key, f"target language {lang!r} is the source language")
            if lang in seen:
                raise self.error("project", key, f"target language {lang!r} is listed more than once")
            seen.append(lang)
        return tuple(seen)
