"""Segmentation quality and speed: Kervan beside pySBD, segtok and a regex splitter, in one process.

    python benchmarks/bench_segment_quality.py GOLD.jsonl [GOLD.jsonl ...] [--lang tr] [--rules X.srx]
        [--half even|odd] [--repeat 3] [--errors N]

GOLD: one paragraph a line, {"text": str, "sentences": [str, ...]} (other keys are ignored); the sentences must
equal the text once all whitespace is removed. benchmarks/data/hard_cases.jsonl holds Kervan's hand-made hard
cases (Turkish, English, Russian; pass --lang and --where lang=...).

Scoring: all whitespace is removed from the paragraph and from each segment; a boundary is the number of
non-whitespace characters before the end of a segment, the end of the paragraph excluded. Precision, recall and
F1 are pooled over all paragraphs. A segmenter that changes the non-whitespace text is mapped back with
difflib. MB/s = UTF-8 bytes of the paragraphs / seconds spent in the segmenting calls (best of --repeat runs,
the segmenters interleaved so that each run sees the same machine load).

--half even|odd keeps every other paragraph (the 0th, 2nd, ... or the 1st, 3rd, ...), to report figures on a
half that rules were not tuned on. pySBD and segtok are benchmark-only: `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Segment = Callable[[str], list[str]]


def _nows(text: str) -> str:
    return "".join(text.split())


@dataclass
class Gold:
    paragraphs: list[str] = field(default_factory=list)
    sentences: list[list[str]] = field(default_factory=list)


def read_gold(paths: list[Path], where: list[tuple[str, str]], half: str | None) -> Gold:
    gold = Gold()
    index = 0
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if any(str(record.get(key)) != value for key, value in where):
                continue
            keep = half is None or (index % 2 == 0) == (half == "even")
            index += 1
            if not keep:
                continue
            text = " ".join(record["text"].split())
            sentences = [" ".join(s.split()) for s in record["sentences"]]
            if _nows(text) != "".join(map(_nows, sentences)):
                raise SystemExit(f"{path}:{number}: the sentences do not make up the text")
            gold.paragraphs.append(text)
            gold.sentences.append(sentences)
    return gold


def _bounds(pieces: list[str]) -> tuple[set[int], str]:
    out, pos = set(), 0
    for piece in pieces:
        pos += len(_nows(piece))
        out.add(pos)
    joined = "".join(map(_nows, pieces))
    return {b for b in out if 0 < b < len(joined)}, joined


def _map(system: str, gold: str, bounds: set[int]) -> set[int]:
    """Boundaries of a text the segmenter changed, carried onto the gold text."""
    ops = difflib.SequenceMatcher(None, system, gold, autojunk=False).get_opcodes()
    mapped = set()
    for b in bounds:
        for tag, i1, i2, j1, j2 in ops:
            if i1 <= b <= i2:
                mapped.add(j1 + (b - i1) if tag == "equal" else j1 + min(b - i1, j2 - j1))
                break
    return {b for b in mapped if 0 < b < len(gold)}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    altered: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _context(text: str, offset: int) -> str:
    """The paragraph around a non-whitespace offset, with ‖ at the offset."""
    seen = 0
    for i, char in enumerate(text):
        if seen == offset:
            return f"{text[max(0, i - 50) : i].rstrip()} ‖ {text[i : i + 50].lstrip()}"
        if not char.isspace():
            seen += 1
    return text[-50:]


def score(gold: Gold, predicted: list[list[str]], keep_errors: int) -> Score:
    result = Score()
    for text, sentences, pieces in zip(gold.paragraphs, gold.sentences, predicted, strict=True):
        expected, gold_text = _bounds(sentences)
        found, system_text = _bounds(pieces)
        if system_text != gold_text:
            result.altered += 1
            found = _map(system_text, gold_text, found)
        result.tp += len(found & expected)
        for kind, offsets in (("FP", found - expected), ("FN", expected - found)):
            setattr(result, kind.lower(), getattr(result, kind.lower()) + len(offsets))
            for offset in sorted(offsets):
                if len(result.errors) < keep_errors:
                    result.errors.append(f"{kind}  {_context(text, offset)}")
    return result


# --------------------------------------------------------------------------- the segmenters


def kervan(lang: str, rules: str | None) -> Segment:
    from kervan.segmentation import Segmenter, load_rules

    return Segmenter(load_rules(rules), lang).split


def pysbd_segmenter(lang: str) -> Segment | None:
    try:
        import pysbd
    except ImportError:
        return None
    # pySBD has no Turkish rules; its English ones are the closest fit for Latin-script text.
    code = lang.split("-")[0] if lang.split("-")[0] in pysbd.languages.LANGUAGE_CODES else "en"
    segmenter = pysbd.Segmenter(language=code, clean=False)
    return lambda text: [s for s in segmenter.segment(text) if s.strip()]


def segtok_segmenter() -> Segment | None:
    try:
        from segtok.segmenter import split_single
    except ImportError:
        return None
    return lambda text: [s for s in split_single(text) if s.strip()]


# The regex baseline: a sentence end, closing quotes or brackets, whitespace, then anything but a lowercase letter.
_REGEX = re.compile(r"[.!?…][\"'”’»)\]]*(\s+)(?=[^\sa-zçğıöşüâîûа-яё])")


def regex_segmenter(text: str) -> list[str]:
    pieces, start = [], 0
    for match in _REGEX.finditer(text):
        pieces.append(text[start : match.start(1)])
        start = match.end(1)
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _run(segment: Segment, paragraphs: list[str]) -> tuple[list[list[str]], float]:
    started = time.perf_counter()
    out = [segment(p) for p in paragraphs]
    return out, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", nargs="+", type=Path)
    parser.add_argument("--lang", default="tr")
    parser.add_argument("--rules", help="an SRX file for Kervan instead of the shipped rules")
    parser.add_argument("--where", action="append", default=[], metavar="KEY=VALUE", help="keep matching records")
    parser.add_argument("--half", choices=["even", "odd"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--errors", type=int, default=0, help="print up to N of Kervan's errors")
    args = parser.parse_args()
    where = [tuple(w.split("=", 1)) for w in args.where]
    gold = read_gold(args.gold, where, args.half)  # type: ignore[arg-type]
    megabytes = sum(len(p.encode("utf-8")) + 1 for p in gold.paragraphs) / 1e6

    segmenters: dict[str, Segment] = {"kervan": kervan(args.lang, args.rules)}
    for name, made in (("pySBD", pysbd_segmenter(args.lang)), ("segtok", segtok_segmenter())):
        if made is None:
            print(f"{name} is not installed (pip install -e '.[bench]'); left out", file=sys.stderr)
        else:
            segmenters[name] = made
    segmenters["regex"] = regex_segmenter

    best: dict[str, float] = {}
    output: dict[str, list[list[str]]] = {}
    for _ in range(max(1, args.repeat)):
        for name, segment in segmenters.items():
            output[name], seconds = _run(segment, gold.paragraphs)
            best[name] = min(best.get(name, seconds), seconds)

    boundaries = sum(len(s) - 1 for s in gold.sentences)
    label = ", ".join(str(p) for p in args.gold) + (f" ({args.half} half)" if args.half else "")
    print(f"{label}: {len(gold.paragraphs)} paragraphs, {boundaries} boundaries, {megabytes:.2f} MB, lang {args.lang}")
    print(f"{'segmenter':<10} {'F1':>6} {'P':>6} {'R':>6} {'fp':>5} {'fn':>5} {'altered':>7} {'MB/s':>8}")
    scores = {name: score(gold, output[name], args.errors if name == "kervan" else 0) for name in segmenters}
    for name, result in scores.items():
        print(
            f"{name:<10} {result.f1:6.3f} {result.precision:6.3f} {result.recall:6.3f} {result.fp:5} {result.fn:5}"
            f" {result.altered:7} {megabytes / best[name]:8.2f}"
        )
    for line in scores["kervan"].errors:
        print("  " + line)


if __name__ == "__main__":
    main()
