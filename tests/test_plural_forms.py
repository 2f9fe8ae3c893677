"""`kervan update` on catalogs other people wrote: their Plural-Forms header stands, as msgmerge keeps it.

The catalogs are real (tests/data/po, from Django): Russian with four plural forms and `msgstr[3]`, where
CLDR has three; Turkish with `plural=(n > 1)`, where CLDR says `(n != 1)`. GNU msgfmt -c judges the result.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import DATA, run_kervan
from kervan import locales
from kervan.formats import po as kpo

CATALOGS = DATA / "po"
PROJECT = """[project]
name = "humanize"
source-language = "en"
target-languages = ["ru", "tr"]
"""


def _template_of(catalog: Path) -> str:
    """The POT the catalog was made from: its messages without translations (as xgettext would write)."""
    po = polib.pofile(str(catalog))
    pot = polib.POFile()
    pot.metadata = {
        "Project-Id-Version": "django 5.2",
        "Report-Msgid-Bugs-To": "bugs@example.org",
        "POT-Creation-Date": "2025-01-01 00:00+0000",
        "Content-Type": "text/plain; charset=UTF-8",
    }
    for entry in po:
        pot.append(polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural, msgctxt=entry.msgctxt,
                                 msgstr="", msgstr_plural={0: "", 1: ""} if entry.msgid_plural else {},
                                 flags=list(entry.flags), comment=entry.comment))  # fmt: skip
    return str(pot)


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "sources").mkdir(parents=True)
    (root / "kervan.toml").write_text(PROJECT, encoding="utf-8")
    for lang in ("ru", "tr"):
        source = CATALOGS / f"django-humanize-{lang}.po"
        (root / "locales" / lang / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(source, root / "locales" / lang / "LC_MESSAGES" / "django.po")
    (root / "locales" / "django.pot").write_text(_template_of(CATALOGS / "django-humanize-ru.po"), encoding="utf-8")
    return root


def _plural_forms(path: Path) -> str:
    return polib.pofile(str(path)).metadata["Plural-Forms"]


@pytest.mark.parametrize("lang", ["ru", "tr"])
def test_update_keeps_the_translators_plural_forms(tmp_path: Path, msgfmt: str, lang: str) -> None:
    root = _project(tmp_path)
    po_path = root / "locales" / lang / "LC_MESSAGES" / "django.po"
    before = polib.pofile(str(po_path))
    assert locales.plural_forms(lang) != before.metadata["Plural-Forms"]  # CLDR says otherwise

    done = run_kervan("update", "--lang", lang, cwd=root)
    assert done.returncode == 0, done.stderr

    after = polib.pofile(str(po_path))
    assert after.metadata["Plural-Forms"] == before.metadata["Plural-Forms"]
    for name in ("Language", "Last-Translator", "Language-Team", "PO-Revision-Date"):
        assert after.metadata[name] == before.metadata[name]
    # Every translation, every plural form of it, is still there.
    old = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in before}
    for entry in after:
        if entry.obsolete or (entry.msgctxt, entry.msgid) not in old:
            continue
        msgstr, plural = old[(entry.msgctxt, entry.msgid)]
        assert (entry.msgstr, {int(k): v for k, v in entry.msgstr_plural.items()}) == (
            msgstr, {int(k): v for k, v in plural.items()})  # fmt: skip
    checked = subprocess.run([msgfmt, "-c", "-o", str(tmp_path / "out.mo"), str(po_path)], capture_output=True,
                             text=True)  # fmt: skip
    assert checked.returncode == 0, checked.stderr


def test_four_russian_forms_still_reach_the_program(tmp_path: Path, msgfmt: str) -> None:
    """After update and compile, Python's gettext picks the same forms from our MO as from msgfmt's."""
    root = _project(tmp_path)
    assert run_kervan("update", "--lang", "ru", cwd=root).returncode == 0
    done = run_kervan("compile", "--lang", "ru", cwd=root)
    assert done.returncode == 0, done.stderr
    mo = root / "locales" / "ru" / "LC_MESSAGES" / "django.mo"
    ours = gettext.GNUTranslations(mo.open("rb"))
    reference = tmp_path / "ref.mo"
    subprocess.run([msgfmt, "-o", str(reference), str(root / "locales" / "ru" / "LC_MESSAGES" / "django.po")],
                   check=True)  # fmt: skip
    theirs = gettext.GNUTranslations(reference.open("rb"))
    for n in (0, 1, 2, 5, 11, 21, 22, 25, 101, 111):
        assert ours.npgettext("naturaltime-future", "%d day", "%d days", n) == theirs.npgettext(
            "naturaltime-future", "%d day", "%d days", n)  # fmt: skip
    assert ours.info()["plural-forms"].startswith("nplurals=4;")


def test_turkish_n_greater_than_one_is_kept_for_zero(tmp_path: Path) -> None:
    """`(n > 1)` puts 0 in the singular form, CLDR's `(n != 1)` in the plural: the form shown for 0 must not move."""
    root = _project(tmp_path)
    assert run_kervan("update", "--lang", "tr", cwd=root).returncode == 0
    assert run_kervan("compile", "--lang", "tr", cwd=root).returncode == 0
    mo = root / "locales" / "tr" / "LC_MESSAGES" / "django.mo"
    tr = gettext.GNUTranslations(mo.open("rb"))
    assert tr.ngettext("a second ago", "%(count)s seconds ago", 0) == "bir saniye önce"
    assert _plural_forms(root / "locales" / "tr" / "LC_MESSAGES" / "django.po") == "nplurals=2; plural=(n > 1);"


def test_new_catalog_gets_cldr_rule(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "locales" / "ru" / "LC_MESSAGES" / "django.po").unlink()
    assert run_kervan("update", "--lang", "ru", cwd=root).returncode == 0
    assert _plural_forms(root / "locales" / "ru" / "LC_MESSAGES" / "django.po") == locales.plural_forms("ru")


def test_catalog_without_plural_forms_gets_cldr_rule() -> None:
    template = kpo.loads_po(_template_of(CATALOGS / "django-humanize-tr.po"))
    existing = kpo.read_po(CATALOGS / "django-humanize-tr.po")
    del existing.metadata["Plural-Forms"]
    merged, _ = kpo.merge(template, existing, "tr")
    assert merged.metadata["Plural-Forms"] == locales.plural_forms("tr")


def test_header_after_update_is_the_one_msgmerge_keeps(tmp_path: Path, msgfmt: str) -> None:
    """GNU msgmerge is the model: the translator's header stands, POT-Creation-Date and Report-Msgid-Bugs-To
    come from the template. Kervan adds only its X-Generator (none here: the template has none)."""
    msgmerge = shutil.which("msgmerge")
    assert msgmerge is not None, "GNU gettext's msgmerge is installed beside msgfmt"
    root = _project(tmp_path)
    pot = root / "locales" / "django.pot"
    for lang in ("ru", "tr"):
        po_path = root / "locales" / lang / "LC_MESSAGES" / "django.po"
        gnu = subprocess.run([msgmerge, "-q", "--no-wrap", str(po_path), str(pot)], capture_output=True, text=True,
                             check=True)  # fmt: skip
        expected = kpo.loads_po(gnu.stdout).metadata
        assert run_kervan("update", "--lang", lang, cwd=root).returncode == 0
        ours = dict(kpo.read_po(po_path).metadata)
        ours.pop("X-Generator", None)  # the only field Kervan may add
        assert ours == dict(expected)


def test_babel_reads_updated_and_compiled_catalogs(tmp_path: Path) -> None:
    """Babel (pybabel's library) reads what update and compile write, with the translator's four forms."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    root = _project(tmp_path)
    assert run_kervan("update", "--lang", "ru", cwd=root).returncode == 0
    assert run_kervan("compile", "--lang", "ru", cwd=root).returncode == 0
    po_path = root / "locales" / "ru" / "LC_MESSAGES" / "django.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.num_plurals == 4
    message = catalog.get("%d day", context="naturaltime-future")
    assert message is not None and message.string == ("%d день", "%d дня", "%d дней", "%d дней")
    with po_path.with_suffix(".mo").open("rb") as handle:
        compiled = read_mo(handle)
    days = []
    for message in compiled:
        # Babel before 2.13 gives the context of a compiled message as bytes.
        context = message.context.decode() if isinstance(message.context, bytes) else message.context
        if context == "naturaltime-future" and isinstance(message.id, list | tuple) and message.id[0] == "%d day":
            days.append(message.string)
    assert [forms[3] for forms in days] == ["%d дней"]
