"""Format placeholders in messages: parse them and compare source and translation as `msgfmt -c` does.

Three languages are understood, named by their gettext flags: ``c-format`` (``%s``, ``%1$d``, ``%ld``),
``python-format`` (``%s``, ``%(name)d``) and ``python-brace-format`` (``{name}``, ``{0}``). A message is
checked for a language only when its flags say so (``c-format`` or ``possible-c-format``; never for
``no-c-format``), exactly as GNU msgfmt decides; unflagged prose such as Turkish "%50" (fifty per cent) is
text, not a directive.

The rules follow GNU gettext 0.21 (``msgfmt -c``), checked against it in tests/test_placeholders.py:

- a translation must not use an argument the source does not have, nor use one with another type;
- it must use every argument of the source ("strict"), except in a plural form that the Plural-Forms rule
  selects for only a few values of n (under five of 0..1000): there it may leave a number out, as in
  Turkish ``msgstr[0] "bir saniye önce"`` for "a second ago" / "%(count)s seconds ago";
- in a plural message the translation is compared with ``msgid_plural``;
- a source that is not a valid format string is not checked; a translation that is not one is an error.

Pure functions over strings, no I/O: callers (QA, compile) turn the problems into findings or errors.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .record import Record, init

__all__ = ["FORMATS", "FormatError", "Placeholders", "format_flags", "mismatches", "parse", "plural_often"]

# Flag stem -> name in messages ("python-brace" is the flag python-brace-format).
FORMATS = {"c": "C", "python": "Python", "python-brace": "Python brace"}


class FormatError(ValueError):
    """The text is not a valid format string of the language (the message says why)."""


class Placeholders(Record):
    """The arguments a format string consumes: by position (types in order) or by name (name -> type)."""

    _fields = ("unnamed", "named", "texts")
    __slots__ = _fields
    unnamed: tuple[str, ...]
    named: dict[str, str]
    texts: tuple[str, ...]  # the directives as written, for messages and TMX markup

    def __init__(
        self, unnamed: tuple[str, ...] = (), named: dict[str, str] | None = None, texts: tuple[str, ...] = ()
    ) -> None:
        init(self, "unnamed", unnamed)
        init(self, "named", {} if named is None else named)
        init(self, "texts", texts)


# --- C ---------------------------------------------------------------------------------------------------

_C_SIZES = ("hh", "h", "ll", "l", "L", "q", "j", "z", "Z", "t")
_C_INT_SIZE = {"hh": "char", "h": "short", "": "int", "l": "long", "ll": "long long", "L": "long long",
               "q": "long long", "j": "intmax_t", "z": "size_t", "Z": "size_t", "t": "ptrdiff_t"}  # fmt: skip


def _c_type(conversion: str, size: str) -> str:
    if conversion in "di":
        return _C_INT_SIZE[size]
    if conversion in "ouxX":
        return "unsigned " + _C_INT_SIZE[size]
    if conversion in "eEfFgGaA":
        return "long double" if size == "L" else "double"
    if conversion == "c":
        return "wide char" if size == "l" else "char"
    if conversion == "C":
        return "wide char"
    if conversion == "s":
        return "wide string" if size == "l" else "string"
    if conversion == "S":
        return "wide string"
    if conversion == "p":
        return "pointer"
    if conversion == "n":
        return "count " + _C_INT_SIZE[size]
    raise AssertionError(conversion)


def _parse_c(text: str, translated: bool) -> Placeholders:
    numbered: dict[int, str] = {}
    unnumbered: list[str] = []
    texts: list[str] = []
    pos, end = 0, len(text)

    def take(kind: str, number: int | None) -> None:
        if number is None:
            if numbered:
                raise FormatError("numbered and unnumbered arguments are mixed")
            unnumbered.append(kind)
            return
        if unnumbered:
            raise FormatError("numbered and unnumbered arguments are mixed")
        if numbered.get(number, kind) != kind:
            raise FormatError(f"argument {number} is used with two types")
        numbered[number] = kind

    def number_at(at: int) -> tuple[int | None, int]:
        """An `N$` argument number at `at`, or None."""
        digits = re.match(r"([0-9]+)\$", text[at:])
        if not digits:
            return None, at
        value = int(digits.group(1))
        if value == 0:
            raise FormatError("argument number 0 is not allowed")
        return value, at + digits.end()

    def width_at(at: int) -> int:
        """Past a field width at `at`: digits, or `*` (an int argument, perhaps numbered `*N$`)."""
        if text.startswith("*", at):
            star, at = number_at(at + 1)
            take("int", star)
            return at
        while at < end and text[at].isdigit() and text[at].isascii():
            at += 1
        return at

    while True:
        pos = text.find("%", pos)
        if pos < 0:
            break
        start = pos
        pos += 1
        if text.startswith("%", pos):
            pos += 1
            continue
        number, pos = number_at(pos)
        while pos < end and text[pos] in "-+ #0'" + ("I" if translated else ""):
            pos += 1
        pos = width_at(pos)
        if text.startswith(".", pos):
            pos = width_at(pos + 1)  # the precision, written as the width is
        size = next((s for s in _C_SIZES if text.startswith(s, pos)), "")
        pos += len(size)
        if pos >= end:
            raise FormatError("the string ends in the middle of a directive")
        conversion = text[pos]
        if conversion == "<" and not translated:
            # <inttypes.h> macros such as <PRId64>: system dependent, an integer argument.
            close = text.find(">", pos)
            if close < 0:
                raise FormatError("unterminated <PRI...> macro")
            macro = text[pos + 1 : close]
            pos = close
            kind = "intmax " + macro
        elif conversion not in "diouxXeEfFgGaAcCsSpn":
            raise FormatError(f"in the directive number {len(texts) + 1}, the character {conversion!r} is not a "
                              "valid conversion specifier")  # fmt: skip
        else:
            kind = _c_type(conversion, size)
        pos += 1
        take(kind, number)
        texts.append(text[start:pos])
    if numbered:
        highest = max(numbered)
        missing = [n for n in range(1, highest + 1) if n not in numbered]
        if missing:
            raise FormatError(f"the string refers to argument number {highest} but ignores argument number "
                              f"{missing[0]}")  # fmt: skip
        unnumbered = [numbered[n] for n in range(1, highest + 1)]
    return Placeholders(unnamed=tuple(unnumbered), texts=tuple(texts))


# --- Python % -------------------------------------------------------------------------------------------


def _parse_python(text: str) -> Placeholders:
    named: dict[str, str] = {}
    unnamed: list[str] = []
    texts: list[str] = []
    pos, end = 0, len(text)
    while True:
        pos = text.find("%", pos)
        if pos < 0:
            break
        start = pos
        pos += 1
        name = None
        if text.startswith("(", pos):
            depth, pos = 0, pos + 1
            name_start = pos
            while pos < end and not (text[pos] == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(text[pos], 0)
                pos += 1
            if pos >= end:
                raise FormatError("the string ends in the middle of a directive")
            name = text[name_start:pos]
            pos += 1
        while pos < end and text[pos] in "-+ #0":
            pos += 1
        stars = 0
        if text.startswith("*", pos):
            pos, stars = pos + 1, stars + 1
        else:
            while pos < end and text[pos].isdigit() and text[pos].isascii():
                pos += 1
        zero_precision = False
        if text.startswith(".", pos):
            pos += 1
            if text.startswith("*", pos):
                pos, stars = pos + 1, stars + 1
            elif pos < end and text[pos].isdigit() and text[pos].isascii():
                zero_precision = True
                while pos < end and text[pos].isdigit() and text[pos].isascii():
                    zero_precision = zero_precision and text[pos] == "0"
                    pos += 1
        if pos < end and text[pos] in "hlL":
            pos += 1
        if pos >= end:
            raise FormatError("the string ends in the middle of a directive")
        conversion = text[pos]
        pos += 1
        if conversion == "%":
            kind = ""
        elif conversion == "c":
            kind = "character"
        elif conversion in "sr":
            kind = "any" if zero_precision else "string"
        elif conversion in "iduoxX":
            kind = "integer"
        elif conversion in "eEfgG":
            kind = "float"
        else:
            raise FormatError(f"in the directive number {len(texts) + 1}, the character {conversion!r} is not a "
                              "valid conversion specifier")  # fmt: skip
        if stars and (named or name is not None):
            raise FormatError("the string refers to arguments both by name and by position")
        unnamed.extend(["integer"] * stars)
        if name is not None:
            if unnamed:
                raise FormatError("the string refers to arguments both by name and by position")
            if kind:
                previous = named.get(name)
                if previous is not None and previous != kind and "any" not in (previous, kind):
                    raise FormatError(f"the string refers to the argument named {name!r} in incompatible ways")
                named[name] = kind if previous in (None, "any") else previous
        elif kind:
            if named:
                raise FormatError("the string refers to arguments both by name and by position")
            unnamed.append(kind)
        texts.append(text[start:pos])
    return Placeholders(unnamed=tuple(unnamed), named=named, texts=tuple(texts))


# --- Python str.format ----------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]+")
# PEP 3101's standard format specifier, as gettext recognizes it: [[fill]align][sign][#][0][width][.precision][type].
_STANDARD_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?#?0?[0-9]*(?:\.[0-9]+)?[bcdoxXneEfFgG%]?", re.S)


def _brace_field(text: str, pos: int, start: int, nested: bool) -> tuple[str, int]:
    """The field whose "{" is at `start`: its argument name and the position after its "}"."""
    name = _IDENTIFIER.match(text, pos) or _NUMBER.match(text, pos)
    if not name:
        # "{}" (automatic numbering) is left to newer gettext versions; 0.21 refuses it, and so does Kervan.
        raise FormatError(f"the field at position {start} has no valid name")
    pos = name.end()
    # {user.name}, {items[0]}, chained: gettext names the argument by the whole chain ("items[0]").
    while pos < len(text) and text[pos] in ".[":
        if text[pos] == ".":
            part = _IDENTIFIER.match(text, pos + 1)
            if not part:
                raise FormatError(f"the field at position {start} has an invalid attribute name")
            pos = part.end()
        else:
            part = _IDENTIFIER.match(text, pos + 1) or _NUMBER.match(text, pos + 1)
            if not part or not text.startswith("]", part.end()):
                raise FormatError(f"the field at position {start} has an invalid or unterminated index")
            pos = part.end() + 1
    argument = text[start + 1 : pos]
    if text.startswith(":", pos):
        if nested:
            raise FormatError(f"the field at position {start} nests format specifiers too deeply")
        pos += 1
        if text.startswith("{", pos):
            # A nested field gives the width or precision ({value:{width}}); gettext counts only the outer one.
            _, pos = _brace_field(text, pos + 1, pos, nested=True)
        else:
            spec = _STANDARD_SPEC.match(text, pos)
            pos = spec.end() if spec else pos
    if not text.startswith("}", pos):
        # Conversions such as {x!r} are among what gettext does not recognize, so they are refused too.
        raise FormatError(f"the field at position {start} is not closed where gettext expects")
    return argument, pos + 1


def _parse_brace(text: str) -> Placeholders:
    named: dict[str, str] = {}
    texts: list[str] = []
    pos, end = 0, len(text)
    while pos < end:
        brace = text.find("{", pos)
        if brace < 0:
            break  # a lone "}" is text to gettext (Python would refuse it at run time)
        if text.startswith("{{", brace):
            pos = brace + 2
            continue
        name, pos = _brace_field(text, brace + 1, brace, nested=False)
        named.setdefault(name, "any")
        texts.append(text[brace:pos])
    return Placeholders(named=named, texts=tuple(texts))


# --- comparison -----------------------------------------------------------------------------------------


def parse(language: str, text: str, *, translated: bool = False) -> Placeholders:
    """The placeholders of `text` in `language` ("c", "python", "python-brace"); FormatError if invalid."""
    if language == "c":
        return _parse_c(text, translated)
    if language == "python":
        return _parse_python(text)
    if language == "python-brace":
        return _parse_brace(text)
    raise ValueError(f"unknown format language {language!r}")


def format_flags(flags: Sequence[str]) -> list[str]:
    """The languages a message is checked for: those flagged `X-format` or `possible-X-format`."""
    found = []
    for flag in flags:
        flag = flag.strip()
        if not flag.endswith("-format") or flag.startswith("no-"):
            continue
        stem = flag[: -len("-format")].removeprefix("possible-")
        if stem in FORMATS and stem not in found:
            found.append(stem)
    return found


def _compare(
    language: str, source: Placeholders, target: Placeholders, strict: bool, src_name: str, tgt_name: str
) -> str | None:
    if source.named and target.unnamed:
        return f"the placeholders in {src_name} take names, those in {tgt_name} take positions"
    if source.unnamed and target.named:
        return f"the placeholders in {src_name} take positions, those in {tgt_name} take names"
    if source.named or target.named:
        for name in sorted(target.named):
            if name not in source.named:
                return f"{tgt_name} uses the argument {name!r}, which {src_name} does not have"
        if strict:
            for name in sorted(source.named):
                if name not in target.named:
                    return f"{tgt_name} leaves out the argument {name!r} of {src_name}"
        for name, kind in sorted(target.named.items()):
            theirs = source.named[name]
            # `%(x).0s` takes any type, but only a relaxed (plural) comparison lets it stand for another.
            if kind != theirs and (strict or "any" not in (kind, theirs)):
                return f"the argument {name!r} is {theirs} in {src_name} but {kind} in {tgt_name}"
        return None
    mine, theirs = target.unnamed, source.unnamed
    # Python's % with a tuple needs exactly as many directives as values, in every plural form too.
    exact = strict or language == "python"
    if (len(mine) != len(theirs)) if exact else (len(mine) > len(theirs)):
        return f"{src_name} has {len(theirs)} placeholder(s), {tgt_name} has {len(mine)}"
    for number, (kind, expected) in enumerate(zip(mine, theirs, strict=False), start=1):
        if kind != expected and (strict or "any" not in (kind, expected)):
            return f"argument {number} is {expected} in {src_name} but {kind} in {tgt_name}"
    return None


@functools.lru_cache(maxsize=64)
def plural_often(plural_forms: str | None) -> tuple[bool, ...] | None:
    """For each plural form: does the rule select it for many values of n (at least 5 of 0..1000)?

    None when the header's rule cannot be read (msgfmt -c then reports the header itself). Without a rule,
    gettext assumes English's `n != 1`: form 1 often, form 0 once.
    """
    if not plural_forms or "plural=" not in plural_forms:
        return (False, True)
    nplurals = re.search(r"nplurals\s*=\s*([0-9]+)", plural_forms)
    rule = re.search(r"plural\s*=\s*([^;]*)", plural_forms)
    if not nplurals or not rule:
        return None
    from gettext import c2py  # the standard library's checked translator of C plural expressions

    try:
        select = c2py(rule.group(1))
        counts = [0] * int(nplurals.group(1))
        for n in range(1001):
            form = select(n)
            if 0 <= form < len(counts) and counts[form] < 5:
                counts[form] += 1
    except (ValueError, RecursionError, ZeroDivisionError, OverflowError):
        return None
    return tuple(count >= 5 for count in counts)


def _range(flags: Sequence[str]) -> tuple[int, int] | None:
    for flag in flags:
        found = re.fullmatch(r"\s*range:\s*([0-9]+)\.\.([0-9]+)\s*", flag)
        if found:
            return int(found.group(1)), int(found.group(2))
    return None


def mismatches(
    msgid: str,
    msgstrs: Sequence[str],
    flags: Sequence[str],
    *,
    msgid_plural: str | None = None,
    plural_forms: str | None = None,
) -> list[str]:
    """What `msgfmt -c` would reject in one message's placeholders, one sentence each (empty: all good).

    `msgstrs` is ``[msgstr]`` for a singular message and the ``msgstr[N]`` in order for a plural one;
    `plural_forms` the catalog's Plural-Forms header (which forms may leave a number out).
    """
    problems: list[str] = []
    languages = format_flags(flags)
    if not languages or not msgstrs or not msgstrs[0]:
        return problems  # untranslated: msgfmt leaves it out, and so does the check
    plural = bool(msgid_plural)
    often = plural_often(plural_forms) if plural else None
    value_range = _range(flags) if plural else None
    for language in languages:
        name = FORMATS[language]
        try:
            source = parse(language, msgid_plural if plural else msgid)  # type: ignore[arg-type]
        except FormatError:
            continue  # msgfmt checks only messages whose source is a valid format string
        src_name = "msgid_plural" if plural else "msgid"
        for index, msgstr in enumerate(msgstrs):
            tgt_name = f"msgstr[{index}]" if plural else "msgstr"
            try:
                target = parse(language, msgstr, translated=True)
            except FormatError as exc:
                problems.append(f"{tgt_name} is not a valid {name} format string, unlike {src_name}: {exc}")
                continue
            strict = not plural or len(msgstrs) < 2
            if not strict and often is not None and index < len(often) and often[index]:
                strict = True
                if value_range is not None:
                    strict = _hits(plural_forms, value_range, index) > 1
            problem = _compare(language, source, target, strict, src_name, tgt_name)
            if problem:
                problems.append(f"{name} format: {problem}")
    return problems


def _hits(plural_forms: str | None, value_range: tuple[int, int], form: int) -> int:
    """How many n in the flagged range the rule sends to `form` (at most 1001 evaluated, as gettext does)."""
    from gettext import c2py

    rule = re.search(r"plural\s*=\s*([^;]*)", plural_forms or "")
    if not rule:
        return 0
    select = c2py(rule.group(1))
    low, high = value_range
    return sum(1 for n in range(low, min(high, low + 1000) + 1) if select(n) == form)
