"""A staff import in steps that each fit in a web request: the upload is checked and kept, a
background task reads and understands it (with progress), staff look at the preview and
confirm, and another task imports it. Each step is an action (permission, change, audit event);
the tasks take the job's id and are safe to run again."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django_tasks import task

from civicplan.audit.actions import record
from civicplan.plandoc import PlanReadError
from civicplan.plandoc.jsonio import plan_to_json
from civicplan.plandoc.readers import check_file
from civicplan.plans.importing import (
    IMPORT_STATUSES,
    ImportRefused,
    can_import,
    import_plan,
    read_for_import,
)
from civicplan.plans.models import ImportJob, Plan

Status = ImportJob.Status


def start(actor: AbstractBaseUser, data: bytes, source: str, year: int | None) -> ImportJob:
    """Keep an uploaded plan and have it read. Its size and format are checked here, at once
    (PlanReadError says what is wrong); what its text holds, by the task."""
    if not can_import(actor):
        raise PermissionDenied(_("Нет права импортировать планы."))
    check_file(data, source)
    job = ImportJob.objects.create(
        token=secrets.token_urlsafe(16), created_by=actor, source=source[:255], year=year
    )
    default_storage.save(job.path, ContentFile(data))
    record(actor, "plan.upload", source, "", {"job": job.pk, "bytes": len(data)})
    read_upload.enqueue(job.pk)
    return job


def confirm(actor: AbstractBaseUser, job: ImportJob, status: str, replace: bool) -> ImportJob:
    """Staff checked the preview: import it, as a draft or as the approved plan."""
    if not can_import(actor):
        raise PermissionDenied(_("Нет права импортировать планы."))
    if status not in IMPORT_STATUSES:
        raise ValidationError(_("Неизвестный статус плана."), code="status")
    updated = ImportJob.objects.filter(pk=job.pk, status=Status.READY).update(
        status=Status.IMPORTING, plan_status=status, replace=replace, rows_done=0
    )
    if not updated:
        raise ValidationError(_("Этот план уже импортируется или импортирован."), code="state")
    record(actor, "plan.import.confirm", job.source, status, {"job": job.pk, "replace": replace})
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)

    return report


@task()
def read_upload(job_id: int) -> None:
    """Read and understand the kept file: the preview, or what is wrong with it."""
    job = ImportJob.objects.filter(pk=job_id, status=Status.READING).first()
    if job is None:
        return
    try:
        with default_storage.open(job.path, "rb") as stored:
            document = read_for_import(stored.read(), job.source, job.year, _progress(job_id))
    except (PlanReadError, FileNotFoundError) as error:
        _fail(job, str(error))
        return
    problems = [{"message": p.message, "row": p.row, "field": p.field} for p in document.problems]
    rows = len(document.activities)
    ImportJob.objects.filter(pk=job_id).update(
        status=Status.READY,
        document=plan_to_json(document),
        problems=problems,
        year=document.year,
        rows_done=rows,
        rows_total=rows,
    )


@task()
def run_import(job_id: int) -> None:
    """The confirmed import, in one transaction (civicplan.plans.importing.import_plan)."""
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
            )
    except (PlanReadError, ImportRefused, FileNotFoundError, PermissionDenied) as error:
        _fail(job, str(error))
        return
    ImportJob.objects.filter(pk=job_id).update(
        status=Status.DONE, plan=Plan.objects.filter(pk=summary.plan_id).first()
    )
    default_storage.delete(job.path)


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, error=message)
    default_storage.delete(job.path)
