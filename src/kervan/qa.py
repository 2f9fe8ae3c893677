"""Translation checks: each a small pure function from one item to the findings it raises.

A check takes a `QaItem` (one source segment and its translation in one language) and a `QaContext`
(the glossary matcher and the source language) and yields `Finding`s. `run_checks` applies a list of
checks to many items. Checks never raise on odd text: whatever a translator typed is something to report on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

from .model import Concept, Finding, Severity, Term
from .record import Record, init
from .text import APOSTROPHES, primary

__all__ = [
    "ALL_CHECKS",
    "CHECKS",
    "Check",
    "QaContext",
    "QaItem",
    "TermScanner",
    "check_added_term",
    "check_bidi",
    "check_document_title",
    "check_fuzzy",
    "check_identical",
    "check_length",
    "check_numbers",
    "check_placeholders",
    "check_plural_rule",
    "check_punctuation",
    "check_quotes",
    "check_spacing",
    "check_terminology",
    "check_title_case",
    "check_untranslated",
    "finding_to_json",
    "length_band",
    "run_checks",
]


class _Occurrence(Protocol):
    # Read-only properties, so immutable records satisfy the protocol.
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def concept(self) -> Concept: ...
    @property
    def term(self) -> Term: ...


class TermScanner(Protocol):
    """What the terminology check needs from the glossary matcher (`kervan.terms.index.TermIndex`)."""

    def scan(self, text: str, lang: str) -> Sequence[_Occurrence]: ...


class QaItem(Record):
    """One source segment and its translation into `lang`; `target` is "" when untranslated."""

    _fields = (
        "unit_id",
        "source",
        "target",
        "lang",
        "source_lang",
        "fuzzy",
        "named_before",
        "flags",
        "source_plural",
        "plural_targets",
        "plural_forms",
    )
    __slots__ = _fields
    unit_id: str
    source: str
    target: str
    lang: str
    source_lang: str
    fuzzy: bool
    # Glossary concepts the source named in earlier segments of the same article: a later reference may
    # shorten them ("Kazakh President Kassym-Jomart Tokayev", then "Tokayev"), as news style asks.
    named_before: frozenset[str]
    # From the catalog entry, for the placeholder check: gettext flags (c-format, ...), the plural source and
    # every plural form of the translation, and the catalog's Plural-Forms header.
    flags: tuple[str, ...]
    source_plural: str
    plural_targets: tuple[str, ...]
    plural_forms: str

    def __init__(
        self,
        unit_id: str,
        source: str,
        target: str,
        lang: str,
        source_lang: str,
        fuzzy: bool = False,
        named_before: frozenset[str] = frozenset(),
        flags: tuple[str, ...] = (),
        source_plural: str = "",
        plural_targets: tuple[str, ...] = (),
        plural_forms: str = "",
    ) -> None:
        init(self, "unit_id", unit_id)
        init(self, "source", source)
        init(self, "target", target)
        init(self, "lang", lang)
        init(self, "source_lang", source_lang)
        init(self, "fuzzy", fuzzy)
        init(self, "named_before", named_before)
        init(self, "flags", flags)
        init(self, "source_plural", source_plural)
        init(self, "plural_targets", plural_targets)
        init(self, "plural_forms", plural_forms)


class QaContext(Record):
    """What checks may consult beyond the item: the glossary matcher (None: no terminology check)."""

    _fields = ("index", "source_lang")
    __slots__ = _fields
    index: TermScanner | None
    source_lang: str

    def __init__(self, index: TermScanner | None = None, source_lang: str = "tr") -> None:
        init(self, "index", index)
        init(self, "source_lang", source_lang)


Check = Callable[[QaItem, QaContext], Iterator[Finding]]


def _finding(check: str, severity: Severity, item: QaItem, message: str) -> Finding:
    return Finding(check=check, severity=severity, unit_id=item.unit_id, lang=item.lang, message=message)


def _translated(item: QaItem) -> bool:
    return bool(item.target.strip())


def _quote(text: str) -> str:
    return f"“{text}”"


# --------------------------------------------------------------------------- completeness


def check_untranslated(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Error: the segment has no translation."""
    if item.source.strip() and not _translated(item):
        yield _finding("untranslated", "error", item, "no translation")


def check_fuzzy(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Warning: the translation is marked fuzzy (the source changed or it was guessed) and needs review."""
    if item.fuzzy and _translated(item):
        yield _finding("fuzzy", "warning", item, "translation marked fuzzy, needs review")


# --------------------------------------------------------------------------- terminology


def _approved(concept: Concept, lang: str) -> tuple[Term, ...] | None:
    """Approved terms of the concept in `lang`; None when the glossary has no term at all in that language."""
    terms = concept.terms.get(lang)
    if terms is None:
        terms = concept.terms.get(primary(lang), ())
    if not terms:
        return None
    return tuple(t for t in terms if t.status != "deprecated")


def check_terminology(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Error: a glossary concept in the source is missing from the target, or rendered by a deprecated term.

    Both sides go through the same matcher, so an inflected target form ("Евразийского экономического
    союза") counts as the concept. Concepts without any term in the target language are not checked.
    A concept the article already named in an earlier segment may be left out (a title or full name is
    not repeated on a later reference): that is reported as info, not as an error.
    """
    if ctx.index is None or not _translated(item):
        return
    source_hits: dict[str, _Occurrence] = {}
    for occ in ctx.index.scan(item.source, item.source_lang or ctx.source_lang):
        source_hits.setdefault(occ.concept.id, occ)
    if not source_hits:
        return
    target_hits: dict[str, list[_Occurrence]] = {}
    for occ in ctx.index.scan(item.target, item.lang):
        target_hits.setdefault(occ.concept.id, []).append(occ)
    for concept_id, source_occ in source_hits.items():
        approved = _approved(source_occ.concept, item.lang)
        if not approved:
            continue
        expected = ", ".join(_quote(t.text) for t in approved)
        found = target_hits.get(concept_id, [])
        good = [o for o in found if o.term.status != "deprecated"]
        bad = [o for o in found if o.term.status == "deprecated"]
        if not good and bad:
            yield _finding(
                "terminology",
                "error",
                item,
                f"deprecated term {_quote(bad[0].text)} for source term {_quote(source_occ.text)}: "
                f"use one of {expected}",
            )
        elif bad:
            # The approved term is there, but the deprecated one elsewhere in the segment still needs fixing.
            yield _finding(
                "terminology",
                "warning",
                item,
                f"deprecated term {_quote(bad[0].text)} used besides an approved one; use one of {expected}",
            )
        elif not good and concept_id in item.named_before:
            yield _finding(
                "terminology",
                "info",
                item,
                f"source term {_quote(source_occ.text)} not rendered; allowed on a later reference "
                f"(named earlier in the article)",
            )
        elif not good:
            yield _finding(
                "terminology", "error", item, f"source term {_quote(source_occ.text)}: expected one of {expected}"
            )


def check_added_term(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Warning: the target names a glossary concept that the source does not name.

    Catches a rendering that says more, or something else, than the source: "state visit" for
    "resmi ziyaret" (an official visit), a title the source never gave. Only concepts with terms in both
    languages count, so a name the glossary knows in one language only is never reported.
    """
    if ctx.index is None or not _translated(item):
        return
    source_lang = item.source_lang or ctx.source_lang
    named = {occ.concept.id for occ in ctx.index.scan(item.source, source_lang)}
    reported: set[str] = set()
    for occ in ctx.index.scan(item.target, item.lang):
        concept = occ.concept
        if concept.id in named or concept.id in reported or _approved(concept, source_lang) is None:
            continue
        reported.add(concept.id)
        source_terms = ", ".join(_quote(t.text) for t in _approved(concept, source_lang) or ())
        yield _finding(
            "added-term",
            "warning",
            item,
            f"target names {_quote(occ.text)} ({concept.id}), which the source does not say "
            f"(source terms: {source_terms})",
        )


# --------------------------------------------------------------------------- numbers and dates

_NUMBER_RE = re.compile(r"[0-9]+(?:[.,'\u00a0\u202f /:\-–][0-9]+)*")
# Thousands grouping: 1-3 leading digits, then groups of exactly three after one and the same separator.
_GROUPED_RE = re.compile(r"^[1-9][0-9]{0,2}(?P<sep>[.,'\u00a0\u202f ])[0-9]{3}(?:(?P=sep)[0-9]{3})*$")
# The same with a decimal part after a different separator: "1.234,5", "1,234.5", "1 234,5".
_GROUPED_DECIMAL_RE = re.compile(
    r"^(?P<int>[1-9][0-9]{0,2}(?P<sep>[.,'\u00a0\u202f ])[0-9]{3}(?:(?P=sep)[0-9]{3})*)(?P<dec>[.,])(?P<frac>[0-9]+)$"
)
# Numeric dates whose month may become a word in translation: 13.11.2025, 13/11/2025, 2025-11-13.
_DMY_RE = re.compile(r"^([0-9]{1,2})([./])([0-9]{1,2})\2([0-9]{4})$")
_YMD_RE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")


# Roman numerals of two or more letters ("XXI Форум", "II. Dünya Savaşı"). Upper-case words can look like
# them ("DC", "MIX"), so they only ever stand in for a number the other side has, never demand one.
_ROMAN_RE = re.compile(
    r"(?<![^\W\d_])(?=[MDCLXVI]{2,}(?![^\W\d_]))M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
)
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman_value(numeral: str) -> int:
    total = 0
    for letter, following in zip(numeral, [*numeral[1:], ""], strict=True):
        value = _ROMAN_VALUES[letter]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def _strip_zeros(digits: str) -> str:
    return digits.lstrip("0") or "0"


def _numbers(text: str) -> tuple[Counter[str], Counter[str]]:
    """Digit sequences of a text: (required, optional).

    Separators between digits are dropped, so "11-12" == "11–12", "3,5" == "3.5", "14.30" == "14:30",
    and "21." == "21st" == "21-го". Thousands groupings ("1.000", "1,000", "1 000") become one number,
    so "1.234,5" == "1,234.5" == "1234,5".
    The month of a numeric date is optional: "13.11.2025" may be rendered "November 13, 2025".
    Roman numerals may stand for their value: "21." may be rendered "XXI" (Russian writes event ordinals so).
    """
    required: Counter[str] = Counter()
    optional: Counter[str] = Counter()
    for match in _ROMAN_RE.finditer(text):
        if match.group():
            optional[str(_roman_value(match.group()))] += 1
    for match in _NUMBER_RE.finditer(text):
        token = match.group()
        if _GROUPED_RE.match(token):
            required[_strip_zeros(re.sub(r"[^0-9]", "", token))] += 1
            continue
        decimal = _GROUPED_DECIMAL_RE.match(token)
        if decimal and decimal.group("dec") != decimal.group("sep"):
            required[re.sub(r"[^0-9]", "", decimal.group("int"))] += 1
            required[decimal.group("frac")] += 1
            continue
        date = _DMY_RE.match(token)
        if date:
            day, month, year = date.group(1), date.group(3), date.group(4)
            # Day and month order differs between conventions: what could be a month is optional.
            for part in (day, month):
                (optional if int(part) <= 12 else required)[_strip_zeros(part)] += 1
            required[year] += 1
            continue
        date = _YMD_RE.match(token)
        if date:
            required[date.group(1)] += 1
            optional[_strip_zeros(date.group(2))] += 1
            required[_strip_zeros(date.group(3))] += 1
            continue
        groups = re.findall(r"[0-9]+", token)
        # Leading zeros matter after a decimal point (3.05 is not 3.5) but not at the start (05 == 5).
        required[_strip_zeros(groups[0])] += 1
        required.update(groups[1:])
    return required, optional


def check_numbers(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Error: the numbers of the source (dates, counts, ordinals, decimals) are not all in the target."""
    if not _translated(item):
        return
    source, source_optional = _numbers(item.source)
    target, target_optional = _numbers(item.target)
    missing = source - (target + target_optional)
    extra = target - (source + source_optional)
    if not missing and not extra:
        return
    parts = []
    if missing:
        parts.append("missing " + ", ".join(sorted(missing.elements(), key=_number_order)))
    if extra:
        parts.append("extra " + ", ".join(sorted(extra.elements(), key=_number_order)))
    yield _finding("numbers", "error", item, "numbers differ: " + "; ".join(parts))


def _number_order(number: str) -> tuple[int, str]:
    return len(number), number


# --------------------------------------------------------------------------- final punctuation

_CLOSERS = "»”’\"')]}›“"
_STOPS = frozenset(".!?:;…")
# Short abbreviations a sentence may end on without a full stop of its own: "2025 г.", "U.S.", "т.д.".
_ABBREVIATION_END_RE = re.compile(r"(?:^|[\s(])(?:[^\W\d_]{1,2}\.)+$")


def _final_mark(text: str) -> str:
    """The sentence-final mark ignoring closing quotes and brackets; "" if none."""
    body = text.rstrip().rstrip(_CLOSERS).rstrip()
    if body.endswith("..."):
        return "…"
    if body.endswith(("?!", "!?")):
        return "?"
    return body[-1] if body and body[-1] in _STOPS else ""


def check_punctuation(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Warning: the target ends differently from the source (sentence stop vs. none, or another mark)."""
    if not _translated(item) or not item.source.strip():
        return
    source_mark = _final_mark(item.source)
    target_mark = _final_mark(item.target)
    if source_mark == target_mark:
        return
    if not source_mark:
        if target_mark == "." and _ABBREVIATION_END_RE.search(item.target.rstrip().rstrip(_CLOSERS)):
            return
        yield _finding(
            "punctuation", "warning", item, f"source has no final punctuation, target ends with {target_mark!r}"
        )
    elif not target_mark:
        yield _finding("punctuation", "warning", item, f"source ends with {source_mark!r}, target does not")
    else:
        yield _finding("punctuation", "warning", item, f"source ends with {source_mark!r}, target with {target_mark!r}")


# --------------------------------------------------------------------------- quotation marks

# Opening mark -> closing marks that may end it ("„" closes with "“" in Russian and German, "”" in Polish).
_PAIRS = {"“": "”", "‘": "’", "«": "»", "„": "“”", "‹": "›", '"': '"'}
_CLOSE_ONLY = set("”»›")
# The quotation style a language expects: (primary open, primary close, nested open, nested close).
_STYLES = {
    "en": ("“", "”", "‘", "’"),
    "ru": ("«", "»", "„", "“"),
    "uk": ("«", "»", "„", "“"),
    "be": ("«", "»", "„", "“"),
    "tr": ("“", "”", "‘", "’"),
}
_ALL_QUOTES = set(_PAIRS) | {c for closers in _PAIRS.values() for c in closers}


class _QuoteScan(Record):
    """The quotation marks of one text: whether they pair up, the first problem found, and the marks used."""

    _fields = ("balanced", "problem", "used")
    __slots__ = _fields
    balanced: bool
    problem: str
    used: tuple[str, ...]  # every mark in its role: "“" as an opener is "“", as a closer of "„" it is "„“"

    def __init__(self, balanced: bool, problem: str, used: tuple[str, ...]) -> None:
        init(self, "balanced", balanced)
        init(self, "problem", problem)
        init(self, "used", used)


def _scan_quotes(text: str) -> _QuoteScan:
    """Pair quotation marks with a stack; "’" closing nothing is an apostrophe ("Putin’e", "Russia’s")."""
    stack: list[str] = []
    used: list[str] = []
    problem = ""
    for ch in text:
        if ch not in _ALL_QUOTES:
            continue
        if stack and ch in _PAIRS[stack[-1]]:
            used.append(stack.pop() + ch)
        elif ch == "’":
            continue
        elif ch in _CLOSE_ONLY:
            problem = problem or f"closing {ch} without an opening mark"
            used.append(ch)
        else:
            stack.append(ch)
    if stack and not problem:
        problem = f"{stack[0]} is never closed"
    return _QuoteScan(not problem, problem, tuple(used + stack))


def check_quotes(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Quotation marks: unbalanced pairs are errors; ASCII and other-language styles are warnings."""
    if not _translated(item):
        return
    target = _scan_quotes(item.target)
    # A quotation running over two segments is unbalanced in both: only a new imbalance is the translator's.
    if not target.balanced and _scan_quotes(item.source).balanced:
        yield _finding("quotes", "error", item, f"unbalanced quotation marks: {target.problem}")
    style = _STYLES.get(primary(item.lang))
    expected = f"{style[0]}…{style[1]} ({style[2]}…{style[3]} inside)" if style else "typographic quotes"
    if '"' in item.target:
        yield _finding("quotes", "warning", item, f'ASCII quotes "…" in target; use {expected}')
    if style is None:
        return
    allowed = {style[0] + style[1], style[2] + style[3], *style}
    wrong: list[str] = []
    for mark in target.used:
        if mark not in allowed and '"' not in mark and mark not in wrong:
            wrong.append(mark)
    if wrong:
        shown = ", ".join(f"{m[0]}…{m[1]}" if len(m) == 2 else m for m in wrong)
        yield _finding(
            "quotes", "warning", item, f"quotation marks {shown} are not in the target style; use {expected}"
        )


# --------------------------------------------------------------------------- whitespace

_DOUBLE_SPACE_RE = re.compile(r"[ \u00a0\u202f]{2,}")


def _edges(text: str) -> tuple[str, str]:
    body = text.strip()
    if not body:
        return text, ""
    start = text.index(body)
    return text[:start], text[start + len(body) :]


def check_spacing(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Warning: doubled spaces inside the target; leading or trailing whitespace differing from the source."""
    if not _translated(item):
        return
    body = item.target.strip()
    match = _DOUBLE_SPACE_RE.search(body)
    if match:
        context = body[max(0, match.start() - 12) : match.end() + 12]
        yield _finding("spacing", "warning", item, f"doubled space in {_quote(context)}")
    source_lead, source_trail = _edges(item.source)
    target_lead, target_trail = _edges(item.target)
    if source_lead != target_lead:
        yield _finding(
            "spacing", "warning", item, f"leading whitespace {source_lead!r} in source, {target_lead!r} in target"
        )
    if source_trail != target_trail:
        yield _finding(
            "spacing", "warning", item, f"trailing whitespace {source_trail!r} in source, {target_trail!r} in target"
        )


# --------------------------------------------------------------------------- bidirectional controls

# Embeddings, overrides and isolates reorder what follows them on screen: text can then display differently
# from what it is ("Trojan Source"), and an unclosed one spills into the text around the segment.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Direction marks are ordinary in right-to-left text; in text without a right-to-left letter they do nothing
# visible and are worth a look.
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")


def _has_rtl_letter(text: str) -> bool:
    import unicodedata

    # The marks themselves are strong right-to-left characters: they do not count as letters.
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in _BIDI_MARKS.sub("", text))


def _bidi_findings(text: str, side: str, item: QaItem) -> Iterator[Finding]:
    import unicodedata

    for match in _BIDI_CONTROLS.finditer(text):
        char = match.group()
        yield _finding(
            "bidi",
            "error",
            item,
            f"{side} holds U+{ord(char):04X} {unicodedata.name(char)} at character {match.start() + 1}, "
            "which can make the text display differently from what it is",
        )
    if _BIDI_MARKS.search(text) and not _has_rtl_letter(text):
        for match in _BIDI_MARKS.finditer(text):
            char = match.group()
            yield _finding(
                "bidi",
                "warning",
                item,
                f"{side} holds U+{ord(char):04X} {unicodedata.name(char)} at character {match.start() + 1} in text "
                "without right-to-left letters",
            )


def check_bidi(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Error: a bidirectional embedding, override or isolate in the source or the target (U+202A-U+202E,
    U+2066-U+2069); warning: a direction mark (U+200E, U+200F, U+061C) in text with no right-to-left letter."""
    yield from _bidi_findings(item.source, "source", item)
    yield from _bidi_findings(item.target, "target", item)


# --------------------------------------------------------------------------- identical to source

_NAME_WORD_RE = re.compile(rf"^(?:[^\W\d_][\w{re.escape(APOSTROPHES)}.-]*|[0-9][\w.-]*)$")


def _is_short_name(text: str) -> bool:
    """A short proper name or acronym ("NATO", "Vladimir Putin", "G20"): the same in every language."""
    words = text.split()
    return (
        len(text) <= 40
        and len(words) <= 4
        and all(_NAME_WORD_RE.match(w) and (w[0].isupper() or w[0].isdigit()) for w in words)
    )


def check_identical(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Warning: the target is a copy of the source (unless it has no letters or is a short proper name)."""
    if not _translated(item):
        return
    source = " ".join(item.source.split())
    if source != " ".join(item.target.split()):
        return
    if not any(ch.isalpha() for ch in source) or _is_short_name(source):
        return
    yield _finding("identical", "warning", item, "target is identical to the source")


# --------------------------------------------------------------------------- house style

# Russian names of documents: "декларация о …", "соглашение о …", "договор между …". Such a name is the generic
# word plus what the document is about, and takes no quotation marks; only a title that stands apart from the
# generic word is quoted (закон «О статусе столицы»).
_RU_DOCUMENT_RE = re.compile(
    r"«\s*((?:декларац|соглашени|договор|меморандум|конвенци|хартия|хартии|хартию|хартией|заявлени|протокол|"
    r"коммюнике|пакт|резолюци|программ|концепци|стратеги|доктрин)[а-яё]*\s+(?:о|об|обо|по|между)\s)",
    re.IGNORECASE,
)
_RU_QUOTED_RE = re.compile(r"«([^«»]*)»")
# Direct speech: a quotation of more than one sentence, or one introduced by a colon or followed by a dash
# ("«…», — написал Токаев"; "заявил: «…»").
_SPEECH_AFTER_RE = re.compile(r"^[,.!?…]?\s*[—–-]\s")
_SPEECH_BEFORE_RE = re.compile(r":\s*$")


def _is_speech(text: str, quoted: re.Match[str]) -> bool:
    inner = quoted.group(1)
    return bool(
        re.search(r"[.!?…]\s+\S", inner)
        or _SPEECH_AFTER_RE.match(text[quoted.end() :])
        or _SPEECH_BEFORE_RE.search(text[: quoted.start()])
    )


def check_document_title(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Warning (Russian): a document name of the kind «Декларация о …» in quotation marks.

    Names that begin with the generic word and a preposition ("декларация о …", "соглашение между …") are
    written without « », in lowercase unless they are the full official title. A quotation that holds a whole
    sentence ("«Декларация о … имеет особое значение. Этот документ …»") is speech, not a title.
    """
    if primary(item.lang) != "ru" or not _translated(item):
        return
    for quoted in _RU_QUOTED_RE.finditer(item.target):
        inner = quoted.group(1)
        if not _RU_DOCUMENT_RE.match(quoted.group(0)) or _is_speech(item.target, quoted):
            continue
        shown = inner if len(inner) <= 60 else inner[:57] + "…"
        yield _finding(
            "document-title",
            "warning",
            item,
            f"document name in quotation marks: «{shown}»; names of the kind «декларация о …» take no « » "
            "(lowercase, or the full official title)",
        )


# Russian titles of office: lowercase in media copy ("президент России", "премьер-министр Казахстана").
_RU_TITLE_RE = re.compile(
    r"(?<![\w-])(Президент|Вице-президент|Премьер-министр|Министр|Председател|Генеральн(?:ый|ого|ому|ым|ом) секретар|"
    r"Генсек|Канцлер|Госсекретар|Губернатор|Посол|Спикер)([а-яё]*)"
)
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?…]\s+|[«„“\"(]\s*|—\s+)$")


def check_title_case(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Warning (Russian): a title of office capitalised inside a sentence ("встретился с Президентом России").

    Russian official documents capitalise the head of state's title; news copy writes every title in
    lowercase. A title at the start of a sentence or a quotation is left alone.
    """
    if primary(item.lang) != "ru" or not _translated(item):
        return
    for match in _RU_TITLE_RE.finditer(item.target):
        if _SENTENCE_START_RE.search(item.target[: match.start()]):
            continue
        word = match.group(0)
        yield _finding(
            "title-case",
            "warning",
            item,
            f"title {_quote(word)} capitalised inside a sentence; news copy writes it in lowercase "
            f"({_quote(word[0].lower() + word[1:])})",
        )
        return


# --------------------------------------------------------------------------- length

_MIN_LENGTH = 20
_DEFAULT_BAND = (0.4, 3.0)
# Target/source character-length bands measured on news translation; Turkish is agglutinative and compact.
_BANDS = {("tr", "en"): (0.6, 2.0), ("tr", "ru"): (0.6, 2.2)}


def length_band(source_lang: str, target_lang: str) -> tuple[float, float]:
    """The accepted (low, high) target/source length ratio for a language pair."""
    return _BANDS.get((primary(source_lang), primary(target_lang)), _DEFAULT_BAND)


def check_length(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Warning: the target is far shorter or longer than translations in this language pair usually are."""
    source = item.source.strip()
    target = item.target.strip()
    if len(source) <= _MIN_LENGTH or not target:
        return
    low, high = length_band(item.source_lang or ctx.source_lang, item.lang)
    ratio = len(target) / len(source)
    if not low <= ratio <= high:
        yield _finding(
            "length",
            "warning",
            item,
            f"target is {ratio:.2f}× the source length ({len(target)} vs {len(source)} characters; "
            f"expected {low}–{high}×)",
        )


# --------------------------------------------------------------------------- placeholders


def check_placeholders(item: QaItem, ctx: QaContext) -> Iterator[Finding]:
    """Error: the placeholders of a format string (c-format, python-format, python-brace-format) differ
    between source and translation as `msgfmt -c` judges them; a warning while the entry is fuzzy."""
    from .placeholders import mismatches

    if item.source_plural:
        problems = mismatches(item.source, item.plural_targets, item.flags, msgid_plural=item.source_plural,
                              plural_forms=item.plural_forms or None)  # fmt: skip
    else:
        problems = mismatches(item.source, [item.target], item.flags)
    for problem in problems:
        yield _finding("placeholders", "warning" if item.fuzzy else "error", item, problem)


def _plural_rule(header: str) -> str:
    return re.sub(r"\s+", "", header).rstrip(";").replace("plural=(", "plural=").rstrip(")")


def check_plural_rule(catalog: str, lang: str, header: str, cldr: str) -> Iterator[Finding]:
    """Warning: a catalog's Plural-Forms differs from CLDR's rule for its language. Kervan keeps the
    translator's rule (entries were written for it); this says where the two would pick different forms."""
    if header and _plural_rule(header) != _plural_rule(cldr):
        yield Finding(check="plural-forms", severity="warning", unit_id=f"{catalog}:header", lang=lang,
                      message=f"Plural-Forms “{header}” differs from CLDR's “{cldr}”")  # fmt: skip


# --------------------------------------------------------------------------- running

CHECKS: dict[str, Check] = {
    "untranslated": check_untranslated,
    "fuzzy": check_fuzzy,
    "terminology": check_terminology,
    "added-term": check_added_term,
    "numbers": check_numbers,
    "punctuation": check_punctuation,
    "quotes": check_quotes,
    "spacing": check_spacing,
    "bidi": check_bidi,
    "identical": check_identical,
    "document-title": check_document_title,
    "title-case": check_title_case,
    "length": check_length,
    "placeholders": check_placeholders,
}
ALL_CHECKS: tuple[Check, ...] = tuple(CHECKS.values())


def run_checks(items: Iterable[QaItem], ctx: QaContext, checks: Sequence[Check] = ALL_CHECKS) -> list[Finding]:
    """Every finding of every check on every item, in item order, then check order."""
    return [finding for item in items for check in checks for finding in check(item, ctx)]


def finding_to_json(finding: Finding) -> dict[str, str]:
    """A finding as stable JSON keys for scripts."""
    return {
        "check": finding.check,
        "severity": finding.severity,
        "unit": finding.unit_id,
        "lang": finding.lang,
        "message": finding.message,
    }
