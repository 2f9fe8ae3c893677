"""Build stamps: what the last build read and wrote, so a rebuild redoes only what changed.

`build/.cache/build.json` records each input and output file by size, modification time and inode (Kervan's
writers leave identical bytes untouched, so an unchanged stamp means unchanged content), together with the
Kervan code and the build options. It holds:

- the whole tree: when no input and no output changed, the recorded report is the build's report;
- per article, its segments and their glossary notes, valid while the source, the glossary and kervan.toml
  are unchanged: segmentation and term scanning are most of a build;
- per catalog, the template and catalog as the last merge left them (an unchanged pair needs no merge), and
  the catalog and MO file as the last compile left them;
- per catalog, the findings of every QA check, valid while the catalog, its article, the glossary, kervan.toml
  and CLDR's plural rule for its language are unchanged.

The file is data only (JSON), checked as it is read: anything unexpected means "no stamps", and the build is
done in full. Whatever the stamps say, the outputs are those of a full build; tests compare both.

Other jobs (extract, update, qa, render, exports) read the stamps without writing them (`Stamps.recorded`): an
article unchanged since the last build is not segmented and scanned again by each of them.
"""

from __future__ import annotations

import json
import os
import stat
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import KervanError
from ..model import Finding, Segment
from ..project import Project

FORMAT = 1
Stamp = list[int]


def stamp_of(path: Path) -> Stamp | None:
    """Size, modification time (ns) and inode of a file; None when it does not exist."""
    from ..formats.atomic import view

    try:
        # Inside a build's transaction a written file is still staged: its temp file is what the rename
        # will put in place, with the same size, time and inode.
        info = view(path).stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def code_stamp() -> str:
    """Kervan's version and its modules' sizes and times: edited code invalidates every stamp."""
    from .. import __version__

    package = Path(__file__).resolve().parent.parent
    parts = [__version__]
    for folder, _, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith((".py", ".srx", ".json")):
                stamp = stamp_of(Path(folder) / name)
                parts.append(f"{name}:{stamp[0]}:{stamp[1]}" if stamp else name)
    return f"{zlib.crc32('|'.join(parts).encode('utf-8')):08x}"


class Stamps:
    """The stamps of the last build, and those being gathered for the next (saved by `save`)."""

    def __init__(self, project: Project, options: dict[str, Any] | None) -> None:
        self.project = project
        self.path = project.build_dir / ".cache" / "build.json"
        # Without options: read only, whatever options the last build had (articles and templates do not
        # depend on them); such stamps are never saved.
        self.read_only = options is None
        self.key = {"format": FORMAT, "code": "", "options": options}
        self.old = self._load()
        self.new: dict[str, Any] = {"articles": {}, "extracted": {}, "merged": {}, "compiled": {}, "checked": {}}

    @classmethod
    def recorded(cls, project: Project) -> Stamps:
        """The last build's stamps, for a job that only reads them."""
        return cls(project, None)

    def _load(self) -> dict[str, Any]:
        try:
            # A regular file only: a FIFO would block every command that reads the stamps, /dev/zero fill memory.
            raw = self.path.read_bytes() if stat.S_ISREG(os.stat(self.path).st_mode) else None
        except OSError:
            raw = None
        if raw is None and self.read_only:
            return {}  # nothing to read: the code's stamp (a walk over the package) is not needed
        self.key["code"] = code_stamp()
        try:
            data = json.loads(raw) if raw is not None else None
        except (ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or not isinstance(data.get("key"), dict):
            return {}
        found = data["key"]
        if self.read_only:
            if found.get("format") != FORMAT or found.get("code") != self.key["code"]:
                return {}
        elif found != self.key:
            return {}
        for part in ("articles", "extracted", "merged", "compiled", "checked"):
            if not isinstance(data.get(part), dict):
                return {}
        return data

    def _rel(self, path: Path) -> str:
        return self.project.relative(path)

    # -------------------------------------------------------------------------------- the whole tree

    def tree(self, outputs: Iterable[str] = ()) -> dict[str, Stamp | None]:
        """Stamps of every file a build reads or writes: config, glossary, sources, templates, catalogs,
        compiled catalogs, and the outputs a build listed."""
        from ..formats.atomic import listing

        project = self.project
        paths = [project.root / "kervan.toml", project.glossary_path]
        if project.sources_dir.is_dir():
            paths += sorted(p for p in project.sources_dir.iterdir() if p.suffix == ".txt")
        locales = project.locales_dir
        if locales.is_dir():
            # listing(): files the running build is about to create count as written.
            paths += listing(locales, "*.pot")
            for folder in sorted(p for p in locales.iterdir() if p.is_dir()):
                messages = folder / "LC_MESSAGES"
                paths += listing(messages, "*.po") + listing(messages, "*.mo")
        paths += [project.root / output for output in outputs]
        paths += self._memory_files()
        return {self._rel(path): stamp_of(path) for path in paths}

    def _memory_files(self) -> list[Path]:
        from ..formats.atomic import listing

        folder = self.project.memory_dir
        return listing(folder, "*.tmx") if folder.is_dir() else []

    def memory_state(self) -> dict[str, Stamp | None]:
        """Stamps of what the translation memory is made of: tm/*.tmx and every catalog (as staged)."""
        from ..formats.atomic import listing

        paths = self._memory_files()
        locales = self.project.locales_dir
        if locales.is_dir():
            for folder in sorted(p for p in locales.iterdir() if p.is_dir()):
                paths += listing(folder / "LC_MESSAGES", "*.po")
        return {self._rel(path): stamp_of(path) for path in paths}

    def memory_unchanged(self) -> bool:
        """Whether the memory's files are as the last build left them."""
        return bool(self.old) and self.old.get("memory") == self.memory_state()

    def unchanged_report(self) -> dict[str, Any] | None:
        """The last build's report when not a file it read or wrote has changed since."""
        report, tree = self.old.get("report"), self.old.get("tree")
        if not isinstance(report, dict) or not isinstance(tree, dict):
            return None
        outputs = [f.get("path", "") for f in report.get("files", []) if isinstance(f, dict)]
        if self.tree(str(o) for o in outputs) != tree:
            return None
        return report

    def save(self, report: dict[str, Any]) -> None:
        """Record the finished build: its report and the stamps of everything it read and wrote."""
        from ..formats.atomic import write_bytes

        if self.read_only:
            raise ValueError("stamps read for another job are never saved")
        outputs = [str(f["path"]) for f in report.get("files", [])]
        data = {
            "key": self.key,
            **self.new,
            "report": report,
            "tree": self.tree(outputs),
            "memory": self.memory_state(),
        }
        try:
            write_bytes(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except (KervanError, OSError):
            return  # a build folder that refuses the stamp file only costs the next build its time

    # -------------------------------------------------------------------------------- articles

    def _article_key(self, source: Path) -> list[Any]:
        return [stamp_of(source), stamp_of(self.project.glossary_path), stamp_of(self.project.root / "kervan.toml")]

    def article(self, document_id: str, source: Path) -> tuple[list[Segment], list[tuple[str, ...]]] | None:
        """The segments and notes of an unchanged article, as the last build found them."""
        found = self.old["articles"].get(document_id) if self.old else None
        key = self._article_key(source)
        if not isinstance(found, dict) or found.get("key") != key:
            return None
        try:
            segments = [Segment(*_strings(row[:4]), *_ints(row[4:])) for row in found["segments"]]
            notes = [tuple(_strings(row)) for row in found["notes"]]
        except (TypeError, ValueError, KeyError):
            return None
        if len(notes) != len(segments):
            return None
        self.new["articles"][document_id] = found
        return segments, notes

    def record_article(
        self, document_id: str, source: Path, segments: Sequence[Segment], notes: Sequence[Sequence[str]]
    ) -> None:
        self.new["articles"][document_id] = {
            "key": self._article_key(source),
            "segments": [[s.id, s.text, s.lang, s.ref, s.paragraph, s.sentence] for s in segments],
            "notes": [list(n) for n in notes],
        }

    # -------------------------------------------------------------------------------- catalogs

    def _pair(self, part: str, name: str, first: Path, second: Path, extra: Any = None) -> bool:
        """Whether `first` and `second` are as the step `part` left them for `name` (then it is carried over)."""
        found = self.old.get(part, {}).get(name) if self.old else None
        current = [stamp_of(first), stamp_of(second), extra]
        if isinstance(found, dict) and found.get("stamps") == current and None not in current[:2]:
            self.new[part][name] = found
            return True
        return False

    def extracted(self, source: Path, pot: Path) -> str | None:
        """The detail of the last extraction of this article, if its inputs and its template are as it left them."""
        name = self._rel(pot)
        if self._pair("extracted", name, source, pot, self._article_key(source)[1:]):
            return str(self.new["extracted"][name].get("detail", ""))
        return None

    def record_extract(self, source: Path, pot: Path, detail: str) -> None:
        self.new["extracted"][self._rel(pot)] = {
            "stamps": [stamp_of(source), stamp_of(pot), self._article_key(source)[1:]],
            "detail": detail,
        }

    def merged(self, pot: Path, po: Path, *, settled: bool = False, use_tm: bool = False) -> str | None:
        """The detail of the last merge of this template into this catalog, if both are as it left them.
        `settled`: only if that merge left the catalog as it was, and consulted the memory if `use_tm` (merging
        the pair again changes nothing, and says the same)."""
        name = self._rel(po)
        if self._pair("merged", name, pot, po):
            record = self.new["merged"][name]
            if settled and (record.get("changed") is not False or (use_tm and record.get("tm") is not True)):
                return None
            return str(record.get("detail", ""))
        return None

    def record_merge(self, pot: Path, po: Path, detail: str, changed: bool | None = None, use_tm: bool = False) -> None:
        self.new["merged"][self._rel(po)] = {
            "stamps": [stamp_of(pot), stamp_of(po), None],
            "detail": detail,
            "changed": changed,
            "tm": use_tm,
        }

    def compiled(self, po: Path, mo: Path, use_fuzzy: bool) -> str | None:
        name = self._rel(mo)
        if self._pair("compiled", name, po, mo, use_fuzzy):
            return str(self.new["compiled"][name].get("detail", ""))
        return None

    def record_compile(self, po: Path, mo: Path, use_fuzzy: bool, detail: str) -> None:
        self.new["compiled"][self._rel(mo)] = {"stamps": [stamp_of(po), stamp_of(mo), use_fuzzy], "detail": detail}

    # -------------------------------------------------------------------------------- QA

    def _check_key(self, po: Path, source: Path | None, cldr: str) -> list[Any]:
        return [stamp_of(po), stamp_of(source) if source is not None else None, *self._article_key(po)[1:], cldr]

    def checks_recorded(self) -> bool:
        """Whether the last build recorded findings made with the glossary and kervan.toml as they are now."""
        now = self._article_key(self.project.glossary_path)[1:]
        records = self.old.get("checked", {}).values() if self.old else ()
        return any(isinstance(r, dict) and isinstance(r.get("key"), list) and r["key"][2:4] == now for r in records)

    def checked(self, po: Path, source: Path | None, cldr: str) -> list[Finding] | None:
        """The findings of every check on this catalog, if it and what they depend on are as they were."""
        name = self._rel(po)
        found = self.old["checked"].get(name) if self.old else None
        key = self._check_key(po, source, cldr)
        if not isinstance(found, dict) or found.get("key") != key or key[0] is None:
            return None
        try:
            rows = found["findings"]
            if type(rows) is not list or not all(type(row) is list and len(row) == 5 for row in rows):
                return None
            findings = [Finding(*_strings(row)) for row in rows]
        except (TypeError, ValueError, KeyError):
            return None
        if any(f.severity not in ("error", "warning", "info") for f in findings):
            return None
        self.new["checked"][name] = found
        return findings

    def record_check(self, po: Path, source: Path | None, cldr: str, findings: Sequence[Finding]) -> None:
        self.new["checked"][self._rel(po)] = {
            "key": self._check_key(po, source, cldr),
            "findings": [[f.check, f.severity, f.unit_id, f.lang, f.message] for f in findings],
        }


def _strings(values: Sequence[Any]) -> list[str]:
    if not all(type(v) is str for v in values):
        raise TypeError("strings expected")
    return list(values)


def _ints(values: Sequence[Any]) -> list[int]:
    if not all(type(v) is int for v in values):
        raise TypeError("integers expected")
    return list(values)
