"""What an entry of a plan's «Ответственные» column names: one organisation, or a group of them.

Plans name groups in the responsible column («партнёры», «предприятия», «учреждения
образования», «заинтересованные ведомства», «все члены Ассоциации»); they are kept in the
directory (a plan's rows point at them), but marked `collective`, so the public pages write
them as text instead of giving them an organisation's page. The rule is general, on the text:
a plural head noun (plandoc's `classify` says "collective") and no proper name in quotes;
a leading «все», «другие», «иные» … is looked past. Staff change the mark when it is wrong.
"""

from __future__ import annotations

import re

from civicplan.plandoc.organisations import classify

_QUOTED = re.compile(r"[«\"„“]")
_QUANTIFIERS = frozenset(
    {"все", "всех", "другие", "иные", "прочие", "остальные", "различные", "любые", "разные"}
)


def is_collective(name: str, kind: str = "") -> bool:
    """Whether `name` (read as `kind`, when the reading gave one) is a group, not one body."""
    text = " ".join(name.split())
    if not text or _QUOTED.search(text):
        return False  # «Курсы «Здоровье»»: a proper name
    first, _space, rest = text.partition(" ")
    if first.lower() in _QUANTIFIERS and rest:
        return classify(rest) == "collective"
    return (kind or classify(text)) == "collective"
