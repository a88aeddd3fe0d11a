"""The one error readers raise: what is wrong with a plan file, and where."""

from __future__ import annotations

from civicplan.i18n import gettext as _


class PlanReadError(Exception):
    """A plan file that cannot be read; the message names the file, and the row if there is one."""

    def __init__(self, source: str, message: str, row: int | None = None, field: str | None = None):
        self.source, self.message, self.row, self.field = source, message, row, field
        where = [source]
        if row is not None:
            where.append(_("строка %(row)s") % {"row": row})
        if field:
            where.append(field)
        super().__init__(f"{', '.join(where)}: {message}")
