"""SRX 2.0 rule sets as frozen data: break/no-break rules, language rules and the language map."""

from __future__ import annotations

from ..errors import KervanError
from ..record import Record, init
from .javaregex import RegexSyntaxError, compile_pattern, translate_java


class Rule(Record):
    """One SRX rule. `before` and `after` hold the regex text as written, so files round-trip exactly.

    `problem` says why the rule is disabled (a construct that cannot be translated); such a rule is kept, so
    the file is written back whole, but never applied."""

    _fields = ("is_break", "before", "after", "line", "problem")
    __slots__ = _fields
    is_break: bool
    before: str
    after: str
    line: int
    problem: str

    def __init__(self, is_break: bool, before: str = "", after: str = "", line: int = 0, problem: str = "") -> None:
        init(self, "is_break", is_break)
        init(self, "before", before)
        init(self, "after", after)
        init(self, "line", line)
        init(self, "problem", problem)

    # Where the rule was written and why it is disabled say nothing of what it does: two rules that differ
    # only there are equal, and hash alike.
    def _key(self) -> tuple[bool, str, str]:
        return self.is_break, self.before, self.after

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())


class SrxRules(Record):
    """A whole SRX document: cascade flag, named language rules, and the ordered language map."""

    _fields = ("cascade", "languagerules", "maprules", "path")
    __slots__ = _fields
    cascade: bool
    languagerules: dict[str, tuple[Rule, ...]]
    maprules: tuple[tuple[str, str], ...]
    path: str

    def __init__(
        self,
        cascade: bool,
        languagerules: dict[str, tuple[Rule, ...]],
        maprules: tuple[tuple[str, str], ...],
        path: str = "",
    ) -> None:
        init(self, "cascade", cascade)
        init(self, "languagerules", languagerules)
        init(self, "maprules", maprules)
        init(self, "path", path)

    # The file the rules were read from is not part of their value: the same rules read from two places are
    # equal, and hash alike.
    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.cascade, self.languagerules, self.maprules) == (
            other.cascade,  # type: ignore[attr-defined]
            other.languagerules,  # type: ignore[attr-defined]
            other.maprules,  # type: ignore[attr-defined]
        )

    def __hash__(self) -> int:
        # By value (languages in any order, as equality has them), so compiled segmenters can be cached per
        # rule set and language.
        return hash((self.cascade, self.maprules, frozenset(self.languagerules.items())))

    def problems(self) -> list[str]:
        """One line per disabled rule: `FILE:LINE: rule disabled: why`."""
        where = self.path or "<srx>"
        return [
            f"{where}:{rule.line}: rule disabled: {rule.problem}"
            for rules in self.languagerules.values()
            for rule in rules
            if rule.problem
        ]

    def rule_names_for(self, lang: str) -> tuple[str, ...]:
        """Names of the language rules the map selects for `lang`, in order (all with cascade, else the first)."""
        names: list[str] = []
        for pattern, name in self.maprules:
            try:
                matched = compile_pattern(translate_java("(?i)" + pattern).pattern, pattern).fullmatch(lang)
            except RegexSyntaxError as exc:
                raise KervanError(f"languagemap pattern: {exc}", self.path or None) from None
            if matched:
                names.append(name)
                if not self.cascade:
                    break
        return tuple(names)

    def knows(self, lang: str) -> bool:
        """Whether some language rule is selected for `lang` that is not selected for every language.

        A map entry such as `.*` -> Default serves every code; a language that only such entries select has no
        rules of its own. "Every language" is tested with `qaa`, the ISO 639 code reserved for local use.
        """
        generic = set(self.rule_names_for("qaa"))
        return any(name not in generic for name in self.rule_names_for(lang))

    def rules_for(self, lang: str) -> tuple[Rule, ...]:
        """The rules that apply to `lang`, in order: with cascade every matching language rule, else the first.

        Language patterns match the whole code, case-insensitively (files in the wild write "EN.*" and "en.*").
        """
        chosen: list[Rule] = []
        for pattern, name in self.maprules:
            try:
                matched = compile_pattern(translate_java("(?i)" + pattern).pattern, pattern).fullmatch(lang)  # type: ignore[attr-defined]
            except RegexSyntaxError as exc:
                raise KervanError(f"languagemap pattern: {exc}", self.path or None) from None
            if not matched:
                continue
            if name not in self.languagerules:
                raise KervanError(f"languagemap refers to unknown languagerule {name!r}", self.path or None)
            chosen.extend(self.languagerules[name])
            if not self.cascade:
                break
        return tuple(chosen)
