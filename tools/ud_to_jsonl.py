"""Turn a Universal Dependencies treebank file (CoNLL-U) into segmentation gold, one paragraph a line.

    python tools/ud_to_jsonl.py tr_imst-ud-train.conllu [more.conllu ...] -o imst_train.jsonl [--seed 1]

Treebanks rarely mark paragraphs (`# newpar`), so sentences are grouped into pseudo-paragraphs of three to eight
sentences (sizes drawn with a fixed seed), in treebank order within a document, never across one: the document
is the part of the sentence id before its number (`00002213` in `00002213_122`, `bio` in `bio_9`, `Research` in
`Research-0001.train`), and a `# newdoc` or `# newpar` line also ends a group. The paragraph is the sentences'
`# text` joined by a space. Each line: {"text", "sentences", "source", "doc", "sent_ids"}, the format that
benchmarks/bench_segment_quality.py reads. Sentences whose text is empty are left out.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

_DOC = re.compile(r"^(.+?)[_-]\d")


def _sentences(path: Path) -> Iterator[tuple[str, str, bool]]:
    """(sent_id, text, starts_a_document) for each sentence of a CoNLL-U file."""
    sent_id, text, new = "", "", False
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("# newdoc") or line.startswith("# newpar"):
                new = True
            elif line.startswith("# sent_id"):
                sent_id = line.split("=", 1)[1].strip()
            elif line.startswith("# text ") or line.startswith("# text="):
                text = line.split("=", 1)[1].strip()
            elif not line.strip() and text:
                yield sent_id, " ".join(text.split()), new
                sent_id, text, new = "", "", False


def paragraphs(path: Path, rng: random.Random) -> Iterator[dict[str, object]]:
    # Documents in order of first appearance, each with its sentences in treebank order (a split drawn at
    # random from a treebank interleaves documents: bio_9, ins_1282, bio_16, ...).
    documents: dict[object, list[list[tuple[str, str]]]] = {}
    for sent_id, text, new in _sentences(path):
        match = _DOC.match(sent_id)
        runs = documents.setdefault(match.group(1) if match else None, [[]])
        if new and runs[-1]:
            runs.append([])
        runs[-1].append((sent_id, text))
    for doc, runs in documents.items():
        for run in runs:
            start = 0
            while start < len(run):
                group = run[start : start + rng.randint(3, 8)]
                start += len(group)
                yield {
                    "text": " ".join(t for _, t in group),
                    "sentences": [t for _, t in group],
                    "source": path.name,
                    "doc": doc,
                    "sent_ids": [i for i, _ in group],
                }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("conllu", nargs="+", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    count = 0
    with args.output.open("w", encoding="utf-8") as out:
        for path in args.conllu:
            for record in paragraphs(path, rng):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    print(f"{args.output}: {count} paragraphs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
