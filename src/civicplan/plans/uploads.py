"""A staff import in steps that each fit in a web request: the upload is checked and kept; a
background task reads it and finds its tables' columns, which staff check (a choice they
change is remembered for the next file with the same header); a task reads its rows with
those columns, and staff look at the preview (giving the year when the document says none)
and confirm; another task imports it. Each step is an action (permission, change, audit
event); the tasks take the job's id, re-read the kept file and are safe to run again."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from civicplan.audit.actions import record
from civicplan.directory.queries import organisation_index
from civicplan.plandoc import PlanReadError
from civicplan.plandoc.columns import ROLE_NAMES, ROLES
from civicplan.plandoc.layout import arrange
from civicplan.plandoc.raw import RawRow
from civicplan.plandoc.readers import check_file, read_source
from civicplan.plans import preview
from civicplan.plans.importing import (
    IMPORT_STATUSES,
    ImportRefused,
    can_import,
    import_plan,
    plan_exists,
    read_for_import,
)
from civicplan.plans.models import ColumnMapping, ImportJob, Plan

Status = ImportJob.Status
Stage = ImportJob.Stage

YEARS = (1990, 2100)  # the years a plan may be for
# Roles a table has at most one column of (a row has one time frame, one title…).
SINGLE_ROLES = frozenset(ROLES) - {"responsible", "other", "skip"}


def _require(actor: AbstractBaseUser) -> None:
    if not can_import(actor):
        raise PermissionDenied(_("Нет права импортировать планы."))


def start(actor: AbstractBaseUser, data: bytes, source: str, year: int | None = None) -> ImportJob:
    """Keep an uploaded plan and have its columns read. Its size and format are checked here,
    at once (PlanReadError says what is wrong); what its text holds, by the task."""
    _require(actor)
    check_file(data, source)
    job = ImportJob.objects.create(
        token=secrets.token_urlsafe(16), created_by=actor, source=source[:255], year=year
    )
    default_storage.save(job.path, ContentFile(data))
    record(actor, "plan.upload", source, "", {"job": job.pk, "bytes": len(data)})
    read_upload.enqueue(job.pk)
    return job


def choose_columns(
    actor: AbstractBaseUser, job: ImportJob, chosen: Sequence[Sequence[str]]
) -> ImportJob:
    """Staff checked the columns: `chosen` gives each table's roles, in the job's order of
    tables. A table whose roles differ from the guess (or had roles remembered) has them
    remembered for its header; the task then reads the rows with them."""
    _require(actor)
    tables = [dict(table) for table in job.columns]
    _check_roles(tables, chosen)
    for table, roles in zip(tables, chosen, strict=True):
        if table.get("table", True):
            table["roles"] = list(roles)
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=Status.READY).update(
            columns=tables,
            stage=Stage.PREVIEW,
            status=Status.READING,
            document=None,
            problems=[],
            rows_done=0,
            rows_total=0,
            error="",
        )
        if not updated:
            raise ValidationError(_("Этот файл уже читается или импортирован."), code="state")
        remembered = _remember(actor, tables)
        record(
            actor,
            "plan.import.columns",
            job.source,
            "",
            {"job": job.pk, "remembered": remembered},
        )
    read_upload.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _check_roles(tables: list[dict[str, Any]], chosen: Sequence[Sequence[str]]) -> None:
    """One role a column, known roles only, one activity column a table, and each of the
    single roles (time frame, venue…) in at most one column."""
    if len(chosen) != len(tables):
        raise ValidationError(_("Роли даны не для всех таблиц."), code="columns")
    errors = []
    for table, roles in zip(tables, chosen, strict=True):
        if not table.get("table", True):
            continue
        if len(roles) != len(table["headers"]) or not set(roles) <= set(ROLES):
            raise ValidationError(_("Роли даны не для всех столбцов."), code="columns")
        if roles.count("title") != 1:
            errors.append(
                ValidationError(
                    _("Выберите один столбец с ролью «%(role)s».")
                    % {"role": _(ROLE_NAMES["title"])},
                    code="title",
                )
            )
        for role in sorted(SINGLE_ROLES - {"title"}, key=ROLES.index):
            if roles.count(role) > 1:
                errors.append(
                    ValidationError(
                        _("Роль «%(role)s» выбрана для нескольких столбцов одной таблицы.")
                        % {"role": _(ROLE_NAMES[role])},
                        code="repeated",
                    )
                )
    if errors:
        raise ValidationError(errors)


def _remember(actor: AbstractBaseUser, tables: list[dict[str, Any]]) -> int:
    """Keep the roles of each table with a header whose roles staff changed (or had kept
    before); a table without a header row is not remembered: another file's columns under
    no header need not be in the same order."""
    count = 0
    for table in tables:
        signature = table["signature"]
        if not (table.get("table", True) and preview.has_header(signature)):
            continue
        key = preview.signature_key(signature)
        if table["roles"] == table["guessed"] and table.get("remembered") is None:
            continue
        ColumnMapping.objects.update_or_create(
            key=key,
            defaults={"signature": signature, "roles": table["roles"], "updated_by": actor},
        )
        count += 1
    return count


def set_year(actor: AbstractBaseUser, job: ImportJob, year: int) -> ImportJob:
    """The year of a plan whose document says none: its rows are read again with it, so
    their dates are known before the import."""
    _require(actor)
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValidationError(_("Год плана — от 1990 до 2100."), code="year")
    with transaction.atomic():
        updated = ImportJob.objects.filter(
            pk=job.pk, status=Status.READY, stage=Stage.PREVIEW
        ).update(year=year, status=Status.READING, rows_done=0, error="")
        if not updated:
            raise ValidationError(_("Этот файл уже читается или импортирован."), code="state")
        record(actor, "plan.import.year", job.source, str(year), {"job": job.pk, "year": year})
    read_upload.enqueue(job.pk)
    job.refresh_from_db()
    return job


def confirm(actor: AbstractBaseUser, job: ImportJob, status: str, replace: bool) -> ImportJob:
    """Staff checked the preview: import it, as a draft or as the approved plan, replacing
    the year's plan if there is one and they said so."""
    _require(actor)
    if status not in IMPORT_STATUSES:
        raise ValidationError(_("Неизвестный статус плана."), code="status")
    year = (job.document or {}).get("year")
    if job.stage == Stage.PREVIEW and job.status == Status.READY:
        if year is None:
            raise ValidationError(_("Укажите год плана: в документе его нет."), code="year")
        if not replace and plan_exists(year):
            raise ValidationError(
                _(
                    "План на %(year)s год уже есть. Чтобы импортировать этот вместо него, "
                    "отметьте «Заменить существующий план»."
                )
                % {"year": year},
                code="exists",
            )
    with transaction.atomic():
        updated = ImportJob.objects.filter(
            pk=job.pk, status=Status.READY, stage=Stage.PREVIEW
        ).update(
            status=Status.IMPORTING, plan_status=status, replace=replace, rows_done=0, error=""
        )
        if not updated:
            raise ValidationError(_("Этот план уже импортируется или импортирован."), code="state")
        record(
            actor, "plan.import.confirm", job.source, status, {"job": job.pk, "replace": replace}
        )
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    return report


@task()
def read_upload(job_id: int) -> None:
    """Read the kept file for the job's step: its tables' columns, or its rows with the
    chosen columns (the preview); or say what is wrong with it."""
    job = ImportJob.objects.filter(pk=job_id, status=Status.READING).first()
    if job is None:
        return
    try:
        with default_storage.open(job.path, "rb") as stored:
            data = stored.read()
        read = _read_columns if job.stage == Stage.COLUMNS else _read_rows
        found = read(job, data)
    except (PlanReadError, FileNotFoundError) as error:
        _fail(job, str(error))
        return
    ImportJob.objects.filter(pk=job_id, status=Status.READING).update(status=Status.READY, **found)


def _read_columns(job: ImportJob, data: bytes) -> dict[str, Any]:
    document = read_source(data, job.source)
    raw = arrange(document)
    keys = {preview.signature_key(columns.signature) for columns in raw.columns}
    remembered = {
        mapping.key: {
            "roles": mapping.roles,
            "by": _name(mapping.updated_by),
            "on": timezone.localtime(mapping.updated).isoformat(),
        }
        for mapping in ColumnMapping.objects.filter(key__in=keys).select_related("updated_by")
    }
    rows = sum(1 for item in raw.items if isinstance(item, RawRow))
    return {
        "columns": preview.column_tables(document, raw, remembered),
        "rows_done": rows,
        "rows_total": rows,
    }


def _name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _read_rows(job: ImportJob, data: bytes) -> dict[str, Any]:
    document = read_for_import(
        data,
        job.source,
        job.year,
        _progress(job.pk),
        columns=preview.chosen_columns(job.columns),
    )
    shown = preview.preview(document, organisation_index(), year_given=job.year is not None)
    rows = len(document.activities)
    return {
        "document": shown,
        "problems": [
            {"message": p.message, "row": p.row, "field": p.field} for p in document.problems
        ],
        "rows_done": rows,
        "rows_total": rows,
    }


@task()
def run_import(job_id: int) -> None:
    """The confirmed import, in one transaction (civicplan.plans.importing.import_plan), with
    the columns and the year staff checked. A rule that refuses it (the year's plan appeared
    meanwhile) sends the job back to its preview with the reason."""
    job = ImportJob.objects.filter(pk=job_id, status=Status.IMPORTING).first()
    if job is None:
        return
    try:
        with default_storage.open(job.path, "rb") as stored:
            summary = import_plan(
                stored.read(),
                job.source,
                actor=job.created_by,
                year=job.year,
                status=job.plan_status,
                replace=job.replace,
                progress=_progress(job_id),
                columns=preview.chosen_columns(job.columns),
            )
    except ImportRefused as error:
        ImportJob.objects.filter(pk=job_id).update(status=Status.READY, error=str(error))
        return
    except (PlanReadError, FileNotFoundError, PermissionDenied) as error:
        _fail(job, str(error))
        return
    ImportJob.objects.filter(pk=job_id).update(
        status=Status.DONE, plan=Plan.objects.filter(pk=summary.plan_id).first()
    )
    default_storage.delete(job.path)


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, error=message)
    default_storage.delete(job.path)
