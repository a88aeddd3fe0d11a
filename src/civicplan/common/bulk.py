"""Rows inserted in bulk with SQL of our own, for the thousands of rows an imported plan writes.

bulk_create builds a model instance and the SQL of every row in Python, which for a plan's
activities, organisations, spellings, places and links costs more than the database's work.
Here the caller gives each row as the values the database takes (texts, numbers, ids, values
the fields prepared) and they go in few statements.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router
from django.db.models.constants import OnConflict

# A narrow row (a link, a spelling) costs SQLite less than the statement that carries it: such
# rows go many to an INSERT, as many as its parameters allow. Wider rows (an activity's thirty
# columns) go one to an INSERT run for every row, which binds them as fast.
_NARROW = 10  # columns


def insert(
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: Sequence[Sequence[object]],
    on_conflict: OnConflict | None = None,
) -> None:
    """Insert `rows`, each the values of `fields` of `model` as the database takes them; with
    OnConflict.IGNORE a row that breaks a unique constraint is left out."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    head = " ".join(
        (
            connection.ops.insert_statement(on_conflict=on_conflict),
            quote(model._meta.db_table),
            f"({', '.join(quote(field.column) for field in fields)})",
            "VALUES",
        )
    )
    tail = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    row = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        if len(fields) > _NARROW:
            cursor.executemany(f"{head} {row} {tail}".rstrip(), rows)
            return
        size = max(1, connection.ops.bulk_batch_size(fields, rows))
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(
                f"{head} {', '.join([row] * len(batch))} {tail}".rstrip(),
                [value for values in batch for value in values],
            )
