"""Just enough morphology to recognise inflected forms of glossary terms in Turkish, Russian and English.

No dictionary and no external package: each language has a small suffix grammar, and matching works on
*analyses* of a text word, (stem key, ending) pairs, checked against *word patterns* built from glossary terms.

- Turkish: nominal suffix chains (plural, possessive, case, the relative -ki, copula) generated from a grammar
  with vowel harmony, buffer letters (y, n, s) and voicing (d/t); without an apostrophe the chain must agree
  with the stem (harmony, buffer, voicing; l-final and -at loanwords may take front vowels: "santrali"), after
  an apostrophe any chain is accepted because names and abbreviations follow their pronunciation ("AEB'nin").
  Consonant alternation (p ç t k -> b c d ğ), doubled consonants ("üssü") and dropped vowels ("şehri") are
  undone. In a multi-word term only the last word inflects; its compound marker -(s)I may be replaced by a
  plural + possessive ("para birimi" -> "para birimlerinin").
- Russian: the nominative lemma gives a declension class; a text word matches when stem and ending agree with
  that class. Leading adjectives and the head noun inflect, words after the head (genitive complements) do not;
  in names (every word capitalised, no adjective) every word inflects.
- English: plural and possessive endings on the last word.

Comparison keys are case- and diacritic-folded (Turkish typed without ç ğ ı ö ş ü still matches); Russian keys
keep й and fold only case and ё.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..record import Record, init
from ..text import APOSTROPHES, casefold, fold, normalize_apostrophes, primary

# Paradigm codes of word patterns.
FIXED = "="  # must appear exactly as in the term (after folding)
ABBR = "abbr"  # abbreviation: case-sensitive in running text, suffix only after an apostrophe (Turkish)
TR = "tr"  # Turkish word taking any nominal suffix chain
TR_NAME = "tr-name"  # one-word Turkish proper name: suffixes after an apostrophe in running text
TR_BARE = "tr-bare"  # the noun under a compound marker: the chain must start with the possessive
EN = "en"
RU_ADJ = "ru-adj"

_APOS = re.escape(APOSTROPHES)
# A word: letters and digits (with combining marks), optionally followed by apostrophe-attached parts.
TOKEN_RE = re.compile(rf"(?:[^\W_]|[\u0300-\u036f])+(?:[{_APOS}](?:[^\W_]|[\u0300-\u036f])+)*")
_APOS_RE = re.compile(f"[{_APOS}]")


@lru_cache(maxsize=256)
def family(lang: str) -> str:
    """Which rule set a language uses: "tr", "ru", "en", or "" (no inflection, exact words only)."""
    p = primary(lang)
    if p in {"tr", "az"}:
        return "tr"
    if p in {"ru", "uk", "be"}:
        return "ru"
    if p == "en":
        return "en"
    return ""


@lru_cache(maxsize=1 << 16)
def key(text: str, lang: str) -> str:
    """Comparison key of a word or stem: case, apostrophes and (except in Russian) diacritics folded."""
    if text.isascii():
        return text.lower().replace("`", "'")
    if family(lang) == "ru":
        # text.fold would also strip the breve of й; keep it, fold only case, apostrophes and ё.
        return normalize_apostrophes(casefold(text, lang)).replace("ё", "е")
    return fold(text, lang)


def tokens(text: str) -> Iterator[re.Match[str]]:
    """Words of `text` with their offsets; apostrophe suffixes stay attached ("AEB’nin")."""
    return TOKEN_RE.finditer(text)


class Analysis(NamedTuple):
    """One reading of a text word: stem key + ending. (A named tuple: millions are made while scanning.)"""

    key: str  # comparison key of the stem
    ending: str  # the ending, case-folded, apostrophes unified; "" for the bare word
    apostrophe: bool  # the ending was attached with an apostrophe
    base: str | None  # the stem as written (for case-sensitive abbreviations); None when unknown
    poss3: bool = False  # Turkish: the ending starts with the 3rd-person possessive (compound marker)


class WordPattern(Record):
    """One word of a glossary term: how it is written and which (key, paradigm) pairs it accepts."""

    _fields = ("surface", "keys")
    __slots__ = _fields
    surface: str
    keys: tuple[tuple[str, str], ...]

    def __init__(self, surface: str, keys: tuple[tuple[str, str], ...]) -> None:
        init(self, "surface", surface)
        init(self, "keys", keys)


# ---------------------------------------------------------------------------------------------- Turkish

_BACK = frozenset("aıou")
_VOWELS = frozenset("aeıioöuü")
_VOICELESS = frozenset("çfhkpsşt")
_TR_LETTERS = frozenset("çğıöşü")
_I_OF = {"a": "ı", "ı": "ı", "e": "i", "i": "i", "o": "u", "u": "u", "ö": "ü", "ü": "ü"}
# A vowel class is named by the high vowel it selects; finals: V vowel, Z voiced consonant, S voiceless.
_CLASSES = ("ı", "i", "u", "ü")
_FINALS = ("V", "Z", "S")
_FRONT = {"ı": "i", "u": "ü", "i": "i", "ü": "ü"}
_TR_FOLD = str.maketrans("çğıöşü", "cgiosu")

# Templates: A a/e, I ı/i/u/ü, D d/t, Y/N/S buffer letter after a vowel, J the vowel I after a consonant.
_PL = "lAr"
_POSS = ("Jm", "Jn", "SI", "JmIz", "JnIz")
_POSS3 = "SI"
_CASES = ("YI", "NIn", "YA", "DA", "DAn", "YlA")
_PRON_CASES = ("nI", "nIn", "nA", "ndA", "ndAn", "YlA")  # after the 3rd-person possessive and after -ki
_KI_AFTER = frozenset({"DA", "ndA", "NIn", "nIn"})
_COPULA = ("DIr", "YDI", "YmIş", "YsA", "Yken")


def _sequences() -> Iterator[tuple[tuple[str, ...], bool]]:
    """Every morpheme sequence of the grammar, with whether it starts with the 3rd-person possessive."""
    for plural in ((), (_PL,)):
        for poss in (None, *_POSS):
            cases = _PRON_CASES if poss == _POSS3 else _CASES
            head = (*plural, poss) if poss else plural
            poss3 = poss == _POSS3
            for case in (None, *cases):
                seq = (*head, case) if case else head
                tails: list[tuple[str, ...]] = [()]
                if case in _KI_AFTER:
                    for plural2 in ((), (_PL,)):
                        for case2 in (None, *(_CASES if plural2 else _PRON_CASES)):
                            tails.append(("ki", *plural2, case2) if case2 else ("ki", *plural2))
                for tail in tails:
                    for copula in (None, *_COPULA):
                        full = (*seq, *tail, copula) if copula else (*seq, *tail)
                        if full:
                            yield full, poss3


def _realize(seq: Sequence[str], vclass: str, final: str) -> str:
    """Spell a morpheme sequence after a stem whose last vowel class and final sound are given."""
    out: list[str] = []
    vowel = {"ı": "a", "i": "e", "u": "o", "ü": "ö"}[vclass]
    after_vowel = final == "V"
    voiceless = final == "S"
    for morpheme in seq:
        for ch in morpheme:
            if ch in "YNS":
                if not after_vowel:
                    continue
                letter = ch.lower()
            elif ch == "J":
                if after_vowel:
                    continue
                letter = _I_OF[vowel]
            elif ch == "A":
                letter = "a" if vowel in _BACK else "e"
            elif ch == "I":
                letter = _I_OF[vowel]
            elif ch == "D":
                letter = "t" if (voiceless and not after_vowel) else "d"
            else:
                letter = ch
            out.append(letter)
            after_vowel = letter in _VOWELS
            voiceless = letter in _VOICELESS
            if after_vowel:
                vowel = letter
    return "".join(out)


_Contexts = frozenset[tuple[str, str]]


class _Chains(Record):
    """Every suffix chain of the grammar, as written and with Turkish letters folded, each mapped to the number
    of its pair in `pairs`: (stem contexts (vowel class, final) it can follow, those where it starts with the
    possessive). A few dozen pairs serve all chains; numbers keep the tables quick to load."""

    _fields = ("exact", "folded", "pairs", "longest")
    __slots__ = _fields
    exact: dict[str, int]
    folded: dict[str, int]
    pairs: list[tuple[_Contexts, _Contexts]]
    longest: int

    def __init__(
        self, exact: dict[str, int], folded: dict[str, int], pairs: list[tuple[_Contexts, _Contexts]], longest: int
    ) -> None:
        init(self, "exact", exact)
        init(self, "folded", folded)
        init(self, "pairs", pairs)
        init(self, "longest", longest)


_CHAINS: _Chains | None = None


CHAIN_FILE = Path(__file__).with_name("suffix_chains.json")


def _chains() -> _Chains:
    """Read from the table shipped beside this module (a few milliseconds) while it was generated from this
    very grammar, else built here (a few hundred milliseconds, which a cold `term lookup` cannot afford)."""
    global _CHAINS
    if _CHAINS is None:
        _CHAINS = _read_chains(CHAIN_FILE) or _build_chains()
    return _CHAINS


def grammar_fingerprint() -> str:
    """Identifies the grammar the chains come from: this module's source (size and CRC-32: the table is
    package data, trusted; this only tells an edited module from the one the table was generated from)."""
    import zlib

    source = Path(__file__).read_bytes()
    return f"{len(source)}-{zlib.crc32(source):08x}"


def chains_data() -> dict[str, object]:
    """The chain tables as plain data (JSON). A few dozen context sets and pairs of them serve all chains, so
    each table is its chains in one string (separated by spaces) and, in another, the number of each chain's
    pair in hexadecimal, two digits each: two long strings decode several times faster than lists."""
    chains = _build_chains()
    sets: dict[_Contexts, int] = {}
    for pair in chains.pairs:
        for contexts in pair:
            sets.setdefault(contexts, len(sets))
    data: dict[str, object] = {"grammar": grammar_fingerprint()}
    for name in ("exact", "folded"):
        table: dict[str, int] = getattr(chains, name)
        data[name] = " ".join(table)
        data[name + "_pairs"] = bytes(table.values()).hex()
    data["sets"] = [sorted(list(item) for item in contexts) for contexts in sets]
    data["pairs"] = [[sets[a], sets[b]] for a, b in chains.pairs]
    return data


def write_chain_file(path: Path = CHAIN_FILE) -> None:
    """Regenerate the shipped table (run after any change to this module; a test says when)."""
    import json

    path.write_text(json.dumps(chains_data(), ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")


def _read_chains(path: Path) -> _Chains | None:
    """The shipped table, or None when it is missing, damaged or generated from another grammar."""
    import json

    try:
        data = json.loads(path.read_bytes())
        if data["grammar"] != grammar_fingerprint():
            return None
        sets = [frozenset((str(a), str(b)) for a, b in contexts) for contexts in data["sets"]]
        pairs = [(sets[a], sets[b]) for a, b in data["pairs"]]
        tables = []
        for name in ("exact", "folded"):
            keys, numbers = data[name].split(" "), bytes.fromhex(data[name + "_pairs"])
            if len(keys) != len(numbers) or "" in keys or (numbers and max(numbers) >= len(pairs)):
                return None
            tables.append(dict(zip(keys, numbers, strict=True)))
        exact, folded = tables
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    if not exact:
        return None
    return _Chains(exact, folded, pairs, max(map(len, exact)))


def _build_chains() -> _Chains:
    tables: tuple[dict[str, tuple[set[tuple[str, str]], set[tuple[str, str]]]], ...] = ({}, {})
    for seq, poss3 in _sequences():
        for vclass in _CLASSES:
            for final in _FINALS:
                chain = _realize(seq, vclass, final)
                for table, k in zip(tables, (chain, chain.translate(_TR_FOLD)), strict=True):
                    entry = table.setdefault(k, (set(), set()))
                    entry[0].add((vclass, final))
                    if poss3:
                        entry[1].add((vclass, final))
    # Numbered in the order of the sorted chains, exact then folded: the shipped table numbers them alike.
    numbers: dict[tuple[_Contexts, _Contexts], int] = {}
    exact, folded = (
        {k: numbers.setdefault((frozenset(a), frozenset(b)), len(numbers)) for k, (a, b) in sorted(t.items())}
        for t in tables
    )
    return _Chains(exact, folded, list(numbers), max(map(len, exact)))


def _tr_contexts(stem: str, ascii_typed: bool) -> set[tuple[str, str]]:
    """Vowel class and final sound of a stem; several when the word was typed without Turkish letters."""
    last = next((ch for ch in reversed(stem) if ch in _VOWELS), None)
    if last is None:
        return set()
    classes = {_I_OF[last]}
    if ascii_typed:
        # i may stand for ı, o for ö, u for ü.
        classes |= {"i": {"ı"}, "o": {"ü"}, "u": {"ü"}}.get(last, set())
    if stem.endswith("l") or stem.endswith("at"):
        # Loanwords: santral -> santrali, saat -> saati, petrol -> petrolü.
        classes |= {_FRONT[c] for c in classes}
    end = stem[-1]
    if end in _VOWELS:
        finals = {"V"}
    elif end in _VOICELESS:
        finals = {"S"}
    elif ascii_typed and end in "cs":
        finals = {"Z", "S"} if end == "c" else {"S"}
    else:
        finals = {"Z"}
    return {(c, f) for c in classes for f in finals}


_SOFT = {"b": "p", "c": "ç", "d": "t", "ğ": "k", "g": "k"}


def _tr_stems(stem: str, chain: str) -> list[str]:
    """The stem itself plus the dictionary forms that alternation could have hidden before a vowel."""
    out = [stem]
    if not chain or chain[0] not in _VOWELS or len(stem) < 2:
        return out
    last = stem[-1]
    if last in _SOFT:
        out.append(stem[:-1] + _SOFT[last])  # kitabı -> kitap, birliği -> birlik, rengi -> renk
    if len(stem) >= 3 and last == stem[-2] and last not in _VOWELS:
        out.append(stem[:-1])  # üssü -> üs, hakkı -> hak
    if len(stem) >= 3 and last not in _VOWELS and stem[-2] not in _VOWELS:
        out.append(stem[:-1] + _I_OF.get(chain[0], chain[0]) + last)  # şehri -> şehir, oğlu -> oğul
    return out


def _tr_plain(word: str, surface: str | None) -> list[Analysis]:
    """Readings of a word without an apostrophe: stem + a chain agreeing with it."""
    chains = _chains()
    ascii_typed = not (_TR_LETTERS & set(word))
    table = chains.folded if ascii_typed else chains.exact
    found = [Analysis(key(word, "tr"), "", False, surface)]
    if not word.isalpha() and any(ch.isdigit() for ch in word):
        return found
    for cut in range(max(2, len(word) - chains.longest), len(word)):
        chain = word[cut:]
        number = table.get(chain)
        if number is None:
            continue
        entry = chains.pairs[number]
        stem = word[:cut]
        contexts = _tr_contexts(stem, ascii_typed)
        if not contexts & entry[0]:
            continue
        poss3 = bool(contexts & entry[1])
        base = surface[:cut] if surface is not None else None
        for candidate in _tr_stems(stem, chain):
            found.append(Analysis(key(candidate, "tr"), chain, False, base, poss3))
    return found


def _tr_analyze(token: str) -> tuple[Analysis, ...]:
    surface = unicodedata.normalize("NFC", token)
    word = casefold(surface, "tr")
    if len(word) != len(surface):
        surface_ok: str | None = None
    else:
        surface_ok = surface
    found: list[Analysis] = []
    marks = [m.start() for m in _APOS_RE.finditer(word)]
    if not marks:
        return tuple(_tr_plain(word, surface_ok))
    chains = _chains()
    # The whole token as one word ("d'Ivoire"), then each apostrophe as the stem/suffix boundary.
    found.append(Analysis(key(word, "tr"), "", False, surface_ok))
    for mark in marks:
        base, suffix = word[:mark], word[mark + 1 :]
        suffix_number = chains.folded.get(suffix.translate(_TR_FOLD))
        if not base or suffix_number is None:
            continue
        written = surface[:mark] if surface_ok is not None else None
        found.append(Analysis(key(base, "tr"), suffix, True, written, bool(chains.pairs[suffix_number][1])))
        # The stem under the apostrophe may carry a compound marker itself: "Birliği'nin", "Denizi'ndeki".
        for reading in _tr_plain(base, written)[1:]:
            whole = (reading.ending + suffix).translate(_TR_FOLD)
            number = chains.folded.get(whole)
            if number is not None:
                found.append(
                    Analysis(reading.key, reading.ending + suffix, True, reading.base, bool(chains.pairs[number][1]))
                )
    return tuple(found)


def _tr_patterns(words: Sequence[str], abbreviation: bool) -> list[WordPattern]:
    out = [WordPattern(w, ((key(w, "tr"), FIXED),)) for w in words[:-1]]
    last = words[-1]
    k = key(last, "tr")
    if abbreviation or _looks_abbreviation(last):
        out.append(WordPattern(last, ((k, ABBR),)))
        return out
    if len(words) == 1 and last[:1].isupper() and not k.endswith(("ca", "ce")):
        # Language names (Rusça, Türkçe) take suffixes without an apostrophe; other names need one.
        out.append(WordPattern(last, ((k, TR_NAME),)))
        return out
    keys = [(k, TR)]
    if len(words) > 1:
        # The compound marker: Birliği -> birlik, Denizi -> deniz, birimleri -> birim, Üssü -> üs.
        word = casefold(last, "tr")
        for reading in _tr_plain(word, None)[1:]:
            if reading.poss3 and reading.ending in _COMPOUND_MARKERS and len(reading.key) >= 2:
                keys.append((reading.key, TR_BARE))
    out.append(WordPattern(last, tuple(dict.fromkeys(keys))))
    return out


_COMPOUND_MARKERS = frozenset({"ı", "i", "u", "ü", "sı", "si", "su", "sü", "ları", "leri"})


def _tr_accepts(paradigm: str, a: Analysis, strict: bool) -> bool:
    if not a.ending:
        return paradigm != TR_BARE
    if paradigm == TR:
        return True
    if paradigm == TR_NAME:
        return a.apostrophe or not strict
    if paradigm == TR_BARE:
        return a.poss3
    if paradigm == ABBR:
        return a.apostrophe
    return False


# ---------------------------------------------------------------------------------------------- Russian


def _endings(spec: str) -> frozenset[str]:
    """Space-separated endings; "0" is the zero ending (валют, государств)."""
    return frozenset("" if e == "0" else e for e in spec.split())


_RU_ADJ_ENDINGS = _endings("ый ий ой ого его ому ему ым им ом ем ая яя ую юю ое ее ые ие ых их ыми ими ей ою ею")
_RU_ADJ_LEMMA = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие")
# Declension classes by the lemma's last letter: (letters removed to get the stem, endings allowed).
_RU_CLASSES: dict[str, tuple[int, frozenset[str]]] = {
    "ru-m": (0, _endings("0 а у ом ем е ы и ов ев ей ам ами ах ым ой")),
    "ru-j": (1, _endings("й я ю ем е и ев ям ями ях ей")),
    "ru-soft": (1, _endings("ь я ю ем е и ей ям ями ях ью")),
    "ru-a": (1, _endings("0 а ы и е у ой ою ей ею ам ами ах")),
    "ru-ja": (1, _endings("я и е ю ей ею ь й ям ями ях")),
    "ru-o": (1, _endings("0 о а у ом е ам ами ах ов")),
    "ru-e": (1, _endings("е я ю ем и ей й ям ями ях")),
    "ru-pl": (1, _endings("0 ы и ов ев ей ам ами ах ям ями ях а я у ю е о ой ом ем ь")),
}
_RU_ABBR_ENDINGS = _endings("а у ом е ы ов ам ами ах")
_RU_ALL = frozenset().union(_RU_ADJ_ENDINGS, *(e for _, e in _RU_CLASSES.values())) - {""}
_RU_LONGEST = max(map(len, _RU_ALL))
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюя")


def _ru_class(word: str) -> str:
    last = word[-1]
    if last == "й":
        return "ru-j"
    if last == "ь":
        return "ru-soft"
    if last == "а":
        return "ru-a"
    if last == "я":
        return "ru-ja"
    if last == "о":
        return "ru-o"
    if last == "е":
        return "ru-e"
    if last in "ыи":
        return "ru-pl"
    if "а" <= last <= "я":
        return "ru-m"
    return FIXED


def _is_ru_adjective(word: str) -> bool:
    return len(word) >= 5 and word.endswith(_RU_ADJ_LEMMA)


_RU_CONJUNCTIONS = frozenset({"и", "или"})
_RU_OBLIQUE_ADJ = ("ых", "их", "ого", "его", "ому", "ему", "ыми", "ими")


def _ru_patterns(words: Sequence[str], abbreviation: bool) -> list[WordPattern]:
    lowered = [key(w, "ru") for w in words]
    abbr = [abbreviation or _looks_abbreviation(w) for w in words]
    if (
        len(words) > 1
        and all(w[:1].isupper() for w in words)
        and not any(_is_ru_adjective(w) or w.endswith(_RU_OBLIQUE_ADJ) for w in lowered)
    ):
        # A name: "Владимира Путина", "Касым-Жомарта Токаева".
        inflecting = set(range(len(words)))
    else:
        inflecting = set()
        for i, w in enumerate(lowered):
            if abbr[i]:
                break
            if w in _RU_CONJUNCTIONS and 0 < i < len(words) - 1 and _is_ru_adjective(lowered[i + 1]):
                continue  # "равная и неделимая безопасность": coordinated adjectives all agree
            inflecting.add(i)
            if not (_is_ru_adjective(w) and i < len(words) - 1):
                break  # the head noun; what follows is a fixed complement
    out: list[WordPattern] = []
    for i, (surface, w) in enumerate(zip(words, lowered, strict=True)):
        if abbr[i]:
            out.append(WordPattern(surface, ((w, ABBR),)))
        elif i not in inflecting:
            out.append(WordPattern(surface, ((w, FIXED),)))
        elif _is_ru_adjective(w) and (i < len(words) - 1 or w.endswith(("ый", "ая", "яя", "ые", "ое"))):
            out.append(WordPattern(surface, ((w[:-2], RU_ADJ),)))
        else:
            cls = _ru_class(w)
            if cls == FIXED:
                out.append(WordPattern(surface, ((w, FIXED),)))
                continue
            strip = _RU_CLASSES[cls][0]
            keys = [(w[: len(w) - strip], cls)]
            # A fleeting vowel: рынок -> рынка, отец -> отца, уровень -> уровня, день -> дня.
            if cls == "ru-m" and len(w) >= 4 and w[-2] in "ое" and w[-3] not in _CYRILLIC_VOWELS:
                keys.append((w[:-2] + w[-1], "ru-m-fleeting"))
            if cls == "ru-soft" and len(w) >= 4 and w[-3] in "ое" and w[-4] not in _CYRILLIC_VOWELS:
                keys.append((w[:-3] + w[-2], "ru-soft-fleeting"))
            out.append(WordPattern(surface, tuple(keys)))
    return out


def _ru_analyze(token: str) -> tuple[Analysis, ...]:
    surface = unicodedata.normalize("NFC", token)
    word = key(surface, "ru")
    same = len(word) == len(surface)
    found = [Analysis(word, "", False, surface if same else None)]
    if not word.isalpha() and any(ch.isdigit() for ch in word):
        return tuple(found)
    for n in range(1, min(_RU_LONGEST, len(word) - 2) + 1):
        ending = word[-n:]
        if ending in _RU_ALL:
            found.append(Analysis(word[:-n], ending, False, surface[:-n] if same else None))
    return tuple(found)


def _ru_accepts(paradigm: str, a: Analysis, strict: bool) -> bool:
    if paradigm == RU_ADJ:
        return a.ending in _RU_ADJ_ENDINGS
    if paradigm == ABBR:
        if not a.ending:
            return True
        # МИДа, МИДе: the abbreviation itself stays in capitals.
        return a.ending in _RU_ABBR_ENDINGS and (not strict or (a.base is not None and a.base.isupper()))
    if paradigm.endswith("-fleeting"):
        # Only forms with an ending lose the vowel; the nominative keeps it.
        return a.ending in _RU_CLASSES[paradigm.removesuffix("-fleeting")][1] and a.ending not in {"", "ь"}
    entry = _RU_CLASSES.get(paradigm)
    return entry is not None and a.ending in entry[1]


# ---------------------------------------------------------------------------------------------- English

_EN_ENDINGS = frozenset({"s", "es", "ies", "'s", "s'"})


def _en_readings(word: str) -> list[tuple[str, str]]:
    """(stem, ending) readings of a case-folded English word: possessive, then plural."""
    out = [(word, "")]
    if word.endswith("'s") and len(word) > 3:
        out.append((word[:-2], "'s"))
        word = word[:-2]
    if word.endswith("ies") and len(word) > 4:
        out.append((word[:-3] + "y", "ies"))
    elif word.endswith(("ches", "shes", "xes", "zes", "sses")) and len(word) > 4:
        out.append((word[:-2], "es"))
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        out.append((word[:-1], "s"))
    return out


def _en_analyze(token: str) -> tuple[Analysis, ...]:
    surface = unicodedata.normalize("NFC", token)
    word = casefold(normalize_apostrophes(surface), "en")
    same = len(word) == len(surface)
    return tuple(
        Analysis(key(stem, "en"), ending, ending == "'s", surface[: len(stem)] if same and ending else None)
        if ending
        else Analysis(key(stem, "en"), "", False, surface if same else None)
        for stem, ending in _en_readings(word)
    )


def _en_patterns(words: Sequence[str], abbreviation: bool) -> list[WordPattern]:
    out = [WordPattern(w, ((key(w, "en"), FIXED),)) for w in words[:-1]]
    last = words[-1]
    if abbreviation or _looks_abbreviation(last):
        out.append(WordPattern(last, ((key(last, "en"), ABBR),)))
    else:
        readings = _en_readings(casefold(last, "en"))
        out.append(WordPattern(last, tuple(dict.fromkeys((key(s, "en"), EN) for s, _ in readings))))
    return out


def _en_accepts(paradigm: str, a: Analysis, strict: bool) -> bool:
    if paradigm == EN:
        return a.ending in _EN_ENDINGS
    if paradigm == ABBR:
        return a.ending in {"'s", "s"}
    return False


# ---------------------------------------------------------------------------------------------- shared


def _looks_abbreviation(word: str) -> bool:
    """AEB, ЕАЭС, EAEU: two or more letters, all capitals."""
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def is_abbreviation(text: str) -> bool:
    """A one-word term written in capitals."""
    words = [m.group() for m in tokens(text)]
    return len(words) == 1 and _looks_abbreviation(words[0])


@lru_cache(maxsize=1 << 16)
def analyze(token: str, lang: str) -> tuple[Analysis, ...]:
    """Every reading of one text word (as `tokens` yields them); the first is the word itself."""
    fam = family(lang)
    if fam == "tr":
        return _tr_analyze(token)
    if fam == "ru":
        return _ru_analyze(token)
    if fam == "en":
        return _en_analyze(token)
    surface = unicodedata.normalize("NFC", token)
    return (Analysis(key(surface, lang), "", False, surface),)


def term_patterns(text: str, lang: str, *, abbreviation: bool = False) -> tuple[WordPattern, ...]:
    """The word patterns a glossary term is matched with; empty if the term has no word at all."""
    words = [m.group() for m in tokens(unicodedata.normalize("NFC", text))]
    if not words:
        return ()
    abbreviation = abbreviation and len(words) == 1
    fam = family(lang)
    if fam == "tr":
        return tuple(_tr_patterns(words, abbreviation))
    if fam == "ru":
        return tuple(_ru_patterns(words, abbreviation))
    if fam == "en":
        return tuple(_en_patterns(words, abbreviation))
    return tuple(
        WordPattern(w, ((key(w, lang), ABBR if abbreviation or _looks_abbreviation(w) else FIXED),)) for w in words
    )


def accepts(pattern: WordPattern, paradigm: str, a: Analysis, lang: str, *, strict: bool) -> bool:
    """Whether reading `a` of a text word, whose key matched `paradigm`'s key, is a form of the pattern word.

    `strict` is for running text: abbreviations must be written in capitals and one-word Turkish names take
    suffixes only after an apostrophe. Lookup queries are matched with strict=False.
    """
    if paradigm == ABBR and strict and (a.base is None or unicodedata.normalize("NFC", a.base) != pattern.surface):
        return False
    if paradigm == FIXED:
        return not a.ending
    fam = family(lang)
    if not a.ending and fam != "ru":
        return paradigm != TR_BARE
    if fam == "tr":
        return _tr_accepts(paradigm, a, strict)
    if fam == "ru":
        return _ru_accepts(paradigm, a, strict)
    if fam == "en":
        return _en_accepts(paradigm, a, strict)
    return False
