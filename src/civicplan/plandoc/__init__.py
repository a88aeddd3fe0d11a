"""Plan documents as data: read text/DOCX/XLSX plans into one `PlanDocument` shape.

Pure Python, no Django. Data flows one way on import: bytes -> reader (format-specific,
`readers/`) -> RawDocument -> `build_plan` (what each row means) -> PlanDocument.

>>> from civicplan.plandoc import read_plan_file
>>> plan = read_plan_file("examples/plan-2024.txt")  # doctest: +SKIP
>>> plan.year, len(plan.activities)  # doctest: +SKIP
(2024, 37)
"""

from __future__ import annotations

from pathlib import Path

from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.model import PlanDocument
from civicplan.plandoc.organisations import OrganisationIndex
from civicplan.plandoc.readers import read_raw, read_raw_file
from civicplan.plandoc.understand import build_plan


def read_plan(
    data: bytes, source: str, year: int | None = None, index: OrganisationIndex | None = None
) -> PlanDocument:
    """Read a plan from its bytes; `source` (the file name) is only used in messages."""
    return build_plan(read_raw(data, source), year=year, index=index)


def read_plan_file(
    path: str | Path, year: int | None = None, index: OrganisationIndex | None = None
) -> PlanDocument:
    return build_plan(read_raw_file(path), year=year, index=index)


__all__ = ["OrganisationIndex", "PlanDocument", "PlanReadError", "read_plan", "read_plan_file"]
