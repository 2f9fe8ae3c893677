"""Placeholder checks against GNU msgfmt -c: the same messages are accepted and rejected by both.

Each case is one message written to its own catalog; msgfmt -c is the oracle. The cases cover the three
format languages Kervan checks (c-format, python-format, python-brace-format), plural forms under several
Plural-Forms rules (including Turkish `(n > 1)` and Django's four-form Russian rule), and the real Django
catalogs in tests/data/po.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import DATA, run_kervan
from kervan import placeholders
from kervan.formats import po as kpo

TR = "nplurals=2; plural=(n > 1);"
EN = "nplurals=2; plural=(n != 1);"
RU3 = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
RU4 = ("nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : "
       "n%10==0 || (n%10>=5 && n%10<=9) || (n%100>=11 && n%100<=14)? 2 : 3);")  # fmt: skip
JA = "nplurals=1; plural=0;"

# (flags, msgid, msgid_plural, msgstrs, Plural-Forms)
CASES: list[tuple[str, str, str | None, list[str], str]] = [
    # c-format
    ("c-format", "%s files", None, ["%s dosya"], TR),
    ("c-format", "%s files", None, ["dosyalar"], TR),
    ("c-format", "%s of %d", None, ["%2$d / %1$s"], TR),
    ("c-format", "%s of %d", None, ["%d / %s"], TR),
    ("c-format", "%d items", None, ["%u öğe"], TR),
    ("c-format", "%d items", None, ["%i öğe"], TR),
    ("c-format", "%ld bytes", None, ["%d bayt"], TR),
    ("c-format", "%ld bytes", None, ["%ld bayt"], TR),
    ("c-format", "%5.2f%%", None, ["%%%.1f"], TR),
    ("c-format", "%5.2f%%", None, ["%%%.1e"], TR),
    ("c-format", "%*d", None, ["%d"], TR),
    ("c-format", "%*d", None, ["%*d"], TR),
    ("c-format", "100%% done", None, ["%100 tamam"], TR),
    ("c-format", "%s", None, ["%1$s %1$s"], TR),
    ("c-format", "%s %s", None, ["%2$s"], TR),
    ("c-format", "%s", None, ["%y"], TR),
    ("c-format", "%s", None, ["%"], TR),
    ("c-format", "%zu rows", None, ["%zu satır"], TR),
    ("c-format", "%zu rows", None, ["%lu satır"], TR),
    ("c-format", "%c", None, ["%s"], TR),
    ("c-format", "%p", None, ["%p"], TR),
    ("c-format", "%s %d", None, ["%1$s %d"], TR),
    ("c-format", "%'d", None, ["%Id"], TR),
    ("possible-c-format", "%s files", None, ["%d dosya"], TR),
    ("no-c-format", "%s files", None, ["%d dosya"], TR),
    ("", "%s files", None, ["%d dosya"], TR),
    ("c-format", "%d file", "%d files", ["%d dosya", "%d dosya"], TR),
    ("c-format", "one file", "%d files", ["bir dosya", "%d dosya"], TR),
    ("c-format", "one file", "%d files", ["bir dosya", "dosyalar"], TR),
    ("c-format", "one file", "%d files", ["%d dosya", "%s dosya"], TR),
    ("c-format", "one file", "%d files", ["bir dosya", "%d dosya"], EN),
    ("c-format", "one file", "%d files", ["одна", "%d файла", "%d файлов"], RU3),
    ("c-format", "one file", "%d files", ["%d файл", "%d файла", "%d файлов"], RU3),
    ("c-format", "one file", "%d files", ["%d файл", "%d файла", "%d файлов", "файлов"], RU4),
    ("c-format", "one file", "%d files", ["%d файл", "%d файла", "%d файлов", "%d файлов"], RU4),
    ("c-format", "one file", "%d files", ["ファイル"], JA),
    ("c-format", "one file", "%d files", ["%d ファイル"], JA),
    ("c-format, range: 0..1", "one file", "%d files", ["bir dosya", "dosyalar"], EN),
    ("c-format, range: 1..5", "one file", "%d files", ["bir dosya", "dosyalar"], EN),
    # python-format
    ("python-format", "%(n)s files", None, ["%(n)s dosya"], TR),
    ("python-format", "%(n)s files", None, ["%(m)s dosya"], TR),
    ("python-format", "%(n)s files", None, ["dosyalar"], TR),
    ("python-format", "%(n)d files", None, ["%(n)s dosya"], TR),
    ("python-format", "%(n)d files", None, ["%(n).0s dosya"], TR),
    ("python-format", "%(a)s and %(b)s", None, ["%(b)s ve %(a)s"], TR),
    ("python-format", "%(a)s and %(b)s", None, ["%(b)s ve %s"], TR),
    ("python-format", "%s and %s", None, ["%s ve %s"], TR),
    ("python-format", "%s and %d", None, ["%d ve %s"], TR),
    ("python-format", "%s and %s", None, ["%s"], TR),
    ("python-format", "%s", None, ["%(x)s"], TR),
    ("python-format", "%(x)s", None, ["%s"], TR),
    ("python-format", "%(value).1f million", None, ["%(value).1f milyon"], TR),
    ("python-format", "%(value).1f million", None, ["%(value)d milyon"], TR),
    ("python-format", "%(x)s", None, ["%(x)"], TR),
    ("python-format", "%(x)s", None, ["%(x)q"], TR),
    ("python-format", "%d%%", None, ["%%%d"], TR),
    ("python-format", "%*d", None, ["%d"], TR),
    ("python-format", "a second ago", "%(count)s seconds ago", ["bir saniye önce", "%(count)s saniye önce"], TR),
    ("python-format", "a second ago", "%(count)s seconds ago", ["bir saniye önce", "saniyeler önce"], TR),
    ("python-format", "a second ago", "%(count)s seconds ago", ["%(count)s секунду", "секунды", "%(count)s секунд"],
     RU3),
    ("python-format", "a second ago", "%(count)s seconds ago", ["секунду", "%(count)s секунды", "%(count)s секунд"],
     RU3),
    ("python-format", "%d day", "%d days", ["%d день", "%d дня", "%d дней", "дней"], RU4),
    ("python-format", "%d day", "%d days", ["%d день", "%d дня", "%d дней", "%s дней"], RU4),
    # python-brace-format
    ("python-brace-format", "{name} arrived", None, ["{name} geldi"], TR),
    ("python-brace-format", "{name} arrived", None, ["{isim} geldi"], TR),
    ("python-brace-format", "{name} arrived", None, ["geldi"], TR),
    ("python-brace-format", "{0} of {1}", None, ["{1} / {0}"], TR),
    ("python-brace-format", "{0} of {1}", None, ["{1}"], TR),
    ("python-brace-format", "{user.name} at {time:%H:%M}", None, ["{time:%H.%M}'de {user.name}"], TR),
    ("python-brace-format", "{x}", None, ["{x"], TR),
    ("python-brace-format", "{x}", None, ["{{x}}"], TR),
    ("python-brace-format", "{x}", None, ["{x} }"], TR),
    ("python-brace-format", "{items[0]}", None, ["{items[0]}"], TR),
    ("python-brace-format", "one", "{n} items", ["bir", "{n} öğe"], TR),
    ("python-brace-format", "one", "{n} items", ["bir", "öğeler"], TR),
    ("python-brace-format", "{x}", None, ["{x!r}"], TR),
    ("python-brace-format", "{x}", None, ["{x:%H}"], TR),
    ("python-brace-format", "{x}", None, ["{x:>{w}}"], TR),
    ("python-brace-format", "{x}", None, ["{ x}"], TR),
    ("python-brace-format", "{x[0]} {x[1]}", None, ["{x[1]}"], TR),
    ("python-brace-format", "{a.b[0]} {c}", None, ["{c}"], TR),
    ("python-brace-format", "{a[}", None, ["x"], TR),
    # several languages on one message
    ("c-format, python-format", "%s files", None, ["%d dosya"], TR),
]


def _catalog(flags: str, msgid: str, plural: str | None, msgstrs: list[str], rule: str) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', f'"Plural-Forms: {rule}\\n"', ""]
    if flags:
        lines.append(f"#, {flags}")
    lines.append(f"msgid {quote(msgid)}")
    if plural is None:
        lines.append(f"msgstr {quote(msgstrs[0])}")
    else:
        lines.append(f"msgid_plural {quote(plural)}")
        lines += [f"msgstr[{n}] {quote(text)}" for n, text in enumerate(msgstrs)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", CASES, ids=[f"{n}:{c[0]}:{c[1]}" for n, c in enumerate(CASES)])
def test_agrees_with_msgfmt(case, tmp_path: Path, msgfmt: str) -> None:
    flags, msgid, plural, msgstrs, rule = case
    path = tmp_path / "case.po"
    path.write_text(_catalog(*case), encoding="utf-8")
    done = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    gnu_rejects = done.returncode != 0
    found = placeholders.mismatches(
        msgid, msgstrs, [f.strip() for f in flags.split(",") if f.strip()], msgid_plural=plural, plural_forms=rule
    )
    assert bool(found) == gnu_rejects, (found, done.stderr)


@pytest.mark.parametrize("name", ["django-humanize-ru.po", "django-humanize-tr.po"])
def test_real_catalogs_pass_as_they_pass_msgfmt(name: str) -> None:
    catalog = kpo.read_po(DATA / "po" / name)
    rule = catalog.metadata.get("Plural-Forms")
    for entry in catalog:
        forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)] if entry.msgid_plural else [entry.msgstr]
        assert placeholders.mismatches(entry.msgid, forms, entry.flags, msgid_plural=entry.msgid_plural or None,
                                       plural_forms=rule) == []  # fmt: skip


def test_placeholder_texts_are_listed() -> None:
    assert placeholders.parse("c", "%1$s has %2$5.1f%% of %3$ld").texts == ("%1$s", "%2$5.1f", "%3$ld")
    assert placeholders.parse("python", "%(n)d of %(total)s").texts == ("%(n)d", "%(total)s")
    assert placeholders.parse("python-brace", "{a} {{b}} {c.d}").texts == ("{a}", "{c.d}")


def _project(tmp_path: Path, catalog: str, lang: str = "ru") -> tuple[Path, Path]:
    root = tmp_path / "p"
    (root / "sources").mkdir(parents=True)
    (root / "kervan.toml").write_text(
        f'[project]\nname = "humanize"\nsource-language = "en"\ntarget-languages = ["{lang}"]\n', encoding="utf-8"
    )
    folder = root / "locales" / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(catalog, encoding="utf-8")
    return root, folder / "django.po"


def test_compile_rejects_what_msgfmt_rejects(tmp_path: Path, msgfmt: str) -> None:
    """A python-format translation that names another argument: msgfmt -c refuses it, and so does compile."""
    text = (DATA / "po" / "django-humanize-ru.po").read_text(encoding="utf-8")
    broken = text.replace('msgstr "%(delta)s назад"', 'msgstr "%(dalta)s назад"')
    assert broken != text
    root, po_path = _project(tmp_path, broken)
    gnu = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(po_path)], capture_output=True, text=True)
    assert gnu.returncode != 0
    gnu_line = next(line for line in gnu.stderr.splitlines() if "dalta" in line).split(":")[1]

    done = run_kervan("compile", cwd=root)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kervan: error: ") and "'dalta'" in lines[0], done.stderr
    assert f"django.po:{gnu_line}:" in lines[0]  # the line msgfmt names too
    assert not (po_path.with_suffix(".mo")).exists()


def test_a_refused_catalog_leaves_every_mo_file_alone(tmp_path: Path) -> None:
    """Two catalogs, the second refused: the first one's MO is not written either."""
    root, _ = _project(tmp_path, (DATA / "po" / "django-humanize-ru.po").read_text(encoding="utf-8"))
    (root / "kervan.toml").write_text(
        '[project]\nname = "humanize"\nsource-language = "en"\ntarget-languages = ["ru", "tr"]\n', encoding="utf-8"
    )
    folder = root / "locales" / "tr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    text = (DATA / "po" / "django-humanize-tr.po").read_text(encoding="utf-8")
    (folder / "django.po").write_text(text.replace('msgstr "%(delta)s önce"', 'msgstr "%(delta)d önce"'), "utf-8")
    done = run_kervan("compile", cwd=root)
    assert done.returncode == 2 and "tr/LC_MESSAGES/django.po" in done.stderr, done.stderr
    assert list(root.rglob("*.mo")) == []


def test_compile_accepts_real_catalogs_as_msgfmt_does(tmp_path: Path, msgfmt: str) -> None:
    for name, lang in (("django-humanize-ru.po", "ru"), ("django-humanize-tr.po", "tr")):
        root, po_path = _project(tmp_path / lang, (DATA / "po" / name).read_text(encoding="utf-8"), lang)
        done = run_kervan("compile", cwd=root)
        assert done.returncode == 0, done.stderr
        reference = tmp_path / lang / "ref.mo"
        subprocess.run([msgfmt, "-c", "-o", str(reference), str(po_path)], check=True)
        assert po_path.with_suffix(".mo").read_bytes() == reference.read_bytes()


def test_fuzzy_mismatch_is_left_out_unless_used(tmp_path: Path, msgfmt: str) -> None:
    catalog = _catalog("fuzzy, python-format", "%(n)s files", None, ["%(m)s файлов"], RU3)
    root, po_path = _project(tmp_path, catalog)
    assert run_kervan("compile", cwd=root).returncode == 0
    assert subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(po_path)]).returncode == 0
    assert run_kervan("compile", "--use-fuzzy", cwd=root).returncode == 2
    assert subprocess.run([msgfmt, "-c", "--use-fuzzy", "-o", "/dev/null", str(po_path)]).returncode != 0


def _qa(root: Path) -> list[dict[str, str]]:
    import json

    done = run_kervan("qa", "--json", cwd=root)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)["findings"]


def test_qa_reports_placeholder_mismatch_and_foreign_plural_rule(tmp_path: Path) -> None:
    text = (DATA / "po" / "django-humanize-ru.po").read_text(encoding="utf-8")
    root, _ = _project(tmp_path, text.replace('msgstr[2] "%d лет"', 'msgstr[2] "%s лет"'))
    findings = _qa(root)
    placeholder = [f for f in findings if f["check"] == "placeholders"]
    assert len(placeholder) == 1 and placeholder[0]["severity"] == "error"
    assert "msgstr[2]" in placeholder[0]["message"]
    plural = [f for f in findings if f["check"] == "plural-forms"]
    assert len(plural) == 1 and plural[0]["severity"] == "warning" and "nplurals=4" in plural[0]["message"]


def test_qa_is_quiet_on_the_real_catalogs_msgfmt_accepts(tmp_path: Path) -> None:
    for name, lang in (("django-humanize-ru.po", "ru"), ("django-humanize-tr.po", "tr")):
        root, _ = _project(tmp_path / lang, (DATA / "po" / name).read_text(encoding="utf-8"), lang)
        assert [f for f in _qa(root) if f["check"] == "placeholders"] == []


def test_qa_says_nothing_when_the_rule_is_cldrs(tmp_path: Path) -> None:
    from kervan import locales

    text = (DATA / "po" / "django-humanize-tr.po").read_text(encoding="utf-8")
    root, _ = _project(tmp_path, text.replace("nplurals=2; plural=(n > 1);", locales.plural_forms("tr")), "tr")
    assert [f for f in _qa(root) if f["check"] == "plural-forms"] == []


# Left out of the comparison on purpose, as gettext versions disagree on them: "{}" (automatic numbering, refused
# by gettext 0.21, read by later versions) and fields with a format spec ("{value:>5}", "{value:{width}}"), whose
# argument 0.21 names with the spec included ("value:>5"); later versions and Kervan name it "value".
POOLS = {
    "c-format": ["%s", "%d", "%u", "%ld", "%5.2f", "%%", "%*d", "%1$s", "%2$d", "%c", "%x", "%zu", "%lu", "%",
                 "%.*f", "%-3i", "%lld", "%2$s", "%1$d", "%e", "%p", "%q"],
    "python-format": ["%s", "%d", "%(a)s", "%(b)d", "%(a).0s", "%%", "%*d", "%(a)", "%r", "%(b)x", "%f", "%(a)d",
                      "%5s", "%(c)s", "%y"],
    "python-brace-format": ["{a}", "{b}", "{0}", "{1}", "{a.b}", "{x[0]}", "{a!r}", "{a:>{w}}", "{{", "}}", "{",
                            "}", "{a:%H}", "{b!x}", "{x[y]}", "{a.}", "{a[0}"],
}  # fmt: skip


def _random_cases(seed: int, count: int) -> list[tuple[str, str, str | None, list[str], str]]:
    import random

    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        flag = rng.choice(list(POOLS))
        pool = POOLS[flag]

        def text(source: list[str], pool: list[str] = pool) -> str:
            """Mostly the source's own directives, shuffled and some dropped; else any from the pool."""
            if source and rng.random() < 0.7:
                parts = rng.sample(source, k=rng.randint(0, len(source)))
            else:
                parts = [rng.choice(pool) for _ in range(rng.randint(0, 3))]
            return " ".join(["w", *(f"{p} x" for p in parts)])

        source = [rng.choice(pool) for _ in range(rng.randint(0, 3))]
        msgid = " ".join(["w", *(f"{p} x" for p in source)])
        if rng.random() < 0.4:
            rule = rng.choice([TR, EN, RU3, RU4, JA])
            forms = int(rule.split("nplurals=")[1][0])
            cases.append((flag, "one " + text(source), msgid, [text(source) for _ in range(forms)], rule))
        else:
            cases.append((flag, msgid, None, [text(source)], TR))
    return cases


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_messages_are_judged_as_msgfmt_judges_them(seed: int, tmp_path: Path, msgfmt: str) -> None:
    """Hundreds of random messages built from valid and invalid directives: the same verdict as msgfmt -c for
    each one. One catalog per Plural-Forms rule, one msgfmt run per catalog; errors are mapped back to their
    entry by the line msgfmt names (the entry's first msgstr line)."""
    cases = _random_cases(seed, 300)
    by_rule: dict[str, list[tuple[str, str, str | None, list[str], str]]] = {}
    for case in cases:
        by_rule.setdefault(case[4], []).append(case)
    for rule, group in by_rule.items():
        lines = [_catalog(*group[0])[: _catalog(*group[0]).index("\n\n") + 1]]
        where: dict[int, int] = {}
        seen: set[str] = set()
        kept = []
        for case in group:
            if case[1] in seen:
                continue  # msgfmt refuses duplicates: one entry per msgid
            seen.add(case[1])
            entry = _catalog(*case).split("\n\n", 1)[1]
            start = sum(block.count("\n") for block in lines) + 2  # after the blank line
            offset = next(n for n, line in enumerate(entry.split("\n")) if line.startswith("msgstr"))
            where[start + offset] = len(kept)
            kept.append(case)
            lines.append("\n" + entry)
        path = tmp_path / "random.po"
        path.write_text("".join(lines), encoding="utf-8")
        done = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        rejected = set()
        for line in done.stderr.splitlines():
            parts = line.split(":")
            if len(parts) > 2 and parts[1].isdigit() and "warning" not in line:
                rejected.add(where[int(parts[1])])
        for number, (flags, msgid, plural, msgstrs, _) in enumerate(kept):
            found = placeholders.mismatches(msgid, msgstrs, [flags], msgid_plural=plural, plural_forms=rule)
            if found and number not in rejected and flags == "python-brace-format":
                # Deliberately stricter than gettext 0.21, as later gettext versions and Python are: a plural
                # form used for few n may leave an argument out, but not use one the source does not have.
                assert all("which msgid_plural does not have" in problem for problem in found), found
                continue
            assert bool(found) == (number in rejected), (flags, msgid, plural, msgstrs, rule, found)


def test_fields_gettext_versions_disagree_on_follow_the_newer_reading() -> None:
    """Not compared with msgfmt 0.21 (see POOLS): Kervan reads them as later gettext versions do."""
    assert set(placeholders.parse("python-brace", "{value:>10.2f} {value:{width}}").named) == {"value"}
    with pytest.raises(placeholders.FormatError):
        placeholders.parse("python-brace", "{} and {}")
    # A plural form used for few n may drop an argument, but never use one the source lacks.
    assert placeholders.mismatches("one", ["{c} öğe", "{n} öğe"], ["python-brace-format"], msgid_plural="{n} items",
                                   plural_forms=TR) != []  # fmt: skip
    assert placeholders.mismatches("one", ["bir öğe", "{n} öğe"], ["python-brace-format"], msgid_plural="{n} items",
                                   plural_forms=TR) == []  # fmt: skip
