"""The SRX 2.0 segmentation engine.

Semantics: the rules for a language are the language rules its map selects (all matching ones in map order
with cascade, the first otherwise). A rule applies at a position when its beforebreak matches text ending
there and its afterbreak matches text starting there; at each position the first applying rule decides
whether to break.

Speed: only break rules can create breaks, so each break rule is searched forward to list candidate
positions; at each candidate the rules before it are checked in order, merged into one regex per run of
rules with the same decision. A beforebreak of fixed width is checked with a real lookbehind; one of
variable width is matched against at most LOOKBEHIND_LIMIT characters ending at the position (the bound
Okapi and the Segment library also use), with the text cut at the position.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import KervanError
from ..model import Document, Segment
from .icu import RegexSyntaxError, translate
from .ruleset import Rule, SrxRules

LOOKBEHIND_LIMIT = 1000

try:  # the regex parser's width analysis; a missing private module only costs speed
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    _sre_parse = None


def _analyse(python: str) -> tuple[int, int, bool]:
    """(min, max) characters a Python pattern can match, max capped at LOOKBEHIND_LIMIT, and whether it is
    anchored at the start of the text (a leading `^` or `\\A`)."""
    if _sre_parse is None:  # pragma: no cover
        return 0, LOOKBEHIND_LIMIT, False
    try:
        parsed = _sre_parse.parse(python)
        low, high = parsed.getwidth()
        anchored = False
        items = list(parsed)
        while items and str(items[0][0]) == "SUBPATTERN" and len(items) == 1:
            items = list(items[0][1][-1])  # a lone group around the whole pattern, as (?:...) wrapping adds
        if items and str(items[0][0]) == "AT":
            anchored = str(items[0][1]) in ("AT_BEGINNING", "AT_BEGINNING_STRING")
    except Exception:  # pragma: no cover - the analysis is an optimisation only
        return 0, LOOKBEHIND_LIMIT, False
    return low, min(high, LOOKBEHIND_LIMIT), anchored


_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One rule's regexes in the forms the engine needs."""

    is_break: bool
    forward: re.Pattern[str]  # before followed by a lookahead for after: finds candidates
    after: re.Pattern[str]
    before_at_end: re.Pattern[str]  # before anchored at the end, for a search ending at the position
    fixed: str | None  # "(?<=before)(?=after)" when before has a fixed width
    before: str
    after_text: str
    width: int
    anchored: bool  # can only match from the start of the text
    combinable: bool


def compile_rule(rule: Rule) -> _Compiled:
    """Translate and compile one rule; RegexSyntaxError names the part that failed."""
    try:
        before = translate(rule.before)
    except RegexSyntaxError as exc:
        raise RegexSyntaxError(f"beforebreak: {exc}") from None
    try:
        after = translate(rule.after)
    except RegexSyntaxError as exc:
        raise RegexSyntaxError(f"afterbreak: {exc}") from None
    before_groups = re.compile(before).groups
    if before_groups and _BACKREF.search(after):
        raise RegexSyntaxError("afterbreak back references cannot be combined with groups in beforebreak")
    try:
        forward = re.compile(f"(?:{before})(?={after})")
        after_re = re.compile(f"(?:{after})")
        before_at_end = re.compile(f"(?:{before})\\Z")
    except re.error as exc:
        raise RegexSyntaxError(f"rule cannot be compiled: {exc}") from None
    low, high, anchored = _analyse(before)
    fixed: str | None = None
    if low == high:
        candidate = f"(?<={before})(?={after})"
        try:
            re.compile(candidate)
            fixed = candidate
        except re.error:
            fixed = None  # e.g. group references inside the lookbehind: fall back to the bounded search
    combinable = not _BACKREF.search(before + after)
    return _Compiled(rule.is_break, forward, after_re, before_at_end, fixed, before, after, high, anchored, combinable)


# Variable-width rules sharing an afterbreak are merged into one search only when they look back this little:
# merging rules that look far back would lose each one's fast scan for its first character.
_MERGE_WIDTH = 32


@dataclass(frozen=True, slots=True)
class _Window:
    """Rules whose beforebreak has a variable width: searched in the text ending at the position."""

    before_at_end: re.Pattern[str]
    after: re.Pattern[str]
    width: int
    anchored: bool

    def applies(self, text: str, pos: int) -> bool:
        if not self.after.match(text, pos):
            return False
        if self.anchored:
            return pos <= self.width and self.before_at_end.match(text, 0, pos) is not None
        return self.before_at_end.search(text, max(0, pos - self.width), pos) is not None


@dataclass(frozen=True, slots=True)
class _Run:
    """Consecutive rules with the same decision: if any applies at a position, the run decides."""

    is_break: bool
    lookbehinds: tuple[re.Pattern[str], ...]
    windows: tuple[_Window, ...]

    def applies(self, text: str, pos: int) -> bool:
        for pattern in self.lookbehinds:
            if pattern.match(text, pos):
                return True
        return any(window.applies(text, pos) for window in self.windows)


def _window(rule: _Compiled) -> _Window:
    return _Window(rule.before_at_end, rule.after, rule.width, rule.anchored)


def _make_run(rules: list[_Compiled]) -> _Run:
    lookbehinds: list[re.Pattern[str]] = []
    windows: list[_Window] = []
    merged_fixed = [r.fixed for r in rules if r.fixed is not None and r.combinable]
    if merged_fixed:
        lookbehinds.append(re.compile("|".join(merged_fixed)))
    lookbehinds.extend(re.compile(r.fixed) for r in rules if r.fixed is not None and not r.combinable)
    by_after: dict[str, list[_Compiled]] = {}
    for rule in rules:
        if rule.fixed is None:
            if rule.combinable and not rule.anchored and rule.width <= _MERGE_WIDTH:
                by_after.setdefault(rule.after_text, []).append(rule)
            else:
                windows.append(_window(rule))
    for after_text, group in by_after.items():
        if len(group) == 1:
            windows.append(_window(group[0]))
            continue
        before = "|".join(f"(?:{r.before})" for r in group)
        try:
            pattern = re.compile(f"(?:{before})\\Z")
        except re.error:  # e.g. the same group name in two rules
            windows.extend(_window(r) for r in group)
            continue
        windows.append(_Window(pattern, re.compile(f"(?:{after_text})"), max(r.width for r in group), False))
    return _Run(rules[0].is_break, tuple(lookbehinds), tuple(windows))


class Segmenter:
    """Splits text into segments with the rules `rules` selects for language `lang`."""

    def __init__(self, rules: SrxRules, lang: str) -> None:
        self.rules = rules
        self.lang = lang
        self._runs, self._finders = _compile_language(rules, lang)

    def breaks(self, text: str) -> list[int]:
        """Positions (0 < p < len(text)) where the rules break, ascending."""
        length = len(text)
        first_run: dict[int, int] = {}  # candidate position -> index of the earliest break run found there
        for run_index, rule in self._finders:
            for pos in _candidates(rule, text):
                if 0 < pos < length and first_run.get(pos, run_index + 1) > run_index:
                    first_run[pos] = run_index
        result = []
        runs = self._runs
        for pos in sorted(first_run):
            decided = True
            for run in runs[: first_run[pos]]:
                if run.applies(text, pos):
                    decided = run.is_break
                    break
            if decided:
                result.append(pos)
        return result

    def split(self, text: str) -> list[str]:
        """The segments of `text`, stripped of surrounding whitespace, empty ones dropped."""
        pieces = []
        start = 0
        for pos in [*self.breaks(text), len(text)]:
            piece = text[start:pos].strip()
            if piece:
                pieces.append(piece)
            start = pos
        return pieces


def _candidates(rule: _Compiled, text: str) -> Iterator[int]:
    """Positions where a break rule applies, found by searching its beforebreak forward.

    Matches may overlap, so the search restarts one character after each match start. For a variable-width
    beforebreak, the shorter ends inside each match are checked too.
    """
    forward = rule.forward
    if rule.fixed is not None and rule.width <= 1:
        # Width 0 or 1: consecutive matches cannot hide one another, finditer is exact.
        for match in forward.finditer(text):
            yield match.end()
        return
    pos = 0
    length = len(text)
    while pos <= length:
        match = forward.search(text, pos)
        if match is None:
            return
        start, end = match.span()
        if rule.fixed is None:
            for inner in range(start + 1, end):
                if rule.after.match(text, inner) and rule.before_at_end.match(text, start, inner):
                    yield inner
        yield end
        pos = start + 1


@functools.lru_cache(maxsize=64)
def _compile_language(rules: SrxRules, lang: str) -> tuple[tuple[_Run, ...], tuple[tuple[int, _Compiled], ...]]:
    compiled: list[_Compiled] = []
    for rule in rules.rules_for(lang):
        try:
            compiled.append(compile_rule(rule))
        except RegexSyntaxError as exc:
            raise KervanError(str(exc), rules.path or None, rule.line or None) from None
    runs: list[_Run] = []
    finders: list[tuple[int, _Compiled]] = []
    start = 0
    for index in range(1, len(compiled) + 1):
        if index == len(compiled) or compiled[index].is_break != compiled[start].is_break:
            chunk = compiled[start:index]
            runs.append(_make_run(chunk))
            if chunk[0].is_break:
                finders.extend((len(runs) - 1, rule) for rule in chunk)
            start = index
    return tuple(runs), tuple(finders)


# --------------------------------------------------------------------------- loading and documents


def default_rules_path() -> Path:
    """The shipped SRX file: Turkish, English and Russian rules over generic defaults."""
    return Path(__file__).resolve().parent / "rules" / "kervan.srx"


@functools.cache
def _default_rules() -> SrxRules:
    from ..formats.srx import read_srx

    return read_srx(default_rules_path())


def load_rules(path: str | Path | None = None) -> SrxRules:
    """Read an SRX 2.0 file; without a path, the shipped rules (read once)."""
    if path is None:
        return _default_rules()
    # formats/ sits above this floor; the import is local so segmentation itself stays format-free.
    from ..formats.srx import read_srx

    return read_srx(path)


def segment_document(doc: Document, rules: SrxRules | None = None) -> Iterator[Segment]:
    """Segments of every paragraph (headline first), ids `<doc>:<paragraph>.<sentence>`, refs `<path>:<line>`."""
    segmenter = Segmenter(rules if rules is not None else load_rules(), doc.lang)
    for p, paragraph in enumerate(doc.all_paragraphs(), start=1):
        for s, text in enumerate(segmenter.split(paragraph.text), start=1):
            yield Segment(
                id=f"{doc.id}:{p}.{s}",
                text=text,
                lang=doc.lang,
                ref=f"{doc.path}:{paragraph.line}",
                paragraph=p,
                sentence=s,
            )


def segment_lines(lines: Iterable[str], lang: str, rules: SrxRules | None = None) -> Iterator[tuple[int, list[str]]]:
    """(paragraph number, segments) for each non-empty line, numbered from 1; streams."""
    segmenter = Segmenter(rules if rules is not None else load_rules(), lang)
    number = 0
    for line in lines:
        if not line.strip():
            continue
        number += 1
        yield number, segmenter.split(line)
