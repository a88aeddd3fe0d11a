"""Every table of a database as rows, to compare two databases row by row.

Each model's rows are its `values()` ordered by primary key. Where the ids are the
installation's own — content types and permissions, which `migrate` numbers, and the rows of
Django's many-to-many tables, renumbered on load — they are compared without their ids, by
natural key and sorted.

`python -m tests.operations.rows FILE` writes the environment's database's rows to FILE as
JSON (the round-trip test runs it against each database)."""

from __future__ import annotations

import datetime
import decimal
import json
import os
import sys
import uuid
from typing import Any

OWN_IDS = frozenset({"contenttypes.contenttype", "auth.permission"})


def every_model() -> list[Any]:
    from django.apps import apps

    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def table_rows(using: str = "default") -> dict[str, list[dict[str, Any]]]:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    names = {
        ContentType: {
            ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.using(using).all()
        },
        Permission: {
            p.pk: [p.codename, p.content_type.app_label, p.content_type.model]
            for p in Permission.objects.using(using).select_related("content_type")
        },
    }
    return {model._meta.label_lower: _rows(model, using, names) for model in every_model()}


def _rows(model: Any, using: str, names: dict[Any, dict[int, list[str]]]) -> list[dict[str, Any]]:
    meta = model._meta
    renamed = {
        field.attname: names[field.related_model]
        for field in meta.concrete_fields
        if field.is_relation and field.related_model in names
    }
    rows = [
        {key: _name(renamed.get(key), value) for key, value in row.items()}
        for row in model._base_manager.using(using).order_by(meta.pk.attname).values()
    ]
    if meta.label_lower in OWN_IDS or meta.auto_created:
        rows = sorted(({k: v for k, v in row.items() if k != "id"} for row in rows), key=repr)
    return rows


def _name(names: dict[int, list[str]] | None, value: Any) -> Any:
    return names[value] if names is not None and value is not None else value


def encode(value: object) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"{type(value).__name__} is not comparable here")


def main(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplan.settings")
    import django

    django.setup()
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(table_rows(), handle, default=encode, ensure_ascii=False, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
