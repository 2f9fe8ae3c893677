"""Start-up: a command imports the jobs and libraries it uses, not every one (their timing is in benchmarks/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import copy_project
from kervan import __version__

# Runs one command in-process, then prints the modules it imported.
_PROBE = """
import json, sys
from kervan.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("\\n" + json.dumps(sorted(sys.modules)))
"""


def _modules(args: list[str], cwd: Path) -> set[str]:
    run = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=cwd, capture_output=True, text=True, check=True)
    return set(json.loads(run.stdout.strip().splitlines()[-1]))


def test_the_pipeline_package_imports_no_job() -> None:
    code = "import sys, kervan.pipeline; print(sorted(m for m in sys.modules if m.startswith('kervan.pipeline.')))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_pipeline_build_is_the_job_whichever_was_imported_first() -> None:
    code = "import kervan.pipeline.build, kervan.pipeline as p; print(callable(p.build), p.BuildReport.__name__)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "BuildReport"]


def test_commands_import_only_what_they_use(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    _modules(["term", "lookup", "AEB"], project)  # the first lookup builds the index cache
    lookup = _modules(["term", "lookup", "AEB"], project)
    assert not {"lxml", "polib", "babel", "kervan.pipeline.build", "kervan.pipeline.memories"} & lookup
    stats = _modules(["stats"], project)
    assert not {"lxml", "babel", "kervan.terms.index", "kervan.pipeline.build"} & stats
    version = _modules(["--version"], project)
    assert not any(name.startswith(("kervan.pipeline", "kervan.formats", "polib", "lxml")) for name in version)


def test_the_console_script_runs_the_command_line_with_the_collector_on(tmp_path: Path) -> None:
    # The definitions are loaded with the collector held, then frozen; the command itself runs with it on.
    code = (
        "import atexit, gc, sys\n"
        "from kervan.console import main\n"
        "atexit.register(lambda: print('collector', gc.isenabled(), gc.get_freeze_count() > 0))\n"
        "sys.argv = ['kervan', '--version']\n"
        "main()\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [f"kervan, version {__version__}", "collector True True"]


def test_small_jobs_load_no_machinery_they_do_not_use(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    _modules(["build"], project)
    tmx = tmp_path / "small.tmx"
    _modules(["tmx", "export", "-o", str(tmx)], project)
    # A small TMX is read in this process (no multiprocessing), its digest taken without OpenSSL.
    imported = _modules(["tm", "import", str(tmx)], project)
    assert not {"multiprocessing", "_hashlib", "hashlib"} & imported
    # Writing rules for OmegaT compiles none of them; a template's empty header date needs no strptime.
    # No XML parser either: the termbase and its title come from the matcher's cache, the project file as
    # written last time needs no parsing.
    for _ in range(2):  # a new folder, then the same one refreshed
        imported = _modules(["omegat", "export", str(tmp_path / "omt"), "--lang", "ru"], project)
        assert not {"regex", "_strptime", "lxml.etree", "polib"} & imported
    from kervan.formats.tbx import read_tbx_header

    exported = read_tbx_header(tmp_path / "omt" / "glossary" / "kervan-news.tbx")
    assert exported == read_tbx_header(project / "glossary" / "kervan.tbx") != ("", "")


def test_own_and_openssl_sha256_give_the_same_stamp(tmp_path: Path) -> None:
    import hashlib

    from kervan.pipeline import tm

    data = bytes(range(256)) * 5000
    for size in (0, 10 << 20):
        digest = tm._sha256(size)
        digest.update(data)
        assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
