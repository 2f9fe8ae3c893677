"""Gettext PO/POT catalogs: build a template from segments, merge it into translations, read and write.

polib holds the catalog in memory and reads files; writing is our own serializer, so that GNU gettext
reproduces our files byte for byte.

Line layout (decided): no wrapping. Every string is written on one line and broken only after an embedded
newline, exactly as ``msgcat --no-wrap`` (and ``msgmerge``/``xgettext --no-wrap``) write it, so
``msgcat --no-wrap`` turns any file we write into the same bytes. Reference lines (``#:``) are still folded at
79 columns, as GNU gettext folds them even with ``--no-wrap``. Why not wrap: GNU gettext wraps at the break
opportunities of the Unicode line-breaking algorithm in libunistring (after hyphens and dashes, around
quotation marks and slashes, between CJK characters, ...), which no Python library reproduces and which
changes between versions; unwrapped files are laid out the same by every tool, and a diff shows exactly the
messages that changed. Poedit keeps an existing file's layout, Weblate has a "no wrapping" setting, and GNU
tools take ``--no-wrap``.

What gettext cannot carry is refused with a KervanError rather than written: NUL, the context separator
U+0004, and carriage return, bell, backspace, form feed and vertical tab (gettext flags them as unfit for
translatable text). Comment lines lose trailing white space and empty ``#.`` lines, as polib reads them.
"""

from __future__ import annotations

import datetime as _dt
import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import KervanError
from ..record import Record, init
from ..text import word_count
from .atomic import write_if_changed
from .po_reader import Catalog, Message, iter_messages, read_messages

if TYPE_CHECKING:
    import polib

    from ..model import Segment, Unit, UnitStatus

PAGE_WIDTH = 79
DATE_FORMAT = "%Y-%m-%d %H:%M%z"
FUZZY_THRESHOLD = 0.6

# Characters gettext cannot hold in a message (NUL, EOT is the msgctxt separator) or rejects as escapes.
_FORBIDDEN = re.compile("[\x00\x04\r\x07\x08\x0b\x0c]")
_NEEDS_ESCAPE = re.compile(r'[\\"\t\n]')
_SPACE_RE = re.compile(r"\s")
_FORBIDDEN_NAMES = {"\x00": "NUL", "\x04": "U+0004", "\r": "carriage return", "\x07": "bell",
                    "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed"}  # fmt: skip
# Format flags in the order GNU gettext 0.21 prints them; other flags follow in their own order.
_FORMATS = (
    *("c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme", "lisp"),
    *("elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt", "qt-plural", "kde"),
    *("kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp"),
)
_FORMAT_RANK = {name: rank for rank, name in enumerate(_FORMATS)}
# Header fields in the order xgettext and msginit write them; others keep their own order after these.
HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
    "X-Generator",
    "X-Source-Language",
)
TRANSLATOR_FIELDS = ("PO-Revision-Date", "Last-Translator", "Language-Team")
KEPT_FIELDS = ("Project-Id-Version", "Language", "Plural-Forms")  # set once, then the translator's (see _merged_header)
_SEGMENT_RE = re.compile(r"[^\n]*\n|[^\n]+")


class MergeStats(Record):
    """What a merge did, counted in entries (the header is not counted)."""

    _fields = ("kept", "fuzzy", "added", "obsoleted", "revived", "dropped")
    __slots__ = _fields
    kept: int  # msgid unchanged: translation, flags and comments carried over
    fuzzy: int  # new msgid given the translation of a similar old one, marked fuzzy
    added: int  # new msgid without translation
    obsoleted: int  # translated entries no longer in the template, kept as #~
    revived: int  # obsolete entries whose msgid came back
    dropped: int  # untranslated entries no longer in the template (nothing to keep)

    def __init__(
        self, kept: int = 0, fuzzy: int = 0, added: int = 0, obsoleted: int = 0, revived: int = 0, dropped: int = 0
    ) -> None:
        init(self, "kept", kept)
        init(self, "fuzzy", fuzzy)
        init(self, "added", added)
        init(self, "obsoleted", obsoleted)
        init(self, "revived", revived)
        init(self, "dropped", dropped)


# --- building -------------------------------------------------------------------------------------------


def format_date(when: _dt.datetime) -> str:
    """A header date as gettext writes it: 2025-11-13 10:00+0000 (naive times are taken as UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    return when.strftime(DATE_FORMAT)


def _split_ref(ref: str) -> tuple[str, str]:
    """Split "sources/x.txt:3" into ("sources/x.txt", "3"); without a line number the line is ""."""
    path, sep, line = ref.rpartition(":")
    if sep and line.isdigit():
        return path, line
    return ref, ""


def unfit_character(text: str) -> str | None:
    """The name of the first character a gettext catalog cannot hold ("carriage return", "NUL", ...), or None.

    For callers that take text from elsewhere (a TMX, a CAT tool) and would rather skip it than fail.
    """
    found = _FORBIDDEN.search(text)
    return None if found is None else _FORBIDDEN_NAMES[found.group()]


def _check_text(text: str, what: str, path: str | None = None, line: int | None = None) -> None:
    name = unfit_character(text)
    if name:
        raise KervanError(f"{what} contains a {name}, which gettext catalogs cannot hold: {text[:60]!r}", path, line)


def _now() -> _dt.datetime:
    """The template's creation date: SOURCE_DATE_EPOCH when set (reproducible builds, as the TMX writer
    does), else the current minute."""
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
    return _dt.datetime.now(_dt.UTC).replace(second=0, microsecond=0)


def build_template(
    units: Iterable[Unit | Segment],
    *,
    project_name: str,
    version: str = "",
    bugs_address: str = "",
    copyright_holder: str = "",
    source_lang: str = "",
    creation_date: _dt.datetime | None = None,
) -> polib.POFile:
    """A POT with one entry per distinct source text, in first-seen order.

    Identical segments share an entry; their references (`#: sources/x.txt:3`) accumulate in segment order.
    Unit notes become `#.` extracted comments, one per line, without repeats.
    """
    import polib

    from ..model import Unit  # here: commands that only read or write catalogs do without the model

    when = creation_date or _now()
    pot = polib.POFile(wrapwidth=0)
    title = f"{project_name} {version}".strip()
    lang_note = ""
    if source_lang:
        from ..locales import language_name

        lang_note = f" (source language: {language_name(source_lang)})"
    pot.header = "\n".join(
        [
            f"Translations of {title}{lang_note}.",
            f"Copyright (C) {when.year} {copyright_holder}".rstrip(),
            f"This file is distributed under the same license as the {project_name} project.",
            "",
        ]
    )
    pot.metadata_is_fuzzy = ["fuzzy"]  # a template, as xgettext marks it
    pot.metadata = {
        "Project-Id-Version": title,
        "Report-Msgid-Bugs-To": bugs_address,
        "POT-Creation-Date": format_date(when),
        # Empty rather than xgettext's placeholders, which `msgfmt -c` warns about.
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"Kervan {__version__}",
    }
    if source_lang:
        pot.metadata["X-Source-Language"] = source_lang

    entries: dict[str, polib.POEntry] = {}
    notes_seen: dict[str, list[str]] = {}
    for item in units:
        segment, notes = (item.source, item.notes) if isinstance(item, Unit) else (item, ())
        text = segment.text
        if not text.strip():
            continue
        ref_path, ref_line = _split_ref(segment.ref) if segment.ref else ("", "")
        _check_text(text, "source text", ref_path or None, int(ref_line) if ref_line else None)
        entry = entries.get(text)
        if entry is None:
            entry = entries[text] = polib.POEntry(msgid=text, msgstr="")
            notes_seen[text] = []
        if segment.ref and (ref_path, ref_line) not in entry.occurrences:
            entry.occurrences.append((ref_path, ref_line))
        lines = notes_seen[text]
        for note in notes:
            for note_line in note.split("\n"):
                note_line = note_line.strip()
                if note_line and note_line not in lines:
                    _check_text(note_line, "note", ref_path or None, int(ref_line) if ref_line else None)
                    lines.append(note_line)
    for text, entry in entries.items():
        entry.comment = "\n".join(notes_seen[text])
        pot.append(entry)
    return pot


# --- merging --------------------------------------------------------------------------------------------


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _is_translated_any(entry: polib.POEntry) -> bool:
    """Holds any translation at all (any plural form): such an entry must never be dropped."""
    if entry.msgid_plural:
        return any(entry.msgstr_plural.values()) or bool(entry.msgstr)
    return bool(entry.msgstr)


def _nplurals(plural_forms: str) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", plural_forms)
    return int(found.group(1)) if found else 2


def _carry(target: polib.POEntry, old: polib.POEntry, nplurals: int) -> None:
    """Put old's translation into target, converting between singular and plural without losing forms."""
    if target.msgid_plural:
        forms = {int(k): v for k, v in old.msgstr_plural.items()} if old.msgid_plural else {0: old.msgstr}
        for index in range(nplurals):
            forms.setdefault(index, "")
        target.msgstr_plural = dict(sorted(forms.items()))
        target.msgstr = ""
        return
    if old.msgid_plural:
        forms = {int(k): v for k, v in old.msgstr_plural.items()}
        target.msgstr = forms.get(0, "")
        # The other forms have no place in a singular entry: keep them where the translator sees them.
        rest = [f"msgstr[{k}] was: {v}" for k, v in sorted(forms.items()) if k and v]
        if rest:
            target.tcomment = "\n".join([t for t in [target.tcomment] if t] + rest)
    else:
        target.msgstr = old.msgstr


def _flags(*lists: Sequence[str]) -> list[str]:
    merged: list[str] = []
    for flags in lists:
        for flag in flags:
            if flag and flag not in merged:
                merged.append(flag)
    return merged


def _shares_ref(a: polib.POEntry, b: polib.POEntry) -> bool:
    return bool(set(a.occurrences) & set(b.occurrences))


class _FuzzyIndex:
    """Candidates for fuzzy matching: translated old entries whose msgid left the template.

    A few candidates are compared exhaustively. Past that, all pairs would cost quadratic time (and difflib is
    itself quadratic per pair), so an index picks a short list per entry: old entries sharing a `#:`
    reference, and those sharing most of the entry's rarest words.
    """

    EXHAUSTIVE_PAIRS = 10_000
    SHORTLIST = 8
    RARE_WORDS = 8

    def __init__(self, candidates: list[polib.POEntry], threshold: float, expected: int) -> None:
        self.candidates = candidates
        self.threshold = threshold
        self.exhaustive = len(candidates) * max(expected, 1) <= self.EXHAUSTIVE_PAIRS
        self.words: dict[str, list[int]] = {}
        self.places: dict[tuple[str, str], list[int]] = {}
        if not self.exhaustive:
            for number, entry in enumerate(candidates):
                for word in set(entry.msgid.lower().split()):
                    self.words.setdefault(word, []).append(number)
                for place in set(entry.occurrences):
                    self.places.setdefault(place, []).append(number)

    def _shortlist(self, entry: polib.POEntry) -> list[polib.POEntry]:
        if self.exhaustive:
            return self.candidates
        # Words found in many old entries tell nothing and would make each look-up linear: skip them.
        common = max(50, len(self.candidates) // 50)
        postings = sorted(
            (p for word in set(entry.msgid.lower().split()) if len(p := self.words.get(word, ())) <= common),
            key=len,
        )
        counts: dict[int, int] = {}
        for posting in postings[: self.RARE_WORDS]:
            for number in posting:
                counts[number] = counts.get(number, 0) + 1
        chosen = set(sorted(counts, key=lambda n: (-counts[n], n))[: self.SHORTLIST])
        for place in set(entry.occurrences):
            chosen.update(self.places.get(place, ())[: self.SHORTLIST])
        return [self.candidates[n] for n in sorted(chosen)]

    def best(self, entry: polib.POEntry) -> polib.POEntry | None:
        import difflib

        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(entry.msgid)
        best, best_rank = None, (False, 0.0)
        for old in self._shortlist(entry):
            if bool(old.msgid_plural) != bool(entry.msgid_plural):
                continue
            matcher.set_seq1(old.msgid)
            if matcher.real_quick_ratio() < self.threshold or matcher.quick_ratio() < self.threshold:
                continue
            ratio = matcher.ratio()
            if ratio < self.threshold:
                continue
            rank = (_shares_ref(entry, old), ratio)
            if best is None or rank > best_rank:
                best, best_rank = old, rank
        return best


def _new_entry(template_entry: polib.POEntry, nplurals: int) -> polib.POEntry:
    import polib

    entry = polib.POEntry(
        msgid=template_entry.msgid,
        msgctxt=template_entry.msgctxt,
        msgid_plural=template_entry.msgid_plural,
        msgstr="",
        occurrences=list(template_entry.occurrences),
        comment=template_entry.comment,
        flags=[f for f in template_entry.flags if f != "fuzzy"],
    )
    if entry.msgid_plural:
        entry.msgstr_plural = {index: "" for index in range(nplurals)}
    return entry


def _merged_header(template: polib.POFile, existing: polib.POFile | None, lang: str) -> dict[str, str]:
    from ..locales import check_language, language_name, plural_forms

    fields = dict(template.metadata)
    fields["Language"] = check_language(lang)
    fields["Plural-Forms"] = plural_forms(lang)
    if existing is None:
        fields["Language-Team"] = language_name(lang)
    else:
        for name in TRANSLATOR_FIELDS:
            if name in existing.metadata:
                fields[name] = existing.metadata[name]
        # The translator's plural rule, language tag and project version stand, as msgmerge keeps them:
        # entries were written for that rule (Django's Russian catalogs use four forms, CLDR has three), so
        # CLDR's rule is only for a new catalog or one that has none. `kervan qa` says when the two differ.
        for name in KEPT_FIELDS:
            if existing.metadata.get(name, "").strip():
                fields[name] = existing.metadata[name]
        for name, value in existing.metadata.items():
            fields.setdefault(name, value)  # the translator's tool settings (X-Poedit-*, ...)
    ordered = {name: fields.pop(name) for name in HEADER_ORDER if name in fields}
    ordered.update(fields)
    return ordered


def merge(
    template: polib.POFile,
    existing: polib.POFile | None,
    lang: str,
    *,
    threshold: float = FUZZY_THRESHOLD,
) -> tuple[polib.POFile, MergeStats]:
    """Bring a translation catalog up to date with a template, msgmerge style, never losing a translation.

    - same msgid (and msgctxt): translation, flags, translator comments and previous msgid kept;
    - new msgid close to a translated old one that left the template (difflib ratio >= `threshold`, an old
      entry sharing a `#:` reference preferred): old translation, `fuzzy`, and `#| msgid` with the old text;
    - translated old entries no longer used: obsolete (`#~`) with their translation; obsolete ones stay,
      and come back to life when their msgid returns;
    - header: kept as msgmerge keeps it (translator fields, Project-Id-Version, Language, Plural-Forms; the
      latter from CLDR only when new or missing), POT-Creation-Date and Report-Msgid-Bugs-To from the template.
    Entries follow the template's order, obsolete ones after them. When the result differs from `existing`
    only by POT-Creation-Date, the old date is kept, so merging twice changes nothing.
    """
    import polib

    result = polib.POFile(wrapwidth=0)
    result.metadata = _merged_header(template, existing, lang)
    nplurals = _nplurals(result.metadata["Plural-Forms"])
    if existing is not None:
        result.header = existing.header
        result.metadata_is_fuzzy = list(_as_flags(existing.metadata_is_fuzzy))
    else:
        result.header = template.header
        result.metadata_is_fuzzy = []

    old_entries = list(existing) if existing is not None else []
    active = {_key(e): e for e in old_entries if not e.obsolete}
    obsolete = {}
    for entry in old_entries:
        if entry.obsolete and _key(entry) not in active:  # gettext allows no live twin of an obsolete entry
            obsolete.setdefault(_key(entry), entry)
    wanted = {_key(e) for e in template}
    removed = [e for e in old_entries if not e.obsolete and _key(e) not in wanted and _is_translated_any(e)]
    unmatched = sum(1 for e in template if _key(e) not in active and _key(e) not in obsolete)
    fuzzy_index = _FuzzyIndex(removed, threshold, unmatched)

    counts = dict.fromkeys(("kept", "fuzzy", "added", "obsoleted", "revived", "dropped"), 0)
    used: set[int] = set()
    revived: set[tuple[str | None, str]] = set()
    for source in template:
        if not source.msgid and source.msgctxt is None:
            continue  # a template header entry that polib did not lift
        entry = _new_entry(source, nplurals)
        key = _key(source)
        old = active.get(key)
        if old is None and key in obsolete:
            old = obsolete[key]
            revived.add(key)
            counts["revived"] += 1
        elif old is not None:
            counts["kept"] += 1
        if old is not None:
            entry.linenum = old.linenum  # where an error about the carried translation points
            _carry(entry, old, nplurals)
            entry.tcomment = "\n".join(t for t in (old.tcomment, entry.tcomment) if t)
            entry.flags = _flags(old.flags, entry.flags)
            entry.previous_msgctxt = old.previous_msgctxt
            entry.previous_msgid = old.previous_msgid
            entry.previous_msgid_plural = old.previous_msgid_plural
            if bool(old.msgid_plural) != bool(entry.msgid_plural) or (
                old.msgid_plural and old.msgid_plural != entry.msgid_plural
            ):
                _mark_fuzzy(entry, old)
        else:
            match = fuzzy_index.best(entry)
            if match is not None:
                used.add(id(match))
                entry.linenum = match.linenum
                _carry(entry, match, nplurals)
                entry.tcomment = "\n".join(t for t in (match.tcomment, entry.tcomment) if t)
                entry.flags = _flags(["fuzzy"], entry.flags, [f for f in match.flags if f != "fuzzy"])
                _mark_fuzzy(entry, match)
                counts["fuzzy"] += 1
            else:
                counts["added"] += 1
        result.append(entry)

    for entry in old_entries:
        key = _key(entry)
        if key in wanted:
            continue
        if entry.obsolete:
            if obsolete.get(key) is entry and key not in revived:
                result.append(_copy(entry))
            continue
        if id(entry) in used:
            continue
        if not _is_translated_any(entry):
            counts["dropped"] += 1
            continue
        gone = _copy(entry)
        gone.obsolete = True
        result.append(gone)
        counts["obsoleted"] += 1

    return keep_creation_date(result, existing), MergeStats(**counts)


def _mark_fuzzy(entry: polib.POEntry, old: polib.POEntry) -> None:
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    # Keep the oldest previous text when an entry was already fuzzy: it is what the translation was made for.
    if old.previous_msgid is not None and "fuzzy" in old.flags:
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural
    else:
        entry.previous_msgctxt = old.msgctxt
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural or None
    if (entry.previous_msgctxt, entry.previous_msgid) == (entry.msgctxt, entry.msgid):
        # A source edited and then reverted: the oldest text is the current one, which tells the translator
        # nothing. Show the text the translation was last attached to instead (it may have been revised for it).
        entry.previous_msgctxt = old.msgctxt
        entry.previous_msgid = old.msgid
        entry.previous_msgid_plural = old.msgid_plural or None


def _copy(entry: polib.POEntry) -> polib.POEntry:
    import polib

    return polib.POEntry(
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural),
        msgctxt=entry.msgctxt,
        obsolete=entry.obsolete,
        occurrences=list(entry.occurrences),
        comment=entry.comment,
        tcomment=entry.tcomment,
        flags=list(entry.flags),
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
        linenum=entry.linenum,
    )


def keep_creation_date(new: polib.POFile, old: polib.POFile | None) -> polib.POFile:
    """Give `new` the POT-Creation-Date of `old` when that is all that differs, so rebuilding is a no-op."""
    if old is None or "POT-Creation-Date" not in old.metadata or "POT-Creation-Date" not in new.metadata:
        return new
    if new.metadata["POT-Creation-Date"] == old.metadata["POT-Creation-Date"]:
        return new
    fresh = new.metadata["POT-Creation-Date"]
    new.metadata["POT-Creation-Date"] = old.metadata["POT-Creation-Date"]
    try:
        same = dumps_po(new) == dumps_po(old)
    except KervanError:
        same = False
    if not same:
        new.metadata["POT-Creation-Date"] = fresh
    return new


# --- statistics -----------------------------------------------------------------------------------------


def entry_status(entry: polib.POEntry) -> UnitStatus:
    """As msgfmt counts: untranslated when the (first) msgstr is empty, else fuzzy or translated."""
    first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
    if not first:
        return "untranslated"
    return "fuzzy" if "fuzzy" in entry.flags else "translated"


def catalog_stats(po: polib.POFile) -> dict[str, int]:
    """Entry and source-word counts per status (header and obsolete entries excluded; obsolete counted apart)."""
    stats = {"total": 0, "translated": 0, "fuzzy": 0, "untranslated": 0, "obsolete": 0}
    stats.update({"words": 0, "words_translated": 0, "words_fuzzy": 0, "words_untranslated": 0})
    for entry in po:
        if entry.obsolete:
            stats["obsolete"] += 1
            continue
        if not entry.msgid and entry.msgctxt is None:
            continue
        status = entry_status(entry)
        words = word_count(entry.msgid)
        stats["total"] += 1
        stats[status] += 1
        stats["words"] += words
        stats[f"words_{status}"] += words
    return stats


def po_units(po: polib.POFile, *, source_lang: str, target_lang: str) -> Iterator[Unit]:
    """The catalog's live entries as Units. A segment's id and ref are the entry's first `#:` reference."""
    from ..model import Segment, Unit

    for number, entry in enumerate(po, start=1):
        if entry.obsolete or (not entry.msgid and entry.msgctxt is None):
            continue
        ref = ""
        if entry.occurrences:
            path, line = entry.occurrences[0]
            ref = f"{path}:{line}" if line else path
        status = entry_status(entry)
        target = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        yield Unit(
            source=Segment(id=ref or f"#{number}", text=entry.msgid, lang=source_lang, ref=ref),
            targets={target_lang: target} if target else {},
            notes=tuple(line for line in entry.comment.split("\n") if line),
            status={target_lang: status},
        )


# --- writing --------------------------------------------------------------------------------------------


def _as_flags(flags: Any) -> list[str]:
    """polib keeps the header's flags as a list when read, but callers may set True/False."""
    if flags is True:
        return ["fuzzy"]
    if not flags:
        return []
    return [str(f) for f in flags]


def canonical_flags(flags: Iterable[str]) -> list[str]:
    """Flags as GNU gettext prints them: fuzzy, format flags in its order, range, no-wrap; others after."""
    fuzzy = False
    formats: dict[str, str] = {}
    value_range = None
    wrap = None
    others: list[str] = []
    for raw in flags:
        flag = raw.strip()
        if not flag:
            continue
        if flag == "fuzzy":
            fuzzy = True
        elif flag.startswith("range:"):
            value_range = "range: " + flag[6:].strip()
        elif flag in ("wrap", "no-wrap"):
            wrap = flag
        elif flag.endswith("-format"):
            name, state = flag[: -len("-format")], ""
            if name.startswith("no-"):
                name, state = name[3:], "no-"
            elif name.startswith("possible-"):
                name = name[len("possible-") :]
            if name in _FORMAT_RANK:
                formats[name] = state
            elif flag not in others:
                others.append(flag)
        elif flag not in others:
            others.append(flag)
    result = ["fuzzy"] if fuzzy else []
    result += [f"{formats[name]}{name}-format" for name in sorted(formats, key=_FORMAT_RANK.__getitem__)]
    if value_range:
        result.append(value_range)
    if wrap == "no-wrap":
        result.append("no-wrap")
    return result + others


def _escape(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")


def _string(out: list[str], prefix: str, keyword: str, value: str, msgid: str) -> None:
    """One keyword and its string; a string with inner newlines starts with "" and takes a line per part."""
    if _FORBIDDEN.search(value):
        _check_text(value, f"{keyword} of {msgid[:40]!r}")
    newline = value.find("\n")
    if newline < 0 or newline == len(value) - 1:
        out.append(f'{prefix}{keyword} "{_escape(value)}"')
        return
    parts = _SEGMENT_RE.findall(value)
    out.append(f'{prefix}{keyword} ""')
    out.extend(f'{prefix}"{_escape(part)}"' for part in parts)


def _comment(out: list[str], marker: str, text: str, keep_empty: bool) -> None:
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)  # polib drops leading empty comment lines when reading
    for line in lines:
        _check_text(line, "comment")
        if line:
            out.append(f"{marker} {line}")
        elif keep_empty:
            out.append(marker)


def _ref_text(path: str, line: str) -> str:
    while path.startswith("./"):
        path = path[2:]
    if "\u2068" in path or "\u2069" in path:
        raise KervanError(f"file name {path!r} holds U+2068/U+2069, which PO references use as quotes")
    if _SPACE_RE.search(path):
        path = f"\u2068{path}\u2069"  # first strong isolate: gettext's quoting for names with spaces
    return f"{path}:{line}" if line else path


def _references(out: list[str], occurrences: Iterable[tuple[str, str]]) -> None:
    line, column, seen = "#:", 2, set()
    for path, number in occurrences:
        ref = _ref_text(str(path), str(number) if number not in (None, "") else "")
        if not ref or ref.startswith(":"):
            continue  # nothing left of the file name
        _check_text(ref, "reference")
        if ref.endswith("\\"):
            raise KervanError(f"reference {ref!r} ends with a backslash, which gettext reads as a line join")
        if ref in seen:
            continue
        seen.add(ref)
        width = len(ref.encode("utf-8")) + 1
        if column > 2 and column + width > PAGE_WIDTH:
            out.append(line)
            line, column = "#:", 2
        line += " " + ref
        column += width
    if column > 2:
        out.append(line)


def _entry_lines(entry: polib.POEntry) -> list[str]:
    out: list[str] = []
    _comment(out, "#", entry.tcomment, keep_empty=True)
    _comment(out, "#.", entry.comment, keep_empty=False)
    _references(out, entry.occurrences)
    flags = canonical_flags(entry.flags)
    if flags and flags[0] == "fuzzy" and entry_status(entry) == "untranslated":
        flags.pop(0)  # gettext prints no fuzzy flag on an empty translation
    if entry.obsolete:
        flags = [f for f in flags if not f.startswith("range:")]  # nor a range on an obsolete entry
    if flags:
        out.append("#, " + ", ".join(flags))
    msgid = entry.msgid
    previous = "#~| " if entry.obsolete else "#| "
    if entry.previous_msgid is not None:  # gettext's grammar has no previous msgctxt or plural without it
        if entry.previous_msgctxt is not None:
            _string(out, previous, "msgctxt", entry.previous_msgctxt, msgid)
        _string(out, previous, "msgid", entry.previous_msgid, msgid)
        if entry.previous_msgid_plural:
            _string(out, previous, "msgid_plural", entry.previous_msgid_plural, msgid)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        _string(out, prefix, "msgctxt", entry.msgctxt, msgid)
    _string(out, prefix, "msgid", msgid, msgid)
    if entry.msgid_plural:
        _string(out, prefix, "msgid_plural", entry.msgid_plural, msgid)
        forms = {int(k): v for k, v in entry.msgstr_plural.items()} or {0: entry.msgstr}
        for index in sorted(forms):
            _string(out, prefix, f"msgstr[{index}]", forms[index], msgid)
    else:
        _string(out, prefix, "msgstr", entry.msgstr, msgid)
    return out


def _located_lines(entry: polib.POEntry) -> list[str]:
    try:
        return _entry_lines(entry)
    except KervanError as exc:
        line = getattr(entry, "linenum", None)
        if exc.line is not None or not line:
            raise
        raise KervanError(exc.message, exc.path, line) from None


def _header_lines(po: polib.POFile) -> list[str]:
    out: list[str] = []
    _comment(out, "#", po.header, keep_empty=True)
    flags = canonical_flags(_as_flags(po.metadata_is_fuzzy))
    if flags:
        out.append("#, " + ", ".join(flags))
    out.append('msgid ""')
    _string(out, "", "msgstr", "".join(f"{name}: {value}\n" for name, value in po.metadata.items()), "")
    return out


def dumps_po(po: polib.POFile) -> str:
    """The catalog as PO text, laid out as `msgcat --no-wrap` writes it (live entries, then obsolete ones)."""
    blocks = []
    if po.metadata:
        blocks.append(_joined(_header_lines(po)))
    # Each entry's lines are joined at once: the catalog's text is held as one string per entry, not per line.
    blocks.extend(_joined(_located_lines(e)) for e in po if not e.obsolete)
    blocks.extend(_joined(_located_lines(e)) for e in po if e.obsolete)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _joined(lines: list[str]) -> str:
    text = "\n".join(lines)
    if text.endswith("\\") or "\\\n" in text:
        # gettext joins a line ending in a backslash with the next one, in comments too: a space stops that.
        text = "\n".join(line + " " if line.endswith("\\") else line for line in lines)
    return text


def write_po(po: polib.POFile, path: str | Path) -> bool:
    """Write atomically; an unchanged file is left untouched. Returns whether the file was (re)written."""
    return write_if_changed(path, po_bytes(po, path))


def po_bytes(po: polib.POFile, path: str | Path) -> bytes:
    """The file `write_po` writes: the text in the catalog's own charset. Errors name `path` and the line."""
    try:
        text = dumps_po(po)
    except KervanError as exc:
        # What cannot be written names the catalog and the line the entry was read from, when it was read.
        if exc.path is not None:
            raise
        raise KervanError(exc.message, path, exc.line) from None
    return _encode(text, po, path)


def _encode(text: str, po: polib.POFile, path: str | Path) -> bytes:
    """The bytes of the catalog in the charset its header declares (a legacy catalog stays in its charset)."""
    found = re.search(r"charset\s*=\s*([\w.:-]+)", po.metadata.get("Content-Type", "")) if po.metadata else None
    charset = found.group(1) if found else "utf-8"
    if charset.lower().replace("_", "-") in ("utf-8", "utf8", "charset"):
        return text.encode("utf-8")
    try:
        return text.encode(charset)
    except LookupError:
        raise KervanError(f"unknown charset {charset!r} in the header", path) from None
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise KervanError(
            f"{text[exc.start]!r} cannot be written in the catalog's charset {charset}", path, line
        ) from None


# --- reading --------------------------------------------------------------------------------------------


def _join_isolated(occurrences: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rejoin references whose file name, quoted with U+2068...U+2069, held spaces that polib split at."""
    tokens = [f"{path}:{line}" if line else path for path, line in occurrences]
    if not any("\u2068" in token for token in tokens):
        return occurrences
    joined: list[tuple[str, str]] = []
    parts: list[str] = []
    for token in tokens:
        if parts or (token.startswith("\u2068") and "\u2069" not in token):
            parts.append(token)
            if "\u2069" not in token:
                continue
            token, parts = " ".join(parts), []
        if token.startswith("\u2068") and "\u2069" in token:
            name, _, rest = token[1:].partition("\u2069")
            joined.append((name, rest[1:] if rest.startswith(":") and rest[1:].isdigit() else ""))
        else:
            joined.append(_split_ref(token))
    if parts:
        joined.append((" ".join(parts), ""))
    return joined


def header_fields(text: str) -> dict[str, str]:
    """Header fields as polib reads them: "Name: value" lines, a line without a colon continuing the last."""
    metadata: dict[str, str] = {}
    key = None
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    for line in lines:
        name, colon, value = line.partition(":")
        if colon:
            key = name
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def _catalog(messages: Iterable[Message], catalog: Catalog, path: str) -> polib.POFile:
    """The polib model of what the reader gave. Entries are made without POEntry.__init__ (which costs twice
    as much per entry, and a large catalog has 100,000 of them), with exactly the attributes it sets, in its
    order (a dict literal as __dict__ would cost 60% more memory per entry)."""
    import polib

    po = polib.POFile(wrapwidth=0)
    po.fpath = None if path == "<string>" else path
    po.encoding = catalog.charset
    add = list.append  # POFile.append would search the whole catalog for a duplicate each time
    new = object.__new__
    entry_class = polib.POEntry
    encoding = catalog.charset
    header_seen = False
    names: dict[str, str] = {}
    for message in messages:
        if not header_seen and message.is_header:
            header_seen = True
            po.metadata = header_fields(message.msgstr or "")
            po.metadata_is_fuzzy = list(message.flags or [])
            continue
        references = message.references
        occurrences: list[tuple[str, str]] = []
        if references:
            for token in references:
                name, colon, line = token.rpartition(":")
                if colon and line.isdigit():
                    # One string per file name, not one per reference: a catalog names few files many times.
                    occurrences.append((names.setdefault(name, name), line))
                else:
                    occurrences.append((token, ""))
            occurrences = _join_isolated(occurrences)
        plurals = message.plurals
        entry = new(entry_class)
        # Attributes in POEntry.__init__'s order, so entries share one key table as polib's own do.
        entry.msgid = message.msgid
        entry.msgstr = message.msgstr or ""
        entry.msgid_plural = message.msgid_plural or ""
        entry.msgstr_plural = dict(enumerate(plurals)) if plurals is not None else {}
        entry.msgctxt = message.msgctxt
        entry.obsolete = message.obsolete
        entry.encoding = encoding
        entry.comment = "\n".join(message.comment) if message.comment else ""
        entry.tcomment = "\n".join(message.tcomment) if message.tcomment else ""
        entry.occurrences = occurrences
        entry.flags = message.flags or []
        entry.previous_msgctxt = message.previous_msgctxt
        entry.previous_msgid = message.previous_msgid
        entry.previous_msgid_plural = message.previous_msgid_plural
        entry.linenum = message.line
        add(po, entry)
    po.header = "\n".join(catalog.header_comment)
    return po


def _without_gc(messages: Iterable[Message], catalog: Catalog, path: str) -> polib.POFile:
    """_catalog with the cyclic garbage collector paused: the objects a catalog is made of hold no cycles,
    and the collector would otherwise walk every entry made so far, again and again, as the catalog grows."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _catalog(messages, catalog, path)
    finally:
        if enabled:
            gc.enable()


def loads_po(text: str, path: str = "<string>") -> polib.POFile:
    """Parse PO text; anything gettext would reject is a KervanError naming the line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    catalog = Catalog()
    # Line ends as gettext reads them: LF, CRLF or CR alone; U+2028 and the like are text.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = iter(text.split("\n"))
    return _without_gc(read_messages(lines, path, catalog), catalog, path)


def read_po(path: str | Path) -> polib.POFile:
    """Read a PO/POT file in the charset its header declares (UTF-8 by default); a missing, undecodable or
    malformed file is a KervanError with its line."""
    catalog = Catalog()
    return _without_gc(iter_messages(path, catalog), catalog, str(path))
