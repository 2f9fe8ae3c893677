"""SRX 2.0 files: reading, writing, SRX semantics on small rule files, ICU regex translation, hostile input."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
import regex
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import ARTICLE, run_kervan
from kervan.errors import KervanError
from kervan.formats.srx import read_srx, write_srx
from kervan.segmentation import Rule, Segmenter, SrxRules, default_rules_path, load_rules, segment_document
from kervan.segmentation.javaregex import RegexSyntaxError, escape, translate
from kervan.sources import read_document

NS = "http://www.lisa.org/srx20"


def srx_file(tmp_path: Path, languagerules: str, maprules: str, cascade: str = "yes", name: str = "r.srx") -> Path:
    """A small SRX file; rule and map markup given as XML text so line numbers are predictable."""
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<srx xmlns="{NS}" version="2.0">\n'
        f'<header segmentsubflows="yes" cascade="{cascade}"/>\n'
        "<body>\n<languagerules>\n"
        f"{languagerules}"
        "</languagerules>\n<maprules>\n"
        f"{maprules}"
        "</maprules>\n</body>\n</srx>\n",
        encoding="utf-8",
    )
    return path


def rule(before: str | None, after: str | None, brk: str | None = "yes") -> str:
    attribute = "" if brk is None else f' break="{brk}"'
    parts = "".join(
        f"<{tag}>{text}</{tag}>" for tag, text in (("beforebreak", before), ("afterbreak", after)) if text is not None
    )
    return f"<rule{attribute}>{parts}</rule>\n"


def langrule(name: str, *rules: str) -> str:
    return f'<languagerule languagerulename="{name}">\n{"".join(rules)}</languagerule>\n'


def langmap(pattern: str, name: str) -> str:
    return f'<languagemap languagepattern="{pattern}" languagerulename="{name}"/>\n'


DOT_BREAK = rule(r"\.", r"\s")
DR_NO_BREAK = rule(r"\bDr\.", r"\s", "no")
TEXT = "Dr. Ali geldi. Bitti."


# --------------------------------------------------------------------------- SRX semantics


def test_first_matching_rule_wins_so_exceptions_come_before_breaks(tmp_path: Path) -> None:
    exception_first = read_srx(srx_file(tmp_path, langrule("L", DR_NO_BREAK, DOT_BREAK), langmap(".*", "L")))
    assert Segmenter(exception_first, "tr").split(TEXT) == ["Dr. Ali geldi.", "Bitti."]
    break_first = read_srx(srx_file(tmp_path, langrule("L", DOT_BREAK, DR_NO_BREAK), langmap(".*", "L")))
    assert Segmenter(break_first, "tr").split(TEXT) == ["Dr.", "Ali geldi.", "Bitti."]


def test_break_defaults_to_yes(tmp_path: Path) -> None:
    rules = read_srx(srx_file(tmp_path, langrule("L", rule(r"\.", r"\s", None)), langmap(".*", "L")))
    assert rules.languagerules["L"][0].is_break
    assert Segmenter(rules, "xx").split("a. b") == ["a.", "b"]


def test_cascade_yes_applies_every_matching_languagerule_in_map_order(tmp_path: Path) -> None:
    body = langrule("Turkish", DR_NO_BREAK) + langrule("Default", DOT_BREAK)
    maps = langmap("tr.*", "Turkish") + langmap(".*", "Default")
    cascading = read_srx(srx_file(tmp_path, body, maps, cascade="yes"))
    assert cascading.cascade
    assert Segmenter(cascading, "tr-TR").split(TEXT) == ["Dr. Ali geldi.", "Bitti."]
    assert Segmenter(cascading, "en").split(TEXT) == ["Dr.", "Ali geldi.", "Bitti."]


def test_cascade_no_applies_only_the_first_matching_languagerule(tmp_path: Path) -> None:
    body = langrule("Turkish", DR_NO_BREAK) + langrule("Default", DOT_BREAK)
    maps = langmap("tr.*", "Turkish") + langmap(".*", "Default")
    single = read_srx(srx_file(tmp_path, body, maps, cascade="no"))
    assert not single.cascade
    assert Segmenter(single, "tr").split(TEXT) == [TEXT]  # Turkish alone has no break rule
    assert Segmenter(single, "en").split(TEXT) == ["Dr.", "Ali geldi.", "Bitti."]


def test_map_order_decides_which_languagerule_comes_first(tmp_path: Path) -> None:
    body = langrule("Exceptions", DR_NO_BREAK) + langrule("Breaks", DOT_BREAK)
    breaks_first = read_srx(srx_file(tmp_path, body, langmap(".*", "Breaks") + langmap(".*", "Exceptions")))
    assert Segmenter(breaks_first, "tr").split(TEXT) == ["Dr.", "Ali geldi.", "Bitti."]
    exceptions_first = read_srx(srx_file(tmp_path, body, langmap(".*", "Exceptions") + langmap(".*", "Breaks")))
    assert Segmenter(exceptions_first, "tr").split(TEXT) == ["Dr. Ali geldi.", "Bitti."]


def test_language_without_a_map_entry_is_not_split(tmp_path: Path) -> None:
    rules = read_srx(srx_file(tmp_path, langrule("L", DOT_BREAK), langmap("tr.*", "L")))
    assert Segmenter(rules, "en").split(TEXT) == [TEXT]
    assert Segmenter(rules, "TR").split(TEXT) == ["Dr.", "Ali geldi.", "Bitti."]  # patterns ignore case
    assert Segmenter(rules, "xtr").split(TEXT) == [TEXT]  # and match the whole code


def test_missing_or_empty_before_and_after_match_everywhere(tmp_path: Path) -> None:
    only_after = read_srx(srx_file(tmp_path, langrule("L", rule(None, "X")), langmap(".*", "L")))
    assert only_after.languagerules["L"][0] == Rule(True, "", "X")
    assert Segmenter(only_after, "xx").split("aXbXXc") == ["a", "Xb", "X", "Xc"]
    only_before = read_srx(srx_file(tmp_path, langrule("L", rule("[|]", "")), langmap(".*", "L")))
    assert Segmenter(only_before, "xx").split("a|b||c|") == ["a|", "b|", "|", "c|"]


def test_overlapping_matches_of_one_rule_all_count(tmp_path: Path) -> None:
    rules = read_srx(srx_file(tmp_path, langrule("L", rule("aba", None)), langmap(".*", "L")))
    assert Segmenter(rules, "xx").breaks("ababax") == [3, 5]


def test_every_end_of_a_variable_width_before_counts(tmp_path: Path) -> None:
    # Greedy "a.*b" prefers the longest match; the shorter end that is followed by "c" breaks too.
    rules = read_srx(srx_file(tmp_path, langrule("L", rule("a.*b", "c")), langmap(".*", "L")))
    assert Segmenter(rules, "xx").split("a1bc2bc3") == ["a1b", "c2b", "c3"]


def test_variable_width_exception_checked_at_each_position(tmp_path: Path) -> None:
    body = langrule("L", rule("“[^”]*[.]", r"\s", "no"), rule(r"[.]", r"\s"))
    rules = read_srx(srx_file(tmp_path, body, langmap(".*", "L")))
    text = "A “b. c. d.” e. F “g. h."
    assert Segmenter(rules, "xx").split(text) == ["A “b. c. d.” e.", "F “g. h."]


def test_java_constructs_in_rules(tmp_path: Path) -> None:
    body = langrule(
        "L",
        rule(r"(?i)\Qdr.\E", r"\s", "no"),
        rule(r"\p{Lu}\.", r"\s", "no"),
        rule(r"[.\x{2026}]", r"\s+[\p{Lu}\p{Nd}]"),
    )
    rules = read_srx(srx_file(tmp_path, body, langmap(".*", "L")))
    segmenter = Segmenter(rules, "xx")
    assert segmenter.split("DR. Ali M. K. Can geldi. Şimdi… 12 kişi. küçük") == [
        "DR. Ali M. K. Can geldi.",
        "Şimdi…",
        "12 kişi. küçük",
    ]


def test_omegat_cascading_header_without_attributes_is_read(schema_dir: Path) -> None:
    rules = read_srx(schema_dir / "omegat-defaultRules.srx")
    assert rules.cascade
    assert {"English", "Russian", "Default"} <= set(rules.languagerules)
    assert rules.maprules[-1] == (".*", "HTML")


def test_omegat_defaults_split_what_kervan_rules_keep_whole(schema_dir: Path) -> None:
    omegat = read_srx(schema_dir / "omegat-defaultRules.srx")
    document = read_document(ARTICLE, lang="tr")
    ours = {s.id.rsplit(":", 1)[1]: s.text for s in segment_document(document)}
    theirs = {s.id.rsplit(":", 1)[1]: s.text for s in segment_document(document, omegat)}
    assert "4.2" not in ours and "16.4" not in ours
    assert theirs["4.1"].endswith("özel bir öneme sahip.") and theirs["4.2"].startswith("Bu belge")
    assert theirs["16.3"].endswith("21.") and theirs["16.4"].startswith("Rusya-Kazakistan")
    assert len(theirs) == len(ours) + 2


# --------------------------------------------------------------------------- the shipped file


def _srx_schema(schema_dir: Path) -> etree.XMLSchema:
    class Local(etree.Resolver):
        # srx20.xsd imports xml.xsd from the W3C by absolute URL: serve the local copy instead.
        def resolve(self, url: str, pubid: str, context: object) -> object:
            if url.endswith("/xml.xsd"):
                return self.resolve_filename(str(schema_dir / "xml.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Local())
    return etree.XMLSchema(etree.parse(str(schema_dir / "srx20.xsd"), parser))


def test_shipped_rules_validate_against_the_srx20_schema(schema_dir: Path) -> None:
    schema = _srx_schema(schema_dir)
    tree = etree.parse(str(default_rules_path()))
    assert schema.validate(tree), schema.error_log.filter_from_errors()
    root = tree.getroot()
    assert root.get("version") == "2.0" and root.nsmap[None] == NS
    header = root.find(f"{{{NS}}}header")
    assert header is not None and header.get("cascade") == "yes"


def test_written_files_validate_against_the_srx20_schema(schema_dir: Path, tmp_path: Path) -> None:
    schema = _srx_schema(schema_dir)
    write_srx(load_rules(), tmp_path / "copy.srx")
    assert schema.validate(etree.parse(str(tmp_path / "copy.srx"))), schema.error_log.filter_from_errors()
    assert read_srx(tmp_path / "copy.srx") == load_rules()


def test_shipped_rules_map_languages_in_order() -> None:
    rules = load_rules()
    assert rules.maprules == (("tr.*", "Turkish"), ("en.*", "English"), ("ru.*", "Russian"), (".*", "Default"))
    assert [r.is_break for r in rules.languagerules["Default"][-3:]] == [True, True, True]
    # The language rules' own breaks (evidence that a sentence ends) never cut before a lowercase word.
    breaks = [r for name in ("Turkish", "English", "Russian") for r in rules.languagerules[name] if r.is_break]
    assert breaks
    for rule in breaks:
        after = regex.compile(translate(rule.after))
        assert not any(after.match(text) for text in (" ve", " bu", " the", " и", " это")), rule.line


# --------------------------------------------------------------------------- round trip

_XML_CHAR = st.characters(exclude_categories=("Cs",)).filter(
    lambda c: c in "\t\n\r" or (c >= "\x20" and c not in "\ufffe\uffff")
)
_XML_TEXT = st.text(_XML_CHAR, max_size=30)
_PATTERN = _XML_TEXT.map(escape)
_RULE = st.builds(Rule, is_break=st.booleans(), before=_PATTERN, after=_PATTERN)


@st.composite
def srx_rules(draw: st.DrawFn) -> SrxRules:
    names = draw(st.lists(st.text(_XML_CHAR, min_size=1, max_size=12), min_size=1, max_size=4, unique=True))
    languagerules = {name: tuple(draw(st.lists(_RULE, max_size=4))) for name in names}
    maprules = tuple(draw(st.lists(st.tuples(_PATTERN, st.sampled_from(names)), max_size=4)))
    return SrxRules(cascade=draw(st.booleans()), languagerules=languagerules, maprules=maprules)


@settings(max_examples=60, deadline=None)
@given(rules=srx_rules())
def test_write_then_read_returns_the_same_rules(tmp_path_factory: pytest.TempPathFactory, rules: SrxRules) -> None:
    path = tmp_path_factory.mktemp("srx") / "rules.srx"
    write_srx(rules, path)
    assert read_srx(path) == rules


@settings(max_examples=200, deadline=None)
@given(text=_XML_TEXT)
def test_escaped_text_matches_itself_literally(text: str) -> None:
    assert re.fullmatch(translate(escape(text)), text)


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\ufffe", "\ud800"])
def test_text_xml_cannot_carry_is_refused_on_write(tmp_path: Path, bad: str) -> None:
    rules = SrxRules(cascade=True, languagerules={"L": (Rule(True, f"a{bad}", ""),)}, maprules=())
    with pytest.raises(KervanError, match="XML cannot carry"):
        write_srx(rules, tmp_path / "bad.srx")
    assert not (tmp_path / "bad.srx").exists()


# --------------------------------------------------------------------------- Java regex translation, checked by Java

# (pattern, texts): every pattern is matched at every offset of every text, by Java and by Kervan's translation.
JAVA_CASES = [
    (r"\QA.b*\E+", ["A.b*A.b*", "A.b**"]),
    (r"(?i)dr\.", ["DR.", "dr."]),
    (r"x(?i)dr|y", ["Y", "xDR", "XDR"]),  # an inline flag reaches later alternatives
    (r"(?i:a)b", ["AB", "Ab"]),
    (r"\x{1F600}\u00e7", ["\U0001f600ç"]),
    (r"\p{L}+\p{IsLu}\p{Ll}", ["ŞüİAa"]),
    (r"\h\v", ["\u00a0\n"]),
    (r"\z|a\Z", ["", "a\n", "a\r\n"]),
    (r"(?<first>a)\k<first>|(b)\1", ["aa", "bb", "ab"]),
    (r"\N{LATIN SMALL LETTER S WITH CEDILLA}", ["ş"]),
    (r"\e\cA\0101", ["\x1b\x01A"]),
    (r"[a&b]", ["&"]),
    (r"\d+|\w+|\s+", ["١٢3 şey_1 \u00a0\t"]),  # ASCII classes by default
    (r"(?U)\d+|(?U)\w+|(?U)\s+", ["١٢3 şey_1 \u00a0\t"]),
    (r"\b\p{L}", ["şey ab", "é"]),  # Java 17's \b counts every letter
    # \b beside a letter or digit is tested on its other side only: marks, '_' and digits around it
    (r"\bab|ab\b|\b\p{Nd}+|[IVX]+\b|\b[a-c]", ["ab a\u0301ab _ab ab_ 12 x12 1\u0301 IV IVé IV\u0301 c", "ab\u0301"]),
    (r"(?:Dr|Prof)\b|\b(?:vs|vb|s)\.|(?i)\bdr", ["Dr. Drx Dr\u0301 vb. _vb. é\u0301vb. s. DR", "\u0301s."]),
    (r"[\d-–]+", ["1-–2"]),  # a '-' after a class escape is literal
    (r"[a-z&&[^aeiou]]+|[[0-2][7-9]]+", ["abcde 0189"]),
    (r"[^a[b]]", ["abc"]),
    (r"(?i)k|(?i)ş", ["kK\u212a Şş"]),  # ASCII-only case folding
    (r"(?iu)straße|(?iu)ş", ["STRASSE Straße Şş"]),
    (r"(?i)\p{Lu}", ["aA1"]),
    (r"(?<=[XVI]+)a", ["XVa Xa a"]),  # unbounded lookbehind
    (r"a++b|(?>a|ab)c", ["aaab", "abc ac"]),
    (r"a.b|^a|a$", ["a\nb a\u2028b axb", "a\r\n"]),
    (r"(?m)^a|(?s)a.b", ["b\na\na", "a\nb"]),
    (r"\p{IsLatin}+|\p{InGreek}+|\p{Alpha}+|\p{Punct}+", ["abcαβγé!?«»"]),
    (r"(?U)\p{Alpha}+|(?U)\p{Punct}+|\p{javaLowerCase}+", ["abcé!?«» É"]),
    (r"(?x) a b # comment", ["ab a b"]),
    (r"[]a]|[a-c-e]|[\p{L}-z]", ["]-d"]),
    (r"(?i)(?u)İ", ["i İ I ı"]),
    (r"\.[\s\u00a0]+(?=\p{Lu})|[.!?…][\u00BB\u2019\u201D\u203A\"'\p{Pe}\u0002]*\s", ["a. B. c.\u00a0D.» e"]),
]
JAVA_REFUSES = [r"\p{Greek}", r"x{,3}", "a(", "a)", "[ab", "a\\", r"(?#note)a", r"[a-\d]", r"a**", r"\k<n>"]


@pytest.fixture(scope="module")
def java_matches(java_regex_oracle: Callable[[list[tuple[str, str]]], list[list[int] | None]]) -> dict:
    cases = [(pattern, text) for pattern, texts in JAVA_CASES for text in texts]
    cases += [(pattern, "abc") for pattern in JAVA_REFUSES]
    return dict(zip(cases, java_regex_oracle(cases), strict=True))


@pytest.mark.parametrize(("pattern", "texts"), JAVA_CASES)
def test_patterns_mean_what_java_means(java_matches: dict, pattern: str, texts: list[str]) -> None:
    compiled = regex.compile(translate(pattern))
    for text in texts:
        ours = [m.end() if (m := compiled.match(text, i)) else -1 for i in range(len(text) + 1)]
        assert ours == java_matches[(pattern, text)], (pattern, text)


@pytest.mark.parametrize("pattern", JAVA_REFUSES)
def test_patterns_java_refuses_are_refused(java_matches: dict, pattern: str) -> None:
    assert java_matches[(pattern, "abc")] is None
    with pytest.raises(RegexSyntaxError) as caught:
        translate(pattern)
    assert f'"{pattern}"' in str(caught.value)  # the message quotes the rule as written


@pytest.mark.parametrize("pattern", [r"\G", r"\b{g}"])
def test_constructs_without_meaning_in_a_rule_are_refused(pattern: str) -> None:
    with pytest.raises(RegexSyntaxError):
        translate(pattern)


_PROPERTIES = ["Lu", "Ll", "L", "N", "Nd", "P", "Pi", "Pf", "Ps", "Pe", "Zs"]


@settings(max_examples=300, deadline=None)
@given(char=st.characters(), name=st.sampled_from(_PROPERTIES))
def test_unicode_properties_agree_with_unicodedata(char: str, name: str) -> None:
    # Characters this Python's Unicode tables do not know yet may be assigned in the regex module's newer ones.
    assume(unicodedata.category(char) != "Cn")
    expected = unicodedata.category(char).startswith(name)

    def matches(pattern: str) -> bool:
        return regex.fullmatch(translate(pattern), char) is not None

    assert matches(f"\\p{{{name}}}") == expected
    assert matches(f"\\P{{{name}}}") != expected
    assert matches(f"[x\\p{{{name}}}]") == (expected or char == "x")
    assert matches(f"[^\\p{{{name}}}]") != expected
    assert matches(f"[\\P{{{name}}}]") != expected


# --------------------------------------------------------------------------- bad and hostile files


@pytest.mark.parametrize(
    ("languagerules", "maprules", "message", "line"),
    [
        (langrule("L", DOT_BREAK), langmap(".*", "L") + langmap("tr", "Nope"), "unknown languagerule 'Nope'", 12),
        (langrule("L", rule(r"\.", r"\s", "maybe")), langmap(".*", "L"), 'break="maybe"', 7),
        (langrule("L", DOT_BREAK) + langrule("L", DOT_BREAK), langmap(".*", "L"), "duplicate languagerule", 9),
        ('<languagerule languagerulename="">\n' + DOT_BREAK + "</languagerule>\n", "", "without languagerulename", 6),
        (langrule("L", DOT_BREAK), langmap("(", "L"), "languagepattern", 11),
        (langrule("L", "<rule><beforebreak>a<b/></beforebreak></rule>\n"), "", "unexpected element <b>", 7),
    ],
)
def test_bad_rules_are_reported_with_file_and_line(
    tmp_path: Path, languagerules: str, maprules: str, message: str, line: int
) -> None:
    path = srx_file(tmp_path, languagerules, maprules)
    with pytest.raises(KervanError, match=re.escape(message)) as caught:
        read_srx(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line, path.read_text(encoding="utf-8").splitlines()[line - 1 : line + 1]


def test_a_rule_that_cannot_be_translated_disables_only_itself(tmp_path: Path) -> None:
    body = langrule(
        "L",
        rule(r"\p{Greek}", r"\s", "no"),
        rule(r"\s", "(ab"),
        rule(r"\G\.", r"\s", "no"),
        DR_NO_BREAK,
        DOT_BREAK,
    )
    path = srx_file(tmp_path, body, langmap(".*", "L"))
    rules = read_srx(path)
    assert rules.problems() == [
        f'{path}:7: rule disabled: beforebreak: unknown character property \\p{{Greek}} at offset 0 in "\\p{{Greek}}"',
        f'{path}:8: rule disabled: afterbreak: missing closing parenthesis at offset 3 in "(ab"',
        f"{path}:9: rule disabled: beforebreak: \\G (end of the previous match) has no meaning in a segmentation rule "
        'at offset 0 in "\\G\\."',
    ]
    assert Segmenter(rules, "xx").split(TEXT) == ["Dr. Ali geldi.", "Bitti."]
    written = tmp_path / "again.srx"
    write_srx(rules, written)
    assert len(read_srx(written).languagerules["L"]) == 5  # a disabled rule is kept, not dropped


def test_segment_warns_about_disabled_rules_and_uses_the_rest(tmp_path: Path) -> None:
    path = srx_file(tmp_path, langrule("L", rule(r"[a-\d]", r"\s", "no"), DR_NO_BREAK, DOT_BREAK), langmap("tr", "L"))
    done = run_kervan("segment", "-", "--lang", "tr", "--rules", str(path), cwd=tmp_path, stdin=TEXT)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Dr. Ali geldi.\nBitti.\n"
    assert done.stderr.splitlines() == [
        f'kervan: warning: {path}:7: rule disabled: beforebreak: illegal character range at offset 3 in "[a-\\d]"'
    ]


@pytest.mark.parametrize("hostile", [r"(a|aa)+c"])
def test_a_rule_that_backtracks_for_ever_is_stopped_and_named(tmp_path: Path, hostile: str) -> None:
    path = srx_file(tmp_path, langrule("L", rule(r"\.", hostile, "no"), rule(r"\.", None)), langmap("tr", "L"))
    done = run_kervan("segment", "-", "--lang", "tr", "--rules", str(path), cwd=tmp_path, stdin="b." + "a" * 40 + " c")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("kervan: error: ") and "r.srx:7: rule takes too long" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_nested_quantifier_that_a_backtracking_engine_chokes_on_runs_fast(tmp_path: Path) -> None:
    path = srx_file(tmp_path, langrule("L", rule(r"(a+)+b\.", r"\s", "no"), DOT_BREAK), langmap(".*", "L"))
    text = "a" * 32 + ". Bitti. " + "a" * 32 + "b. c"
    assert Segmenter(read_srx(path), "xx").split(text) == ["a" * 32 + ".", "Bitti.", "a" * 32 + "b. c"]


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (f'<srx xmlns="{NS}" version="2.0">\n<header cascade="yes"/>\n</srx>\n', "no <body>", 1),
        (f'<srx xmlns="{NS}" version="2.0">\n<body>\n<languagerules>\n</body>\n</srx>\n', "malformed XML", 4),
        (f'<srx xmlns="{NS}" version="1.0">\n<body/>\n</srx>\n', "unsupported SRX version", 1),
        ('<tmx version="1.4">\n<body/>\n</tmx>\n', "not an SRX 2.0 document", 1),
        (f'<srx xmlns="{NS}" version="2.0">\n<header cascade="maybe"/>\n<body/>\n</srx>\n', 'cascade="maybe"', 2),
        ("", "Document is empty", 1),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE srx [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;">\n]>\n'
            f'<srx xmlns="{NS}" version="2.0"><body/></srx>\n',
            "entity declarations are not allowed",
            3,
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE srx [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
            f'<srx xmlns="{NS}" version="2.0"><body>&x;</body></srx>\n',
            "entity declarations are not allowed",
            3,
        ),
    ],
)
def test_malformed_and_hostile_files_are_refused_with_a_location(
    tmp_path: Path, content: str, message: str, line: int | None
) -> None:
    path = tmp_path / "bad.srx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KervanError, match=re.escape(message)) as caught:
        read_srx(path)
    assert caught.value.path == str(path)
    if line is not None:
        assert caught.value.line == line


def test_missing_file_is_a_kervan_error(tmp_path: Path) -> None:
    with pytest.raises(KervanError) as caught:
        read_srx(tmp_path / "absent.srx")
    assert caught.value.path == str(tmp_path / "absent.srx")


def test_rules_with_back_references_keep_their_own_patterns(tmp_path: Path) -> None:
    # A doubled word before a full stop is no sentence end ("bye bye. now"); groups cannot be joined with others.
    body = langrule("L", rule(r"\b(\p{L}+) \1\.", r"\s", "no"), DR_NO_BREAK, DOT_BREAK)
    rules = read_srx(srx_file(tmp_path, body, langmap(".*", "L")))
    text = "Dr. Ali geldi. Hoşça kal kal. Gitti. Bye bye. Now."
    # "Bye bye" is no doubled word: a back reference matches case and all.
    assert Segmenter(rules, "xx").split(text) == ["Dr. Ali geldi.", "Hoşça kal kal. Gitti.", "Bye bye.", "Now."]


def _lxml_srx(rules: SrxRules) -> bytes:
    """The same document built with lxml and its pretty printer: the oracle for the text writer."""
    ns = "http://www.lisa.org/srx20"

    def make(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{ns}}}{tag}", attributes)

    root = etree.Element(f"{{{ns}}}srx", {"version": "2.0"}, nsmap={None: ns})
    make(root, "header", segmentsubflows="yes", cascade="yes" if rules.cascade else "no")
    body = make(root, "body")
    container = make(body, "languagerules")
    for name, rule_list in rules.languagerules.items():
        element = make(container, "languagerule", languagerulename=name)
        for rule in rule_list:
            rule_element = make(element, "rule", **{"break": "yes" if rule.is_break else "no"})
            make(rule_element, "beforebreak").text = rule.before
            make(rule_element, "afterbreak").text = rule.after
    container = make(body, "maprules")
    for pattern, name in rules.maprules:
        make(container, "languagemap", languagepattern=pattern, languagerulename=name)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff").filter(
        lambda ch: ch in "\t\n\r" or ord(ch) >= 0x20
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(
    cascade=st.booleans(),
    languages=st.dictionaries(
        _XML_TEXT, st.lists(st.tuples(st.booleans(), _XML_TEXT, _XML_TEXT), max_size=3), max_size=3
    ),
    maps=st.lists(st.tuples(_XML_TEXT, _XML_TEXT), max_size=3),
)
def test_written_srx_is_lxmls_document_byte_for_byte(
    cascade: bool, languages: dict[str, list[tuple[bool, str, str]]], maps: list[tuple[str, str]]
) -> None:
    from kervan.formats.srx import srx_bytes

    rules = SrxRules(
        cascade,
        {name: tuple(Rule(b, before, after) for b, before, after in rules) for name, rules in languages.items()},
        tuple(maps),
    )
    assert srx_bytes(rules) == _lxml_srx(rules)


def test_the_shipped_rules_are_written_as_lxml_writes_them() -> None:
    from kervan.formats.srx import srx_bytes

    rules = load_rules()
    assert srx_bytes(rules) == _lxml_srx(rules)
