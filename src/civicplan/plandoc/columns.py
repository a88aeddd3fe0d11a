"""Finding a plan's header row by its column names, in Russian or English, in any order."""

from __future__ import annotations

import re

# Each role with the words real plans use for it; checked in this order, so "дата проведения"
# is a date and "место проведения" a place before "проведение" could mean anything else.
_ROLE_WORDS = (
    ("number", r"№|n|no|#|номер|п/п|№\s*п/п"),
    (
        "when",
        r"сроки?(?:\s+\w+)*|дат[аы](?:\s+\w+)*|период(?:\s+\w+)*|время(?:\s+\w+)*|когда"
        r"|dates?|when|period|time\s*frame|timeframe|deadline|schedule",
    ),
    ("place", r"мест[оа](?:\s+\w+)*|где|площадка|venue|place|location|where"),
    (
        "responsible",
        r"ответственн\w*(?:\s+\w+)*|исполнител\w*(?:\s+\w+)*|соисполнител\w*|организатор\w*"
        r"(?:\s+\w+)*|участник\w*|партн[её]р\w*|responsible|organi[sz]ers?|partners?|owner",
    ),
    (
        "title",
        r"мероприяти\w*(?:\s+\w+)*|наименовани\w*(?:\s+\w+)*|содержание(?:\s+\w+)*|названи\w*"
        r"(?:\s+\w+)*|тем[аы](?:\s+\w+)*|activit(?:y|ies)|events?|title|name|description",
    ),
)
_PATTERNS = tuple((role, re.compile(rf"(?:{words})", re.IGNORECASE)) for role, words in _ROLE_WORDS)


def _normal(cell: str) -> str:
    text = re.sub(r"</?[a-z]+>|\*\*", " ", cell.lower())
    return re.sub(r"\s+", " ", text).strip(" \t*_:.,;")


def column_roles(cells: list[str]) -> dict[str, int] | None:
    """Which column holds what, when `cells` is a header row; None when it is not one.

    A header names at least the activity and one of its time frame, venue or responsible
    columns. Unknown and repeated columns are ignored (the first of each role counts).
    """
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = _normal(cell)
        if not text or len(text) > 80:
            continue
        for role, pattern in _PATTERNS:
            if pattern.fullmatch(text):
                roles.setdefault(role, index)
                break
    roles.pop("number", None)
    if "title" in roles and len(roles) >= 2:
        return roles
    return None
