"""The SRX 2.0 segmentation engine.

Semantics: the rules for a language are the language rules its map selects (all matching ones in map order
with cascade, the first otherwise). A rule applies at a position when its beforebreak matches text ending
there and its afterbreak matches text starting there (lookarounds, `^`, `$` and `\\b` see the whole paragraph,
as in the Java engines rule files are written for); at each position the first applying rule decides whether
to break. Patterns have Java's meaning (see javaregex).

Speed: a break can only fall where some break rule applies, so only positions whose neighbouring characters
can end a break rule's beforebreak and start its afterbreak are candidates; they are found with one scan for
a character class. At a candidate, one pattern decides: the rules that can end on the character before it,
joined in order as `(?<=before)(?=after)()|...`, so the first alternative that matches is the first applying
rule. These patterns are built on first use for each such character and kept.

Hostile rules: every match runs under a time budget; a rule that exceeds it is a KervanError naming its file
and line.
"""

from __future__ import annotations

import _thread
import functools
import itertools
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import KervanError
from ..record import Record, init
from .javaregex import RegexSyntaxError, Translation, compile_pattern, set_union, translate_java
from .ruleset import Rule, SrxRules

if TYPE_CHECKING:
    from ..model import Document, Segment

# Seconds one match may take at one position (a legitimate rule takes microseconds).
TIME_BUDGET = 1.0
_MAIN_THREAD = threading.main_thread().ident

# A Java pattern with `*`, `{n,}` or a bound of three digits: it may match text reaching far from its end.
_REACHES_FAR = re.compile(r"(?<!\\)\*|\{\d+,(?:\d{3,})?\}")


class CompiledRule(Record):
    """One rule in the forms the engine needs."""

    _fields = ("rule", "before", "after")
    __slots__ = _fields
    rule: Rule
    before: Translation
    after: Translation

    def __init__(self, rule: Rule, before: Translation, after: Translation) -> None:
        init(self, "rule", rule)
        init(self, "before", before)
        init(self, "after", after)

    @property
    def alternative(self) -> str:
        """The rule as one zero-width test at a position."""
        before = f"(?<={self.before.pattern})" if self.before.pattern else ""
        after = f"(?={self.after.pattern})" if self.after.pattern else ""
        # A beforebreak anchored at the paragraph start, or one that may reach far back (a quotation opened up
        # to 400 characters before), is matched backwards a long way at every candidate: test the afterbreak
        # first there. Elsewhere the beforebreak, which ends on the candidate's character, fails sooner. The
        # order of two zero-width tests changes nothing but speed.
        far = self.before.pattern.startswith("(?:\\A)") or _REACHES_FAR.search(self.rule.before) is not None
        return after + before if far else before + after

    @property
    def v1(self) -> bool:
        return self.before.v1 or self.after.v1

    @property
    def joinable(self) -> bool:
        # Back references count groups: a rule that has them keeps its own pattern.
        return not (self.before.has_backrefs or self.after.has_backrefs)


def compile_rule(rule: Rule, *, check: bool = False) -> CompiledRule:
    """Translate one rule; RegexSyntaxError names the part that failed, in the rule as written.

    The translation checks Java's syntax; `check` also compiles the result (slow with the regex module's
    parser, so the engine compiles joined rules on first use instead)."""
    parts = []
    # The engine only asks whether a rule applies, so word lists may be reordered into tries: a beforebreak is
    # matched backwards (look-behind), an afterbreak forwards.
    for name, text, factor in (("beforebreak", rule.before, "suffix"), ("afterbreak", rule.after, "prefix")):
        try:
            translation = translate_java(text, factor)
            if check:
                compile_pattern(translation.pattern, text, translation.v1)
        except RegexSyntaxError as exc:
            raise RegexSyntaxError(f"{name}: {exc}") from None
        parts.append(translation)
    compiled = CompiledRule(rule, parts[0], parts[1])
    if check:
        try:
            compile_pattern(compiled.alternative, f"{rule.before} / {rule.after}", compiled.v1)
        except RegexSyntaxError as exc:
            raise RegexSyntaxError(f"rule cannot be compiled: {exc}") from None
    return compiled


class _CharSet:
    """Membership in a set of characters given as set items (None: every character); plain characters are
    looked up directly, the rest compiled only when first asked."""

    __slots__ = ("chars", "items", "pattern")

    def __init__(self, items: tuple[str, ...] | None) -> None:
        self.items = items
        self.chars = None if items is None else {item for item in items if len(item) == 1}
        self.pattern: Any = None

    def __contains__(self, char: str) -> bool:
        if self.items is None or char in self.chars:  # type: ignore[operator]
            return True
        if len(self.chars) == len(self.items):  # type: ignore[arg-type]
            return False
        if self.pattern is None:
            pattern, v1 = set_union(self.items)
            self.pattern = compile_pattern(pattern, "", v1)
        return self.pattern.match(char) is not None


class _BackReferenceTest:
    """A rule whose beforebreak refers back to its own groups. A look-behind is matched backwards, which would
    meet the reference before its group, so the beforebreak is matched forwards instead, in the text up to the
    position (its look-aheads see no further than the position)."""

    def __init__(self, rule: CompiledRule) -> None:
        before, after = rule.before, rule.after
        self.before = None
        if before.pattern:
            self.before = compile_pattern(f"(?:{before.pattern})\\Z", rule.rule.before, before.v1)
        self.after = compile_pattern(after.pattern, rule.rule.after, after.v1) if after.pattern else None

    def match(self, text: str, pos: int, timeout: float | None = None) -> bool:
        if self.after is not None and self.after.match(text, pos, timeout=timeout) is None:
            return False
        return self.before is None or self.before.search(text, 0, pos, timeout=timeout) is not None


class _Decider:
    """The rules that can apply after one character, as few patterns as their back references allow."""

    def __init__(self, rules: list[CompiledRule], rules_path: str) -> None:
        try:
            self._build(rules)
        except RegexSyntaxError:
            for rule in rules:  # name the rule the translation failed for
                try:
                    compile_rule(rule.rule, check=True)
                except RegexSyntaxError as exc:
                    raise KervanError(str(exc), rules_path or None, rule.rule.line or None) from None
            raise

    def _build(self, rules: list[CompiledRule]) -> None:
        self.groups: list[tuple[Any, list[CompiledRule]]] = []
        run: list[CompiledRule] = []
        for rule in rules:
            if rule.joinable:
                run.append(rule)
                continue
            if run:
                self.groups.append(self._join(run))
                run = []
            self.groups.append((_BackReferenceTest(rule), [rule]))
        if run:
            self.groups.append(self._join(run))
        self.only_breaks = all(rule.rule.is_break for rule in rules)

    @staticmethod
    def _join(rules: list[CompiledRule]) -> tuple[Any, list[CompiledRule]]:
        # One empty group closes each alternative: lastindex names the rule that applied.
        pattern = "|".join(f"{rule.alternative}()" for rule in rules)
        v1 = any(rule.v1 for rule in rules)
        return compile_pattern(pattern, "; ".join(r.rule.before for r in rules), v1), rules

    def decide(self, text: str, pos: int, rules_path: str) -> bool | None:
        """True to break, False not to, None when no rule applies."""
        for pattern, rules in self.groups:
            try:
                match = pattern.match(text, pos, timeout=TIME_BUDGET)
            except TimeoutError:
                raise _too_slow(rules, text, pos, rules_path) from None
            if match:  # a Match, or True from a back-reference test
                index = (match.lastindex or 1) - 1 if len(rules) > 1 else 0
                return rules[index].rule.is_break
        return None


def _too_slow(rules: list[CompiledRule], text: str, pos: int, rules_path: str) -> KervanError:
    culprit = rules[0]
    for rule in rules:
        try:
            test = _BackReferenceTest(rule) if not rule.joinable else compile_pattern(rule.alternative, "", rule.v1)
            test.match(text, pos, timeout=TIME_BUDGET)
        except TimeoutError:
            culprit = rule
            break
    return KervanError(
        f"rule takes too long (over {TIME_BUDGET:g} s at one position; catastrophic backtracking?): "
        f"beforebreak \"{culprit.rule.before}\", afterbreak \"{culprit.rule.after}\"",
        rules_path or None,
        culprit.rule.line or None,
    )


class Segmenter:
    """Splits text into segments with the rules `rules` selects for language `lang`.

    Rules whose patterns cannot be translated were disabled when the file was read (see SrxRules.problems).
    """

    def __init__(self, rules: SrxRules, lang: str) -> None:
        self.rules = rules
        self.lang = lang
        self._plan = _plan(rules, lang)

    def breaks(self, text: str) -> list[int]:
        """Positions (0 < p < len(text)) where the rules break, ascending."""
        if len(text) > LONG:
            return list(self._breaks_windowed(text))
        plan = self._plan
        if plan.scanner is None:
            return []
        state, breaker = plan.whole_breaker(text, self.rules.path)
        if breaker is not None:
            ends = _run(breaker, text)
            if ends is not None:
                return ends
        return self._breaks_one_by_one(text, 0, len(text), state)

    def _breaks(self, text: str, low: int, high: int, edges: frozenset[str]) -> list[int]:
        """Breaks p with low <= p < high (and 0 < p < len(text)); `edges` names the paragraph edges `text` has."""
        plan = self._plan
        if plan.scanner is None:
            return []
        state = plan.state(text, edges)
        state.uses += 1
        if state.uses > JOIN_AFTER:
            breaker = plan.breaker_for(state, self.rules.path)
            if breaker is not None:
                found = []
                try:
                    for match in breaker.finditer(text, max(low - 1, 0), timeout=_budget(text)):
                        if match.end() >= high:
                            break
                        if match.end() >= low:
                            found.append(match.end())
                    return found
                except TimeoutError:
                    pass  # the per-candidate path below applies the budget rule by rule and names the culprit
        return self._breaks_one_by_one(text, low, high, state)

    def _breaks_one_by_one(self, text: str, low: int, high: int, state: _State) -> list[int]:
        plan = self._plan
        result = []
        end = min(high, len(text))
        deciders = state.deciders
        path = self.rules.path
        for match in plan.scanner.finditer(text, max(low - 1, 0), timeout=_budget(text)):  # type: ignore[union-attr]
            pos = match.end()
            if pos >= end:
                break
            if pos < low:
                continue
            char = text[pos - 1]
            if char in deciders:
                decider = deciders[char]
            else:
                decider = deciders[char] = plan.decider_for(char, state, path)
            if decider is not None and decider.decide(text, pos, path):
                result.append(pos)
        return result

    def iter_split_pieces(self, pieces: Iterable[str]) -> Iterator[str]:
        """The segments of one paragraph given as consecutive pieces of its text (a huge line read in blocks),
        streamed: only the undecided text, the current segment and a window around them are held."""
        buffer = ""  # the paragraph's text from offset `base` on
        base = segment_start = decided = 0  # offsets in the whole paragraph
        total = 0
        pieces = iter(pieces)
        finished = False
        while not finished:
            piece = next(pieces, None)
            if piece is None:
                finished = True
            else:
                buffer += piece
                total += len(piece)
            while decided < total and (finished or total - decided >= CHUNK + WINDOW):
                high = min(total, decided + CHUNK)
                start, stop = max(0, decided - WINDOW), min(total, high + WINDOW)
                ends = total == stop and finished
                edges = frozenset(edge for edge, held in (("start", start == 0), ("end", ends)) if held)
                window = buffer[start - base : stop - base]
                for pos in self._breaks(window, decided - start, high - start, edges):
                    text = buffer[segment_start - base : pos + start - base].strip()
                    if text:
                        yield text
                    segment_start = pos + start
                decided = high
                keep = min(segment_start, decided - WINDOW)
                if keep - base > CHUNK:
                    buffer, base = buffer[keep - base :], keep
        text = buffer[segment_start - base :].strip()
        if text:
            yield text

    def _breaks_windowed(self, text: str) -> Iterator[int]:
        """Breaks of a long paragraph, found window by window: each position sees WINDOW characters either side,
        and rules tied to the paragraph's start or end apply only in the windows that hold it."""
        length = len(text)
        for low in range(0, length, CHUNK):
            high = min(length, low + CHUNK)
            start, stop = max(0, low - WINDOW), min(length, high + WINDOW)
            edges = frozenset(edge for edge, held in (("start", start == 0), ("end", stop == length)) if held)
            for pos in self._breaks(text[start:stop], low - start, high - start, edges):
                yield pos + start

    def split(self, text: str) -> list[str]:
        """The segments of `text`, stripped of surrounding whitespace, empty ones dropped."""
        if len(text) > LONG:
            return list(self.iter_split(text))
        ends = self.breaks(text)
        if not ends:
            piece = text.strip()
            return [piece] if piece else []
        pieces = [text[start:end].strip() for start, end in zip([0, *ends], [*ends, len(text)], strict=True)]
        return [piece for piece in pieces if piece] if "" in pieces else pieces

    def iter_split(self, text: str) -> Iterator[str]:
        """split() as a stream: a long paragraph's segments come out as its windows are decided."""
        start = 0
        breaks = self._breaks_windowed(text) if len(text) > LONG else iter(self.breaks(text))
        for pos in itertools.chain(breaks, (len(text),)):
            piece = text[start:pos].strip()
            if piece:
                yield piece
            start = pos


# Paragraphs longer than LONG characters are decided in windows of CHUNK positions, each seeing WINDOW characters
# on either side, so time grows linearly with their length (and output streams) whatever the rules look back at.
LONG = 1 << 17
_BOTH_EDGES = frozenset(("start", "end"))
CHUNK = 1 << 15
WINDOW = 1000

# A set of rules (those a paragraph's characters allow) is joined into one breaking pattern once it has served
# this many paragraphs: compiling it costs more than deciding a few paragraphs candidate by candidate.
JOIN_AFTER = 0

# Whole paragraphs of a kind not seen before borrow the pattern of all rules (rules needing a character the
# paragraph lacks cannot apply in it, so the cuts are the same) until this many have come: compiling a pattern
# costs about 30 ms (1-2 ms from the pattern cache), which a rare kind of paragraph never earns back, while the
# pattern of all rules costs tens of microseconds more per paragraph than one made for its kind.
SPECIALIZE_AFTER = 50


def _run(breaker: Any, text: str) -> list[int] | None:
    """The ends of the breaker's matches in `text`, or None when the scan ran over its budget."""
    watchdog = _watchdog()
    try:
        if watchdog is None:
            return [match.end() for match in breaker.finditer(text, timeout=_budget(text))]
        watchdog.calls += 1
        watchdog.busy = 1
        try:
            return [match.end() for match in breaker.finditer(text)]
        finally:
            watchdog.busy = 0
    except (TimeoutError, _Overtime):
        return None  # the per-candidate path applies the budget rule by rule and names the culprit


class _Overtime(Exception):
    """Raised in the main thread by the watchdog's signal while a regex call runs over its budget."""


class _Watchdog:
    """Stops a regex call that runs over TIME_BUDGET without asking the clock at every call.

    The regex module's own timeout reads the clock at every search, which costs a system call per paragraph
    on some machines. Instead the main thread raises `busy` around a call; a daemon thread looks every
    TIME_BUDGET seconds, and when the same call was running at two looks in a row it sends SIGALRM, whose
    handler raises _Overtime inside the match (the regex module checks for signals while it works) if the call
    is still running. Used only in the main thread, and only when nothing else handles SIGALRM."""

    def __init__(self) -> None:
        import signal
        import threading

        self.busy = 0  # 1 while the main thread is in a watched call
        self.calls = 0  # watched calls started so far
        signal.signal(signal.SIGALRM, self._on_signal)
        self._main = threading.main_thread().ident
        threading.Thread(target=self._watch, name="kervan-regex-watchdog", daemon=True).start()

    def _on_signal(self, signum: int, frame: object) -> None:
        if self.busy:
            raise _Overtime

    def _watch(self) -> None:
        import signal
        import time

        seen = None
        while True:
            time.sleep(TIME_BUDGET)
            now = self.calls if self.busy else None
            if now is not None and now == seen:
                signal.pthread_kill(self._main, signal.SIGALRM)  # type: ignore[arg-type]
            seen = now


@functools.cache
def _watchdog_for_main_thread() -> _Watchdog | None:
    import signal

    if signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None) or not hasattr(signal, "pthread_kill"):
        return None
    return _Watchdog()


def _watchdog() -> _Watchdog | None:
    # Called once per paragraph: the thread check is kept to the cheapest calls.
    if _thread.get_ident() != _MAIN_THREAD:
        return None
    return _watchdog_for_main_thread()


def _budget(text: str) -> float:
    """Seconds a scan over the whole paragraph may take: the per-position budget plus a floor of 0.5 MB/s."""
    return TIME_BUDGET + len(text) * 2e-6


class _State:
    """What a plan keeps per set of characters absent from a text and of paragraph edges it holds."""

    __slots__ = ("absent", "breaker", "deciders", "edges", "joined", "uses")

    def __init__(self, absent: frozenset[str], edges: frozenset[str]) -> None:
        self.absent = absent
        self.edges = edges
        self.uses = 0
        self.deciders: dict[str, _Decider | None] = {}
        self.breaker: Any = None
        self.joined = False


def _breaking(rules: list[CompiledRule]) -> str:
    """A zero-width pattern that matches where the first applying rule breaks: `(?!nobreak)` for each no-break
    rule, and for each run of break rules `(?:rest|break|...)`, where rest is the pattern for the rules after
    the run.

    The rest comes first because the alternatives of a zero-width OR may be tried in any order: a rule file puts
    its exceptions first and its general rules last, so most positions are decided by the rest, and the break
    exceptions before it are only tried where the rest does not break."""
    tail = "(?!)"
    run: list[str] = []
    for rule in reversed(rules):
        test = rule.alternative or "(?:)"
        if rule.rule.is_break:
            run.insert(0, test)
            continue
        tail = _either(tail, run)
        run = []
        tail = f"(?!{test}){tail}"
    return _either(tail, run)


def _either(tail: str, run: list[str]) -> str:
    if not run:
        return tail
    body = "|".join(run)
    return f"(?:{body})" if tail == "(?!)" else f"(?:{tail}|{body})"


class _Plan:
    """A language's compiled rules: the candidate scanner and, per character before a candidate, its decider."""

    def __init__(self, rules: list[CompiledRule]) -> None:
        self.rules = rules
        self.states: dict[tuple[frozenset[str], frozenset[str]], _State] = {}
        self.whole: dict[frozenset[str], _State] = {}  # whole paragraphs, by the required characters present
        self._by_rules: dict[tuple[int, ...], _Decider] = {}
        self._breakers: dict[tuple[int, ...], Any] = {}
        # Only characters that many paragraphs lack are worth a check: letters, digits and the full stop are in
        # nearly every one, and each distinct set of absent characters costs a compiled pattern.
        self._required = [
            frozenset(c for c in rule.before.required | rule.after.required if not c.isalnum() and c not in ".,")
            for rule in rules
        ]
        self.required = frozenset().union(*self._required)
        self._wanted = tuple(sorted(self.required))
        # Break rules that may start a break with the same characters share one alternative, whose characters
        # before the candidate are one class: the regex module tests one class at each position of the text
        # much faster than several alternatives.
        lasts: dict[tuple[str, ...] | None, list[str] | None] = {}
        for rule in rules:
            if not rule.rule.is_break:
                continue
            last, first = rule.before.last, rule.after.first
            if first in lasts:
                known = lasts[first]
                lasts[first] = None if known is None or last is None else known + [i for i in last if i not in known]
            else:
                lasts[first] = None if last is None else list(last)
        alternatives = []
        v1 = False
        for first, last in lasts.items():
            char, last_v1 = ("(?s:.)", False) if last is None else set_union(last)
            if first is None:
                alternatives.append(char)
            else:
                following, first_v1 = set_union(first)
                alternatives.append(f"{char}(?={following})")
                v1 = v1 or first_v1
            v1 = v1 or last_v1
        # Every alternative consumes exactly the character before a candidate, so plain finditer finds them all.
        joined = "|".join(dict.fromkeys(alternatives))
        self._one_alternative = len(set(alternatives)) == 1
        self.scanner_pattern, self.scanner_v1 = joined, v1
        self.scanner = compile_pattern(joined, "", v1) if alternatives else None
        self._last_sets = [_CharSet(r.before.last) for r in rules]

    def breaker_for(self, state: _State, rules_path: str) -> Any:
        """One pattern whose matches end at the breaks, for paragraphs lacking `state.absent`: the candidate
        scan and every decision in one pass of the regex engine. None when rules refer back to their groups."""
        if state.joined:
            return state.breaker
        state.joined = True
        chosen = self.usable(state)
        if not all(rule.joinable for rule in chosen):
            return None
        key = tuple(id(rule) for rule in chosen)
        if key not in self._breakers:
            v1 = self.scanner_v1 or any(rule.v1 for rule in chosen)
            # Atomic: every scanner alternative ends at the same place, so none is worth a second decision. (Not
            # around a single alternative: the regex module then no longer skips fast to its first characters.)
            scan = self.scanner_pattern if self._one_alternative else f"(?>{self.scanner_pattern})"
            pattern = f"{scan}(?=(?s:.)){_breaking(chosen)}"
            try:
                self._breakers[key] = compile_pattern(pattern, "", v1)
            except RegexSyntaxError:
                self._breakers[key] = None  # the one-by-one path compiles rule by rule and names a culprit
        state.breaker = self._breakers[key]
        return state.breaker

    def present(self, text: str) -> frozenset[str]:
        """The characters some rule requires that `text` holds."""
        # A few substring tests beat one scan for a class: each is a fast search in C.
        return frozenset([char for char in self._wanted if char in text])

    def whole_breaker(self, text: str, rules_path: str) -> tuple[_State, Any]:
        """The state of a whole paragraph and the pattern that finds its breaks (None: decide one by one)."""
        present = self.present(text)
        state = self.whole.get(present)
        if state is None:
            state = self.whole[present] = self.state(text, _BOTH_EDGES)
        state.uses += 1
        if state.joined:
            return state, state.breaker
        if self._breakers and state.uses < SPECIALIZE_AFTER and present != self.required:
            full = self.whole.get(self.required)
            if full is None:
                full = self.whole[self.required] = self._state(frozenset(), _BOTH_EDGES)
            return state, self.breaker_for(full, rules_path)
        return state, self.breaker_for(state, rules_path)

    def state(self, text: str, edges: frozenset[str]) -> _State:
        """The state for a text: rules needing a character it lacks (an opening quote, say) cannot apply in it."""
        return self._state(self.required - self.present(text), edges)

    def _state(self, absent: frozenset[str], edges: frozenset[str]) -> _State:
        state = self.states.get((absent, edges))
        if state is None:
            state = self.states[(absent, edges)] = _State(absent, edges)
        return state

    def usable(self, state: _State) -> list[CompiledRule]:
        """The rules that can apply in a text lacking `state.absent` and holding `state.edges`, in order."""
        return [
            rule
            for rule, required in zip(self.rules, self._required, strict=True)
            if not required & state.absent and rule.before.anchors | rule.after.anchors <= state.edges
        ]

    def decider_for(self, char: str, state: _State, rules_path: str) -> _Decider | None:
        """The usable rules whose beforebreak can end with `char`, in order; None when none of them breaks."""
        last_sets = dict(zip(map(id, self.rules), self._last_sets, strict=True))
        chosen = [rule for rule in self.usable(state) if char in last_sets[id(rule)]]
        if not any(rule.rule.is_break for rule in chosen):
            return None
        key = tuple(id(rule) for rule in chosen)  # many (character, absent set) pairs choose the same rules
        decider = self._by_rules.get(key)
        if decider is None:
            decider = self._by_rules[key] = _Decider(chosen, rules_path)
        return decider


@functools.lru_cache(maxsize=64)
def _plan(rules: SrxRules, lang: str) -> _Plan:
    compiled = []
    for rule in rules.rules_for(lang):
        if rule.problem:
            continue
        try:
            compiled.append(compile_rule(rule))
        except RegexSyntaxError as exc:  # only for rule sets built in code; files are checked when read
            raise KervanError(str(exc), rules.path or None, rule.line or None) from None
    return _Plan(compiled)


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
    from ..model import Segment

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


def segment_lines(
    lines: Iterable[str | Iterable[str]], lang: str, rules: SrxRules | None = None
) -> Iterator[tuple[int, Iterable[str]]]:
    """(paragraph number, segments) for each non-empty line, numbered from 1; streams. A line may also come as an
    iterable of pieces (a huge line read in blocks); a long line's segments come as an iterator, to be consumed
    before the next line."""
    segmenter = Segmenter(rules if rules is not None else load_rules(), lang)
    plan = segmenter._plan
    wanted = plan._wanted
    # The common case, inlined: a paragraph of a kind that has its own breaking pattern is cut by one scan.
    ready: dict[tuple[bool, ...], tuple[Any, _State]] = {}
    watchdog = _watchdog()
    number = 0
    for line in lines:
        if not isinstance(line, str):
            number += 1
            yield number, segmenter.iter_split_pieces(line)
            continue
        if not line or line.isspace():
            continue
        number += 1
        if len(line) > LONG:
            yield number, segmenter.iter_split(line)
            continue
        found = ready.get(key := tuple([char in line for char in wanted])) if watchdog is not None else None
        if found is None:
            yield number, segmenter.split(line)
            state = plan.whole.get(plan.present(line))
            if state is not None and state.joined and state.breaker is not None:
                ready[key] = (state.breaker, state)
            continue
        watchdog.calls += 1  # type: ignore[union-attr]
        watchdog.busy = 1  # type: ignore[union-attr]
        try:
            ends: list[int] | None = [match.end() for match in found[0].finditer(line)]
        except _Overtime:
            ends = None
        finally:
            watchdog.busy = 0  # type: ignore[union-attr]
        if ends is None:  # the per-candidate path applies the budget rule by rule and names the culprit
            ends = segmenter._breaks_one_by_one(line, 0, len(line), found[1])
        if not ends:
            yield number, [line.strip()]
            continue
        pieces = [line[start:end].strip() for start, end in zip([0, *ends], [*ends, len(line)], strict=True)]
        yield number, [piece for piece in pieces if piece] if "" in pieces else pieces
