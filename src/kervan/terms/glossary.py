"""Termbase operations on model objects: checks (`validate`) and merging an import (`merge_concepts`).

Terms are compared as the language compares them: case-insensitively with the language's own rules
(Turkish "İ"/"i" and "I"/"ı"), after Unicode NFC, via `kervan.text.casefold`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from ..errors import KervanError
from ..model import Concept, Finding, Severity, Term
from ..text import casefold

_STATUS_RANK = {"preferred": 0, "admitted": 1, "deprecated": 2}


def _finding(check: str, severity: Severity, concept: str, lang: str, message: str) -> Finding:
    return Finding(check=f"glossary-{check}", severity=severity, unit_id=concept, lang=lang, message=message)


def _canonical(lang: str) -> str | None:
    from ..locales import check_language

    try:
        return check_language(lang)
    except KervanError:
        return None


def _key(term: Term, lang: str) -> str:
    return casefold(term.text, lang)


# --------------------------------------------------------------------------- validation


def validate(concepts: Iterable[Concept], langs: Sequence[str] = ()) -> list[Finding]:
    """Problems in a termbase, in concept order; an empty list means none.

    Errors: duplicate or non-XML concept ids, concepts without terms, bad language codes, empty terms, a
    required language (`langs`) missing, the same term (language + caseless text) naming two concepts.
    Warnings: a term repeated within a concept, an abbreviation without a full form in its language, a language
    with deprecated terms only, two preferred terms of one kind in one language, a preferred full form that is
    not the first preferred term (so `Concept.preferred` would not return it), spacing a reader would change.
    """
    from ..formats.tbx import is_ncname

    findings: list[Finding] = []
    required = [(lang, _canonical(lang) or lang) for lang in langs]
    first_line: dict[str, int] = {}
    owners: dict[tuple[str, str], str] = {}  # (language, caseless term) -> first concept naming it
    for index, concept in enumerate(concepts):
        cid = concept.id

        def add(check: str, severity: Severity, lang: str, message: str, cid: str = cid) -> None:
            findings.append(_finding(check, severity, cid, lang, message))

        if cid in first_line:
            add(
                "duplicate-id",
                "error",
                "",
                f"concept id {cid!r} is used twice (entries {first_line[cid]} and {index + 1})",
            )
        else:
            first_line[cid] = index + 1
        if not is_ncname(cid):
            add("bad-id", "error", "", f"concept id {cid!r} is not an XML name, so TBX cannot carry it")
        if not any(concept.terms.values()):
            add("no-terms", "error", "", "concept has no terms")

        canonical: dict[str, str] = {}
        for lang in concept.terms:
            code = _canonical(lang)
            if code is None:
                add("bad-language", "error", lang, f"unknown language code {lang!r}")
            canonical[lang] = code or lang
        present = {canonical[lang] for lang, terms in concept.terms.items() if terms}
        for given, code in required:
            if code not in present:
                add("missing-language", "error", given, f"no term in {given!r}")

        for lang, terms in concept.terms.items():
            _check_language_terms(concept, lang, canonical[lang], terms, owners, add)
    return findings


def _check_language_terms(
    concept: Concept,
    lang: str,
    code: str,
    terms: Sequence[Term],
    owners: dict[tuple[str, str], str],
    add: Callable[[str, Severity, str, str], None],
) -> None:
    seen: set[str] = set()
    for term in terms:
        if term.lang != lang:
            add(
                "bad-language",
                "error",
                lang,
                f"term {term.text!r} says language {term.lang!r} but is filed under {lang!r}",
            )
        if not term.text.strip():
            add("empty-term", "error", lang, "empty term")
            continue
        if term.text != " ".join(term.text.split()):
            add("spacing", "warning", lang, f"term {term.text!r} has leading, trailing or repeated spaces")
        key = _key(term, code)
        if key in seen:
            add("repeated-term", "warning", lang, f"term {term.text!r} appears twice in this concept")
            continue
        seen.add(key)
        owner = owners.setdefault((code, key), concept.id)
        if owner != concept.id:
            add("duplicate-term", "error", lang, f"term {term.text!r} also names concept {owner!r}")
    if not terms:
        return
    kinds = {t.kind for t in terms}
    if "abbreviation" in kinds and "fullForm" not in kinds:
        shorts = ", ".join(repr(t.text) for t in terms if t.kind == "abbreviation")
        add("abbreviation-without-full-form", "warning", lang, f"abbreviation {shorts} has no full form in {lang!r}")
    if all(t.status == "deprecated" for t in terms):
        add("no-approved-term", "warning", lang, f"every term in {lang!r} is deprecated")
    for kind in ("fullForm", "abbreviation", "variant"):
        preferred = [t.text for t in terms if t.kind == kind and t.status == "preferred"]
        if len(preferred) > 1:
            add(
                "preferred-conflict",
                "warning",
                lang,
                f"{len(preferred)} preferred {kind} terms: {', '.join(preferred)}",
            )
    first = concept.preferred(lang)
    full = next((t for t in terms if t.status == "preferred" and t.kind == "fullForm"), None)
    if full is not None and first is not None and first.kind != "fullForm":
        add(
            "preferred-order",
            "warning",
            lang,
            f"preferred full form {full.text!r} should come before {first.text!r} (the first is the rendering)",
        )


# --------------------------------------------------------------------------- merging


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged termbase and what changed, change by change (nothing is dropped without a word)."""

    concepts: tuple[Concept, ...]
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    changes: tuple[Finding, ...] = ()

    def __str__(self) -> str:
        unchanged = len(self.concepts) - len(self.added) - len(self.updated)
        return f"{len(self.added)} concepts added, {len(self.updated)} updated, {unchanged} unchanged"


def merge_concepts(
    existing: Iterable[Concept], incoming: Iterable[Concept], *, match_terms: bool = True
) -> MergeResult:
    """Merge an import into a termbase.

    Concepts are matched by id; with `match_terms`, an incoming concept whose id is unknown is matched by its
    terms instead (a TSV/CSV import has made-up ids): if its terms name exactly one existing concept, it merges
    into that one. Within a matched concept, per language:

    - a term present on both sides (caseless) takes the incoming spelling, kind and status;
    - incoming terms that are new are appended; existing terms that the import does not mention are kept;
    - where the import brings a preferred term, an existing preferred term of the same kind that it does not
      mention is demoted to admitted (reported as a warning), so each language keeps one preferred rendering;
    - definition, note and subject: a non-empty incoming value replaces the existing one (reported).

    Unmatched incoming concepts are appended in order. Every change is reported in `changes`.
    """
    result: list[Concept] = list(existing)
    position = {concept.id: i for i, concept in enumerate(result)}
    term_owner: dict[tuple[str, str], set[str]] = {}
    for concept in result:
        _index_terms(concept, term_owner)
    added: list[str] = []
    updated: list[str] = []
    changes: list[Finding] = []

    for concept in incoming:
        target_id = concept.id if concept.id in position else None
        if target_id is None and match_terms:
            owners: set[str] = set()
            for lang, terms in concept.terms.items():
                for term in terms:
                    owners |= term_owner.get((lang, _key(term, lang)), set())
            if len(owners) == 1:
                target_id = next(iter(owners))
                changes.append(
                    _finding(
                        "merge-matched", "info", target_id, "", f"imported concept {concept.id!r} matched by its terms"
                    )
                )
            elif len(owners) > 1:
                names = ", ".join(sorted(owners))
                changes.append(
                    _finding(
                        "merge-ambiguous",
                        "warning",
                        concept.id,
                        "",
                        f"terms of imported concept {concept.id!r} name several concepts ({names}); added as new",
                    )
                )
        if target_id is None:
            new_id = concept.id
            n = 1
            while new_id in position:  # an id clash with a concept matched by terms elsewhere
                n += 1
                new_id = f"{concept.id}-{n}"
            concept = replace(concept, id=new_id)
            position[new_id] = len(result)
            result.append(concept)
            _index_terms(concept, term_owner)
            added.append(new_id)
            changes.append(_finding("merge-added", "info", new_id, "", "concept added"))
            continue
        old = result[position[target_id]]
        merged, notes = _merge_one(old, concept)
        if merged != old:
            result[position[target_id]] = merged
            _index_terms(merged, term_owner)
            if target_id not in updated and target_id not in added:
                updated.append(target_id)
            changes.extend(notes)
    return MergeResult(tuple(result), tuple(added), tuple(updated), tuple(changes))


def _index_terms(concept: Concept, owners: dict[tuple[str, str], set[str]]) -> None:
    for lang, terms in concept.terms.items():
        for term in terms:
            owners.setdefault((lang, _key(term, lang)), set()).add(concept.id)


def _merge_one(old: Concept, new: Concept) -> tuple[Concept, list[Finding]]:
    notes: list[Finding] = []
    cid = old.id
    terms: dict[str, tuple[Term, ...]] = dict(old.terms)
    for lang, incoming in new.terms.items():
        merged, lang_notes = _merge_terms(cid, lang, list(old.terms.get(lang, ())), list(incoming))
        terms[lang] = merged
        notes.extend(lang_notes)
    fields = {}
    for name in ("definition", "note", "subject"):
        before, after = getattr(old, name), getattr(new, name)
        if after and after != before:
            fields[name] = after
            was = f" (was: {before})" if before else ""
            notes.append(_finding("merge-field", "info", cid, "", f"{name} set to {after!r}{was}"))
    return replace(old, terms=terms, **fields), notes


def _merge_terms(cid: str, lang: str, old: list[Term], new: list[Term]) -> tuple[tuple[Term, ...], list[Finding]]:
    notes: list[Finding] = []
    index = {_key(term, lang): i for i, term in enumerate(old)}
    mentioned: set[str] = set()
    result = list(old)
    for term in new:
        term = replace(term, lang=lang)
        key = _key(term, lang)
        mentioned.add(key)
        if key in index:
            before = result[index[key]]
            if before != term:
                result[index[key]] = term
                notes.append(
                    _finding(
                        "merge-term",
                        "info",
                        cid,
                        lang,
                        f"term {before.text!r} ({before.kind}, {before.status})"
                        f" now {term.text!r} ({term.kind}, {term.status})",
                    )
                )
        else:
            index[key] = len(result)
            result.append(term)
            notes.append(
                _finding("merge-term", "info", cid, lang, f"term {term.text!r} added ({term.kind}, {term.status})")
            )
    incoming_preferred = {t.kind for t in new if t.status == "preferred"}
    for i, term in enumerate(result):
        if term.status == "preferred" and term.kind in incoming_preferred and _key(term, lang) not in mentioned:
            result[i] = replace(term, status="admitted")
            notes.append(
                _finding(
                    "merge-demoted",
                    "warning",
                    cid,
                    lang,
                    f"term {term.text!r} demoted from preferred to admitted: the import prefers another {term.kind}",
                )
            )
    if notes:
        # The first preferred term is the rendering: preferred full forms first, then other preferred terms.
        result.sort(
            key=lambda t: 0 if (t.status, t.kind) == ("preferred", "fullForm") else 1 if t.status == "preferred" else 2
        )
    return tuple(result), notes
