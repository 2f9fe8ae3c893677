"""Write the shipped segmentation rules, src/kervan/segmentation/rules/kervan.srx, from their sources.

    python tools/make_rules.py            # write the file
    python tools/make_rules.py --check    # exit 1 if the file differs from what would be written

Sources, in tools/rules/ (each word list says where its words come from):
- kervan.srx.in: the rules, with placeholders in double braces;
- abbreviations.tsv: abbreviations per language and class (title, weak, number);
- tr_starters.txt, en_starters.txt, ru_starters.txt: words that start sentences;
- tr_count_words.txt: Turkish words after which a number is a count or a label, not an ordinal.

Placeholders: {{WS}} (whitespace as every tool reads it), {{START}} (what may start a sentence),
{{<lang>.<class>}} (an abbreviation class), {{<lang>.starters}}, {{tr.count_words}}: alternations of literal
words, longest first so that no word hides a longer one. {{QUOTES <lang> <open> <close>}} and
{{QUOTES_STRAIGHT}} expand to the two rules of a kind of quotation (see the template).
The output depends on nothing but these files: running the script twice writes the same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "rules"
TARGET = HERE.parent / "src" / "kervan" / "segmentation" / "rules" / "kervan.srx"

WS = r"[\t-\r\x1C-\x20\x85\p{Z}]"
START = r"[\p{Lu}\p{Lt}\p{Lo}\p{Nd}“\"‘'«„(\[\-–—•*]"
# Characters that mean something in ICU and Java regular expressions (and in XML text: < and &).
_SPECIAL = re.compile(r"([\\^$.|?*+()\[\]{}])")


def _words(name: str) -> list[str]:
    lines = (SOURCES / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _abbreviations() -> dict[str, list[str]]:
    classes: dict[str, list[str]] = {}
    for line in _words("abbreviations.tsv"):
        lang, kind, word = line.split("\t")
        classes.setdefault(f"{lang}.{kind}", []).append(word)
    return classes


def _turkish_capital(word: str) -> str:
    first = {"i": "İ", "ı": "I"}.get(word[0], word[0].upper())
    return first + word[1:]


def alternation(words: list[str]) -> str:
    """Literal words as one alternation, longest first, duplicates dropped, XML-escaped."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    escaped = [_SPECIAL.sub(r"\\\1", w).replace("&", "&amp;").replace("<", "&lt;") for w in unique]
    return "|".join(escaped)


def _quotes(lang: str, opening: str, closing: str) -> str:
    o, c = _SPECIAL.sub(r"\\\1", opening), _SPECIAL.sub(r"\\\1", closing)
    return f"""        <!-- {opening}…{closing}: no break at a sentence end inside a quotation that opens and closes in the paragraph,
             so a quoted statement of several sentences stays one segment with its "... dedi." The second rule
             holds where a closing {closing} follows within 400 characters, with no opening {opening} before it;
             a closing mark is written against the character before it (one after a space opens). The first
             rule cuts where that {closing} closes nothing: no quotation is open at the sentence end (every
             {opening} before it on the line is closed). A quotation that does not close in its paragraph holds
             nothing. -->
        <rule break="yes">
          <beforebreak>^(?:[^{o}\\n]*+{o}[^{c}\\n]*+{c})*+[^{o}\\n]*[.!?…]</beforebreak>
          <afterbreak>{WS}(?=[^{o}{c}\\n]{{0,400}}+(?&lt;!{WS}){c})(?={WS}*{START})</afterbreak>
        </rule>
        <rule break="no">
          <beforebreak>[.!?…]</beforebreak>
          <afterbreak>{WS}(?=[^{o}{c}\\n]{{0,400}}+(?&lt;!{WS}){c})</afterbreak>
        </rule>"""


def _quotes_straight() -> str:
    return f"""        <!-- "…": straight double quotes open and close alike. The next " closes when it is written against the
             character before it and no letter or digit follows; a quotation is open at a sentence end when an
             odd number of " come before it on the line. Held and cut as above. -->
        <rule break="yes">
          <beforebreak>^(?:[^"\\n]*+"[^"\\n]*+")*+[^"\\n]*[.!?…]</beforebreak>
          <afterbreak>{WS}(?=[^"\\n]{{0,400}}+(?&lt;!{WS})"(?![\\p{{L}}\\p{{N}}]))(?={WS}*{START})</afterbreak>
        </rule>
        <rule break="no">
          <beforebreak>[.!?…]</beforebreak>
          <afterbreak>{WS}(?=[^"\\n]{{0,400}}+(?&lt;!{WS})"(?![\\p{{L}}\\p{{N}}]))</afterbreak>
        </rule>"""


def render() -> str:
    values = {"WS": WS, "START": START}
    values.update({key: alternation(words) for key, words in _abbreviations().items()})
    values["tr.starters"] = alternation([_turkish_capital(w) for w in _words("tr_starters.txt")])
    values["en.starters"] = alternation(_words("en_starters.txt"))
    values["ru.starters"] = alternation(_words("ru_starters.txt"))
    values["tr.count_words"] = alternation(_words("tr_count_words.txt"))

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("QUOTES "):
            _, lang, opening, closing = name.split(" ")
            return _quotes(lang, opening, closing)
        if name == "QUOTES_STRAIGHT":
            return _quotes_straight()
        return values[name]

    template = (SOURCES / "kervan.srx.in").read_text(encoding="utf-8")
    return re.sub(r"\{\{([^{}]+)\}\}", expand, template)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    args = parser.parse_args()
    text = render()
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is not what tools/make_rules.py writes; run it", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
