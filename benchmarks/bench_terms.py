"""Term index at scale: build time, lookup latency, scan throughput and cache save/load on a generated glossary.

    python benchmarks/bench_terms.py [CONCEPTS] [--text-mb MB] [--queries N] [--seed S]

CONCEPTS defaults to 100,000. Each generated concept has a Turkish term (1 to 4 words, some with a compound
marker), a Turkish abbreviation for one concept in five, an English and a Russian term; words are built from
syllables so that they look and inflect like real words. The shipped glossary is added on top.

Two scans: the shipped article repeated to --text-mb (real prose: words repeat, as in any text), and generated
text where every seventh word is a random glossary term, a third of them inflected (Turkish suffixes with and
without an apostrophe, Russian case endings): nearly every term word is new, the worst case for the analysis
cache.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from kervan.model import Concept, Term
from kervan.sources import read_document
from kervan.terms import TermIndex
from kervan.terms import morphology as morph

TR_ONSETS = ["b", "c", "ç", "d", "g", "k", "l", "m", "n", "p", "r", "s", "ş", "t", "y", "z", ""]
TR_VOWELS = ["a", "e", "ı", "i", "o", "ö", "u", "ü"]
TR_CODAS = ["", "", "n", "r", "l", "k", "t", "m", "s"]
RU_ONSETS = ["б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф", "х", "ч", "ш"]
RU_VOWELS = ["а", "о", "у", "и", "е", "ы"]
EN_ONSETS = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "tr"]
EN_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
RU_ADJ_ENDINGS = ["ого", "ому", "ым", "ом"]
RU_NOUN_ENDINGS = ["а", "у", "ом", "е"]


def tr_word(rng: random.Random) -> str:
    return "".join(
        rng.choice(TR_ONSETS) + rng.choice(TR_VOWELS) + rng.choice(TR_CODAS) for _ in range(rng.randint(2, 3))
    )


def ru_word(rng: random.Random) -> str:
    """A stem ending in a consonant: a masculine noun, or an adjective with "-ский" added."""
    syllables = "".join(rng.choice(RU_ONSETS) + rng.choice(RU_VOWELS) for _ in range(rng.randint(2, 3)))
    return syllables + rng.choice(["н", "р", "л", "т", "в"])


def en_word(rng: random.Random) -> str:
    return "".join(rng.choice(EN_ONSETS) + rng.choice(EN_VOWELS) for _ in range(rng.randint(2, 3))) + "n"


def generate(count: int, rng: random.Random) -> list[Concept]:
    concepts = []
    for n in range(count):
        size = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
        tr_words = [tr_word(rng) for _ in range(size)]
        if size > 1 and rng.random() < 0.5:
            tr_words[-1] += "si" if tr_words[-1][-1] in "aeıioöuü" else "i"  # compound marker
        if rng.random() < 0.4:
            tr_words = [w.capitalize() for w in tr_words]
        tr_terms = [Term(" ".join(tr_words), "tr")]
        if rng.random() < 0.2:
            abbreviation = "".join(w[0] for w in tr_words).upper() + rng.choice("BCDKMT")
            tr_terms.append(Term(abbreviation, "tr", "abbreviation"))
        ru_words = [ru_word(rng) + "ский" for _ in range(size - 1)] + [ru_word(rng)]
        concepts.append(
            Concept(
                f"c{n}",
                {
                    "tr": tuple(tr_terms),
                    "en": (Term(" ".join(en_word(rng) for _ in range(size)), "en"),),
                    "ru": (Term(" ".join(ru_words), "ru"),),
                },
            )
        )
    return concepts


def tr_suffix(word: str, rng: random.Random) -> str:
    """A grammatical case or plural suffix for `word` (vowel harmony, buffer letters, d/t), written here
    independently of the matcher's own grammar."""
    vowels = [ch for ch in word.lower() if ch in "aeıioöuü"]
    last = vowels[-1] if vowels else "e"
    back = last in "aıou"
    high = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "i": "i", "ö": "ü", "ü": "ü"}[last]
    low = "a" if back else "e"
    after_vowel = word[-1].lower() in "aeıioöuü"
    d = "t" if word[-1].lower() in "çfhkpsşt" else "d"
    return rng.choice(
        [
            ("n" if after_vowel else "") + high + "n",  # genitive
            ("y" if after_vowel else "") + low,  # dative
            d + low,  # locative
            d + low + "n",  # ablative
            "l" + low + "r",  # plural
        ]
    )


def inflect_tr(term: str, rng: random.Random) -> str:
    """A third of the terms inflected; names and abbreviations take the suffix after an apostrophe."""
    if rng.random() < 0.66:
        return term
    if morph.is_abbreviation(term):
        return term + rng.choice(["'nin", "’de", "'ye"])
    last = term.split()[-1]
    return term + ("’" if last[:1].isupper() else "") + tr_suffix(last, rng)


def inflect_ru(term: str, rng: random.Random, share: float = 0.34) -> str:
    if rng.random() >= share:
        return term
    words = term.split()
    out = [w[:-2] + rng.choice(RU_ADJ_ENDINGS) for w in words[:-1]]
    return " ".join([*out, words[-1] + rng.choice(RU_NOUN_ENDINGS)])


def text_of(
    concepts: list[Concept], lang: str, megabytes: float, rng: random.Random
) -> tuple[str, set[tuple[int, int, str]]]:
    """Generated text and its planted terms as (start, end, concept id)."""
    filler = [tr_word(rng) for _ in range(500)] if lang == "tr" else [ru_word(rng) + "ить" for _ in range(500)]
    parts: list[str] = []
    planted: set[tuple[int, int, str]] = set()
    size = length = 0
    while size < megabytes * 1_000_000:
        if rng.random() < 0.15:
            concept = rng.choice(concepts)
            term = concept.terms[lang][-1 if lang == "tr" and rng.random() < 0.3 else 0].text
            piece = inflect_tr(term, rng) if lang == "tr" else inflect_ru(term, rng)
            planted.add((length, length + len(piece), concept.id))
        else:
            piece = rng.choice(filler)
        piece += rng.choice([" ", " ", " ", ", ", ". "])
        parts.append(piece)
        size += len(piece.encode("utf-8"))
        length += len(piece)
    return "".join(parts), planted


REPO = Path(__file__).resolve().parent.parent


def shipped() -> tuple[list[Concept], str]:
    """The shipped glossary and article, when the checkout has them."""
    glossary = REPO / "glossary" / "kervan.tbx"
    concepts: list[Concept] = []
    if glossary.is_file():
        from kervan.formats.tbx import read_tbx

        concepts = read_tbx(str(glossary))
    article = next((REPO / "sources").glob("*.txt"), None)
    text = ""
    if article is not None:
        text = "\n".join(p.text for p in read_document(article, lang="tr").all_paragraphs())
    return concepts, text


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {p50 * 1e6:8.1f} µs   p95 {p95 * 1e6:8.1f} µs   mean {statistics.fmean(ordered) * 1e6:8.1f} µs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("concepts", nargs="?", type=int, default=100_000)
    parser.add_argument("--text-mb", type=float, default=2.0)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    real, article = shipped()
    concepts = generate(args.concepts, rng)
    every = [*real, *concepts]
    terms = sum(len(ts) for c in every for ts in c.terms.values())
    print(f"glossary: {len(every):,} concepts ({len(real)} shipped), {terms:,} terms")

    started = time.perf_counter()
    index = TermIndex.build(every)
    print(f"build:                 {time.perf_counter() - started:8.2f} s")

    # Lookup: each kind of query against random concepts; "miss" queries fall through to the fuzzy tier.
    kinds: dict[str, list[str]] = {"exact": [], "normalized": [], "inflected": [], "fuzzy": [], "miss": []}
    for _ in range(args.queries):
        concept = rng.choice(concepts)
        tr = concept.terms["tr"][0].text
        kinds["exact"].append(tr)
        kinds["normalized"].append(morph.key(tr, "tr").upper())
        kinds["inflected"].append(inflect_ru(concept.terms["ru"][0].text, rng, share=1.0))
        if len(tr) >= 9:
            cut = rng.randrange(1, len(tr) - 1)
            kinds["fuzzy"].append(tr[:cut] + tr[cut + 1 :])
        kinds["miss"].append(" ".join(tr_word(rng) for _ in range(rng.randint(1, 3))))
    started = time.perf_counter()
    index.lookup("warm up")  # builds the fuzzy tables once
    print(f"fuzzy tables (lazy):   {time.perf_counter() - started:8.2f} s")
    for kind, queries in kinds.items():
        samples = []
        hits = 0
        for query in queries:
            t0 = time.perf_counter()
            found = index.lookup(query)
            samples.append(time.perf_counter() - t0)
            hits += bool(found)
        print(f"lookup {kind:<11}    {percentiles(samples)}   hits {hits}/{len(queries)}")

    # The tiers for queries no whole term matches, on their own random stream so the figures above stay comparable
    # with earlier runs: a word of a multi-word term, and a name respelled as English writes Turkish sounds.
    extra = random.Random(args.seed + 1)
    later: dict[str, list[str]] = {"partial": [], "respelled": []}
    respell = str.maketrans({"ş": "sh", "ç": "ch", "c": "j", "ı": "i", "Ş": "Sh", "Ç": "Ch", "C": "J"})
    while len(later["partial"]) < args.queries or len(later["respelled"]) < args.queries:
        tr = extra.choice(concepts).terms["tr"][0].text
        words = tr.split()
        if len(words) > 2 and len(later["partial"]) < args.queries:
            later["partial"].append(" ".join(words[1:]))
        if tr[:1].isupper() and tr.translate(respell) != tr and len(later["respelled"]) < args.queries:
            later["respelled"].append(tr.translate(respell))
    for kind, queries in later.items():
        samples = []
        hits = 0
        for query in queries:
            t0 = time.perf_counter()
            found = index.lookup(query)
            samples.append(time.perf_counter() - t0)
            hits += bool(found)
        print(f"lookup {kind:<11}    {percentiles(samples)}   hits {hits}/{len(queries)}")

    # Scan throughput: real prose first, then generated text with planted (partly inflected) terms.
    if article:
        text = (article + "\n") * max(1, int(args.text_mb * 1_000_000 / len(article.encode("utf-8"))))
        megabytes = len(text.encode("utf-8")) / 1_000_000
        morph.analyze.cache_clear()
        started = time.perf_counter()
        found = index.scan(text, "tr")
        elapsed = time.perf_counter() - started
        print(
            f"scan article tr: {megabytes:5.2f} MB in {elapsed:6.2f} s = {megabytes / elapsed:6.2f} MB/s"
            f"   ({len(found):,} occurrences)"
        )
    for lang in ("tr", "ru"):
        text, planted = text_of(concepts, lang, args.text_mb, rng)
        megabytes = len(text.encode("utf-8")) / 1_000_000
        morph.analyze.cache_clear()
        started = time.perf_counter()
        found = index.scan(text, lang)
        elapsed = time.perf_counter() - started
        spans = {(o.start, o.end, o.concept.id) for o in found}
        print(
            f"scan planted {lang}: {megabytes:5.2f} MB in {elapsed:6.2f} s = {megabytes / elapsed:6.2f} MB/s"
            f"   ({len(found):,} occurrences; planted {len(planted):,}, found exactly {len(planted & spans):,})"
        )

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "terms.json"
        started = time.perf_counter()
        index.save(path)
        saved = time.perf_counter() - started
        started = time.perf_counter()
        TermIndex.load(path)
        loaded = time.perf_counter() - started
        print(f"cache: save {saved:6.2f} s, load {loaded:6.2f} s, {path.stat().st_size / 1e6:6.1f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
