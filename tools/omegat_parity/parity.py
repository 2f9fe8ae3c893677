"""Segment the test suite's cases and the shipped article with OmegaT 3.6 and with Kervan; print the differences.

Run on demand (it needs Java and Debian's OmegaT jar, see README.md):

    python tools/omegat_parity/parity.py [--rules FILE.srx] [--generated N] [--seed S] [--show N]
    python tools/omegat_parity/parity.py --rules FILE.srx --text FILE [--lang L ...]

Cases: the tables of tests/test_segmentation.py, the paragraphs of the shipped article, EXTRA below, and with
--generated N that many news-like lines per run (Turkish, English and Russian words, abbreviations, numbers,
apostrophes, balanced quotations and parentheses of one to four sentences, some no-break spaces).
With --text, the cases are instead the lines of FILE: `LANG<TAB>paragraph`, or plain paragraphs segmented in
every --lang given (lines starting with # are skipped). Any SRX file works: OmegaT's, Okapi's, LanguageTool's.
Cuts are compared on the stripped pieces; segments cut alike but trimmed differently (OmegaT keeps a no-break
space at the edge of a segment, Kervan strips it) are counted apart.
Exit status: 0 when every case is cut identically, 1 when some are not, 2 when OmegaT or Java is missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
JAR_PLACES = [
    Path("/usr/share/omegat/OmegaT.jar"),
    Path("/tmp/omt/x/usr/share/omegat/OmegaT.jar"),
]
NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"

# Cases beyond the test tables: other spaces after a sentence end, longer quotations, unclosed ones.
EXTRA = [
    ("tr", f"Toplantı bitti.{NBSP}Yarın devam."),
    ("tr", f"Toplantı bitti.{NNBSP}Yarın devam."),
    ("tr", f"Toplantı bitti.{THIN}Yarın devam."),
    ("tr", f"İki lider 21.{NBSP}Forum’a katıldı."),
    ("tr", f"Bakan, “Hazırız.{NBSP}Yarın başlıyoruz.” dedi."),
    ("tr", "Bakan, “Hazırız. Yarın başlıyoruz. Herkes hazır olsun.” dedi. Sonra ayrıldı."),
    ("tr", "Putin, «Bu tarihi bir adım. Birlikte çalışacağız. Anlaştık» dedi."),
    ("tr", "Açıklama (Kaya yaptı. Metin ektedir. Ek 2 de var.) bugün yayımlandı. Tören bitti."),
    ("tr", 'Bakan, "Hazırız. Yarın başlıyoruz. Gelin" dedi. Sonra ayrıldı.'),
    ("tr", "Bakan ‘Hazırız. Yarın başlıyoruz. Gelin.’ dedi. Sonra ayrıldı."),
    ("tr", "Tokayev, Rusya’ya gitti. Putin’e mektup yazdı. Kremlin’de görüştüler."),
    ("tr", "Bakan ”Hazırız” dedi. Sonra ”Gidelim” dedi. Bitti."),
    ("tr", "İki karar alındı. A) Vergiler düşecek. B) Harçlar kalkacak."),
    ("tr", "“Hazırız. Yarın başlıyoruz. Herkes hazır olsun."),
    ("en", "He said, ‘We are ready. We start tomorrow. Be there.’ Then he left."),
    ("en", "They met. The leaders’ talks ended. Both left."),
    ("en", "He said, ‘We are ready. We start now. It’s the leaders’ day’ Then he left."),
    ("tr", "Herkes hazır olsun. Bu tarihi bir gün.” dedi Bakan."),
    ("tr", "Bakan ‘Putin’e mektup yazdım. Yarın gelecek’ dedi."),
    ("tr", "Bakan ‘Putin’e mektup yazdım. Yarın gelecek"),
    ("ru", "Он сказал: «Да. Конечно. Завтра». Потом ушёл."),
    ("ru", "Он сказал „да. Конечно. Завтра“ и ушёл. Потом вернулся."),
    ("ru", f"В. В. Путин приехал.{NBSP}Переговоры начались."),
]

# Words for --generated, per language: what the rules must keep whole sits among ordinary words.
LEXICON = {
    "tr": [
        "bakan", "Rusya’ya", "Putin’e", "AEB'nin", "gitti", "dedi", "21.", "Dr. Ali", "vb.", "A.Ş.", "13.11.2025",
        "14.30’da", "Kas. 2025", "No. 5", "bugün", "iki", "lider", "Ankara", "yüzde 3,5", "XIX.", "ekonomi", "şehir",
        "Kremlin’de", "T.C.", "Prof. Dr. Ayşe Kaya", "Bildirgesi’ni",
    ],
    "en": [
        "minister", "Russia", "the leaders’", "Putin’s", "went", "said", "Dr. Smith", "etc.", "U.S.", "No. 5",
        "Jan. 15", "today", "two", "don’t", "it’s", "3.5 percent", "St. Petersburg", "e.g. Paris", "economy",
    ],
    "ru": [
        "министр", "Путин", "заявил", "г. Москва", "в 2025 г.", "т.е.", "ул. Ленина", "д. 5", "В. В. Путин",
        "сегодня", "два", "5 млн. рублей", "экономика", "и т.д.",
    ],
}  # fmt: skip
QUOTES = {
    "tr": ["“”", "“”", "«»", "‘’", '""', "()"],
    "en": ["“”", "“”", "‘’", '""', "()"],
    "ru": ["«»", "«»", "„“", "()"],
}
TAILS = {"tr": ["dedi.", "diye konuştu."], "en": ["he said.", "Then he left."], "ru": ["сказал он.", "заявил Путин."]}


@dataclass(frozen=True, slots=True)
class Case:
    label: str
    lang: str
    text: str


def find_jar() -> Path | None:
    configured = os.environ.get("OMEGAT_JAR")
    for place in [Path(configured)] if configured else JAR_PLACES:
        if place.is_file():
            return place
    return None


def build_harness(jar: Path, folder: Path) -> None:
    sources = [HERE / "OmegatParity.java", HERE / "stub" / "org" / "omegat" / "core" / "segmentation" / "SRX.java"]
    subprocess.run(["javac", "-nowarn", "-cp", str(jar), "-d", str(folder), *map(str, sources)], check=True)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def _unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append({"t": "\t", "r": "\r", "n": "\n"}.get(following, following))
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Result:
    cuts: tuple[int, ...]  # positions between segments, as offsets into the text
    segments: tuple[str, ...]  # as the tool returns them (each tool trims in its own way)


def run_omegat(jar: Path, classes: Path, rules: Path, cases: list[Case]) -> list[Result]:
    lines = "".join(f"{case.lang}\t{_escape(case.text)}\n" for case in cases)
    done = subprocess.run(
        ["java", "-cp", os.pathsep.join([str(classes), str(jar)]), "OmegatParity", str(rules)],
        input=lines.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    results = []
    for line in done.stdout.decode("utf-8").splitlines():
        fields = [_unescape(f) for f in line.split("\t")] if line else []
        cuts, segments, offset = [], [], 0
        for lead, segment, trail in zip(fields[0::3], fields[1::3], fields[2::3], strict=True):
            if offset:
                cuts.append(offset)
            offset += len(lead) + len(segment) + len(trail)
            segments.append(segment)
        results.append(Result(tuple(cuts), tuple(segments)))
    if len(results) != len(cases):
        raise SystemExit(f"OmegaT harness answered {len(results)} of {len(cases)} cases")
    return results


def run_kervan(rules_path: Path, cases: list[Case]) -> list[Result]:
    from kervan.segmentation import Segmenter, load_rules

    rules = load_rules(rules_path)
    results = []
    for case in cases:
        segmenter = Segmenter(rules, case.lang)
        results.append(Result(tuple(segmenter.breaks(case.text)), tuple(segmenter.split(case.text))))
    return results


def _pieces(text: str, cuts: tuple[int, ...]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [p for p in (text[a:b].strip() for a, b in itertools.pairwise(bounds)) if p]


def suite_cases() -> Iterator[Case]:
    """The case tables of tests/test_segmentation.py, the shipped article, and EXTRA."""
    sys.path.insert(0, str(REPO / "tests"))
    spec = importlib.util.spec_from_file_location("kervan_test_segmentation", REPO / "tests" / "test_segmentation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for table, lang in (("TURKISH", "tr"), ("ENGLISH", "en-GB"), ("RUSSIAN", "ru")):
        for number, marked in enumerate(getattr(module, table), start=1):
            yield Case(f"{table.lower()} {number}", lang, " ".join(marked.split(" | ")))
    from kervan.sources import read_document

    article = REPO / "sources" / "2025-11-13-tokayev-stratejik-ortaklik.txt"
    for number, paragraph in enumerate(read_document(article, lang="tr").all_paragraphs(), start=1):
        yield Case(f"article paragraph {number}", "tr", paragraph.text)
    for number, (lang, text) in enumerate(EXTRA, start=1):
        yield Case(f"extra {number}", lang, text)


def text_cases(path: Path, langs: list[str]) -> Iterator[Case]:
    """Paragraphs of a text file: `LANG<TAB>text` lines, or plain lines segmented in each of `langs`."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            lang, tab, text = line.partition("\t")
            if tab and len(lang) <= 12 and " " not in lang:
                if not langs or lang in langs:
                    yield Case(f"{path.name} line {number}", lang, text)
            else:
                for lang in langs or ["en"]:
                    yield Case(f"{path.name} line {number}", lang, line)


def _sentence(rng: random.Random, lang: str) -> str:
    words = [rng.choice(LEXICON[lang]) for _ in range(rng.randint(1, 6))]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + rng.choice([".", ".", "!", "?", "…", "..."])


def generated_cases(count: int, seed: int) -> Iterator[Case]:
    rng = random.Random(seed)
    for number in range(1, count + 1):
        lang = rng.choice(["tr", "en", "ru"])
        parts = []
        for _ in range(rng.randint(1, 5)):
            if rng.random() < 0.4:
                marks = rng.choice(QUOTES[lang])
                inner = " ".join(_sentence(rng, lang) for _ in range(rng.randint(1, 4)))
                inner = inner.rstrip(".!?…") if rng.random() < 0.4 else inner
                tail = " " + rng.choice(TAILS[lang]) if rng.random() < 0.7 else ""
                parts.append(marks[0] + inner + marks[1] + tail)
            else:
                parts.append(_sentence(rng, lang))
        text = "".join(part + rng.choice([" ", " ", " ", NBSP]) for part in parts).strip()
        yield Case(f"generated {number}", lang, text)


def _show(text: str, cuts: tuple[int, ...]) -> str:
    bounds = [0, *cuts, len(text)]
    shown = " | ".join(text[a:b] for a, b in itertools.pairwise(bounds))
    return shown.replace(NBSP, "⍽").replace(NNBSP, "⍽").replace(THIN, "⍽")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rules", type=Path, default=REPO / "src" / "kervan" / "segmentation" / "rules" / "kervan.srx")
    parser.add_argument("--generated", type=int, default=0, metavar="N", help="also compare N generated lines")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=10, metavar="N", help="print at most N generated differences")
    parser.add_argument("--text", type=Path, help="compare on the paragraphs of this file instead of the suite")
    parser.add_argument("--lang", action="append", default=[], help="language(s) for --text (repeatable)")
    args = parser.parse_args()
    jar = find_jar()
    if jar is None or not shutil.which("javac") or not shutil.which("java"):
        print("needs java, javac and OmegaT.jar (set OMEGAT_JAR); see tools/omegat_parity/README.md", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO / "src"))
    if args.text:
        cases = list(text_cases(args.text, args.lang))
    else:
        cases = list(suite_cases()) + list(generated_cases(args.generated, args.seed))
    with tempfile.TemporaryDirectory() as folder:
        build_harness(jar, Path(folder))
        omegat = run_omegat(jar, Path(folder), args.rules, cases)
    kervan = run_kervan(args.rules, cases)
    cut_differences = trim_differences = 0
    groups: dict[str, list[bool]] = {}
    for case, theirs, ours in zip(cases, omegat, kervan, strict=True):
        same = _pieces(case.text, theirs.cuts) == _pieces(case.text, ours.cuts)
        groups.setdefault(case.lang if args.text else case.label.rsplit(" ", 1)[0], []).append(same)
        quiet = not case.label.startswith(("turkish", "english", "russian", "article", "extra")) and (
            cut_differences + trim_differences >= args.show
        )
        if not same:
            cut_differences += 1
            if quiet:
                continue
            print(f"{case.label} [{case.lang}]\n  Kervan: {_show(case.text, ours.cuts)}")
            print(f"  OmegaT: {_show(case.text, theirs.cuts)}")
        elif [s for s in theirs.segments if s] != list(ours.segments):
            trim_differences += 1
            if quiet:
                continue
            print(f"{case.label} [{case.lang}]: same cuts, OmegaT keeps {[s for s in theirs.segments if s]!r}")
    for group, outcomes in groups.items():
        print(f"{group}: {sum(outcomes)} of {len(outcomes)} identical")
    identical = len(cases) - cut_differences
    print(f"total: {identical} of {len(cases)} cut identically; {trim_differences} of those trimmed differently")
    return 1 if cut_differences else 0


if __name__ == "__main__":
    sys.exit(main())
