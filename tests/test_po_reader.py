"""The PO reader: line ends, headers, plural indexes and legacy charsets as GNU gettext reads them; the MO
compiled straight from a file is byte for byte msgfmt's; polib reads what the reader reads."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_project, run_kervan
from kervan.errors import KervanError
from kervan.formats import mo as kmo
from kervan.formats import po as kpo

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)  # 5 lines
BODY = '# a translator\n#: sources/a.txt:3\nmsgid "Türkiye"\nmsgstr "Турция"\n\nmsgid "b"\nmsgstr "c"\n'


def c_env() -> dict[str, str]:
    return {**os.environ, "LC_ALL": "C"}


def msgfmt_bytes(msgfmt: str, path: Path, folder: Path) -> bytes:
    out = folder / (path.stem + ".ref.mo")
    subprocess.run([msgfmt, "-o", str(out), str(path)], check=True, env=c_env(), capture_output=True)
    return out.read_bytes()


def msgfmt_refuses(msgfmt: str, path: Path) -> str:
    run = subprocess.run([msgfmt, "-o", os.devnull, str(path)], capture_output=True, text=True, env=c_env())
    assert run.returncode != 0
    return run.stderr


# --- line ends ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_every_line_end_reads_the_same(tmp_path: Path, msgfmt: str, newline: str) -> None:
    unix = tmp_path / "unix.po"
    unix.write_text(HEADER + BODY, "utf-8")
    path = tmp_path / "other.po"
    path.write_bytes((HEADER + BODY).replace("\n", newline).encode())
    catalog = kpo.read_po(path)
    assert [(e.msgid, e.msgstr, e.tcomment, e.occurrences) for e in catalog] == [
        ("Türkiye", "Турция", "a translator", [("sources/a.txt", "3")]),
        ("b", "c", "", []),
    ]
    assert catalog.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    # Compiled, a CR-only file gives what msgfmt gives for the same catalog with LF line ends.
    data, stats = kmo.compile_po(path)
    assert stats.translated == 2
    assert bytes(data) == msgfmt_bytes(msgfmt, unix, tmp_path)


def test_unicode_line_separators_are_text_not_line_ends() -> None:
    (entry,) = kpo.loads_po(HEADER + 'msgid "a\u2028b\u0085c"\nmsgstr "x"\n')
    assert entry.msgid == "a\u2028b\u0085c"


def test_cr_only_project_catalog_compiles_through_the_cli(tmp_path: Path, msgfmt: str) -> None:
    project = copy_project(tmp_path / "p")
    po = next((project / "locales" / "ru" / "LC_MESSAGES").glob("*.po"))
    reference = msgfmt_bytes(msgfmt, po, tmp_path)
    po.write_bytes(po.read_bytes().replace(b"\n", b"\r"))
    run = run_kervan("compile", "--lang", "ru", cwd=project)
    assert run.returncode == 0, run.stderr
    assert po.with_suffix(".mo").read_bytes() == reference


# --- structure errors, as msgfmt reports them -----------------------------------------------------------------


def test_a_second_header_is_an_error_with_its_line(tmp_path: Path, msgfmt: str) -> None:
    path = tmp_path / "two.po"
    path.write_text(HEADER + 'msgid ""\nmsgstr "Language: de\\n"\n\nmsgid "a"\nmsgstr "b"\n', "utf-8")
    with pytest.raises(KervanError) as caught:
        kpo.read_po(path)
    assert caught.value.line == 6 and "header" in caught.value.message
    with pytest.raises(KervanError) as caught:
        kmo.compile_po(path)
    assert caught.value.line == 6
    assert "6: duplicate message definition" in msgfmt_refuses(msgfmt, path)


@pytest.mark.parametrize(
    ("forms", "line", "gettext_says"),
    [
        ('msgstr[0] "x"\nmsgstr[7] "y"\n', 9, "plural form has wrong index"),
        ('msgstr[1] "x"\nmsgstr[0] "y"\n', 8, "first plural form has nonzero index"),
        ('msgstr[0] "x"\nmsgstr[1] "y"\nmsgstr[3] "z"\n', 10, "plural form has wrong index"),
    ],
)
def test_plural_indexes_count_from_zero(tmp_path: Path, msgfmt: str, forms: str, line: int, gettext_says: str) -> None:
    path = tmp_path / "plural.po"
    path.write_text(HEADER + 'msgid "a"\nmsgid_plural "as"\n' + forms, "utf-8")
    for read in (kpo.read_po, kmo.compile_po):
        with pytest.raises(KervanError) as caught:
            read(path)
        assert (caught.value.line, caught.value.message) == (line, gettext_says)
    assert f"{line}: {gettext_says}" in msgfmt_refuses(msgfmt, path)


def test_plural_index_of_two_digits_is_read_whole(tmp_path: Path) -> None:
    forms = "".join(f'msgstr[{n}] "f{n}"\n' for n in range(12))
    (entry,) = kpo.loads_po(HEADER + 'msgid "a"\nmsgid_plural "as"\n' + forms)
    assert entry.msgstr_plural == {n: f"f{n}" for n in range(12)}


# --- legacy charsets ------------------------------------------------------------------------------------------

LEGACY = {
    "KOI8-R": ("Россия и Казахстан", "Стратегическое партнёрство"),
    "ISO-8859-9": ("Türkiye’nin ortaklığı".replace("’", "'"), "Şanlıurfa çiğ köfte"),
    "CP1251": ("Токаев", "Декларация"),
}


@pytest.mark.parametrize("charset", sorted(LEGACY))
def test_legacy_charset_catalog_compiles_as_msgfmt_does(tmp_path: Path, msgfmt: str, charset: str) -> None:
    first, second = LEGACY[charset]
    text = (
        f'# {second}\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        f'msgid "{first}"\nmsgstr "{second}"\n\nmsgctxt "{second}"\nmsgid "x"\nmsgid_plural "xs"\n'
        f'msgstr[0] "{first}"\nmsgstr[1] "{second}"\n'
    )
    path = tmp_path / "legacy.po"
    path.write_bytes(text.encode(charset))
    catalog = kpo.read_po(path)
    assert catalog.header == second
    assert (catalog[0].msgid, catalog[0].msgstr) == (first, second)
    data, _ = kmo.compile_po(path)
    assert bytes(data) == msgfmt_bytes(msgfmt, path, tmp_path)
    # Written back, the catalog keeps its charset: the same bytes.
    out = tmp_path / "again.po"
    kpo.write_po(catalog, out)
    assert out.read_bytes() == path.read_bytes()


def test_legacy_charset_in_a_project_compiles_through_the_cli(tmp_path: Path, msgfmt: str) -> None:
    project = copy_project(tmp_path / "p")
    po = next((project / "locales" / "ru" / "LC_MESSAGES").glob("*.po"))
    text = po.read_text("utf-8").replace("charset=UTF-8", "charset=KOI8-R")
    po.write_bytes(text.encode("koi8-r", "replace"))
    run = run_kervan("compile", "--lang", "ru", cwd=project)
    assert run.returncode == 0, run.stderr
    assert po.with_suffix(".mo").read_bytes() == msgfmt_bytes(msgfmt, po, tmp_path)


def test_unknown_charset_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "odd.po"
    path.write_text(HEADER.replace("UTF-8", "X-NO-SUCH") + 'msgid "a"\nmsgstr "b"\n', "utf-8")
    with pytest.raises(KervanError) as caught:
        kpo.read_po(path)
    assert caught.value.line == 3 and "X-NO-SUCH" in caught.value.message


def test_bytes_the_charset_cannot_decode_are_an_error_with_line_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "bad.po"
    path.write_bytes(HEADER.encode() + b'msgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(KervanError) as caught:
        kpo.read_po(path)
    assert caught.value.line == 7 and "offset" in caught.value.message


# --- polib as an independent reader ---------------------------------------------------------------------------

plain = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\x04\r\x07\x08\x0b\x0c"), max_size=20
)


@st.composite
def entries(draw: st.DrawFn) -> list[polib.POEntry]:
    result = []
    for number in range(draw(st.integers(0, 6))):
        entry = polib.POEntry(msgid=f"{number}:" + draw(plain), msgstr=draw(plain))
        if draw(st.booleans()):
            entry.msgctxt = draw(plain)
        if draw(st.booleans()):
            entry.msgid_plural = draw(plain.filter(bool))
            entry.msgstr_plural = {0: draw(plain.filter(bool)), 1: draw(plain)}
            entry.msgstr = ""
        entry.tcomment = draw(plain).strip().replace("\n", " ")
        entry.comment = draw(plain).strip().replace("\n", " ")
        entry.occurrences = [(f"sources/{draw(st.sampled_from('abc'))}.txt", str(draw(st.integers(1, 99))))]
        entry.flags = draw(st.lists(st.sampled_from(["fuzzy", "python-format", "no-c-format"]), unique=True))
        result.append(entry)
    return result


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=entries())
def test_polib_reads_what_the_reader_reads(tmp_path_factory: pytest.TempPathFactory, items: list) -> None:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for entry in items:
        po.append(entry)
    path = tmp_path_factory.mktemp("rt") / "any.po"
    kpo.write_po(po, path)
    ours = kpo.read_po(path)
    theirs = polib.pofile(str(path), wrapwidth=0)
    fields = ("msgctxt", "msgid", "msgstr", "msgid_plural", "msgstr_plural", "tcomment", "comment", "occurrences")
    assert [[getattr(e, f) for f in fields] for e in ours] == [[getattr(e, f) for f in fields] for e in theirs]
    assert [sorted(e.flags) for e in ours] == [sorted(f for f in e.flags if f) for e in theirs]
    assert ours.metadata == theirs.metadata


def test_tmx_import_keeps_a_legacy_catalog_in_its_charset(tmp_path: Path, msgfmt: str) -> None:
    from xml.sax.saxutils import escape

    project = copy_project(tmp_path / "p")
    po = next((project / "locales" / "ru" / "LC_MESSAGES").glob("*.po"))
    text = po.read_text("utf-8").replace("charset=UTF-8", "charset=KOI8-R")
    po.write_bytes(text.encode("koi8-r", "replace"))
    msgid = kpo.read_po(po)[0].msgid
    tmx = tmp_path / "in.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" creationtoolversion="1" '
        'segtype="sentence" o-tmf="t" adminlang="en" srclang="tr" datatype="plaintext"/><body><tu>'
        f'<tuv xml:lang="tr"><seg>{escape(msgid)}</seg></tuv><tuv xml:lang="ru"><seg>Новый перевод</seg></tuv>'
        "</tu></body></tmx>\n",
        "utf-8",
    )
    run = run_kervan("tmx", "import", str(tmx), "--lang", "ru", "--overwrite", cwd=project)
    assert run.returncode == 0, run.stderr
    assert 'msgstr "Новый перевод"' in po.read_bytes().decode("koi8-r")
    subprocess.run([msgfmt, "-c", "-o", os.devnull, str(po)], check=True, env=c_env(), capture_output=True)
