"""ICU regular expressions (the dialect SRX 2.0 prescribes) translated into Python `re` syntax.

Python's `re` lacks Unicode property escapes, `\\Q..\\E` quoting, `\\x{...}`, and mid-pattern inline flags;
these are rewritten into equivalents. Constructs with no faithful equivalent are refused with
`RegexSyntaxError`, never guessed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_MAX = 0x10FFFF

# General-category names ICU accepts (long and short forms, loosely matched) -> one-letter or two-letter codes.
_CATEGORY_NAMES = {
    "l": "L", "letter": "L", "lu": "Lu", "uppercaseletter": "Lu", "ll": "Ll", "lowercaseletter": "Ll",
    "lt": "Lt", "titlecaseletter": "Lt", "lc": "LC", "l&": "LC", "casedletter": "LC", "lm": "Lm",
    "modifierletter": "Lm", "lo": "Lo", "otherletter": "Lo",
    "m": "M", "mark": "M", "combiningmark": "M", "mn": "Mn", "nonspacingmark": "Mn", "mc": "Mc",
    "spacingmark": "Mc", "me": "Me", "enclosingmark": "Me",
    "n": "N", "number": "N", "nd": "Nd", "decimalnumber": "Nd", "digit": "Nd", "nl": "Nl", "letternumber": "Nl",
    "no": "No", "othernumber": "No",
    "p": "P", "punctuation": "P", "punct": "P", "pc": "Pc", "connectorpunctuation": "Pc", "pd": "Pd",
    "dashpunctuation": "Pd", "ps": "Ps", "openpunctuation": "Ps", "pe": "Pe", "closepunctuation": "Pe",
    "pi": "Pi", "initialpunctuation": "Pi", "pf": "Pf", "finalpunctuation": "Pf", "po": "Po",
    "otherpunctuation": "Po",
    "s": "S", "symbol": "S", "sm": "Sm", "mathsymbol": "Sm", "sc": "Sc", "currencysymbol": "Sc", "sk": "Sk",
    "modifiersymbol": "Sk", "so": "So", "othersymbol": "So",
    "z": "Z", "separator": "Z", "zs": "Zs", "spaceseparator": "Zs", "zl": "Zl", "lineseparator": "Zl",
    "zp": "Zp", "paragraphseparator": "Zp",
    "c": "C", "other": "C", "cc": "Cc", "control": "Cc", "cntrl": "Cc", "cf": "Cf", "format": "Cf",
    "co": "Co", "privateuse": "Co", "cs": "Cs", "surrogate": "Cs", "cn": "Cn", "unassigned": "Cn",
    "any": "ANY", "whitespace": "SPACE", "space": "SPACE",
}  # fmt: skip

_VERTICAL_SPACE = [(0x0A, 0x0D), (0x85, 0x85), (0x2028, 0x2029)]


class RegexSyntaxError(ValueError):
    """An SRX regular expression that is invalid or uses a construct Python cannot express."""


@functools.cache
def _category_ranges() -> dict[str, tuple[tuple[int, int], ...]]:
    """Code point ranges per two-letter general category, built once from unicodedata."""
    found: dict[str, list[tuple[int, int]]] = {}
    category = unicodedata.category
    previous, start = category("\0"), 0
    for code in range(1, _MAX + 1):
        current = category(chr(code))
        if current != previous:
            found.setdefault(previous, []).append((start, code - 1))
            previous, start = current, code
    found.setdefault(previous, []).append((start, _MAX))
    return {name: tuple(ranges) for name, ranges in found.items()}


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _complement(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result, next_low = [], 0
    for low, high in ranges:
        if low > next_low:
            result.append((next_low, low - 1))
        next_low = high + 1
    if next_low <= _MAX:
        result.append((next_low, _MAX))
    return result


def _escape_code(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# Characters with a meaning inside a class (`&`, `~`, `|` are reserved by Python for set operations when doubled).
_CLASS_SYNTAX = frozenset("\\]-[^&~|")


def _class_char(code: int) -> str:
    """A class endpoint: printable characters as themselves, since `re` parses them far faster than escapes
    (property classes hold hundreds of ranges, parsed again for every pattern built around them)."""
    char = chr(code)
    return char if char.isprintable() and char not in _CLASS_SYNTAX else _escape_code(code)


def _class_body(ranges: list[tuple[int, int]]) -> str:
    return "".join(
        _class_char(low) if low == high else f"{_class_char(low)}-{_class_char(high)}" for low, high in ranges
    )


@functools.cache
def property_body(name: str, negated: bool) -> str:
    """The inside of a `[...]` class matching \\p{name} (or \\P{name} when negated)."""
    key = re.sub(r"[\s_-]", "", name).lower()
    for prefix in ("generalcategory=", "gc=", "is"):
        if key.startswith(prefix) and key[len(prefix) :] in _CATEGORY_NAMES:
            key = key[len(prefix) :]
            break
    code = _CATEGORY_NAMES.get(key)
    if code is None:
        raise RegexSyntaxError(f"unsupported Unicode property \\p{{{name}}}")
    if code == "ANY":
        ranges = [(0, _MAX)]
    elif code == "SPACE":
        ranges = _merge([(c, c) for c in range(_MAX + 1) if chr(c).isspace()])
    else:
        table = _category_ranges()
        members = ["Lu", "Ll", "Lt"] if code == "LC" else [c for c in table if c.startswith(code)]
        ranges = _merge([r for member in members for r in table.get(member, ())])
    return _class_body(_complement(ranges) if negated else ranges)


class _Translator:
    """One pass over an ICU pattern, emitting the Python equivalent."""

    def __init__(self, pattern: str) -> None:
        self.src = pattern
        self.pos = 0
        self.out: list[str] = []
        # Per open group: the inline flag groups opened inside it, closed again at `|` and `)`.
        self.flag_stack: list[list[str]] = [[]]

    def fail(self, message: str, offset: int | None = None) -> RegexSyntaxError:
        where = self.pos if offset is None else offset
        return RegexSyntaxError(f'{message} at offset {where} in "{self.src}"')

    def run(self) -> str:
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char == "\\":
                self.out.append(self.escape(in_class=False))
            elif char == "[":
                self.out.append(self.char_class())
            elif char == "(":
                self.group()
            elif char == ")":
                if len(self.flag_stack) == 1:
                    raise self.fail("unbalanced parenthesis")
                self.out.append(")" * len(self.flag_stack.pop()) + ")")
                self.pos += 1
            elif char == "|":
                opened = self.flag_stack[-1]
                self.out.append(")" * len(opened) + "|" + "".join(f"(?{flags}:" for flags in opened))
                self.pos += 1
            else:
                self.out.append(char)
                self.pos += 1
        if len(self.flag_stack) != 1:
            raise self.fail("missing closing parenthesis")
        self.out.append(")" * len(self.flag_stack[0]))
        return "".join(self.out)

    def group(self) -> None:
        src, start = self.src, self.pos
        if not src.startswith("(?", start):
            self.flag_stack.append([])
            self.out.append("(")
            self.pos += 1
            return
        rest = src[start + 2 :]
        if rest.startswith("#"):
            end = src.find(")", start)
            if end < 0:
                raise self.fail("unterminated comment")
            self.pos = end + 1
            return
        for opener in (":", "=", "!", "<=", "<!", ">"):
            if rest.startswith(opener):
                self.flag_stack.append([])
                self.out.append("(?" + opener)
                self.pos += 2 + len(opener)
                return
        named = re.match(r"<([A-Za-z][A-Za-z0-9]*)>", rest)
        if named:
            self.flag_stack.append([])
            self.out.append(f"(?P<{named.group(1)}>")
            self.pos += 2 + named.end()
            return
        flags = re.match(r"([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])", rest)
        if not flags:
            raise self.fail("unsupported group syntax")
        on, off, kind = flags.group(1), flags.group(2) or "", flags.group(3)
        unknown = set(on + off) - set("imsu")
        if unknown:
            raise self.fail(f"unsupported inline flag {''.join(sorted(unknown))!r}")
        # Python's str patterns are always Unicode-aware: the `u` flag has nothing to do.
        on, off = on.replace("u", ""), off.replace("u", "")
        spec = on + (f"-{off}" if off else "")
        self.pos += 2 + flags.end()
        if kind == ":":
            self.flag_stack.append([])
            self.out.append(f"(?{spec}:" if spec else "(?:")
        elif spec:
            # ICU applies `(?i)` to the rest of the enclosing group; Python needs a scoped group for that.
            self.flag_stack[-1].append(spec)
            self.out.append(f"(?{spec}:")

    def char_class(self) -> str:
        src = self.src
        self.pos += 1
        parts = ["["]
        if src.startswith("^", self.pos):
            parts.append("^")
            self.pos += 1
        first = True
        while True:
            if self.pos >= len(src):
                raise self.fail("unterminated character class")
            char = src[self.pos]
            if char == "]" and not first:
                self.pos += 1
                parts.append("]")
                return "".join(parts)
            if char == "\\":
                parts.append(self.escape(in_class=True))
            elif char == "[":
                raise self.fail("nested character classes (set union) are not supported")
            elif src.startswith("&&", self.pos):
                raise self.fail("character class intersection (&&) is not supported")
            elif char in "]&~|":
                # Literal here; escaped because Python reserves doubled forms for future set operations.
                parts.append("\\" + char)
                self.pos += 1
            else:
                parts.append(char)
                self.pos += 1
            first = False

    def escape(self, *, in_class: bool) -> str:
        src = self.src
        start = self.pos
        if start + 1 >= len(src):
            raise self.fail("pattern ends with a backslash")
        char = src[start + 1]
        self.pos = start + 2
        if char == "Q":
            end = src.find("\\E", self.pos)
            literal = src[self.pos :] if end < 0 else src[self.pos : end]
            self.pos = len(src) if end < 0 else end + 2
            return "".join(_literal(c, in_class) for c in literal)
        if char == "E":
            return ""  # a stray \E is ignored by ICU
        if char in "pP":
            if src.startswith("{", self.pos):
                end = src.find("}", self.pos)
                if end < 0:
                    raise self.fail("unterminated \\p{...}")
                name = src[self.pos + 1 : end]
                self.pos = end + 1
            elif self.pos < len(src):
                name = src[self.pos]
                self.pos += 1
            else:
                raise self.fail("incomplete \\p")
            negated = char == "P"
            if name.startswith("^"):
                name, negated = name[1:], not negated
            try:
                body = property_body(name, negated)
            except RegexSyntaxError as exc:
                raise self.fail(str(exc), start) from None
            return body if in_class else f"[{body}]"
        if char in "hHvV":
            ranges = _VERTICAL_SPACE if char in "vV" else _merge([(9, 9), *_category_ranges()["Zs"]])
            body = _class_body(_complement(ranges) if char.isupper() else ranges)
            return body if in_class else f"[{body}]"
        if char == "x" and src.startswith("{", self.pos):
            end = src.find("}", self.pos)
            digits = src[self.pos + 1 : end] if end > 0 else ""
            if not re.fullmatch(r"[0-9A-Fa-f]{1,6}", digits) or int(digits, 16) > _MAX:
                raise self.fail("invalid \\x{...} escape")
            self.pos = end + 1
            return _escape_code(int(digits, 16))
        if char == "c":
            if self.pos >= len(src):
                raise self.fail("incomplete \\c escape")
            self.pos += 1
            return _escape_code(ord(src[self.pos - 1]) ^ 0x40)
        if char == "0":
            digits = re.match(r"[0-7]{1,3}", src[self.pos :])
            value = int(digits.group(0), 8) if digits else 0
            if digits:
                self.pos += digits.end()
            return _escape_code(value)
        if char == "e":
            return "\\x1b"
        if char == "k":
            named = re.match(r"<([A-Za-z][A-Za-z0-9]*)>", src[self.pos :])
            if not named or in_class:
                raise self.fail("invalid \\k<name> back reference")
            self.pos += named.end()
            return f"(?P={named.group(1)})"
        if char == "R" and not in_class:
            return "(?:\\r\\n|[\\n\\x0b\\f\\r\\x85\\u2028\\u2029])"
        if char == "z" and not in_class:
            return "\\Z"
        if char == "Z" and not in_class:
            return "(?=\\n?\\Z)"
        if char in "dDwWsStnrfa" or (char in "bBA" and not in_class):
            return "\\" + char
        if char == "b":  # backspace inside a class, as in ICU
            return "\\x08"
        if char in "uU" or (char == "x"):
            width = {"u": 4, "U": 8, "x": 2}[char]
            digits = src[self.pos : self.pos + width]
            if not re.fullmatch(f"[0-9A-Fa-f]{{{width}}}", digits) or int(digits, 16) > _MAX:
                raise self.fail(f"invalid \\{char} escape")
            self.pos += width
            return _escape_code(int(digits, 16))
        if char == "N" and src.startswith("{", self.pos):
            end = src.find("}", self.pos)
            try:
                code = ord(unicodedata.lookup(src[self.pos + 1 : end]))
            except (KeyError, ValueError):
                raise self.fail("unknown character name in \\N{...}") from None
            self.pos = end + 1
            return _escape_code(code)
        if char.isdigit():
            if in_class:
                raise self.fail("back reference inside a character class")
            return "\\" + char
        if char.isascii() and char.isalpha():
            raise self.fail(f"unsupported escape \\{char}")
        return _literal(char, in_class)


def _literal(char: str, in_class: bool) -> str:
    if char.isalnum() or char == "_" or char == " ":
        return char
    return _escape_code(ord(char)) if not char.isprintable() else "\\" + char


@functools.lru_cache(maxsize=4096)
def translate(pattern: str) -> str:
    """The Python `re` equivalent of an ICU pattern; raises RegexSyntaxError when there is none or it is invalid."""
    python = _Translator(pattern).run()
    try:
        re.compile(python)
    except re.error as exc:
        raise RegexSyntaxError(f'invalid regular expression "{pattern}": {exc}') from None
    except (OverflowError, RecursionError):
        raise RegexSyntaxError(f'regular expression too complex: "{pattern}"') from None
    return python


def escape(text: str) -> str:
    """An ICU pattern matching `text` literally (ASCII punctuation backslash-escaped)."""
    return "".join("\\" + c if c.isascii() and not c.isalnum() and c != " " and c.isprintable() else c for c in text)
