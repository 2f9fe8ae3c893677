"""The jobs: build, segment, extract, update, compile, TMX export/import, OmegaT and XLIFF exchange, terms, QA,
stats, render.

Orchestration only: each job reads through formats/, works through the floors below, writes through formats/.
Nothing here prints; results come back as small report objects that the CLI shows. One module per family of jobs.
"""

from __future__ import annotations

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
