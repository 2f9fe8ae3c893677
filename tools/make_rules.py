"""Write the shipped segmentation rules, src/kervan/segmentation/rules/kervan.srx, from their sources.

    python tools/make_rules.py            # write the file
    python tools/make_rules.py --check    # exit 1 if the file differs from what would be written

Sources, in tools/rules/ (each word list says where its words come from):
- kervan.srx.in: the rules, with placeholders in double braces;
- abbreviations.tsv: abbreviations per language and class (title, weak, number, page);
- tr_starters.txt, en_starters.txt, ru_starters.txt: words that start sentences;
- tr_count_words.txt: Turkish words after which a number is a count or a label, not an ordinal;
- tr_number_words.txt: Turkish numerals written as words, which start a sentence as digits do.

Placeholders: {{WS}} (whitespace as every tool reads it), {{START}} (what may start a sentence),
{{<lang>.<class>}} (an abbreviation class), {{<lang>.starters}}, {{tr.count_words}}, {{tr.number_words}}:
alternations of literal words, longest first so that no word hides a longer one. {{PERIOD name ...}}: a period
right after a word of the named classes or after a named context (ordinal, roman, number_evidence, initial,
letter, gorod, to_est), as bounded look-behinds (see period_after). {{CUT <open> <close>}} and
{{HOLD <open> <close>}} expand to the two rules of a kind of quotation (see the comment above them in the template).
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
_OPENS = r"[\p{Lu}\p{Lt}\p{Lo}\p{Nd}“\"‘'«„(\[]"
# A question mark or U+FFFD right before a letter stands for a letter lost to a lossy conversion between
# encodings ("?erdeydin" for "Nerdeydin"): no word starts with either, so it starts a sentence as the letter would.
_LOST = r"[?\x{FFFD}]\p{L}"
# What may start a sentence: an uppercase or caseless letter, a digit, an opening quote or bracket, or a dash or
# bullet before one of those ("- Evet", "— Да", "• Vergiler"); a dash before a lowercase word continues the
# sentence (Russian "Да! — сказал он.").
START = f"(?:{_OPENS}|{_LOST}|[\\-–—•*]{WS}*{_OPENS})"
# Characters that mean something in ICU and Java regular expressions; alternation() also escapes < and & for XML.
_SPECIAL = re.compile(r"([\\^$.|?*+()\[\]{}])")


def _words(name: str) -> list[str]:
    lines = (SOURCES / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _abbreviations() -> dict[str, list[str]]:
    classes: dict[str, list[str]] = {}
    for line in _words("abbreviations.tsv"):
        lang, kind, word = line.split("\t")
        forms = [word]
        if lang == "ru" and word[:1].islower():  # a Russian abbreviation also starts a sentence: "См. рис. 3"
            forms.append(word[:1].upper() + word[1:])
        classes.setdefault(f"{lang}.{kind}", []).extend(forms)
    return classes


def _turkish_capital(word: str) -> str:
    first = {"i": "İ", "ı": "I"}.get(word[0], word[0].upper())
    return first + word[1:]


def alternation(words: list[str]) -> str:
    """Literal words as one alternation, longest first, duplicates dropped, XML-escaped."""
    unique = sorted(set(words), key=lambda w: (-len(w), w))
    escaped = [_SPECIAL.sub(r"\\\1", w).replace("&", "&amp;").replace("<", "&lt;") for w in unique]
    return "|".join(escaped)


def period_after(contexts: list[str]) -> str:
    """A period right after any of `contexts` (each of bounded width), as one character with look-behinds.

    `\\b(?:Dr|Prof)\\.` and `\\.(?:(?<=\\bDr\\.)|(?<=\\bProf\\.))` match the same periods, but the second has
    a fixed width of one character: engines test it with a look-behind at a candidate position, or combine it
    with other rules, instead of searching the text before the position.
    """
    return "\\.(?:" + "|".join(f"(?&lt;={context}\\.)" for context in contexts) + ")"


def _number_contexts() -> dict[str, list[str]]:
    """Contexts for numbers of one to three digits and Roman numerals of two to six letters, one bounded
    look-behind each (one per width would be slower to test and to compile)."""
    ws, not_ws = WS, r"[^\t-\r\x1C-\x20\x85\p{Z}]"
    digits = "\\p{Nd}{1,3}"
    roman = ["\\b[IVXLC]{2,6}"]
    # An ordinal: not the last group of a time, a decimal or a number written in groups.
    ordinal = [f"(?&lt;![\\p{{Nd}}][.,])(?&lt;!\\p{{Nd}}{ws})\\b{digits}"]
    # A number that may end a sentence: after a word and a space, not after a sentence end (a list item), after
    # a colon unless it is 1 (a list), or the second of two numbers joined by a dash (a score).
    evidence = [
        f"(?&lt;![.!?…:;]{ws})(?&lt;={not_ws}{ws}){digits}",
        f"(?&lt;=:{ws})(?:[02-9]|\\p{{Nd}}{{2,3}})",
        f"(?&lt;=\\p{{Nd}}[-–]){digits}",
    ]
    return {"ordinal": ordinal, "roman": roman, "number_evidence": evidence}


def _quote_rule(kind: str, opening: str, closing: str) -> str:
    """The "cut" or "hold" rule of one kind of quotation (see the comment above the quotation rules)."""
    o, c = _SPECIAL.sub(r"\\\1", opening), _SPECIAL.sub(r"\\\1", closing)
    if opening == closing:  # straight quotes: the closing one has no letter or digit after it
        ahead = f"(?=[^{o}\\n]{{0,400}}+(?&lt;!{WS}){c}(?![\\p{{L}}\\p{{N}}]))"
        # No quotation is open at a sentence end when no " comes before it on the line, or when the last one,
        # within 400 characters, is a closing one (written against the character before it): a stray closing "
        # (a quotation continued from the previous paragraph) opens nothing. Each branch is cheap to search for:
        # the first only at the start of the line, the second only at a closing ".
        before = f"(?:^[^{o}\\n]*?|[^\\t-\\r\\x1C-\\x20\\x85\\p{{Z}}(\\[\\n]{o}[^{o}\\n]{{0,400}}?)[.!?…]"
    else:
        ahead = f"(?=[^{o}{c}\\n]{{0,400}}+(?&lt;!{WS}){c})"
        before = f"^(?:[^{o}\\n]*+{o}[^{c}\\n]*+{c})*+[^{o}\\n]*?[.!?…]"
    if kind == "CUT":
        return f"""        <rule break="yes">
          <beforebreak>{before}</beforebreak>
          <afterbreak>{WS}{ahead}(?={WS}*{START})</afterbreak>
        </rule>"""
    return f"""        <rule break="no">
          <beforebreak>[.!?…]</beforebreak>
          <afterbreak>{WS}{ahead}</afterbreak>
        </rule>"""


def render() -> str:
    values = {"WS": WS, "START": START}
    values.update({key: alternation(words) for key, words in _abbreviations().items()})
    values["tr.starters"] = alternation([_turkish_capital(w) for w in _words("tr_starters.txt")])
    values["en.starters"] = alternation(_words("en_starters.txt"))
    values["ru.starters"] = alternation(_words("ru_starters.txt"))
    values["tr.count_words"] = alternation(_words("tr_count_words.txt"))
    values["tr.number_words"] = alternation(_words("tr_number_words.txt"))

    classes = _abbreviations()
    contexts = _number_contexts()
    contexts["initial"] = ["\\b\\p{Lu}"]
    contexts["letter"] = ["\\b\\p{L}"]
    contexts["gorod"] = ["\\bг", "\\bгг"]
    contexts["to_est"] = [f"\\bт\\.{ws}[екн]" for ws in ("", WS)]

    def period(names: list[str]) -> str:
        found: list[str] = []
        for name in names:
            # One look-behind per word list: Java takes any bounded width, and the engine makes a trie of it.
            found.extend(contexts[name] if name in contexts else [f"\\b(?:{alternation(classes[name])})"])
        return period_after(found)

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("PERIOD "):
            return period(name.split()[1:])
        if name.startswith(("CUT ", "HOLD ")):
            kind, opening, closing = name.split(" ")
            return _quote_rule(kind, opening, closing)
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
