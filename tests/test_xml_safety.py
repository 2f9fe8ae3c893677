"""The hardened XML parser: external entities, entity bombs, network and malformed input."""

from __future__ import annotations

import io

import pytest

from kervan.errors import KervanError
from kervan.formats import xml

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<foo>&xxe;</foo>"""

PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
<foo/>"""


@pytest.mark.parametrize("payload", [BOMB, XXE, PARAMETER])
def test_entity_declarations_refused(payload: bytes) -> None:
    with pytest.raises(KervanError, match="entity declarations") as info:
        xml.parse_bytes(payload, "evil.xml")
    assert info.value.path == "evil.xml" and info.value.line is not None
    with pytest.raises(KervanError, match="entity declarations"):
        list(xml.iterparse(io.BytesIO(payload), "evil.xml"))


def test_external_dtd_is_not_loaded(tmp_path) -> None:
    secret = tmp_path / "secret.dtd"
    secret.write_text('<!ENTITY s "SECRET">')
    doc = xml.parse_bytes(f'<!DOCTYPE a SYSTEM "{secret.as_uri()}"><a>x</a>'.encode())
    assert doc.getroot().text == "x"


def test_malformed_reports_line() -> None:
    with pytest.raises(KervanError) as info:
        xml.parse_bytes(b"<a>\n<b>\n</a>", "bad.xml")
    assert info.value.line == 3 and str(info.value).startswith("bad.xml:3: malformed XML")


def test_iterparse_streams_and_reports_line() -> None:
    data = b"<r>" + b"".join(b"<i>%d</i>\n" % n for n in range(5000)) + b"<i></r>"
    seen = 0
    with pytest.raises(KervanError) as info:
        for _event, element in xml.iterparse(io.BytesIO(data), "big.xml", tag="i"):
            seen += 1
            element.clear()
    assert seen == 5000 and info.value.line == 5001


def test_empty_document() -> None:
    with pytest.raises(KervanError):
        xml.parse_bytes(b"", "empty.xml")


def test_entity_declaration_after_a_long_prolog() -> None:
    padding = b"<!--" + b"x" * 100_000 + b"-->\n"
    payload = b'<?xml version="1.0"?>\n' + padding + b'<!DOCTYPE a [<!ENTITY e "boom">]>\n<a>&e;</a>'
    with pytest.raises(KervanError, match="entity declarations") as info:
        xml.parse_bytes(payload, "late.xml")
    assert info.value.line == 3
    with pytest.raises(KervanError, match="entity declarations"):
        list(xml.iterparse(io.BytesIO(payload), "late.xml"))


def test_entity_hidden_behind_a_fake_subset_end_is_still_refused() -> None:
    payload = b'<?xml version="1.0"?>\n<!DOCTYPE a [<!-- ]> <b> --> <!ENTITY e "boom">]>\n<a>&e;</a>'
    with pytest.raises(KervanError, match="entity declarations"):
        xml.parse_bytes(payload, "sly.xml")
    with pytest.raises(KervanError, match="entity declarations"):
        list(xml.iterparse(io.BytesIO(payload), "sly.xml"))


def test_entity_text_in_content_is_not_a_declaration() -> None:
    doc = xml.parse_bytes(b"<a><![CDATA[<!ENTITY x 'y'>]]><!-- <!ENTITY z 'w'> --></a>", "ok.xml")
    assert doc.getroot().text == "<!ENTITY x 'y'>"


def test_endless_prolog_is_refused() -> None:
    endless = b"<?xml version='1.0'?>" + b"<!-- long comment " + b"x" * (5 * 1024 * 1024)
    with pytest.raises(KervanError, match="prolog longer"):
        list(xml.iterparse(io.BytesIO(endless), "endless.xml"))
