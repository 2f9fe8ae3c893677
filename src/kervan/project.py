"""The Kervan project: `kervan.toml` found upward from a folder, with its languages and paths."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

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
        return here.parent if here.name == CONFIG_NAME else here
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
    meta = data.get("project", {})
    paths = data.get("paths", {})
    source = meta.get("source-language", "tr")
    targets = meta.get("target-languages", [])
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise KervanError("target-languages must be a list of language codes", config_path)
    for lang in (source, *targets):
        try:
            locales.check_language(lang)
        except KervanError as exc:
            raise KervanError(exc.message, config_path) from None
    return Project(
        root=root,
        name=str(meta.get("name", root.name)),
        version=str(meta.get("version", "1.0")),
        source_lang=source,
        target_langs=tuple(targets),
        sources_dir=root / paths.get("sources", "sources"),
        glossary_path=root / paths.get("glossary", "glossary/kervan.tbx"),
        locales_dir=root / paths.get("locales", "locales"),
        build_dir=root / paths.get("build", "build"),
        bugs_address=str(meta.get("bugs-address", "")),
        copyright_holder=str(meta.get("copyright-holder", "")),
    )
