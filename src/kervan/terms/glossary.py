"""Termbase operations on model objects: checks (`validate`) and merging an import (`merge_concepts`).

Terms are compared as the language compares them: case-insensitively with the language's own rules
(Turkish "İ"/"i" and "I"/"ı"), after Unicode NFC, via `kervan.text.casefold`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from ..errors import KervanError
from ..model import Concept, Finding, Severity, Term
from ..record import Record, init
from ..text import casefold


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

Prefer = Literal["existing", "incoming"]


class MergeResult(Record):
    """The merged termbase and what changed, change by change (nothing is dropped without a word)."""

    _fields = ("concepts", "added", "updated", "changes")
    __slots__ = _fields
    concepts: tuple[Concept, ...]
    added: tuple[str, ...]
    updated: tuple[str, ...]
    changes: tuple[Finding, ...]

    def __init__(
        self,
        concepts: tuple[Concept, ...],
        added: tuple[str, ...] = (),
        updated: tuple[str, ...] = (),
        changes: tuple[Finding, ...] = (),
    ) -> None:
        init(self, "concepts", concepts)
        init(self, "added", added)
        init(self, "updated", updated)
        init(self, "changes", changes)

    @property
    def conflicts(self) -> tuple[Finding, ...]:
        """Incoming values that were not applied (warnings), for the caller to show."""
        return tuple(f for f in self.changes if f.severity == "warning" and f.check != "glossary-homonym")

    @property
    def homonyms(self) -> tuple[Finding, ...]:
        """Concepts kept apart although they share a term (a river bank and a financial bank)."""
        return tuple(f for f in self.changes if f.check == "glossary-homonym")

    def __str__(self) -> str:
        unchanged = len(self.concepts) - len(self.added) - len(self.updated)
        text = f"{len(self.added)} concepts added, {len(self.updated)} updated, {unchanged} unchanged"
        conflicts = len(self.conflicts)
        text += f", {conflicts} conflicting values settled (see below)" if conflicts else ""
        homonyms = len(self.homonyms)
        return text + (f", {homonyms} homonyms kept apart (see below)" if homonyms else "")


def merge_concepts(
    existing: Iterable[Concept],
    incoming: Iterable[Concept],
    *,
    prefer: Prefer = "existing",
    match_terms: bool = True,
    identified: Callable[[Concept], bool] | None = None,
) -> MergeResult:
    """Merge an import into a termbase; no term of either side is ever lost.

    Concepts are matched by id. With `match_terms`, an incoming concept whose id is unknown is matched by its
    terms instead (a TSV/CSV import has made-up ids): if its terms name exactly one existing concept, it merges
    into that one; if they name several, it is added as new and the ambiguity reported. A concept for which
    `identified` is true (a TBX entry with its own id) is never matched by its terms: two identified concepts
    that share a term are homonyms (a river bank and a financial bank), kept apart and reported.

    Within a matched concept, per language, terms are compared caselessly with the language's rules:

    - incoming terms that are new are appended; existing terms the import does not mention are kept;
    - a term on both sides whose spelling, kind or status differ keeps the existing values when `prefer` is
      "existing" (the default: the curated termbase wins, and formats without term types or statuses, such as
      TSV, cannot degrade it) and takes the incoming ones with `prefer="incoming"` (for a TBX that a
      terminologist has revised);
    - each language keeps one preferred term per kind: a preferred term of the losing side that would compete
      with one of the winning side is demoted to admitted.

    Definition, note and subject: an empty value is filled from the other side; when both differ, `prefer`
    decides. Every change is reported in `changes` (info), every incoming value left unapplied as a warning.
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
        if target_id is None and (match_terms or identified is not None):
            owners: set[str] = set()
            shared: list[str] = []
            for lang, terms in concept.terms.items():
                for term in terms:
                    found = term_owner.get((lang, _key(term, lang)), set())
                    if found - owners or (found and not shared):
                        shared.append(f"{lang} {term.text!r}")
                    owners |= found
            if owners and identified is not None and identified(concept):
                names = ", ".join(sorted(owners))
                message = (f"concept {concept.id!r} shares {', '.join(shared[:3])} with {names}; "
                           "a different id, so kept apart as a homonym")  # fmt: skip
                changes.append(_finding("homonym", "warning", concept.id, "", message))
            elif not match_terms:
                pass
            elif len(owners) == 1:
                target_id = next(iter(owners))
                message = f"imported concept {concept.id!r} matched by its terms"
                changes.append(_finding("merge-matched", "info", target_id, "", message))
            elif len(owners) > 1:
                names = ", ".join(sorted(owners))
                message = f"terms of imported concept {concept.id!r} name several concepts ({names}); added as new"
                changes.append(_finding("merge-ambiguous", "warning", concept.id, "", message))
        if target_id is None:
            new_id = concept.id
            n = 1
            while new_id in position:  # the id is taken by a concept this one was not matched to
                n += 1
                new_id = f"{concept.id}-{n}"
            concept = concept.replace(id=new_id)
            position[new_id] = len(result)
            result.append(concept)
            _index_terms(concept, term_owner)
            added.append(new_id)
            changes.append(_finding("merge-added", "info", new_id, "", "concept added"))
            continue
        old = result[position[target_id]]
        merged, notes = _merge_one(old, concept, prefer)
        changes.extend(notes)
        if merged != old:
            result[position[target_id]] = merged
            _index_terms(merged, term_owner)
            if target_id not in updated and target_id not in added:
                updated.append(target_id)
    return MergeResult(tuple(result), tuple(added), tuple(updated), tuple(changes))


def _index_terms(concept: Concept, owners: dict[tuple[str, str], set[str]]) -> None:
    for lang, terms in concept.terms.items():
        for term in terms:
            owners.setdefault((lang, _key(term, lang)), set()).add(concept.id)


def _merge_one(old: Concept, new: Concept, prefer: Prefer) -> tuple[Concept, list[Finding]]:
    notes: list[Finding] = []
    cid = old.id
    terms: dict[str, tuple[Term, ...]] = dict(old.terms)
    for lang, incoming in new.terms.items():
        merged, lang_notes = _merge_terms(cid, lang, list(old.terms.get(lang, ())), list(incoming), prefer)
        terms[lang] = merged
        notes.extend(lang_notes)
    fields = {}
    for name in ("definition", "note", "subject"):
        before, after = getattr(old, name), getattr(new, name)
        if not after or after == before:
            continue
        if not before or prefer == "incoming":
            fields[name] = after
            was = f" (was: {before!r})" if before else ""
            notes.append(_finding("merge-field", "info", cid, "", f"{name} set to {after!r}{was}"))
        else:
            notes.append(_finding("merge-conflict", "warning", cid, "", f"{name} kept; the import has {after!r}"))
    return old.replace(terms=terms, **fields), notes


def _describe(term: Term) -> str:
    return f"{term.text!r} ({term.kind}, {term.status})"


def _merge_terms(
    cid: str, lang: str, old: list[Term], new: list[Term], prefer: Prefer
) -> tuple[tuple[Term, ...], list[Finding]]:
    notes: list[Finding] = []
    result = list(old)
    index = {_key(term, lang): i for i, term in enumerate(result)}
    winners: set[str] = set()  # caseless texts whose values come from the preferred side
    if prefer == "existing":
        winners.update(index)
    for term in new:
        term = term.replace(lang=lang)
        key = _key(term, lang)
        if key not in index:
            index[key] = len(result)
            result.append(term)
            notes.append(_finding("merge-term", "info", cid, lang, f"term {_describe(term)} added"))
            if prefer == "incoming":
                winners.add(key)
            continue
        before = result[index[key]]
        if before == term:
            continue
        if prefer == "incoming":
            result[index[key]] = term
            winners.add(key)
            message = f"term {_describe(before)} now {_describe(term)}"
            notes.append(_finding("merge-term", "info", cid, lang, message))
        else:
            message = f"term {_describe(before)} kept; the import has {_describe(term)}"
            # A plain preferred full form is what formats without types and statuses (TSV, CSV, bare TBX) say
            # about every term, often in another capitalisation: no information against the termbase, no warning.
            unspecified = (term.kind, term.status) == ("fullForm", "preferred")
            notes.append(_finding("merge-conflict", "info" if unspecified else "warning", cid, lang, message))
    # One preferred term per kind: the winning side's preferred terms stay, the other side's compete no more.
    leading = {t.kind for t in result if t.status == "preferred" and _key(t, lang) in winners}
    for i, term in enumerate(result):
        if term.status == "preferred" and term.kind in leading and _key(term, lang) not in winners:
            result[i] = term.replace(status="admitted")
            message = f"term {term.text!r} made admitted: the termbase already prefers another {term.kind}"
            if prefer == "incoming":
                message = f"term {term.text!r} made admitted: the import prefers another {term.kind}"
            notes.append(_finding("merge-demoted", "warning", cid, lang, message))
    if result != old:
        # The first preferred term is the rendering: preferred full forms first, then other preferred terms.
        result.sort(
            key=lambda t: 0 if (t.status, t.kind) == ("preferred", "fullForm") else int(t.status != "preferred") + 1
        )
    return tuple(result), notes
