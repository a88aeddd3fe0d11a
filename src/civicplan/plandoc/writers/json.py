"""The `civicplan.plan/1` JSON file (see plandoc.jsonio for the shape)."""

from __future__ import annotations

import json

from civicplan.plandoc.jsonio import plan_to_json
from civicplan.plandoc.model import PlanDocument


def write(plan: PlanDocument) -> bytes:
    return (json.dumps(plan_to_json(plan), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
