"""Compiled gettext catalogs (GNU MO): written in linear time, laid out as GNU msgfmt lays them out.

polib's `save_as_mofile` is quadratic in the number of entries (seconds at 10,000 entries, minutes at
100,000), so the format is written here directly: header, sorted original and translation tables, the
hashpjw hash table glibc looks strings up with (double hashing, size the next prime above 4/3 of the count,
as msgfmt sizes it), then the strings themselves. Entries are chosen as msgfmt chooses them: obsolete and
untranslated (empty first msgstr) ones are left out, fuzzy ones too unless `use_fuzzy`, and the header entry
is always kept, even when marked fuzzy, without its POT-Creation-Date line (as msgfmt does, so that
compiled files do not change with the template's date). The result is byte for byte what msgfmt writes.
"""

from __future__ import annotations

import gc
import re
import struct
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import KervanError
from ..record import Record, init
from .atomic import write_if_changed

if TYPE_CHECKING:
    import polib

    from .po_reader import Message

MAGIC = 0x950412DE
_LANE = 5  # bytes per key in `hashes`: the hash state needs 33 bits between steps
_GROUP = 4096  # keys hashed side by side
_PLURAL_FORMS_RE = re.compile(r"^Plural-Forms:(.*)$", re.M)


class MoStats(Record):
    """What compiling did, counted as `msgfmt --statistics` counts (the header is not a message)."""

    _fields = ("translated", "fuzzy", "untranslated", "written")
    __slots__ = _fields
    translated: int
    fuzzy: int
    untranslated: int
    written: int  # strings in the MO file, header included

    def __init__(self, translated: int = 0, fuzzy: int = 0, untranslated: int = 0, written: int = 0) -> None:
        init(self, "translated", translated)
        init(self, "fuzzy", fuzzy)
        init(self, "untranslated", untranslated)
        init(self, "written", written)

    def summary(self) -> str:
        """The line msgfmt --statistics prints, e.g. "2 translated messages, 1 fuzzy translation."."""
        parts = [_count(self.translated, "translated message", "translated messages")]
        if self.fuzzy:
            parts.append(_count(self.fuzzy, "fuzzy translation", "fuzzy translations"))
        if self.untranslated:
            parts.append(_count(self.untranslated, "untranslated message", "untranslated messages"))
        return ", ".join(parts) + "."


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _hash(key: bytes) -> int:
    """hashpjw as gettext and glibc compute it (64-bit `unsigned long`), over the key up to its first NUL."""
    value = 0
    for byte in key:
        value = (value << 4) + byte
        high = value >> 28
        if high:
            # C: g = h & ~0xFFFFFFF; h ^= g >> 24; h ^= g -- the same bits, with fewer big-int operations.
            value = (value & 0xFFFFFFF) ^ (high << 4)
    return value


def _is_prime(number: int) -> bool:
    """gettext's test for the odd numbers it passes: 1 counts as prime and 3 does not, as in msgfmt."""
    if number < 5:
        return number == 1
    divisor = 3
    while divisor * divisor <= number:
        if number % divisor == 0:
            return False
        divisor += 2
    return True


def hash_table_size(count: int) -> int:
    """msgfmt's choice: the next odd "prime" (by its test) from count * 4 / 3, and at least 3."""
    size = (count * 4) // 3 | 1
    while not _is_prime(size):
        size += 2
    return max(size, 3)


def _encode(text: str, what: str, msgid: str, charset: str = "utf-8") -> bytes:
    if "\x00" in text:
        raise KervanError(f"{what} of {msgid[:40]!r} contains NUL, which MO files cannot hold")
    try:
        return text.encode(charset)
    except UnicodeEncodeError as exc:
        raise KervanError(f"{what} of {msgid[:40]!r} cannot be written in charset {charset}: {exc.reason}") from None
    except LookupError:
        raise KervanError(f"unknown charset {charset!r} in the header") from None


def _header_text(po: polib.POFile) -> str:
    return "".join(f"{name}: {value}\n" for name, value in po.metadata.items())


def _reproducible(header: str) -> str:
    """msgfmt leaves POT-Creation-Date out of the compiled header, so a new template date changes no MO."""
    return "\n".join(line for line in header.split("\n") if not line.startswith("POT-Creation-Date:"))


def hashes(keys: Sequence[bytes]) -> list[int]:
    """hashpjw of many keys at once: the same values as `_hash`, about ten times faster.

    The hash reads one byte at a time, which costs a Python loop iteration per byte. Here a few thousand keys
    of similar length sit side by side in one big integer, five bytes each (the state needs 33 bits), and each
    step of the hash is a handful of big-integer operations over all of them. Keys are padded on the left
    with NUL bytes, which leave the hash at 0, so keys of different lengths can share a step.
    """
    result = [0] * len(keys)
    order = sorted(range(len(keys)), key=lambda number: len(keys[number]))
    for start in range(0, len(order), _GROUP):
        chosen = order[start : start + _GROUP]
        count = len(chosen)
        width = len(keys[chosen[-1]])
        if not width:
            continue
        block = b"".join([keys[number].rjust(width, b"\0") for number in chosen])
        low28 = int.from_bytes(b"\xff\xff\xff\x0f\x00" * count, "little")
        five = int.from_bytes(b"\x1f\x00\x00\x00\x00" * count, "little")
        lanes = bytearray(_LANE * count)
        value = 0
        for position in range(width):
            lanes[0::_LANE] = block[position::width]
            value = (value << 4) + int.from_bytes(lanes, "little")
            # value = (value << 4) + byte; high = value >> 28; value = (value & 0xFFFFFFF) ^ (high << 4)
            value = (value & low28) ^ (((value >> 28) & five) << 4)
        raw = value.to_bytes(_LANE * count, "little")
        wide = bytearray(8 * count)
        for byte in range(_LANE):
            wide[byte::8] = raw[byte::_LANE]
        for number, hashed in zip(chosen, array("Q", bytes(wide)), strict=True):
            result[number] = hashed
    return result


def compile_mo(
    catalog: polib.POFile | Iterable[polib.POEntry], *, use_fuzzy: bool = False, hash_table: bool = True
) -> tuple[bytes, MoStats]:
    """The MO bytes for a catalog and msgfmt-style statistics. Linear apart from sorting the messages."""
    pairs: dict[bytes, tuple[bytes, bytes]] = {}  # lookup key (up to NUL) -> (original, translation)
    translated = fuzzy = untranslated = 0
    metadata = getattr(catalog, "metadata", None)
    charset = _charset(metadata.get("Content-Type", "")) if metadata else "utf-8"
    if metadata:
        header = _reproducible(_header_text(catalog))  # type: ignore[arg-type]
        pairs[b""] = (b"", _encode(header, "header", "", charset))
    # Errors name the catalog and the entry's line when the catalog was read from a file.
    where, entry = getattr(catalog, "fpath", None), None
    try:
        for entry in catalog:
            if entry.obsolete:
                continue
            msgid = entry.msgid
            is_header = not msgid and entry.msgctxt is None
            if entry.msgid_plural:
                forms = {int(k): v for k, v in entry.msgstr_plural.items()} or {0: entry.msgstr}
                first = forms.get(0, "")
            else:
                forms, first = None, entry.msgstr
            if not first:
                if not is_header:
                    untranslated += 1
                continue
            if is_header:
                pairs[b""] = (b"", _encode(_reproducible(first), "header", "", charset))
                continue
            if "fuzzy" in entry.flags:
                fuzzy += 1
                if not use_fuzzy:
                    continue
            else:
                translated += 1
            plurals = None if forms is None else [forms[i] for i in sorted(forms)]
            _add(pairs, entry.msgctxt, msgid, entry.msgid_plural, first, plurals, charset)
    except KervanError as exc:
        if exc.path is not None:
            raise
        raise KervanError(exc.message, where, exc.line or getattr(entry, "linenum", None)) from None
    written = len(pairs)
    return bytes(_layout(pairs, hash_table)), MoStats(translated, fuzzy, untranslated, written)


def compile_po(
    path: str | Path,
    *,
    use_fuzzy: bool = False,
    hash_table: bool = True,
    check: Callable[[Message, str | None], list[str]] | None = None,
) -> tuple[bytearray, MoStats]:
    """The MO bytes for a PO file, as `msgfmt` makes them from it: read as it streams, in its own charset
    (a KOI8-R catalog gives a KOI8-R MO file), without building the polib model.

    `check(message, plural_forms)` sees every message that goes into the MO file; the first problem it names
    is an error at the message's msgstr line (as `msgfmt -c` reports it)."""
    pairs, stats = _po_pairs(path, use_fuzzy, check)
    return _layout(pairs, hash_table), stats


def write_po_as_mo(
    path: str | Path,
    target: str | Path,
    *,
    use_fuzzy: bool = False,
    hash_table: bool = True,
    check: Callable[[Message, str | None], list[str]] | None = None,
) -> tuple[bool, MoStats]:
    """As `compile_po`, the MO file written to `target` as it is laid out (atomically, left untouched when its
    bytes are the same), never held whole in memory: the strings are held once, not twice. Returns whether
    the target changed, and the statistics. Nothing is written when the catalog is refused."""
    from .atomic import write_chunks_if_changed

    pairs, stats = _po_pairs(path, use_fuzzy, check)
    layout = _Layout(pairs, hash_table)
    return write_chunks_if_changed(target, layout.size, layout.chunks), stats


def _po_pairs(
    path: str | Path, use_fuzzy: bool, check: Callable[[Message, str | None], list[str]] | None
) -> tuple[dict[bytes, tuple[bytes, bytes]], MoStats]:
    # The collector would walk every pair made so far, again and again; what is built here holds no cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_pairs(path, use_fuzzy, check)
    finally:
        if enabled:
            gc.enable()


def _read_pairs(
    path: str | Path, use_fuzzy: bool, check: Callable[[Message, str | None], list[str]] | None
) -> tuple[dict[bytes, tuple[bytes, bytes]], MoStats]:
    from .po_reader import Catalog, duplicate_error, iter_messages

    pairs: dict[bytes, tuple[bytes, bytes]] = {}
    seen: dict[bytes, int] = {}  # every message's key, obsolete ones too, with its line
    translated = fuzzy = untranslated = 0
    catalog = Catalog()
    message = None
    shown = str(path)
    plural_forms: str | None = None
    try:
        for message in iter_messages(path, catalog, duplicates=False):
            charset = catalog.charset
            msgid = message.msgid or ""
            key = _encode(msgid, "msgid", msgid, charset)
            if message.msgctxt is not None:
                if "\x04" in message.msgctxt or "\x04" in msgid:
                    raise KervanError(f"msgctxt or msgid of {msgid[:40]!r} contains U+0004, the context separator")
                key = _encode(message.msgctxt, "msgctxt", msgid, charset) + b"\x04" + key
            first_line = seen.get(key)
            if first_line is not None:
                raise duplicate_error(message, first_line, shown)
            seen[key] = message.line
            if message.obsolete:
                continue
            plurals = message.plurals
            first = message.msgstr if plurals is None else plurals[0]
            if message.is_header:
                if first:
                    pairs[b""] = (b"", _encode(_reproducible(first), "header", "", charset))
                    found = _PLURAL_FORMS_RE.search(first)
                    plural_forms = found.group(1).strip() if found else None
                continue
            if not first:
                untranslated += 1
                continue
            if message.is_fuzzy:
                fuzzy += 1
                if not use_fuzzy:
                    continue
            else:
                translated += 1
            if check is not None:
                problems = check(message, plural_forms)
                if problems:
                    raise KervanError(problems[0], shown, message.msgstr_line or message.line)
            if plurals is None:
                pairs[key] = (key, _encode(first, "msgstr", msgid, charset))
            else:
                original = key + b"\x00" + _encode(message.msgid_plural or "", "msgid_plural", msgid, charset)
                pairs[key] = (original, b"\x00".join([_encode(form, "msgstr", msgid, charset) for form in plurals]))
    except KervanError as exc:
        if exc.path is not None:
            raise
        raise KervanError(exc.message, shown, exc.line or getattr(message, "line", None)) from None
    seen.clear()
    return pairs, MoStats(translated, fuzzy, untranslated, len(pairs))


def _charset(content_type: str) -> str:
    found = re.search(r"charset\s*=\s*([\w.:-]+)", content_type)
    if not found or found.group(1).lower().replace("_", "-") in ("utf-8", "utf8", "charset"):
        return "utf-8"
    return found.group(1)


def _add(
    pairs: dict[bytes, tuple[bytes, bytes]],
    msgctxt: str | None,
    msgid: str,
    msgid_plural: str | None,
    msgstr: str,
    plurals: list[str] | None,
    charset: str,
) -> None:
    key = _encode(msgid, "msgid", msgid, charset)
    if msgctxt is not None:
        if "\x04" in msgctxt or "\x04" in msgid:
            raise KervanError(f"msgctxt or msgid of {msgid[:40]!r} contains U+0004, the context separator")
        key = _encode(msgctxt, "msgctxt", msgid, charset) + b"\x04" + key
    if key in pairs:
        raise KervanError(f"duplicate message {msgid[:60]!r}")
    if plurals is None:
        pairs[key] = (key, _encode(msgstr, "msgstr", msgid, charset))
    else:
        original = key + b"\x00" + _encode(msgid_plural or "", "msgid_plural", msgid, charset)
        pairs[key] = (original, b"\x00".join([_encode(form, "msgstr", msgid, charset) for form in plurals]))


def _layout(pairs: dict[bytes, tuple[bytes, bytes]], hash_table: bool) -> bytearray:
    """The MO file's bytes (see `_Layout`)."""
    out = bytearray()
    for chunk in _Layout(pairs, hash_table).chunks(True):
        out += chunk
    return out


_STRINGS_AT_ONCE = 512  # strings joined per piece: few writes, little memory


class _Layout:
    """Header, the two sorted string tables, the hash table, then the strings, as msgfmt lays them out; `size`
    is the file's size, known before any of it is made."""

    def __init__(self, pairs: dict[bytes, tuple[bytes, bytes]], hash_table: bool) -> None:
        self.pairs = pairs
        self.keys = keys = sorted(pairs)
        count = len(keys)
        size = hash_table_size(count) if hash_table else 0
        originals_at = 28
        translations_at = originals_at + 8 * count
        hash_at = translations_at + 8 * count
        strings_at = hash_at + 4 * size

        table = array("I")
        offset = strings_at
        for side in (0, 1):
            for key in keys:
                length = len(pairs[key][side])
                table.append(length)
                table.append(offset)
                offset += length + 1
        if sys.byteorder != "little":
            table.byteswap()
        self.size = offset

        slots = [0] * size
        for number, value in enumerate(hashes(keys) if size else (), start=1):
            index = value % size
            if slots[index]:
                # Double hashing with msgfmt's step, so glibc's lookups find every string.
                step = 1 + value % (size - 2)
                while slots[index]:
                    index = index - (size - step) if index >= size - step else index + step
            slots[index] = number
        self.head = (
            struct.pack("<7I", MAGIC, 0, count, originals_at, translations_at, size, hash_at)
            + table.tobytes()
            + struct.pack(f"<{size}I", *slots)
        )

    def chunks(self, release: bool) -> Iterator[bytes]:
        """The file in pieces. With `release`, each translation is dropped from `pairs` once given (the strings
        are not held twice), so the pieces can be had only once that way."""
        pairs, keys = self.pairs, self.keys
        yield self.head
        for start in range(0, len(keys), _STRINGS_AT_ONCE):
            yield b"\x00".join([pairs[key][0] for key in keys[start : start + _STRINGS_AT_ONCE]]) + b"\x00"
        for start in range(0, len(keys), _STRINGS_AT_ONCE):
            chunk = keys[start : start + _STRINGS_AT_ONCE]
            if release:
                yield b"\x00".join([pairs.pop(key)[1] for key in chunk]) + b"\x00"
                keys[start : start + _STRINGS_AT_ONCE] = [b""] * len(chunk)
            else:
                yield b"\x00".join([pairs[key][1] for key in chunk]) + b"\x00"


def write_mo(
    catalog: polib.POFile | Iterable[polib.POEntry],
    path: str | Path,
    *,
    use_fuzzy: bool = False,
    hash_table: bool = True,
) -> MoStats:
    """Compile and write atomically (an unchanged file is left untouched)."""
    data, stats = compile_mo(catalog, use_fuzzy=use_fuzzy, hash_table=hash_table)
    write_if_changed(path, data)
    return stats


def read_mo(path: str | Path) -> polib.POFile:
    """Read a GNU MO file (either byte order) into a polib catalog: header as metadata, plural and context kept."""
    import polib

    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KervanError(exc.strerror or str(exc), shown) from None
    if len(data) < 28:
        raise KervanError("not an MO file (too short)", shown)
    for order in "<>":
        if struct.unpack(f"{order}I", data[:4])[0] == MAGIC:
            break
    else:
        raise KervanError("not an MO file (bad magic number)", shown)
    revision, count, originals_at, translations_at = struct.unpack(f"{order}4I", data[4:20])
    if revision >> 16 > 1:
        raise KervanError(f"unsupported MO revision {revision >> 16}", shown)

    def string(table: int, number: int) -> bytes:
        start = table + 8 * number
        if start + 8 > len(data):
            raise KervanError("MO file truncated (string table)", shown)
        length, offset = struct.unpack(f"{order}II", data[start : start + 8])
        if offset + length > len(data):
            raise KervanError("MO file truncated (string data)", shown)
        return data[offset : offset + length]

    po = polib.POFile(wrapwidth=0)
    try:
        for number in range(count):
            original = string(originals_at, number).decode("utf-8")
            translation = string(translations_at, number).decode("utf-8")
            context, separator, msgid = original.partition("\x04")
            if not separator:
                context, msgid = None, original
            if not msgid and context is None:
                for line in translation.split("\n"):
                    name, colon, value = line.partition(":")
                    if colon:
                        po.metadata[name.strip()] = value.strip()
                continue
            msgid, _, plural = msgid.partition("\x00")
            entry = polib.POEntry(msgid=msgid, msgctxt=context, msgstr="")
            if plural:
                entry.msgid_plural = plural
                entry.msgstr_plural = dict(enumerate(translation.split("\x00")))
            else:
                entry.msgstr = translation
            po.append(entry)
    except UnicodeDecodeError as exc:
        raise KervanError(f"MO string is not UTF-8: {exc.reason}", shown) from None
    return po
