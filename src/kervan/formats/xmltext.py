"""XML character data and attribute values for the writers that serialize by hand (XLIFF, OmegaT projects),
and the characters no XML document can carry.

The same results as ``xml.sax.saxutils.escape`` and ``quoteattr``, which cannot be imported cheaply: saxutils
brings ``urllib.request`` and with it HTTP and e-mail modules, some 30 ms of start-up for every command that
writes or reads these formats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# Characters XML 1.0 cannot carry (C0 controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF), for the writers
# of every XML format to refuse with a clear message instead of producing a file no parser accepts. Listed, not
# the complement of what XML allows: that class spans every astral plane and took 6 ms of start-up to compile.
NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(data: str, entities: Mapping[str, str] | None = None) -> str:
    """``&``, ``<`` and ``>`` as entity references, then each key of `entities` replaced by its value."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    if entities:
        for key, value in entities.items():
            data = data.replace(key, value)
    return data


# A parser turns tab, LF and CR in an attribute into spaces: written as references, they survive.
_ATTRIBUTE_WHITESPACE = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def quoteattr(data: str, entities: Mapping[str, str] | None = None) -> str:
    """An attribute value with its quotes: double quotes unless the value holds ``"`` and no ``'``; with both
    in it, ``"`` is written ``&quot;``. Tab, LF and CR are always written as references."""
    data = escape(data, {**entities, **_ATTRIBUTE_WHITESPACE} if entities else _ATTRIBUTE_WHITESPACE)
    if '"' in data:
        if "'" in data:
            return '"{}"'.format(data.replace('"', "&quot;"))
        return f"'{data}'"
    return f'"{data}"'


def xml_text(text: str) -> str:
    """Character data as libxml2 writes it: ``&``, ``<``, ``>`` (for ``]]>``) and CR, which a parser would
    otherwise read back as LF, become references."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def xml_attribute(value: str) -> str:
    """An attribute value for double quotes, as libxml2 writes it: tab, LF and CR as references too, since a
    parser normalizes them to spaces in attributes."""
    value = xml_text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\t" in value:
        value = value.replace("\t", "&#9;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    return value
