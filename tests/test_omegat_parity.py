"""Rule files from OmegaT, Okapi and LanguageTool cut real prose as OmegaT 3.6's own segmenter cuts it.

OmegaT (Debian's jar, through tools/omegat_parity) runs the files with Java's regular expressions; Kervan reads
them with Java's meaning. OmegaT tests each rule only where one of its beforebreak's successive, non-overlapping
matches ends, where SRX 2.0 tests every position; the one place that shows on this prose (LanguageTool's German
initials, "u. a. Frau") is checked against a model of that matching, so every other difference fails.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import shutil
import sys
from pathlib import Path

import pytest
import regex

from conftest import DATA, REPO, _required
from kervan.formats.srx import read_srx
from kervan.segmentation import Segmenter, SrxRules
from kervan.segmentation.javaregex import translate

PROSE = DATA / "srx" / "prose.tsv"


def _tool():
    spec = importlib.util.spec_from_file_location("omegat_parity", REPO / "tools" / "omegat_parity" / "parity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def omegat_harness(tmp_path_factory: pytest.TempPathFactory):
    """(tool module, OmegaT.jar, compiled harness folder)."""
    tool = _tool()
    jar = tool.find_jar()
    if jar is None or not shutil.which("javac") or not shutil.which("java"):
        _required("OmegaT 3.6 (OmegaT.jar) and Java (java, javac)")
    folder = tmp_path_factory.mktemp("omegat")
    tool.build_harness(jar, folder)
    return tool, jar, folder


def _omegat_model(rules: SrxRules, lang: str, text: str) -> list[int]:
    """OmegaT's matching: a rule counts where a successive match of its beforebreak ends and one of its
    afterbreak's successive matches starts; earlier rules win."""
    decision: dict[int, bool] = {}
    for rule in reversed(rules.rules_for(lang)):
        afters = regex.compile(translate(rule.after or "(?s:.)")).finditer(text) if rule.after else None
        after = next(afters, None) if afters else None
        for match in regex.compile(translate(rule.before) if rule.before else "(?s:.)").finditer(text):
            if afters is not None:
                while after is not None and after.start() < match.end():
                    after = next(afters, None)
                if after is None:
                    break
                if after.start() != match.end():
                    continue
            decision[match.end()] = rule.is_break
    return sorted(pos for pos, is_break in decision.items() if is_break and 0 < pos < len(text))


def _pieces(text: str, cuts) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [p for p in (text[a:b].strip() for a, b in itertools.pairwise(bounds)) if p]


@pytest.mark.parametrize(
    "name",
    ["languagetool-segment.srx", "okapi-defaultSegmentation.srx", "okapi-alternate-default.srx", "omegat"],
)
def test_foreign_rule_files_cut_prose_as_omegat_does(omegat_harness, schema_dir: Path, name: str) -> None:
    tool, jar, folder = omegat_harness
    path = schema_dir / "omegat-defaultRules.srx" if name == "omegat" else DATA / "srx" / name
    rules = read_srx(path)
    assert rules.problems() == []  # every rule of these files is read with its Java meaning
    cases = list(tool.text_cases(PROSE, []))
    assert {case.lang for case in cases} == {"tr", "en", "ru", "de"}
    theirs = tool.run_omegat(jar, folder, path, cases)
    explained = 0
    for case, result in zip(cases, theirs, strict=True):
        ours = _pieces(case.text, Segmenter(rules, case.lang).breaks(case.text))
        omegat_cut = _pieces(case.text, result.cuts)
        # Kervan's translation of every rule, matched OmegaT's way, gives OmegaT's cuts: the regex meaning agrees.
        assert _pieces(case.text, _omegat_model(rules, case.lang, case.text)) == omegat_cut, case
        if ours != omegat_cut:
            explained += 1
    if name == "languagetool-segment.srx":
        assert explained == 2  # "u. a. Frau" and "z. B. für": overlapping matches OmegaT skips
    else:
        assert explained == 0


def test_prose_fixture_is_what_the_readme_describes() -> None:
    lines = [line for line in PROSE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert len(lines) == 34 and all("\t" in line for line in lines)
    assert os.path.getsize(PROSE) < 20_000
