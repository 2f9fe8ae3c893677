"""Turning a match into a suggestion: numbers that changed between the two sources are carried into it.

"21. Forum" -> "22. Forum" with "XXI Форум" gives "XXII Форум": the numbers of both sources are paired in
order (only when both hold as many), and each changed one is replaced in the translation where it is found
as digits ("21" -> "22", not inside "2021") or as a Roman numeral ("XXI" -> "XXII"). A number the translation
does not show is reported as not carried; the suggestion is then only as good as the match.
"""

from __future__ import annotations

import re

from ..record import Record, init
from .store import Match

_NUMBER = re.compile(r"\d+")
_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(value: int) -> str:
    """Upper-case Roman numeral of 1..3999 ("" outside that range)."""
    if not 0 < value < 4000:
        return ""
    out = []
    for amount, letters in _ROMAN:
        count, value = divmod(value, amount)
        out.append(letters * count)
    return "".join(out)


class Carried(Record):
    """A translation with changed numbers carried into it: what was replaced, and what could not be."""

    _fields = ("text", "carried", "missed")
    __slots__ = _fields
    text: str
    carried: tuple[tuple[str, str], ...]  # (old, new) as written in the translation
    missed: tuple[tuple[str, str], ...]  # changed numbers not found in the translation

    def __init__(
        self, text: str, carried: tuple[tuple[str, str], ...] = (), missed: tuple[tuple[str, str], ...] = ()
    ) -> None:
        init(self, "text", text)
        init(self, "carried", carried)
        init(self, "missed", missed)


def carry_numbers(new_source: str, old_source: str, target: str) -> Carried:
    """The translation of `old_source`, with the numbers that differ in `new_source` replaced."""
    new = _NUMBER.findall(new_source)
    old = _NUMBER.findall(old_source)
    if len(new) != len(old) or new == old:
        return Carried(target)
    changes: dict[str, str] = {}
    for before, after in zip(old, new, strict=True):
        if before == after:
            continue
        if changes.get(before, after) != after:
            return Carried(target)  # one old number becoming two different ones: nothing safe to do
        changes[before] = after
    replacements: dict[str, str] = {}
    missed = []
    for before, after in changes.items():
        if re.search(rf"(?<![\d.,]){before}(?![\d]|[.,]\d)", target):
            replacements[before] = after
            continue
        old_roman, new_roman = roman(int(before)), roman(int(after))
        if old_roman and new_roman and re.search(rf"\b{old_roman}\b", target):
            replacements[old_roman] = new_roman
            continue
        missed.append((before, after))
    if not replacements:
        return Carried(target, (), tuple(missed))
    # One pass, so "1" -> "2" and "2" -> "3" never chain; an English ordinal suffix follows its number.
    pattern = re.compile(
        "|".join(
            rf"(?<![\d.,]){re.escape(k)}(?:st|nd|rd|th)?(?![\d]|[.,]\d)" if k.isdigit() else rf"\b{re.escape(k)}\b"
            for k in sorted(replacements, key=len, reverse=True)
        )
    )

    def replace(found: re.Match[str]) -> str:
        written = found.group()
        number = written.rstrip("stndrh") if written[:1].isdigit() else written
        new = replacements[number]
        return new + (_ordinal_suffix(int(new)) if number != written else "")

    text = pattern.sub(replace, target)
    return Carried(text, tuple(replacements.items()), tuple(missed))


def _ordinal_suffix(value: int) -> str:
    if 10 <= value % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")


class Fill:
    """One catalog entry filled from the memory."""

    __slots__ = ("carried", "domain", "kind", "lang", "matched", "missed", "msgid", "origin", "score")

    def __init__(
        self,
        lang: str,
        domain: str,
        msgid: str,
        score: int,
        kind: str,
        origin: str,
        matched: str,
        carried: list[tuple[str, str]] | None = None,
        missed: list[tuple[str, str]] | None = None,
    ) -> None:
        self.lang = lang
        self.domain = domain
        self.msgid = msgid
        self.score = score
        self.kind = kind  # exact, context (101%) or fuzzy
        self.origin = origin
        self.matched = matched
        self.carried = [] if carried is None else carried
        self.missed = [] if missed is None else missed

    def to_json(self) -> dict[str, object]:
        return {
            "lang": self.lang,
            "article": self.domain,
            "msgid": self.msgid,
            "score": self.score,
            "kind": self.kind,
            "origin": self.origin,
            "matched_source": self.matched,
            "numbers_carried": [{"from": a, "to": b} for a, b in self.carried],
            "numbers_not_carried": [{"from": a, "to": b} for a, b in self.missed],
        }


def suggestion(match: Match, lang: str, source: str) -> tuple[str, list[tuple[str, str]], list[tuple[str, str]]]:
    """The text to fill for `source` from `match` in `lang`, with what was carried and missed."""
    target = match.targets[lang]
    if match.score >= 100:
        return target, [], []
    carried = carry_numbers(source, match.source, target)
    return carried.text, list(carried.carried), list(carried.missed)


def comment(fill: Fill) -> str:
    """The `#.` line naming the match: "TM: 87% fuzzy match, tm/x.tmx; numbers carried: 21 -> 22"."""
    kinds = {"exact": "exact match", "context": "in-context exact match", "fuzzy": "fuzzy match"}
    line = f"TM: {fill.score}% {kinds[fill.kind]}, {fill.origin}"
    if fill.carried:
        line += "; numbers carried: " + ", ".join(f"{a} -> {b}" for a, b in fill.carried)
    if fill.missed:
        line += "; numbers not carried: " + ", ".join(f"{a} -> {b}" for a, b in fill.missed)
    return line
