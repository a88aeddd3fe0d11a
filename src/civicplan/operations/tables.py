"""Which tables a backup holds, in which order, and how their rows name one another.

Every concrete model of every installed app is a table of the backup; the many-to-many tables
Django creates travel with the model that declares them. Rows keep their primary keys (the audit
log's data, attachments' paths and letters' links name rows by id), except content types and
permissions: `migrate` creates those in each installation with ids of its own, so they and every
reference to them are written by natural key (app label and model; codename)."""

from __future__ import annotations

from django.apps import apps
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

# Created by `migrate` itself, with ids of the installation's own.
NATURAL_PRIMARY = frozenset({"contenttypes.contenttype", "auth.permission"})


def dumped_models() -> list[type[Model]]:
    """The models whose rows a backup writes, each after the models it refers to (where the
    references go round in a cycle, in the apps' order: the restore checks keys at the end)."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    return _in_dependency_order(models)


def m2m_tables(models: list[type[Model]]) -> list[type[Model]]:
    """The many-to-many tables of `models` that Django made (their rows are written with the
    declaring model's rows, but counted on their own)."""
    return [
        field.remote_field.through
        for model in models
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def _references(model: type[Model]) -> set[type[Model]]:
    fields = [*model._meta.concrete_fields, *model._meta.local_many_to_many]
    targets = {field.related_model for field in fields if field.is_relation}
    return {target._meta.concrete_model for target in targets if target is not None} - {model}


def _in_dependency_order(models: list[type[Model]]) -> list[type[Model]]:
    remaining = list(models)
    ordered: list[type[Model]] = []
    while remaining:
        waiting = set(remaining)
        ready = [model for model in remaining if not _references(model) & waiting]
        chosen = ready or remaining[:1]  # a cycle: its first model, keys checked at the end
        ordered.extend(chosen)
        remaining = [model for model in remaining if model not in chosen]
    return ordered


def natural_primary(model: type[Model]) -> bool:
    return model._meta.label_lower in NATURAL_PRIMARY


def natural_foreign(model: type[Model]) -> bool:
    """Whether the model's rows refer to content types or permissions (then every reference of
    theirs is written by natural key, as Django's serializer does it for a whole model)."""
    return natural_primary(model) or any(
        target._meta.label_lower in NATURAL_PRIMARY for target in _references(model)
    )


def row_count(model: type[Model], using: str) -> int:
    return model._base_manager.using(using).count()


def applied_migrations(using: str) -> dict[str, list[str]]:
    """The schema as the migrations applied to the database: names by app."""
    schema: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        schema.setdefault(app, []).append(name)
    return schema
