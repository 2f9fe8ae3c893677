"""Segmentation throughput with the shipped SRX rules on generated Turkish news text.

    python benchmarks/bench_segment.py [--mb 20] [--seed 1]

The text is built from the shipped article's sentences, shuffled into paragraphs of one to six sentences,
with hard cases mixed in (ordinals, abbreviations, quotations, dates, decimals), until it reaches the asked
size in UTF-8. Reports MB/s for Segmenter.split on every paragraph, on the whole text as one string, and for
segment_lines (the streaming path `kervan segment` uses).
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from kervan.segmentation import Segmenter, load_rules, segment_document, segment_lines
from kervan.sources import read_document

ARTICLE = Path(__file__).resolve().parent.parent / "sources" / "2025-11-13-tokayev-stratejik-ortaklik.txt"
EXTRA = [
    "Prof. Dr. Ayşe Kaya, 13.11.2025 tarihinde saat 14.30’da açıklama yaptı.",
    "Toplantıya T.C. Dışişleri Bakanlığı ve Koç Holding A.Ş. temsilcileri katıldı.",
    "Büyüme yüzde 3,5 oldu; enflasyon 2.5 puan geriledi.",
    "Bakan, “Hazırız. Yarın başlıyoruz.” dedi.",
    "Elma, armut vb. ürünlerin ihracatı arttı... ve rekor kırıldı.",
    "M. K. Atatürk Cad. No. 5 adresindeki bina 2. kez yenilendi.",
]


def generate(megabytes: float, seed: int) -> list[str]:
    document = read_document(ARTICLE, lang="tr")
    sentences = [s.text for s in segment_document(document)] + EXTRA
    rng = random.Random(seed)
    lines: list[str] = []
    size, target = 0, int(megabytes * 1_000_000)
    while size < target:
        line = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 6)))
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
    return lines


def rate(label: str, megabytes: float, seconds: float, segments: int) -> None:
    print(f"{label:<34} {megabytes / seconds:7.2f} MB/s  ({seconds:6.2f} s, {segments:,} segments)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    rules = load_rules()
    segmenter = Segmenter(rules, "tr")
    print(f"{'load and compile rules':<34} {time.perf_counter() - started:7.3f} s")

    lines = generate(args.mb, args.seed)
    text = "\n".join(lines)
    megabytes = len(text.encode("utf-8")) / 1_000_000
    print(f"{megabytes:.1f} MB, {len(lines):,} paragraphs")

    started = time.perf_counter()
    count = sum(len(segmenter.split(line)) for line in lines)
    rate("Segmenter.split, per paragraph", megabytes, time.perf_counter() - started, count)

    started = time.perf_counter()
    count = len(segmenter.split(text))
    rate("Segmenter.split, whole text", megabytes, time.perf_counter() - started, count)

    started = time.perf_counter()
    count = sum(len(sentences) for _, sentences in segment_lines(iter(lines), "tr", rules))
    rate("segment_lines", megabytes, time.perf_counter() - started, count)


if __name__ == "__main__":
    main()
