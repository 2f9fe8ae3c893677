"""Java regular expressions (the dialect every SRX file in the wild was written and tested for: OmegaT, Okapi and
LanguageTool all run `java.util.regex`) translated into patterns for the `regex` module.

Java's meaning is kept where it differs from ICU's and Python's: `\\d`, `\\s`, `\\w` and POSIX classes are ASCII
unless `(?U)` is set, while `\\b` counts every letter and digit (Java 17); `(?i)` folds ASCII letters only unless
`(?u)` or `(?U)` is set; `[\\d-x]` holds a literal `-`; classes nest (`[a[b]]`) and intersect (`[a-z&&[^aeiou]]`);
inline flags last to the end of their group; `^` and `$` see Java's line terminators. Capturing groups become
non-capturing unless the pattern refers back to them, so rules can be joined into one pattern.

Constructs with no faithful equivalent raise `RegexSyntaxError`, whose message names the construct and its offset
in the pattern as written (never in the translation).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from ..record import Record, init

_MAX = 0x10FFFF


class RegexSyntaxError(ValueError):
    """A rule's regular expression that is invalid in Java or uses a construct Kervan cannot express."""


# Java's line terminators, for `.`, `^`, `$` and `\Z` (UNIX_LINES narrows them to \n).
_TERMINATORS = "\\n\\r\\u0085\\u2028\\u2029"

# Character classes as bodies of a regex-module set (without the brackets).
_ASCII_DIGIT = "0-9"
_ASCII_SPACE = " \\t\\n\\x0b\\f\\r"
_ASCII_WORD = "a-zA-Z_0-9"
_UNICODE_WORD = "\\p{Alphabetic}\\p{Mn}\\p{Me}\\p{Mc}\\p{Nd}\\p{Pc}\\p{Join_Control}"
_HORIZONTAL = " \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000"
_VERTICAL = "\\n\\x0b\\f\\r\\x85\\u2028\\u2029"
# Character.isWhitespace: space separators other than the no-break ones, plus the ASCII controls it names.
_JAVA_WHITESPACE = "\\x20\\u1680\\u2000-\\u2006\\u2008-\\u200a\\u205f\\u3000\\u2028\\u2029\\t\\n\\x0b\\f\\r\\x1c-\\x1f"

# POSIX classes: (ASCII body, body under UNICODE_CHARACTER_CLASS).
_POSIX = {
    "lower": ("a-z", "\\p{Lowercase}"),
    "upper": ("A-Z", "\\p{Uppercase}"),
    "ascii": ("\\x00-\\x7f", "\\x00-\\x7f"),
    "alpha": ("a-zA-Z", "\\p{Alphabetic}"),
    "digit": ("0-9", "\\p{Nd}"),
    "alnum": ("a-zA-Z0-9", "\\p{Alphabetic}\\p{Nd}"),
    "punct": ("!-/:-@\\[-`{-~", "\\p{P}"),
    "graph": ("!-~", "[^\\p{White_Space}\\p{Cc}\\p{Cs}\\p{Cn}]"),
    "print": ("\\x20-\\x7e", "[[^\\p{White_Space}\\p{Cc}\\p{Cs}\\p{Cn}]\\p{Zs}]"),
    "blank": (" \\t", "[\\p{Zs}\\t]"),
    "cntrl": ("\\x00-\\x1f\\x7f", "\\p{Cc}"),
    "xdigit": ("0-9a-fA-F", "\\p{Nd}\\p{Hex_Digit}"),
    "space": (_ASCII_SPACE, "\\p{White_Space}"),
}
_JAVA_CHARACTER = {
    "javalowercase": "\\p{Lowercase}",
    "javauppercase": "\\p{Uppercase}",
    "javatitlecase": "\\p{Lt}",
    "javaalphabetic": "\\p{Alphabetic}",
    "javaideographic": "\\p{Ideographic}",
    "javadigit": "\\p{Nd}",
    "javaletter": "\\p{L}",
    "javaletterordigit": "\\p{L}\\p{Nd}",
    "javawhitespace": _JAVA_WHITESPACE,
    "javaspacechar": "\\p{Z}",
    "javaisocontrol": "\\x00-\\x1f\\x7f-\\x9f",
    "javamirrored": "\\p{Bidi_Mirrored}",
}
_CATEGORIES = {
    "L", "Lu", "Ll", "Lt", "Lm", "Lo", "LC", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps",
    "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co", "Cs", "Cn",
}  # fmt: skip
# Binary properties Java names after "Is" (case and underscores ignored).
_BINARY = {
    "alphabetic": "Alphabetic", "letter": "L", "ideographic": "Ideographic", "lowercase": "Lowercase",
    "uppercase": "Uppercase", "titlecase": "Lt", "punctuation": "P", "control": "Cc", "whitespace": "White_Space",
    "digit": "Nd", "hexdigit": "Hex_Digit", "joincontrol": "Join_Control", "noncharactercodepoint":
    "Noncharacter_Code_Point", "assigned": "Assigned", "emoji": "Emoji", "emojipresentation": "Emoji_Presentation",
    "emojimodifier": "Emoji_Modifier", "emojimodifierbase": "Emoji_Modifier_Base", "emojicomponent":
    "Emoji_Component", "extendedpictographic": "Extended_Pictographic",
}  # fmt: skip


# What an atom or sequence can match at its edges: the set items (V1 set syntax) of the characters it can start
# and end with (None: any character), and whether it can match the empty string. Zero-width atoms (anchors,
# lookarounds) start and end with nothing and are nullable.
_Edges = tuple["list[str] | None", "list[str] | None", bool]
_ZERO_WIDTH: _Edges = ([], [], True)
_UNKNOWN: _Edges = (None, None, True)


def _union(a: list[str] | None, b: list[str] | None) -> list[str] | None:
    return None if a is None or b is None else a + b


class _Flags:
    """Java's match flags in force at one point of a pattern (mutable: inline flags change a group's own)."""

    __slots__ = ("U", "d", "i", "m", "s", "u", "x")
    i: bool  # CASE_INSENSITIVE
    u: bool  # UNICODE_CASE
    U: bool  # UNICODE_CHARACTER_CLASS
    s: bool  # DOTALL
    m: bool  # MULTILINE
    d: bool  # UNIX_LINES
    x: bool  # COMMENTS

    def __init__(
        self,
        i: bool = False,
        u: bool = False,
        U: bool = False,
        s: bool = False,
        m: bool = False,
        d: bool = False,
        x: bool = False,
    ) -> None:
        self.i = i
        self.u = u
        self.U = U
        self.s = s
        self.m = m
        self.d = d
        self.x = x

    def copy(self) -> _Flags:
        return _Flags(self.i, self.u, self.U, self.s, self.m, self.d, self.x)

    def assign(self, other: _Flags) -> None:
        """Take every flag of `other` (in place: the group's branches share this object)."""
        for name in _Flags.__slots__:
            setattr(self, name, getattr(other, name))

    @property
    def unicode_case(self) -> bool:
        return self.u or self.U  # UNICODE_CHARACTER_CLASS implies UNICODE_CASE


def _code(code: int) -> str:
    if code < 0x80 and chr(code).isalnum():
        return chr(code)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _swap_ascii_case(low: int, high: int) -> list[tuple[int, int]]:
    """ASCII letters whose other case falls in [low, high]: what Java's ASCII case-insensitive range adds."""
    extra = []
    for start, end, shift in ((0x41, 0x5A, 0x20), (0x61, 0x7A, -0x20)):
        a, b = max(low, start), min(high, end)
        if a <= b:
            extra.append((a + shift, b + shift))
    return extra


class _Parser:
    """One pass over a Java pattern, emitting the regex-module equivalent."""

    def __init__(self, pattern: str, factor: str = "") -> None:
        self.src = pattern
        self.pos = 0
        # Alternations of plain words become a trie, by last characters ("suffix": the pattern is matched
        # backwards, in a look-behind) or first ones ("prefix"). Only for patterns used as yes/no tests, where
        # the order of alternatives cannot matter, and never where atomic groups or possessive quantifiers are.
        self.factor = "" if re.search(r"\(\?>|[*+?}]\+", pattern) else factor
        self.plain_char: str | None = None  # the atom parsed last was this one plain character
        self.boundary = False  # the atom parsed last was a plain \b
        self.literal_text: str | None = None  # the sequence parsed last was this plain text
        self.group_count = 0
        self.names: set[str] = set()
        self.backrefs = bool(re.search(r"\\[1-9]|\\k<", pattern))
        self.constructs: set[str] = set()  # what needed Java-specific handling, for reports
        self.edges: _Edges = _ZERO_WIDTH  # of the atom, group or alternation parsed last
        self.required: frozenset[str] = frozenset()  # characters every match needs in the text, likewise
        self.v1 = False  # nested sets or set operations: the pattern needs the regex module's version 1
        self.anchors: set[str] = set()  # "start", "end": the pattern refers to the paragraph's edges

    def fail(self, message: str, offset: int | None = None) -> RegexSyntaxError:
        where = self.pos if offset is None else offset
        return RegexSyntaxError(f"{message} at offset {where} in \"{self.src}\"")

    # ----------------------------------------------------------------- sequences and groups

    def parse(self) -> str:
        out = self.alternation(_Flags(), top=True)
        if self.pos < len(self.src):
            raise self.fail("unbalanced parenthesis")
        return out

    def alternation(self, flags: _Flags, *, top: bool = False) -> str:
        branches = [self.sequence(flags)]
        words = [self.literal_text]
        first, last, nullable = self.edges
        required = self.required
        while self.pos < len(self.src) and self.src[self.pos] == "|":
            self.pos += 1
            branches.append(self.sequence(flags))
            words.append(self.literal_text)
            first, last = _union(first, self.edges[0]), _union(last, self.edges[1])
            nullable = nullable or self.edges[2]
            required &= self.required
        self.required = required
        if not top and self.pos >= len(self.src):
            raise self.fail("missing closing parenthesis")
        self.edges = (first, last, nullable)
        self.literal_text = None
        if self.factor and len(words) >= 3 and all(word is not None for word in words):
            return _trie({word for word in words if word is not None}, suffix=self.factor == "suffix")
        return "|".join(branches)

    def sequence(self, outer: _Flags) -> str:
        # Inline flags last to the end of the enclosing group, later alternatives included (Java's parser keeps
        # them): they are written into the group's flags, which every branch shares.
        flags = outer
        out: list[str] = []
        pieces: list[_Edges] = []
        required: set[str] = set()
        literal: list[str] | None = []
        boundaries: list[int] = []  # where a plain \\b was written (Java's meaning, without (?U))
        src = self.src
        while self.pos < len(src):
            char = src[self.pos]
            if char in "|)":
                break
            if flags.x and char in " \t\n\x0b\f\r":
                self.pos += 1
                continue
            if flags.x and char == "#":
                end = src.find("\n", self.pos)
                self.pos = len(src) if end < 0 else end + 1
                continue
            start = self.pos
            self.required = frozenset()
            self.plain_char = None
            self.boundary = False
            if char == "(":
                new_flags = self.inline_flags(flags)
                if new_flags is not None:
                    outer.assign(new_flags)
                    continue
                atom = self.group(flags)
            elif char == "[":
                atom = "[" + self.char_class(flags) + "]"
                self.edges = ([atom], [atom], False)
            elif char == "\\":
                atom = self.escape(flags)
            elif char == ".":
                self.pos += 1
                atom = "(?s:.)" if flags.s else ("[^\\n]" if flags.d else f"[^{_TERMINATORS}]")
                self.edges = (None, None, False) if flags.s else ([atom], [atom], False)
            elif char == "^":
                self.pos += 1
                atom = self.caret(flags)
                self.edges = _ZERO_WIDTH
            elif char == "$":
                self.pos += 1
                atom = self.dollar(flags)
                self.edges = _ZERO_WIDTH
            elif char in "*+?":
                raise self.fail(f"dangling meta character {char!r}")
            elif char == "{":
                raise self.fail("illegal repetition")
            else:
                self.pos += 1
                atom = self.literal(ord(char), flags)
            edges = self.edges
            # A group or class is never one plain character, whatever its insides left in plain_char.
            plain = self.plain_char if char not in "([" else None
            quantifier = self.quantifier(start)
            if literal is not None:
                literal = None if plain is None or quantifier else [*literal, plain]
            if quantifier[:1] in ("*", "?") or quantifier.startswith("{0"):
                edges = (edges[0], edges[1], True)
            else:
                required |= self.required
            if char == "\\" and self.boundary and not quantifier:
                boundaries.append(len(out))
            pieces.append(edges)
            out.append(atom + quantifier)
        for index in boundaries:
            out[index] = _known_side_boundary(pieces, index) or out[index]
        self.edges = _sequence_edges(pieces)
        self.required = frozenset(required)
        self.literal_text = None if literal is None else "".join(literal)
        return "".join(out)

    def quantifier(self, atom_start: int) -> str:
        src = self.src
        if self.pos >= len(src):
            return ""
        char = src[self.pos]
        if char in "*+?":
            self.pos += 1
            text = char
        elif char == "{":
            match = re.compile(r"\{(\d+)(,(\d*))?\}").match(src, self.pos)
            if not match:
                raise self.fail("illegal repetition")
            low, high = int(match.group(1)), match.group(3)
            if high and int(high) < low:
                raise self.fail("illegal repetition range")
            self.pos = match.end()
            text = match.group(0)
        else:
            return ""
        if self.pos < len(src) and src[self.pos] in "?+":
            if src[self.pos] == "+":
                self.constructs.add("possessive quantifier")
            text += src[self.pos]
            self.pos += 1
        if self.pos < len(src) and src[self.pos] in "*+?{":
            # Java rejects a quantifier on a quantifier ("a**"), as does the regex module: say so plainly.
            raise self.fail(f"dangling meta character {src[self.pos]!r}")
        return text

    def inline_flags(self, flags: _Flags) -> _Flags | None:
        """`(?idmsuxU-idmsuxU)`: returns the new flags, or None when the group is something else."""
        match = re.compile(r"\(\?([idmsuxU]*)(?:-([idmsuxU]*))?\)").match(self.src, self.pos)
        if not match or (not match.group(1) and match.group(2) is None):
            return None
        self.pos = match.end()
        if "U" in match.group(0):
            self.constructs.add("(?U)")
        return self.apply_flags(flags, match.group(1), match.group(2) or "")

    @staticmethod
    def apply_flags(flags: _Flags, on: str, off: str) -> _Flags:
        new = flags.copy()
        for letter in on:
            setattr(new, letter, True)
        for letter in off:
            setattr(new, letter, False)
        return new

    def group(self, flags: _Flags) -> str:
        src, start = self.src, self.pos
        rest = src[start + 1 :]
        inner_flags = flags.copy()
        if not rest.startswith("?"):
            self.pos += 1
            self.group_count += 1
            opener = "(" if self.backrefs else "(?:"
        elif rest.startswith("?#"):
            raise self.fail("comment groups are not Java syntax")
        else:
            for java, ours in (("?:", "(?:"), ("?=", "(?="), ("?!", "(?!"), ("?<=", "(?<="), ("?<!", "(?<!"),
                               ("?>", "(?>")):  # fmt: skip
                if rest.startswith(java):
                    if java in ("?<=", "?<!"):
                        self.constructs.add("lookbehind")
                    self.pos += 1 + len(java)
                    opener = ours
                    break
            else:
                named = re.compile(r"\?<([a-zA-Z][a-zA-Z0-9]*)>").match(rest)
                scoped = re.compile(r"\?([idmsuxU]*)(?:-([idmsuxU]*))?:").match(rest)
                if named:
                    name = named.group(1)
                    if name in self.names:
                        raise self.fail(f"named capturing group <{name}> is already defined")
                    self.names.add(name)
                    self.group_count += 1
                    self.pos += 1 + named.end()
                    opener = f"(?P<{name}>" if self.backrefs else "(?:"
                elif scoped:
                    self.pos += 1 + scoped.end()
                    inner_flags = self.apply_flags(flags, scoped.group(1), scoped.group(2) or "")
                    opener = "(?:"
                else:
                    raise self.fail("unknown group type")
        inner = self.alternation(inner_flags)
        self.pos += 1  # the closing parenthesis (alternation stopped at it)
        if opener in ("(?=", "(?!", "(?<=", "(?<!"):
            self.edges = _ZERO_WIDTH
            if opener in ("(?!", "(?<!"):
                self.required = frozenset()
        return opener + inner + ")"

    def caret(self, flags: _Flags) -> str:
        self.anchors.add("start")
        if not flags.m:
            return "(?:\\A)"
        if flags.d:
            return "(?:\\A|(?<=\\n)(?!\\Z))"
        return "(?:\\A|(?<=[\\n\\u0085\\u2028\\u2029]|\\r(?!\\n))(?!\\Z))"

    def dollar(self, flags: _Flags) -> str:
        self.anchors.add("end")
        if flags.d:
            return "(?=\\n)" if flags.m else "(?=\\n?\\Z)"
        if flags.m:
            return f"(?=[{_TERMINATORS}]|\\Z)(?<!\\r(?=\\n))"
        return f"(?=(?:\\r\\n|[{_TERMINATORS}])?\\Z)"

    # ----------------------------------------------------------------- single characters

    def literal(self, code: int, flags: _Flags) -> str:
        text = self._literal(code, flags)
        item = text if text.startswith("[") else _class_char(code)
        self.edges = ([item], [item], False)
        self.required = frozenset() if text.startswith("[") else frozenset(chr(code))
        self.plain_char = None if text.startswith("[") else chr(code)
        return text

    def _literal(self, code: int, flags: _Flags) -> str:
        if flags.i:
            if flags.unicode_case:
                variants = _case_variants(code)
                if len(variants) > 1:
                    return "[" + "".join(_class_char(c) for c in sorted(variants)) + "]"
            elif 0x41 <= code <= 0x5A or 0x61 <= code <= 0x7A:
                return f"[{chr(code).lower()}{chr(code).upper()}]"
        return _lit(code)

    def escape(self, flags: _Flags) -> str:
        """An escape outside a class: a class escape, an assertion, a back reference or one character."""
        src, start = self.src, self.pos
        if start + 1 >= len(src):
            raise self.fail("pattern ends with a backslash")
        char = src[start + 1]
        if char == "Q":
            end = src.find("\\E", start + 2)
            literal = src[start + 2 :] if end < 0 else src[start + 2 : end]
            self.pos = len(src) if end < 0 else end + 2
            if not literal:
                self.edges = _ZERO_WIDTH
                return ""
            texts = [self.literal(ord(c), flags) for c in literal]
            last = self.edges[1]
            self.literal(ord(literal[0]), flags)
            self.edges = (self.edges[0], last, False)
            self.required = frozenset() if flags.i else frozenset(literal)
            self.plain_char = None
            return "".join(texts)
        if char == "b" and src.startswith("{g}", start + 2):
            raise self.fail("grapheme cluster boundaries (\\b{g}) are not supported", start)
        if char in "bB":
            self.pos = start + 2
            self.edges = _ZERO_WIDTH
            boundary = _word_boundary(flags.U)
            self.boundary = char == "b" and not flags.U
            return boundary if char == "b" else f"(?!{boundary})"
        if char in "AzZ":
            self.edges = _ZERO_WIDTH
            self.anchors.add("start" if char == "A" else "end")
        if char == "A":
            self.pos = start + 2
            return "(?:\\A)"
        if char == "z":
            self.pos = start + 2
            return "(?:\\Z)"
        if char == "Z":
            self.pos = start + 2
            return "(?=\\n?\\Z)" if flags.d else f"(?=(?:\\r\\n|[{_TERMINATORS}])?\\Z)"
        if char == "G":
            raise self.fail("\\G (end of the previous match) has no meaning in a segmentation rule", start)
        if char == "R":
            self.pos = start + 2
            self.edges = (["[\\n\\x0b\\f\\r\\x85\\u2028\\u2029]"], ["[\\n\\x0b\\f\\r\\x85\\u2028\\u2029]"], False)
            return "(?>\\r\\n|[\\n\\x0b\\f\\r\\x85\\u2028\\u2029])"
        if char == "X":
            self.pos = start + 2
            self.edges = (None, None, False)
            return "\\X"
        if char == "k":
            named = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)>").match(src, start + 2)
            if not named:
                raise self.fail("\\k is not followed by <name>", start)
            if named.group(1) not in self.names:
                raise self.fail(f"named capturing group <{named.group(1)}> does not exist", start)
            self.pos = named.end()
            self.edges = _UNKNOWN
            return f"(?P={named.group(1)})"
        if char.isdigit() and char != "0":
            # Java reads as many digits as still name an existing group.
            digits = re.compile(r"\d+").match(src, start + 1).group(0)  # type: ignore[union-attr]
            number = int(digits[0])
            used = 1
            while used < len(digits) and int(digits[: used + 1]) <= self.group_count:
                number, used = int(digits[: used + 1]), used + 1
            self.pos = start + 1 + used
            self.edges = _UNKNOWN
            if number > self.group_count:
                return "(?!)"  # Java: a reference to a group not yet defined never matches
            return f"(?i-f:\\{number})" if flags.i else f"(?:\\{number})"
        body = self.class_escape(flags)
        if body is not None:
            self.edges = ([f"[{body}]"], [f"[{body}]"], False)
            if not _is_flat(body.removeprefix("^")):
                self.v1 = True
            return f"[{body}]"
        return self.literal(self.char_escape(), flags)

    def class_escape(self, flags: _Flags) -> str | None:
        """A class escape at self.pos (\\d \\s \\w \\h \\v \\p{...} and negations) as a set body, or None."""
        src, start = self.src, self.pos
        char = src[start + 1]
        simple = {
            "d": "\\p{Nd}" if flags.U else _ASCII_DIGIT,
            "s": "\\p{White_Space}" if flags.U else _ASCII_SPACE,
            "w": _UNICODE_WORD if flags.U else _ASCII_WORD,
            "h": _HORIZONTAL,
            "v": _VERTICAL,
        }
        if char.lower() in simple:
            self.pos = start + 2
            body = simple[char.lower()]
            if char in "dswU" and flags.U:
                self.constructs.add("(?U)")
            return body if char.islower() else f"^{body}"
        if char in "pP":
            self.pos = start + 2
            if src.startswith("{", self.pos):
                end = src.find("}", self.pos)
                if end < 0:
                    raise self.fail("unclosed character family", start)
                name = src[self.pos + 1 : end]
                self.pos = end + 1
            elif self.pos < len(src):
                name = src[self.pos]
                self.pos += 1
            else:
                raise self.fail("illegal character family", start)
            negated = char == "P"
            if name.startswith("^"):
                name, negated = name[1:], not negated
            body = self.property(name, flags, start)
            return f"^{body}" if negated else body
        return None

    def property(self, name: str, flags: _Flags, start: int) -> str:
        """The set body for Java's \\p{name}."""
        lowered = name.lower().replace("_", "").replace(" ", "").replace("-", "")
        if "=" in name:
            key, _, value = name.partition("=")
            key = key.lower()
            if key in ("sc", "script"):
                return self.script(value, start)
            if key in ("blk", "block"):
                return self.block(value, start)
            if key in ("gc", "generalcategory"):
                return self.category(value, flags, start)
            raise self.fail(f"unknown Unicode property {name!r}", start)
        if name.startswith("In"):
            return self.block(name[2:], start)
        if name.startswith("Is"):
            rest = name[2:]
            if rest in _CATEGORIES:
                return self.category(rest, flags, start)
            binary = _BINARY.get(rest.lower().replace("_", "").replace(" ", ""))
            if binary is not None:
                return self.category(binary, flags, start) if binary in _CATEGORIES else f"\\p{{{binary}}}"
            return self.script(rest, start)
        if name in _CATEGORIES:
            return self.category(name, flags, start)
        if lowered in _POSIX:
            ascii_body, unicode_body = _POSIX[lowered]
            if flags.i and lowered in ("lower", "upper"):
                return "\\p{Lowercase}\\p{Uppercase}" if flags.U else "a-zA-Z"
            return unicode_body if flags.U else ascii_body
        if name.startswith("java") and lowered in _JAVA_CHARACTER:
            return _JAVA_CHARACTER[lowered]
        raise self.fail(f"unknown character property \\p{{{name}}}", start)

    def category(self, name: str, flags: _Flags, start: int) -> str:
        if name not in _CATEGORIES:
            raise self.fail(f"unknown general category {name!r}", start)
        if flags.i and name in ("Lu", "Ll", "Lt"):
            return "\\p{Lu}\\p{Ll}\\p{Lt}"  # Java: a cased category ignores case like its letters do
        return "\\p{Lu}\\p{Ll}\\p{Lt}" if name == "LC" else f"\\p{{{name}}}"

    def script(self, name: str, start: int) -> str:
        return self._checked(f"\\p{{Script={name}}}", f"unknown script {name!r}", start)

    def block(self, name: str, start: int) -> str:
        return self._checked(f"\\p{{Block={name}}}", f"unknown Unicode block {name!r}", start)

    def _checked(self, body: str, message: str, start: int) -> str:
        import regex

        try:
            regex.compile(f"[{body}]")
        except regex.error:
            raise self.fail(message, start) from None
        return body

    def char_escape(self) -> int:
        """A one-character escape at self.pos (after the backslash), as a code point."""
        src, start = self.src, self.pos
        char = src[start + 1]
        self.pos = start + 2
        simple = {"t": 9, "n": 10, "r": 13, "f": 12, "a": 7, "e": 27}
        if char in simple:
            return simple[char]
        if char == "0":
            digits = re.compile(r"[0-7]{1,3}").match(src, self.pos)
            if not digits:
                raise self.fail("illegal octal escape sequence", start)
            text = digits.group(0)
            if len(text) == 3 and int(text[0]) > 3:
                text = text[:2]
            self.pos += len(text)
            return int(text, 8)
        if char == "x":
            if src.startswith("{", self.pos):
                end = src.find("}", self.pos)
                digits = src[self.pos + 1 : end] if end > 0 else ""
                if not re.fullmatch(r"[0-9a-fA-F]{1,8}", digits) or int(digits, 16) > _MAX:
                    raise self.fail("illegal hexadecimal escape sequence", start)
                self.pos = end + 1
                return int(digits, 16)
            return self._hex(2, start)
        if char == "u":
            code = self._hex(4, start)
            if 0xD800 <= code <= 0xDBFF and src.startswith("\\u", self.pos):
                saved = self.pos
                self.pos += 1
                low = self._hex(4, start)
                if 0xDC00 <= low <= 0xDFFF:
                    return 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                self.pos = saved
            return code
        if char == "c":
            if self.pos >= len(src):
                raise self.fail("illegal control escape sequence", start)
            self.pos += 1
            return ord(src[self.pos - 1]) ^ 0x40
        if char == "N" and src.startswith("{", self.pos):
            end = src.find("}", self.pos)
            try:
                code = ord(unicodedata.lookup(src[self.pos + 1 : end]))
            except (KeyError, ValueError):
                raise self.fail("unknown character name in \\N{...}", start) from None
            self.pos = end + 1
            return code
        if char.isascii() and char.isalnum():
            raise self.fail(f"illegal or unsupported escape sequence \\{char}", start)
        return ord(char)

    def _hex(self, width: int, start: int) -> int:
        digits = self.src[self.pos : self.pos + width]
        if not re.fullmatch(f"[0-9a-fA-F]{{{width}}}", digits):
            raise self.fail("illegal hexadecimal escape sequence", start)
        self.pos += width
        return int(digits, 16)

    # ----------------------------------------------------------------- character classes

    def char_class(self, flags: _Flags) -> str:
        """A Java class at self.pos ('['), as a regex-module set body (V1 syntax: nested sets, &&)."""
        src, open_at = self.src, self.pos
        self.pos += 1
        negated = src.startswith("^", self.pos)
        if negated:
            self.pos += 1
        operands: list[list[str]] = [[]]  # union items, split at each &&
        first = True
        while True:
            if flags.x:
                while self.pos < len(src) and src[self.pos] in " \t\n\x0b\f\r":
                    self.pos += 1
            if self.pos >= len(src):
                raise self.fail("unclosed character class", open_at)
            char = src[self.pos]
            if char == "]" and not first:
                self.pos += 1
                break
            first = False
            if char == "[":
                operands[-1].append(self.set_item(self.char_class(flags)))
                continue
            if src.startswith("&&", self.pos):
                self.constructs.add("class intersection (&&)")
                self.pos += 2
                operands.append([])
                continue
            if char == "\\":
                body = self.class_escape(flags)
                if body is not None:
                    # A `-` after a class escape is a literal in Java ([\d-x] holds '-').
                    operands[-1].append(self.set_item(body))
                    continue
                code = self.char_escape()
            else:
                self.pos += 1
                code = ord(char)
            high = code
            if (
                src.startswith("-", self.pos)
                and self.pos + 1 < len(src)
                and src[self.pos + 1] != "]"
                and not src.startswith("-[", self.pos)
                and not src.startswith("-&&", self.pos)
            ):
                self.pos += 1
                if src[self.pos] == "\\":
                    if self.class_escape_ahead():
                        raise self.fail("illegal character range", self.pos)
                    high = self.char_escape()
                else:
                    high = ord(src[self.pos])
                    self.pos += 1
                if high < code:
                    raise self.fail("illegal character range", self.pos - 1)
            operands[-1].append(self.class_range(code, high, flags))
        parts = ["".join(items) for items in operands if items]
        if not parts:
            raise self.fail("empty character class", open_at)
        if len(parts) > 1:
            self.v1 = True
        body = parts[0] if len(parts) == 1 else "&&".join(f"[{p}]" for p in parts)
        return f"^{body}" if negated else body

    def set_item(self, body: str) -> str:
        """A class inside a class: its body inline where that means the same (version 0 syntax, which the
        regex module matches faster), else a nested set."""
        if _is_flat(body):
            return body
        self.v1 = True
        return nested_set(body)

    def class_escape_ahead(self) -> bool:
        return self.pos + 1 < len(self.src) and self.src[self.pos + 1] in "dDsSwWhHvVpP"

    @staticmethod
    def class_range(low: int, high: int, flags: _Flags) -> str:
        def item(a: int, b: int) -> str:
            return _class_char(a) if a == b else f"{_class_char(a)}-{_class_char(b)}"

        text = item(low, high)
        if flags.i:
            if flags.unicode_case:
                extra = {v for x in range(low, min(high, low + 4096) + 1) for v in _case_variants(x)}
                text += "".join(_class_char(c) for c in sorted(extra) if not low <= c <= high)
            else:
                text += "".join(item(a, b) for a, b in _swap_ascii_case(low, high))
        return text


# Characters with a meaning inside a regex-module V1 set.
_SET_SYNTAX = frozenset("\\]-[^&~|")


def nested_set(body: str) -> str:
    """`[body]` inside a version 1 set; a leading `.`, `:` or `=` is escaped, or `[.`, `[:` and `[=` would
    open a POSIX element."""
    return f"[\\{body}]" if body[:1] in ".:=" else f"[{body}]"


def set_union(items: list[str] | tuple[str, ...]) -> tuple[str, bool]:
    """One set matching any of `items` (set items as Translation.first/last hold them), and whether it needs
    version 1 syntax."""
    parts, v1 = [], False
    for item in items:
        inner = item[1:-1] if item.startswith("[") and item.endswith("]") and len(item) > 2 else None
        if inner is None:
            parts.append(item)
        elif _is_flat(inner):
            parts.append(inner)
        else:
            parts.append(nested_set(inner))
            v1 = True
    return "[" + "".join(parts) + "]", v1


def _is_flat(body: str) -> bool:
    """Whether a set body is a plain union (no negation, nesting or set operation)."""
    return not body.startswith("^") and "[" not in body.replace("\\[", "") and "--" not in body and "&&" not in body


def _class_char(code: int) -> str:
    char = chr(code)
    if char in _SET_SYNTAX:
        return "\\" + char
    return char if char.isprintable() and char != " " else _code(code)


def _single(mapped: str, char: str) -> str:
    return mapped if len(mapped) == 1 else char  # Java's Character case mappings are one character to one


# Characters whose case mappings lead into another letter's class (Java compares toLowerCase(toUpperCase(c))).
_FOLD_EXTRAS = "\u0131\u0130\u017f\u212a\u212b\u1e9e\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u0345"


@functools.cache
def _case_variants(code: int) -> frozenset[int]:
    """Code points Java's UNICODE_CASE matching treats as equal to `code`."""

    def low(char: str) -> str:
        return "i" if char == "\u0130" else _single(char.lower(), char)  # Java: İ lower-cases to a plain i

    def key(char: str) -> str:
        return low(_single(char.upper(), char))

    char = chr(code)
    upper, lower = _single(char.upper(), char), low(char)
    candidates = {char, upper, lower, key(char), _single(lower.upper(), lower), *_FOLD_EXTRAS}
    target = key(char)
    return frozenset(ord(c) for c in candidates if key(c) == target)


def _lit(code: int) -> str:
    char = chr(code)
    if char.isalnum() or char == "_":
        return char
    if not char.isprintable() or char.isspace():
        return _code(code)
    return "\\" + char if char.isascii() else char


def _word_boundary(unicode_classes: bool) -> str:
    """Java 17's \\b: letters and digits of any script and `_` are word characters (a non-spacing mark counts
    when it follows one); under (?U) the Unicode word class."""
    if unicode_classes:
        word = f"[{_UNICODE_WORD}]"
        return f"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))"
    base = "[\\p{L}\\p{Nd}]"
    left = f"(?<=[\\p{{L}}\\p{{Nd}}_]|{base}\\p{{Mn}}+)"
    right = f"(?:(?=[\\p{{L}}\\p{{Nd}}_])|(?=\\p{{Mn}})(?<={base}\\p{{Mn}}*))"
    return f"(?:{left}(?!{right})|(?!{left}){right})"


# \b between a character known to be a letter or digit and the other side: only that side needs testing.
_NOT_AFTER_WORD = "(?<![\\p{L}\\p{Nd}_])(?<![\\p{L}\\p{Nd}]\\p{Mn}+)"
_NOT_BEFORE_WORD = "(?![\\p{L}\\p{Nd}_\\p{Mn}])"
_WORD_ITEMS = frozenset(f"[\\p{{{name}}}]" for name in ("L", "Lu", "Ll", "Lt", "Lm", "Lo", "Nd"))
_WORD_CLASS = re.compile(r"\[(?:[A-Za-z0-9](?:-[A-Za-z0-9])?)+\]")


def _surely_word(item: str) -> bool:
    """Whether every character a set item matches is a letter or digit (a word character that is no mark)."""
    if len(item) == 1:
        category = unicodedata.category(item)
        return category[0] == "L" or category == "Nd"
    return item in _WORD_ITEMS or _WORD_CLASS.fullmatch(item) is not None


def _known_side_boundary(pieces: list[_Edges], index: int) -> str | None:
    """A shorter \\b for position `index` of a sequence when a neighbour surely is a letter or digit: then
    \\b holds exactly when the other side is not a word character (a mark after a letter is one, in Java)."""
    if index + 1 < len(pieces):
        first, _, nullable = pieces[index + 1]
        if not nullable and first and all(_surely_word(item) for item in first):
            return _NOT_AFTER_WORD
    if index > 0:
        _, last, nullable = pieces[index - 1]
        if not nullable and last and all(_surely_word(item) for item in last):
            return _NOT_BEFORE_WORD
    return None


def _trie(words: set[str], *, suffix: bool) -> str:
    """An alternation of plain words as a trie on their last (suffix) or first characters."""
    groups: dict[str, set[str]] = {}
    empty = False
    for word in words:
        if not word:
            empty = True
            continue
        key, rest = (word[-1], word[:-1]) if suffix else (word[0], word[1:])
        groups.setdefault(key, set()).add(rest)
    branches = []
    for key, rests in sorted(groups.items()):
        inner = _trie(rests, suffix=suffix)
        branches.append(f"{inner}{_lit(ord(key))}" if suffix else f"{_lit(ord(key))}{inner}")
    if not branches:
        return ""
    body = "|".join(branches)
    if empty:
        return f"(?:{body})?"
    return body if len(branches) == 1 else f"(?:{body})"


def _sequence_edges(pieces: list[_Edges]) -> _Edges:
    first: list[str] | None = []
    for piece in pieces:
        first = _union(first, piece[0])
        if not piece[2]:
            break
    last: list[str] | None = []
    for piece in reversed(pieces):
        last = _union(last, piece[1])
        if not piece[2]:
            break
    return first, last, all(piece[2] for piece in pieces)


class Translation(Record):
    """A pattern for the regex module (compile with regex.V1), whether it refers back to its own groups, the
    Java constructs it needed, and the characters a match can start and end with (set items; None when any
    character can, or the pattern can match the empty string)."""

    _fields = ("pattern", "has_backrefs", "v1", "constructs", "first", "last", "required", "anchors")
    __slots__ = _fields
    pattern: str
    has_backrefs: bool
    v1: bool
    constructs: frozenset[str]
    first: tuple[str, ...] | None
    last: tuple[str, ...] | None
    required: frozenset[str]  # characters a paragraph must hold for the pattern to match in it
    anchors: frozenset[str]  # "start", "end": refers to the edges of the paragraph

    def __init__(
        self,
        pattern: str,
        has_backrefs: bool,
        v1: bool,
        constructs: frozenset[str],
        first: tuple[str, ...] | None,
        last: tuple[str, ...] | None,
        required: frozenset[str] = frozenset(),
        anchors: frozenset[str] = frozenset(),
    ) -> None:
        init(self, "pattern", pattern)
        init(self, "has_backrefs", has_backrefs)
        init(self, "v1", v1)
        init(self, "constructs", constructs)
        init(self, "first", first)
        init(self, "last", last)
        init(self, "required", required)
        init(self, "anchors", anchors)


# Translations made by an earlier run, read back from a cache (see formats.rulecache): (pattern, factor) -> result.
_remembered: dict[tuple[str, str], Translation] = {}

# Where large compiled patterns are kept between runs (formats.rulecache.PatternStore), when someone set one.
pattern_store: Any = None


def remember_translations(known: dict[tuple[str, str], Translation]) -> None:
    """Make translations made earlier known, so that translate_java returns them without parsing again."""
    _remembered.update(known)


def translate_java(pattern: str, factor: str = "") -> Translation:
    """The regex-module equivalent of a Java pattern; RegexSyntaxError when there is none or it is invalid.
    `factor` ("suffix" or "prefix") lets alternations of plain words become tries: only for a pattern used as a
    yes/no test, matched backwards (suffix) or forwards (prefix)."""
    known = _remembered.get((pattern, factor))
    return known if known is not None else _translate(pattern, factor)


@functools.lru_cache(maxsize=8192)
def _translate(pattern: str, factor: str) -> Translation:
    parser = _Parser(pattern, factor)
    try:
        out = parser.parse()
    except RecursionError:
        raise RegexSyntaxError(f"regular expression nested too deeply: \"{pattern}\"") from None
    first, last, nullable = parser.edges
    return Translation(
        out,
        parser.backrefs,
        parser.v1,
        frozenset(parser.constructs),
        None if nullable or first is None else tuple(first),
        None if nullable or last is None else tuple(last),
        parser.required,
        frozenset(parser.anchors),
    )


def translate(pattern: str) -> str:
    """The regex-module pattern for a Java pattern, checked to compile; version 1 syntax is marked inline."""
    translation = translate_java(pattern)
    compile_pattern(translation.pattern, pattern, translation.v1)
    return ("(?V1)" if translation.v1 else "") + translation.pattern


@functools.lru_cache(maxsize=8192)
def compile_pattern(translated: str, original: str = "", v1: bool = False) -> Any:
    """Compile a translated pattern (with `v1`, the regex module's version 1 syntax: nested sets and set
    operations); a failure names the pattern as written, never the translation."""
    import regex

    try:
        if pattern_store is not None:
            return pattern_store.compile(translated, regex.V1 if v1 else 0)
        return regex.compile(translated, regex.V1 if v1 else 0)
    except (regex.error, OverflowError, RecursionError) as exc:
        reason = str(exc).split(" at position")[0]
        raise RegexSyntaxError(f"invalid regular expression \"{original or translated}\": {reason}") from None


def escape(text: str) -> str:
    """A Java pattern matching `text` literally (ASCII punctuation backslash-escaped)."""
    return "".join("\\" + c if c.isascii() and not c.isalnum() and c != " " and c.isprintable() else c for c in text)
