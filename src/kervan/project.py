"""The Kervan project: `kervan.toml` found upward from a folder, with its languages and paths."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import locales
from .errors import KervanError
from .text import decode_utf8

CONFIG_NAME = "kervan.toml"


@dataclass(frozen=True, slots=True)
class Project:
    root: Path
    name: str
    version: str
    source_lang: str
    target_langs: tuple[str, ...]
    sources_dir: Path
    glossary_path: Path
    locales_dir: Path
    build_dir: Path
    bugs_address: str = ""
    copyright_holder: str = ""
    tm_dir: Path | None = None  # TMX files of the translation memory (default: <root>/tm)
    tm_url: str = ""  # a shared PostgreSQL memory; empty: the embedded index under build/
    tm_min_score: int = 75

    @property
    def memory_dir(self) -> Path:
        return self.tm_dir if self.tm_dir is not None else self.root / "tm"
    # Where kervan.toml names the glossary (None: not named, the default path is used when it exists).
    glossary_line: int | None = None
    glossary_named: bool = False

    def source_files(self) -> list[Path]:
        """Source articles, sorted by name (the name starts with the date)."""
        if not self.sources_dir.is_dir():
            raise KervanError("sources folder not found", self.sources_dir)
        return sorted(p for p in self.sources_dir.iterdir() if p.suffix == ".txt" and p.is_file())

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
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the place in the message: "Illegal character '\n' (at line 2, column 10)".
        found = re.search(r"\(at line (\d+), column \d+\)$", str(exc))
        line = int(found.group(1)) if found else None
        message = str(exc)[: found.start()].strip() if found else str(exc)
        raise KervanError(f"invalid TOML: {message}", config_path, line) from None
    config = _Config(data, text, config_path)
    source = config.language("project", "source-language", "tr")
    targets = config.targets(source)
    name = config.string("project", "name", root.name)
    if name in ("", ".", "..") or "/" in name or "\\" in name:
        raise config.error("project", "name", f"name {name!r} is used in file names and must not be a path")
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
