"""The jobs: build, segment, extract, update, compile, TMX export/import, OmegaT and XLIFF exchange, terms, QA,
stats, render.

Orchestration only: each job reads through formats/, works through the floors below, writes through formats/.
Nothing here prints; results come back as small report objects that the CLI shows. One module per family of jobs.

Each name is imported from its module on first use: a command loads only the jobs it runs, which keeps
start-up short (importing every job costs more than a `term lookup` itself).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

_HOMES = {
    "articles": ("AddResult", "add_articles", "init_project", "list_articles"),
    "build": ("BuildReport", "build"),
    "catalogs": ("compile_catalogs", "extract", "refresh", "stats", "update"),
    "checks": ("RenderResult", "render", "render_pages", "run_qa", "select_checks", "write_qa_report"),
    "common": (
        "ArticleUnits",
        "FileResult",
        "article_units",
        "document_segments",
        "load_documents",
        "load_glossary",
        "read_input_text",
        "term_index",
        "term_notes",
    ),
    "exchange": ("ExchangeResult", "omegat_export", "omegat_import", "xliff_export", "xliff_import"),
    "memories": ("ExportResult", "ImportReport", "export_tmx", "import_tmx"),
    "segment": ("language_warning", "segment_records", "segment_rules", "segment_stream"),
    "terms": (
        "ExtractResult",
        "LookupResult",
        "ScanResult",
        "glossary_export",
        "glossary_import",
        "glossary_validate",
        "term_extract",
        "term_lookup",
        "term_scan",
    ),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "AddResult",
    "ArticleUnits",
    "BuildReport",
    "ExchangeResult",
    "ExportResult",
    "ExtractResult",
    "FileResult",
    "ImportReport",
    "LookupResult",
    "RenderResult",
    "ScanResult",
    "add_articles",
    "article_units",
    "build",
    "compile_catalogs",
    "document_segments",
    "export_tmx",
    "extract",
    "glossary_export",
    "glossary_import",
    "glossary_validate",
    "import_tmx",
    "init_project",
    "language_warning",
    "list_articles",
    "load_documents",
    "load_glossary",
    "omegat_export",
    "omegat_import",
    "read_input_text",
    "refresh",
    "render",
    "render_pages",
    "run_qa",
    "segment_records",
    "segment_rules",
    "segment_stream",
    "select_checks",
    "stats",
    "term_extract",
    "term_index",
    "term_lookup",
    "term_notes",
    "term_scan",
    "update",
    "write_qa_report",
    "xliff_export",
    "xliff_import",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """`build` names both a job and its module. Importing the module sets the package attribute to the
    module; this property keeps `pipeline.build` the job, whichever was imported first."""

    @property
    def build(self) -> Any:
        from .build import build

        return build

    @build.setter
    def build(self, value: Any) -> None:
        pass  # the import system announcing the submodule: sys.modules has it


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:
    from .articles import AddResult, add_articles, init_project, list_articles
    from .build import BuildReport, build
    from .catalogs import compile_catalogs, extract, stats, update
    from .checks import RenderResult, render, render_pages, run_qa, select_checks, write_qa_report
    from .common import (
        ArticleUnits,
        FileResult,
        article_units,
        document_segments,
        load_documents,
        load_glossary,
        read_input_text,
        term_index,
        term_notes,
    )
    from .exchange import ExchangeResult, omegat_export, omegat_import, xliff_export, xliff_import
    from .memories import ExportResult, ImportReport, export_tmx, import_tmx
    from .segment import language_warning, segment_records, segment_rules, segment_stream
    from .terms import (
        ExtractResult,
        LookupResult,
        ScanResult,
        glossary_export,
        glossary_import,
        glossary_validate,
        term_extract,
        term_lookup,
        term_scan,
    )
