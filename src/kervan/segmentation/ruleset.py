"""SRX 2.0 rule sets as frozen data: break/no-break rules, language rules and the language map."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import KervanError
from .javaregex import RegexSyntaxError, compile_pattern, translate_java


@dataclass(frozen=True, slots=True)
class Rule:
    """One SRX rule. `before` and `after` hold the regex text as written, so files round-trip exactly.

    `problem` says why the rule is disabled (a construct that cannot be translated); such a rule is kept, so
    the file is written back whole, but never applied."""

    is_break: bool
    before: str = ""
    after: str = ""
    line: int = field(default=0, compare=False)
    problem: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class SrxRules:
    """A whole SRX document: cascade flag, named language rules, and the ordered language map."""

    cascade: bool
    languagerules: dict[str, tuple[Rule, ...]]
    maprules: tuple[tuple[str, str], ...]
    path: str = field(default="", compare=False)

    def __hash__(self) -> int:
        # By value, so compiled segmenters can be cached per rule set and language.
        return hash((self.cascade, self.maprules, tuple(self.languagerules.items())))

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
