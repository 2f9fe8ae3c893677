"""The checks `msgfmt -c` makes on a catalog before compiling it, as (line, severity, message) findings.

Fatal, as in msgfmt: a missing header entry; msgid and msgstr that do not both begin or end with a newline (msgfmt
refuses these even without -c); plural translations without a `plural=` expression in the header, or with another
number of forms than `nplurals`; format strings (c-format, python-format, python-brace-format) whose directives in
the translation do not agree with the original. Warnings, as in msgfmt: header fields missing or still holding the
template's placeholder. Entries msgfmt does not compile (obsolete, untranslated, fuzzy unless `use_fuzzy`) are not
checked, as msgfmt does not check them. Messages follow msgfmt's wording so the two can be compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from ..record import Record, init

if TYPE_CHECKING:
    import polib

_HEADER_FIELDS = (
    "Project-Id-Version",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Language",
)
_PLACEHOLDERS = {
    "Project-Id-Version": "PACKAGE VERSION",
    "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
    "Language-Team": "LANGUAGE <LL@li.org>",
    "Content-Type": "text/plain; charset=CHARSET",
    "Content-Transfer-Encoding": "ENCODING",
}

# printf: %[argnum$][flags][width][.precision][size]conversion
_C_RE = re.compile(
    r"%(?:(?P<arg>[1-9]\d*)\$)?[-+ #0']*(?P<width>\*(?:[1-9]\d*\$)?|\d+)?"
    r"(?:\.(?P<prec>\*(?:[1-9]\d*\$)?|\d*))?(?P<size>hh|h|ll|l|L|q|j|z|Z|t)?(?P<conv>[diouxXeEfFgGaAcspnCSm%])"
)
_C_CLASS = {**dict.fromkeys("di", "int"), **dict.fromkeys("ouxX", "unsigned"), **dict.fromkeys("eEfFgGaA", "float")}
_PY_RE = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-+ #0]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])")
_PY_CLASS = {**dict.fromkeys("diouxX", "int"), **dict.fromkeys("eEfFgG", "float"), **dict.fromkeys("rsa", "str")}
_BRACE_RE = re.compile(r"\{\{|\}\}|\{(?P<field>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}")


class Problem(Record):
    """One thing `msgfmt -c` would report: the catalog line it is reported on, its severity, msgfmt's message."""

    _fields = ("line", "severity", "message")
    __slots__ = _fields
    line: int
    severity: str  # "error" (msgfmt: fatal) or "warning"
    message: str

    def __init__(self, line: int, severity: str, message: str) -> None:
        init(self, "line", line)
        init(self, "severity", severity)
        init(self, "message", message)


def check_catalog(po: polib.POFile, *, use_fuzzy: bool = False) -> list[Problem]:
    """Everything `msgfmt -c` would report on `po`, errors and warnings, in file order."""
    problems = list(_header(po))
    nplurals = _nplurals(po.metadata.get("Plural-Forms", ""))
    plural_reported = False
    header_line = _header_line(po)
    for entry in po:
        if not entry.msgid or entry.obsolete:
            continue
        # msgfmt compiles (and checks) an entry when its first translation is not empty.
        first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if not first or (entry.fuzzy and not use_fuzzy):
            continue
        line = entry.linenum or 0
        problems.extend(_newlines(entry, line))
        if entry.msgid_plural:
            if nplurals is None:
                if not plural_reported:
                    problems.append(Problem(line, "error", "message catalog has plural form translations..."))
                    problems.append(
                        Problem(header_line, "error", '...but header entry lacks a "plural=EXPRESSION" attribute')
                    )
                    plural_reported = True
            elif len(entry.msgstr_plural) != nplurals:
                few = len(entry.msgstr_plural) < nplurals
                problems.append(
                    Problem(
                        line,
                        "error",
                        f"nplurals = {nplurals}, but this message has {len(entry.msgstr_plural)} plural forms"
                        + (" (too few)" if few else " (too many)"),
                    )
                )
        problems.extend(_formats(entry, line))
    return sorted(problems, key=lambda p: p.line)


def _header_line(po: polib.POFile) -> int:
    for entry in po:
        if entry.msgid == "" and not entry.msgctxt:
            return entry.linenum or 1
    return 1


def _header(po: polib.POFile) -> Iterator[Problem]:
    has_header = any(e.msgid == "" and not e.msgctxt and not e.obsolete for e in po) or bool(po.metadata)
    if not has_header:
        yield Problem(1, "error", "PO file header missing or invalid")
        return
    line = _header_line(po)
    for name in _HEADER_FIELDS:
        value = po.metadata.get(name)
        if value is None:
            yield Problem(line, "warning", f"header field '{name}' missing in header")
        elif name in _PLACEHOLDERS and value.strip() == _PLACEHOLDERS[name]:
            yield Problem(line, "warning", f"header field '{name}' still has the initial default value")


def _nplurals(value: str) -> int | None:
    if "plural=" not in value.replace(" ", ""):
        return None
    found = re.search(r"nplurals\s*=\s*(\d+)", value)
    return int(found.group(1)) if found else None


def _targets(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(name as msgfmt names it, text) of every translation of the entry."""
    if entry.msgid_plural:
        return [(f"msgstr[{i}]", entry.msgstr_plural[i]) for i in sorted(entry.msgstr_plural)]
    return [("msgstr", entry.msgstr)]


def newline_problems(message: Any) -> list[Problem]:
    """`_newlines` for a message as the PO reader streams it (formats.po_reader.Message): what plain msgfmt
    refuses. Most messages neither begin nor end with a newline, and are passed at once."""
    plurals = message.plurals
    texts = [message.msgid, message.msgid_plural or "", *(plurals if plurals is not None else [message.msgstr])]
    if not any(text.startswith("\n") or text.endswith("\n") for text in texts if text):
        return []
    entry = SimpleNamespace(
        msgid=message.msgid,
        msgid_plural=message.msgid_plural or "",
        msgstr=message.msgstr or "",
        msgstr_plural=dict(enumerate(plurals)) if plurals is not None else {},
    )
    return list(_newlines(entry, message.line))  # type: ignore[arg-type]


def _newlines(entry: polib.POEntry, line: int) -> Iterator[Problem]:
    sources = [("msgid", entry.msgid)] + ([("msgid_plural", entry.msgid_plural)] if entry.msgid_plural else [])
    begins = entry.msgid.startswith("\n")
    ends = entry.msgid.endswith("\n")
    for name, text in sources[1:] + _targets(entry):
        if name != "msgid_plural" and text == "":
            continue
        if text.startswith("\n") != begins:
            yield Problem(line, "error", f"'msgid' and '{name}' entries do not both begin with '\\n'")
        if text.endswith("\n") != ends:
            yield Problem(line, "error", f"'msgid' and '{name}' entries do not both end with '\\n'")


def _formats(entry: polib.POEntry, line: int) -> Iterator[Problem]:
    flags = set(entry.flags)
    for kind, parse in (("c-format", _c_spec), ("python-format", _py_spec), ("python-brace-format", _brace_spec)):
        if kind not in flags:
            continue
        original = parse(entry.msgid_plural or entry.msgid)
        if original is None:
            yield Problem(line, "error", f"'msgid' is not a valid {kind.replace('-format', '').title()} format string")
            continue
        plural = bool(entry.msgid_plural)
        for name, text in _targets(entry):
            if not text:
                continue
            spec = parse(text)
            if spec is None:
                yield Problem(line, "error", f"'{name}' is not a valid {kind} string")
                continue
            problem = _compare(original, spec, name, strict=not plural)
            if problem:
                yield Problem(line, "error", problem)


Spec = dict[object, str]  # argument (position or name) -> type class


def _c_spec(text: str) -> Spec | None:
    spec: Spec = {}
    unnumbered = 0
    numbered = False
    for m in _C_RE.finditer(text):
        if m.group("conv") == "%" or m.group("conv") == "m":
            continue
        for star in (m.group("width"), m.group("prec")):
            if star and star.startswith("*"):
                unnumbered += 1
                spec[int(star[1:-1]) if len(star) > 1 else unnumbered] = "int"
        if m.group("arg"):
            numbered = True
            position = int(m.group("arg"))
        else:
            unnumbered += 1
            position = unnumbered
        if numbered and unnumbered:
            return None
        conv = m.group("conv")
        kind = _C_CLASS.get(conv, conv) + (m.group("size") or "")
        if spec.get(position, kind) != kind:
            return None
        spec[position] = kind
    return spec


def _py_spec(text: str) -> Spec | None:
    spec: Spec = {}
    position = 0
    named = unnamed = False
    for m in _PY_RE.finditer(text):
        conv = m.group("conv")
        if conv == "%":
            continue
        kind = _PY_CLASS.get(conv, conv)
        key: object
        if m.group("name") is not None:
            named, key = True, m.group("name")
        else:
            position += 1
            unnamed, key = True, position
        if named and unnamed:
            return None
        if spec.get(key, kind) != kind:
            return None
        spec[key] = kind
    return spec


def _brace_spec(text: str) -> Spec | None:
    spec: Spec = {}
    auto = 0
    for m in _BRACE_RE.finditer(text):
        field = m.group("field")
        if field is None:
            continue
        head = re.split(r"[.\[]", field, maxsplit=1)[0]
        if head == "":
            head = str(auto)
            auto += 1
        spec[head] = "any"
    return spec


def _compare(original: Spec, translated: Spec, name: str, *, strict: bool) -> str | None:
    """msgfmt's verdict on a translation's directives against the original's, or None when they agree."""
    positional = all(isinstance(k, int) for k in original) and all(isinstance(k, int) for k in translated)
    if positional and strict and len(original) != len(translated):
        return f"number of format specifications in 'msgid' and '{name}' does not match"
    for key, kind in translated.items():
        if key not in original:
            if positional:
                return f"number of format specifications in 'msgid' and '{name}' does not match"
            return f"a format specification for argument '{key}', as in '{name}', doesn't exist in 'msgid'"
        if original[key] != kind:
            return f"format specifications in 'msgid' and '{name}' for argument {key} are not the same"
    if strict:
        for key in original:
            if key not in translated:
                if positional:
                    return f"number of format specifications in 'msgid' and '{name}' does not match"
                return f"a format specification for argument '{key}' doesn't exist in '{name}'"
    return None
