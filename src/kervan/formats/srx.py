"""SRX 2.0 segmentation rules: read_srx / write_srx.

Rules keep their regex text exactly as written. Patterns have Java's meaning (every SRX file in the wild was
written for a Java engine; see segmentation.javaregex). Reading translates every rule: one that cannot be
translated is disabled, with the reason kept on the rule (SrxRules.problems names file and line), and the rest
of the file is used; a language pattern that cannot be translated is an error naming its line.
`segmentsubflows` and `formathandle` concern inline markup, which Kervan's plain-text segments do not have;
they are read past and written with their defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import KervanError
from ..segmentation.ruleset import Rule, SrxRules
from . import rulecache

if TYPE_CHECKING:
    from lxml import etree

SRX_NS = "http://www.lisa.org/srx20"


def _local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return local if namespace in (SRX_NS, "") else f"{{{namespace}}}{local}"


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: etree._Element | None, path: str) -> str:
    """Text content of a regex element; comments inside it are skipped, child elements refused."""
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            raise KervanError(
                f"unexpected element <{_local(child)}> inside <{_local(element)}>", path, child.sourceline
            )
        parts.append(child.tail or "")
    return "".join(parts)


def _yes_no(element: etree._Element, attribute: str, default: bool, path: str) -> bool:
    value = element.get(attribute)
    if value is None:
        return default
    if value not in ("yes", "no"):
        raise KervanError(f'{attribute}="{value}" must be "yes" or "no"', path, element.sourceline)
    return value == "yes"


def read_srx(path: str | os.PathLike[str]) -> SrxRules:
    """Read an SRX 2.0 file; any malformed part is a KervanError naming the file and line.

    A file read before, byte for byte, comes from the rule cache (formats.rulecache) without being parsed."""
    shown = str(path)
    rulecache.install()
    try:
        with open(shown, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), shown) from None
    rules = rulecache.load_rules(data, shown)
    if rules is None:
        rules = _parse_srx(data, shown)
        rulecache.store_rules(data, rules)
    return rules


def _parse_srx(data: bytes, shown: str) -> SrxRules:
    # The engine and the regex translator are needed to check rules only: a file read before comes from the
    # rule cache without them.
    from ..segmentation.javaregex import RegexSyntaxError, translate
    from .xml import parse_bytes

    root = parse_bytes(data, shown).getroot()
    if _local(root) != "srx":
        raise KervanError(f"not an SRX 2.0 document (root element {root.tag!r})", shown, root.sourceline)
    version = root.get("version", "2.0")
    if version != "2.0":
        raise KervanError(f"unsupported SRX version {version!r} (2.0 expected)", shown, root.sourceline)
    header = _child(root, "header")
    # OmegaT writes a bare <header/>; its engine then cascades, so that is the default here too.
    cascade = True if header is None else _yes_no(header, "cascade", True, shown)
    body = _child(root, "body")
    if body is None:
        raise KervanError("SRX document has no <body>", shown, root.sourceline)
    languagerules: dict[str, tuple[Rule, ...]] = {}
    container = _child(body, "languagerules")
    for element in [] if container is None else _children(container, "languagerule"):
        name = element.get("languagerulename")
        if not name:
            raise KervanError("languagerule without languagerulename", shown, element.sourceline)
        if name in languagerules:
            raise KervanError(f"duplicate languagerule {name!r}", shown, element.sourceline)
        languagerules[name] = tuple(_read_rule(rule, shown) for rule in _children(element, "rule"))
    maprules: list[tuple[str, str]] = []
    container = _child(body, "maprules")
    for element in [] if container is None else _children(container, "languagemap"):
        pattern = element.get("languagepattern")
        name = element.get("languagerulename")
        if pattern is None or name is None:
            raise KervanError("languagemap needs languagepattern and languagerulename", shown, element.sourceline)
        if name not in languagerules:
            raise KervanError(f"languagemap refers to unknown languagerule {name!r}", shown, element.sourceline)
        try:
            translate("(?i)" + pattern)
        except RegexSyntaxError as exc:
            raise KervanError(f"languagepattern: {exc}", shown, element.sourceline) from None
        maprules.append((pattern, name))
    return SrxRules(cascade=cascade, languagerules=languagerules, maprules=tuple(maprules), path=shown)


def _read_rule(element: etree._Element, path: str) -> Rule:
    rule = Rule(
        is_break=_yes_no(element, "break", True, path),
        before=_text(_child(element, "beforebreak"), path),
        after=_text(_child(element, "afterbreak"), path),
        line=element.sourceline or 0,
    )
    from ..segmentation.engine import compile_rule
    from ..segmentation.javaregex import RegexSyntaxError

    try:
        compile_rule(rule)
    except RegexSyntaxError as exc:
        return rule.replace(problem=str(exc))
    return rule


def write_srx(rules: SrxRules, path: str | os.PathLike[str]) -> None:
    """Write rules as an SRX 2.0 file (atomically); text XML cannot carry is refused."""
    from .atomic import write_bytes

    write_bytes(Path(path), srx_bytes(rules, str(path)))


def srx_bytes(rules: SrxRules, path: str = "<srx>") -> bytes:
    """The rules as an SRX 2.0 document, laid out as lxml's pretty printer lays it out (written as text: a
    command that only writes rules, such as omegat export, then loads no XML library)."""
    from .xmltext import NOT_XML_CHAR, xml_attribute, xml_text

    def checked(value: str, what: str) -> str:
        bad = NOT_XML_CHAR.search(value)
        if bad:
            raise KervanError(f"{what} contains U+{ord(bad.group(0)):04X}, which XML cannot carry", path)
        return value

    cascade = "yes" if rules.cascade else "no"
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f'<srx xmlns="{SRX_NS}" version="2.0">',
        f'  <header segmentsubflows="yes" cascade="{cascade}"/>',
        "  <body>",
    ]
    out.append("    <languagerules>" if rules.languagerules else "    <languagerules/>")
    for name, rule_list in rules.languagerules.items():
        opening = f'      <languagerule languagerulename="{xml_attribute(checked(name, "languagerulename"))}"'
        out.append(opening + (">" if rule_list else "/>"))
        for rule in rule_list:
            before, after = checked(rule.before, "beforebreak"), checked(rule.after, "afterbreak")
            out.append(f'        <rule break="{"yes" if rule.is_break else "no"}">')
            out.append(f"          <beforebreak>{xml_text(before)}</beforebreak>")
            out.append(f"          <afterbreak>{xml_text(after)}</afterbreak>")
            out.append("        </rule>")
        if rule_list:
            out.append("      </languagerule>")
    if rules.languagerules:
        out.append("    </languagerules>")
    out.append("    <maprules>" if rules.maprules else "    <maprules/>")
    for pattern, name in rules.maprules:
        pattern = xml_attribute(checked(pattern, "languagepattern"))
        out.append(f'      <languagemap languagepattern="{pattern}" languagerulename="{xml_attribute(name)}"/>')
    if rules.maprules:
        out.append("    </maprules>")
    out += ["  </body>", "</srx>", ""]
    return "\n".join(out).encode("utf-8")
