"""Shared fixtures: the shipped project, official schemas, and the external oracles the tests use."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests with a fixed seed, so a run is reproducible; locally they explore anew each time.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
ARTICLE_ID = "2025-11-13-tokayev-stratejik-ortaklik"
ARTICLE = REPO / "sources" / f"{ARTICLE_ID}.txt"


@pytest.fixture(scope="session", autouse=True)
def _rule_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The rule and pattern caches of every test (and of the commands they run) live in a folder of the run."""
    os.environ["KERVAN_CACHE_DIR"] = str(tmp_path_factory.mktemp("kervan-cache"))


def _required(what: str) -> None:
    """Under CI every oracle must be present (a skip would hide a missing install step)."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; .ci/run must install it")
    pytest.skip(f"{what} not available (run .ci/fetch-schemas / install gettext)")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def schema_dir() -> Path:
    """Official TMX 1.4 DTD/XSD, SRX 2.0 XSD and TBX XSD, unpacked by .ci/fetch-schemas."""
    folder = Path(os.environ.get("KERVAN_TEST_SCHEMAS", REPO / ".schemas"))
    if not (folder / "tmx14.dtd").is_file() and shutil.which("apt-get") and shutil.which("dpkg-deb"):
        # The schemas ship inside Debian's OmegaT package; unpack them once (no install, no Java).
        subprocess.run(["bash", str(REPO / ".ci" / "fetch-schemas"), str(folder)], check=False, capture_output=True)
    if not (folder / "tmx14.dtd").is_file():
        _required(f"schemas in {folder}")
    return folder


@pytest.fixture(scope="session")
def msgfmt() -> str:
    path = shutil.which("msgfmt")
    if not path:
        _required("GNU gettext (msgfmt)")
    return path


@pytest.fixture(scope="session")
def msgcat() -> str:
    path = shutil.which("msgcat")
    if not path:
        _required("GNU gettext (msgcat)")
    return path


def copy_project(dest: Path) -> Path:
    """A copy of the shipped project (config, sources, glossary, catalogs; no compiled files) to work on."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("kervan.toml", "sources", "glossary", "locales"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy2(REPO / name, dest / name)
    return dest


def run_kervan(
    *args: str, cwd: Path, stdin: str | bytes | None = None, text: bool = True, env: dict[str, str] | None = None
):
    """The real command line in a fresh process (`python -m kervan.cli`); `env` adds to the environment."""
    import sys

    return subprocess.run(
        [sys.executable, "-m", "kervan.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=text,
        timeout=300,
        env={**os.environ, **env} if env else None,
    )


@pytest.fixture(scope="session")
def xmllint() -> str:
    path = shutil.which("xmllint")
    if not path:
        _required("xmllint (libxml2-utils)")
    return path


@pytest.fixture(scope="module")
def index():
    """The term index over `test_lookup.CONCEPTS`, the hand-made glossary of the lookup and scan tests."""
    from kervan.terms import TermIndex
    from test_lookup import CONCEPTS

    return TermIndex.build(CONCEPTS)


@pytest.fixture(scope="module")
def shipped_index():
    """The term index over the shipped glossary."""
    from kervan.formats.tbx import read_tbx
    from kervan.terms import TermIndex

    return TermIndex.build(read_tbx(str(REPO / "glossary" / "kervan.tbx")))


@pytest.fixture(scope="session")
def java_classes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/java compiled: Java's own regular expressions, the meaning SRX files in the wild were written for."""
    if not shutil.which("javac") or not shutil.which("java"):
        _required("Java (java, javac)")
    folder = tmp_path_factory.mktemp("java")
    source = REPO / "tests" / "java" / "RegexOracle.java"
    subprocess.run(["javac", "-nowarn", "-d", str(folder), str(source)], check=True)
    return folder


def _escape_tsv(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def _code_point_offsets(text: str, answer: str) -> list[int]:
    """Java's answer, given at UTF-16 offsets, at code point offsets as Python counts them."""
    units = [0]
    for char in text:
        units.append(units[-1] + (2 if ord(char) > 0xFFFF else 1))
    index = {unit: number for number, unit in enumerate(units)}
    ends = [int(x) for x in answer.split()]
    return [index.get(ends[unit], -2) if ends[unit] >= 0 else -1 for unit in units]


@pytest.fixture(scope="session")
def java_regex_oracle(java_classes: Path):
    """(pattern, text) pairs -> for each, the end of Java's match at every offset (-1: none), or None when Java
    refuses the pattern. One JVM for the whole batch."""

    def run(cases: list[tuple[str, str]]) -> list[list[int] | None]:
        lines = "".join(f"{_escape_tsv(p)}\t{_escape_tsv(t)}\n" for p, t in cases)
        done = subprocess.run(
            ["java", "-cp", str(java_classes), "RegexOracle"], input=lines.encode("utf-8"), capture_output=True,
            check=True, timeout=120,
        )  # fmt: skip
        answers = done.stdout.decode("utf-8").splitlines()
        assert len(answers) == len(cases), done.stderr
        return [None if a == "error" else _code_point_offsets(t, a) for (_, t), a in zip(cases, answers, strict=True)]

    return run


OMEGAT_JAR_PLACES = (Path("/usr/share/omegat/OmegaT.jar"),)


@pytest.fixture(scope="session")
def omegat() -> tuple[str, str, str]:
    """(java, javac, OmegaT.jar) of Debian's OmegaT 3.6 package, which .ci/run installs."""
    places = (Path(os.environ.get("OMEGAT_JAR", "/nonexistent")), *OMEGAT_JAR_PLACES)
    jar = next((p for p in places if p.is_file()), None)
    java, javac = shutil.which("java"), shutil.which("javac")
    if jar is None or not java or not javac:
        _required("OmegaT 3.6 (Debian package omegat) with java and javac")
    return str(java), str(javac), str(jar)
