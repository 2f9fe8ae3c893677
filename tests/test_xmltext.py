"""Hand-written XML escaping, checked against the standard library's xml.sax.saxutils and an XML parser."""

from __future__ import annotations

from xml.sax import saxutils

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from kervan.formats.xmltext import escape, quoteattr

_TEXT = st.text(st.sampled_from(list("<>&\"' \t\r\nab]")) | st.characters(codec="utf-8", min_codepoint=0x20))
_ENTITIES = st.sampled_from([None, {}, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}])


@settings(max_examples=300, deadline=None)
@given(data=_TEXT, entities=_ENTITIES)
def test_the_same_as_saxutils(data: str, entities: dict[str, str] | None) -> None:
    assert escape(data, entities) == saxutils.escape(data, entities or {})
    assert quoteattr(data, entities) == saxutils.quoteattr(data, entities or {})


_SPECIALS = st.sampled_from(list("<>&\"' \t\r\nab]"))
_CARRIABLE = st.text(_SPECIALS | st.characters(min_codepoint=0x20, max_codepoint=0xD7FF))


@settings(max_examples=200, deadline=None)
@given(data=_CARRIABLE)
def test_a_parser_reads_back_the_value(data: str) -> None:
    in_attribute = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
    in_text = {"\r": "&#13;"}
    element = etree.fromstring(f"<e a={quoteattr(data, in_attribute)}>{escape(data, in_text)}</e>")
    assert element.get("a") == data
    assert (element.text or "") == data
