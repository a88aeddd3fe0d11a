"""Writing a PlanDocument in each export format. Every writer takes the same PlanDocument the
readers make and returns bytes; `write_plan` picks the writer by format name."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from civicplan.plandoc.model import PlanDocument


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    content_type: str
    module: str  # civicplan.plandoc.writers.<module>.write(plan) -> bytes


FORMATS = {
    f.name: f
    for f in (
        Format(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        Format("pdf", "pdf", "application/pdf", "pdf"),
        Format(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        Format("csv", "csv", "text/csv; charset=utf-8", "csv"),
        Format("json", "json", "application/json", "json"),
        Format("ics", "ics", "text/calendar; charset=utf-8", "ics"),
    )
}


def write_plan(plan: PlanDocument, format_name: str) -> bytes:
    """The plan in one format; raises KeyError for a format that does not exist."""
    module = importlib.import_module(f"civicplan.plandoc.writers.{FORMATS[format_name].module}")
    return module.write(plan)
